"""Score figure and initiative extraction against hand labels.

    python bench/eval_figures.py [--corpus DIR] [--verbose] [LABELS.json ...]

Defaults: the shared labels (the corpus's sibling folder labels/*.json) and the project's own
evaluation set (tests/data/eval/*.json), the corpus at CORPUS_DIR or
../shared/corpus. Each label file names its corpus file (``seed``) and gives
articles with ``line_start``/``line_end``, ``figures`` (value, unit, quote)
and ``initiatives`` (name). An article body is built from its lines the way
the ingest normaliser does (``cases.ingest.normalise`` when present; else
newlines removed).

A labelled figure is found when an extracted figure's value and unit agree (as
written, or normalised: 15 万人 = 150000 人) and its quote overlaps the labelled
quote in the body. For the figures found, the qualifier, year and target flag
are compared too.
Labels marked ``"optional": true`` (or listed in an article's
``also_acceptable_figures``) count neither way; articles without a ``figures``
(``initiatives``) key are not scored for figures (initiatives). An initiative is found when the names agree after removing quotes and spaces
(or one contains the other).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.labels import parse_eval_arguments, ratio  # noqa: E402
from cases.ingest.figures import extract_figures  # noqa: E402
from cases.ingest.initiatives import extract_initiatives  # noqa: E402
from cases.ingest.read import decode_bytes  # noqa: E402
from cases.ingest.units import normalize  # noqa: E402

TOLERANCE = Decimal("0.001")


def article_body(lines: list[str], line_start: int, line_end: int) -> str:
    """The body of an article from its 1-based inclusive line range."""
    chunk = lines[line_start - 1:line_end]
    try:  # the ingest helper's normaliser, when merged
        from cases.ingest.normalise import normalise_lines  # type: ignore[attr-defined]
    except ImportError:
        return "".join(line.rstrip("\r\n") for line in chunk)
    return normalise_lines(chunk)


def locate(body: str, quote: str) -> list[tuple[int, int]]:
    """Every place a labelled quote sits in the body; spaces are not significant.

    A quote can occur more than once (a title repeats a sentence); a figure found at any of
    them counts.
    """
    squeezed = quote.replace(" ", "")
    if not squeezed:
        return []
    index = [i for i, ch in enumerate(body) if ch != " "]
    flat = "".join(body[i] for i in index)
    spans = []
    pos = flat.find(squeezed)
    while pos >= 0:
        spans.append((index[pos], index[pos + len(squeezed) - 1] + 1))
        pos = flat.find(squeezed, pos + 1)
    return spans


def overlaps(fig, spans) -> bool:
    return any(fig.start < end and start < fig.end for start, end in spans)


def values_agree(label: dict, found) -> bool:
    """Value and unit agree: as written, or normalised (15 万人 = 150000 人)."""
    value = Decimal(str(label["value"]))
    normalized, base_unit = normalize(value, label.get("unit") or "")
    if base_unit != found.base_unit:
        return False
    if abs(found.value - value) <= TOLERANCE:
        return True
    return found.normalized_value is not None and abs(found.normalized_value - normalized) <= TOLERANCE


def fields_agree(label: dict, found) -> dict[str, bool]:
    """The other fields of a matched figure: qualifier as written, year, target flag."""
    return {
        "qualifier": (label.get("qualifier") or "") == found.qualifier,
        "year": label.get("year") == found.year,
        "target": bool(label.get("is_target")) == found.is_target,
    }


def name_key(name: str) -> str:
    return "".join(ch for ch in name if ch not in " “”\"'‘’「」『』")


def names_agree(a: str, b: str) -> bool:
    a, b = name_key(a), name_key(b)
    return a == b or (min(len(a), len(b)) >= 3 and (a in b or b in a))


def score(label_files: list[Path], corpus: Path, verbose: bool) -> dict:
    totals = {"qualifier_ok": 0, "year_ok": 0, "target_ok": 0, "fig_labels": 0, "fig_found": 0, "fig_extracted": 0, "fig_correct": 0,
              "ini_labels": 0, "ini_found": 0, "ini_extracted": 0, "ini_correct": 0}
    for label_file in label_files:
        data = json.loads(label_file.read_text(encoding="utf-8"))
        path = label_file.parent / data["seed"]
        path = path if path.exists() else corpus / data["seed"]
        lines = decode_bytes(path.read_bytes(), path.name).text.splitlines(keepends=True)
        for article in data["articles"]:
            if "figures" not in article and "initiatives" not in article:
                continue  # labelled for splitting only
            body = article_body(lines, article["line_start"], article["line_end"])
            found = extract_figures(body) if "figures" in article else []
            all_labels = article.get("figures", [])
            labels = [f for f in all_labels if not f.get("optional")]
            optional = [f for f in all_labels if f.get("optional")] + article.get("also_acceptable_figures", [])
            optional_spans = [locate(body, f["quote"]) for f in optional]
            spans = []
            for label in labels:
                span = locate(body, label["quote"])
                if not span and verbose:
                    print(f"  ! quote not in body: {label['quote']!r} ({label_file.name})")
                spans.append(span)
            matched_found = set()
            for label, span in zip(labels, spans, strict=True):
                hit = None
                for i, fig in enumerate(found):
                    if overlaps(fig, span) and values_agree(label, fig):
                        hit = i
                        break
                totals["fig_labels"] += 1
                if hit is not None:
                    totals["fig_found"] += 1
                    matched_found.add(hit)
                    for field, ok in fields_agree(label, found[hit]).items():
                        totals[f"{field}_ok"] += ok
                        if not ok and verbose:
                            attr = "is_target" if field == "target" else field
                            print(f"  FIELD {field} [{article['title'][:12]}] «{label['quote']}» "
                                  f"label={label.get(attr)!r} found={getattr(found[hit], attr)!r}")
                elif verbose:
                    print(f"  MISS [{article['title'][:12]}] {label['value']} {label['unit']} «{label['quote']}»")
            for i, fig in enumerate(found):
                totals["fig_extracted"] += 1
                ok = i in matched_found or any(
                    overlaps(fig, span) and values_agree(label, fig)
                    for label, span in zip(labels, spans, strict=True)
                )
                if not ok and any(  # a figure labelled optional is neither required nor wrong
                    overlaps(fig, span) and values_agree(label, fig)
                    for label, span in zip(optional, optional_spans, strict=True)
                ):
                    totals["fig_extracted"] -= 1
                    continue
                if ok:
                    totals["fig_correct"] += 1
                elif verbose:
                    print(f"  EXTRA [{article['title'][:12]}] {fig.qualifier}{fig.value}{fig.unit} "
                          f"label={fig.label!r} «{fig.quote}»")
            if "initiatives" not in article:
                continue
            names = [i["name"] for i in article["initiatives"]]
            got = [c.name for c in extract_initiatives(body)]
            totals["ini_labels"] += len(names)
            totals["ini_extracted"] += len(got)
            for name in names:
                if any(names_agree(name, g) for g in got):
                    totals["ini_found"] += 1
                elif verbose:
                    print(f"  INI MISS [{article['title'][:12]}] {name}")
            for g in got:
                if any(names_agree(name, g) for name in names):
                    totals["ini_correct"] += 1
                elif verbose:
                    print(f"  INI EXTRA [{article['title'][:12]}] {g}")
    return totals


def main(argv=None) -> int:
    args, files = parse_eval_arguments(__doc__.split("\n\n")[0], argv)
    if not files:
        print("no label files found", file=sys.stderr)
        return 2
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    t = score(files, args.corpus, args.verbose)
    print(f"label files: {', '.join(f.name for f in files)}")
    print(f"figures:     recall {ratio(t['fig_found'], t['fig_labels']):.3f} ({t['fig_found']}/{t['fig_labels']})"
          f"  precision {ratio(t['fig_correct'], t['fig_extracted']):.3f} ({t['fig_correct']}/{t['fig_extracted']})")
    found = t["fig_found"]
    print(f"  of the figures found: qualifier {ratio(t['qualifier_ok'], found):.3f}, year {ratio(t['year_ok'], found):.3f},"
          f" target flag {ratio(t['target_ok'], found):.3f}")
    print(f"initiatives: recall {ratio(t['ini_found'], t['ini_labels']):.3f} ({t['ini_found']}/{t['ini_labels']})"
          f"  precision {ratio(t['ini_correct'], t['ini_extracted']):.3f} ({t['ini_correct']}/{t['ini_extracted']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
