"""Score the whole ingest pipeline against hand labels: articles, figures, regions.

    python bench/eval_ingest.py [--corpus DIR] [--verbose] [LABELS.json ...]

It runs what ``manage.py ingest --dry-run`` runs (read → normalise → split → extract →
resolve) on each labelled corpus file and compares:

* articles: a labelled article is found when a produced article's line range overlaps it
  with intersection/union ≥ 0.7 (one-to-one); precision counts the produced articles that lie
  inside the labelled part of the file (``coverage`` line ranges, default the labelled articles);
* figures, inside found articles whose figures are labelled: a labelled figure is found when a
  produced figure has the same value (as written or normalised), the same base unit, and a
  quote overlapping the labelled quote in the body; precision counts produced figures matching
  a labelled figure or one of the ``also_acceptable_figures``;
* regions: recall of the labelled administrative divisions (province … village; not 小区, 片 or
  水库, which no gazetteer holds) among the article's regions; attribution: the
  share of found figures whose region is the labelled one (or a place inside it); where a label
  says ``regions_complete``, precision too (a river read as a district counts against it);
* the record around the figures, for found articles whose label states it: exact title,
  authors (as a set), kind, publication, date (``published_on``), and the qualifier of found
  figures ("不超过" is not "超过").

Label files: the shared ones (``labels/*.json`` beside the corpus), ``tests/data/eval/*.json``
(corpus files), ``tests/data/unseen/*.json`` (texts the project wrote itself, in kinds of pages
the corpus lacks; their ``seed`` lies beside the label) and ``tests/data/heldout/*.json`` (more such
texts, written after the rules were tuned on the unseen ones). Scores are printed per folder.
Needs the gazetteer in the configured database (``manage.py migrate && manage.py load_regions``).
"""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bench.labels import parse_eval_arguments, ratio  # noqa: E402
from cases.ingest.pipeline import process_bytes, theme_vocabulary  # noqa: E402
from cases.ingest.units import normalize  # noqa: E402
from regions.models import Region  # noqa: E402

TOLERANCE = Decimal("0.001")
MIN_IOU = 0.7
ADMINISTRATIVE = {"province", "city", "county", "town", "village"}


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0]) + 1
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]) + 1)


def same_name(name: str) -> str:
    """乌石村 and the NBS name 乌石村村 are the same village."""
    return name[:-1] if name.endswith("村村") else name


def locate(body: str, quote: str) -> tuple[int, int] | None:
    """Where a labelled quote sits in the body; whitespace is not significant."""
    squeezed = "".join(quote.split())
    index = [i for i, ch in enumerate(body) if not ch.isspace()]
    flat = "".join(body[i] for i in index)
    pos = flat.find(squeezed)
    if pos < 0 or not squeezed:
        return None
    return index[pos], index[pos + len(squeezed) - 1] + 1


def figure_agrees(label: dict, figure, span) -> bool:
    if span is None or not (figure.start < span[1] and span[0] < figure.end):
        return False
    value = Decimal(str(label["value"]))
    normalized, base = normalize(value, label.get("unit") or "")
    if label.get("unit") == "比例":
        base = figure.base_unit  # ratios are labelled without a unit
    same_value = abs(figure.value - value) <= TOLERANCE or (
        figure.normalized_value is not None and abs(figure.normalized_value - normalized) <= TOLERANCE
    )
    return same_value and (figure.base_unit or "") == (base or "")


class Ancestry:
    """Names of a region and its ancestors, from the gazetteer (cached)."""

    def __init__(self):
        self.cache: dict[str, list[str]] = {}

    def names(self, code: str) -> list[str]:
        if code not in self.cache:
            names = []
            region = Region.objects.filter(code=code).select_related("parent__parent__parent__parent").first()
            while region is not None:
                names.append(region.name)
                region = region.parent
            self.cache[code] = names
        return self.cache[code]


def score(label_files: list[Path], corpus: Path, verbose: bool) -> dict:
    t = dict.fromkeys(["art_labels", "art_found", "art_produced", "art_correct", "fig_labels", "fig_found",
                       "fig_produced", "fig_correct", "reg_labels", "reg_found", "attr_total", "attr_correct", "kind_total", "kind_correct",
                       "title_total", "title_correct", "author_total", "author_correct", "pub_total", "pub_correct",
                       "date_total", "date_correct", "reg_produced", "reg_correct", "qual_total", "qual_correct"], 0)
    ancestry = Ancestry()
    themes = theme_vocabulary()
    for label_file in label_files:
        data = json.loads(label_file.read_text(encoding="utf-8"))
        path = label_file.parent / data["seed"]
        if not path.exists():
            path = corpus / data["seed"]
        document = process_bytes(path.read_bytes(), path.name, themes=themes)
        produced = document.articles
        labels = data["articles"]
        # the labelled part of the file: given, else the labelled articles themselves
        coverage = data.get("coverage") or [[a["line_start"], a["line_end"]] for a in labels]
        inside = [a for a in produced
                  if any(lo <= (a.draft.line_start + a.draft.line_end) / 2 <= hi for lo, hi in coverage)]
        pairs = {}
        used = set()
        for li, label in enumerate(labels):
            span = (label["line_start"], label["line_end"])
            best = max(((iou(span, (a.draft.line_start, a.draft.line_end)), k) for k, a in enumerate(produced)
                        if k not in used), default=(0, None))
            if best[0] >= MIN_IOU:
                pairs[li] = produced[best[1]]
                used.add(best[1])
            elif verbose:
                print(f"  ARTICLE MISS {data['seed'][:3]} {span} {label['title'][:24]}")
        t["art_labels"] += len(labels)
        t["art_found"] += len(pairs)
        t["art_produced"] += len(inside)
        t["art_correct"] += sum(1 for a in inside if any(a is p for p in pairs.values()))
        if verbose:
            for a in inside:
                if not any(a is p for p in pairs.values()):
                    print(f"  ARTICLE EXTRA {data['seed'][:3]} ({a.draft.line_start}, {a.draft.line_end}) {a.draft.title[:24]}")
        for li, label in enumerate(labels):
            article = pairs.get(li)
            if article is not None and label.get("kind"):
                t["kind_total"] += 1
                t["kind_correct"] += article.draft.kind == label["kind"]
                if verbose and article.draft.kind != label["kind"]:
                    print(f"  KIND [{label['title'][:12]}] {article.draft.kind} (want {label['kind']})")
            if article is not None and label.get("title") and not label.get("title_made_up"):
                t["title_total"] += 1
                same = "".join(article.draft.title.split()) == "".join(label["title"].split())
                t["title_correct"] += same
                if verbose and not same:
                    print(f"  TITLE {article.draft.title[:30]!r} (want {label['title'][:30]!r})")
            if article is not None:
                record_checks(t, label, article, verbose)
            region_names = {same_name(r.name) for r in article.regions} if article else set()
            if article is not None and label.get("regions_complete"):
                allowed = {same_name(r["name"]) for r in label.get("regions", [])}
                for region in article.regions:
                    t["reg_produced"] += 1
                    if same_name(region.name) in allowed or region.level == "province":
                        t["reg_correct"] += 1
                    elif verbose:
                        print(f"  REGION EXTRA [{label['title'][:12]}] {region.name}")
            for region in label.get("regions", []):
                if region.get("level") not in ADMINISTRATIVE:
                    continue  # 小区, 片, 水库, 新区: places, but not administrative divisions
                t["reg_labels"] += 1
                if same_name(region["name"]) in region_names:
                    t["reg_found"] += 1
                elif verbose:
                    print(f"  REGION MISS [{label['title'][:12]}] {region['name']}")
            if "figures" not in label:
                continue
            wanted = label["figures"]
            acceptable = wanted + label.get("also_acceptable_figures", [])
            if article is None:
                t["fig_labels"] += len(wanted)
                continue
            body = article.body.text
            spans = [locate(body, f["quote"]) for f in acceptable]
            for fl, span in zip(wanted, spans, strict=False):
                t["fig_labels"] += 1
                hit = next((f for f in article.figures if figure_agrees(fl, f, span)), None)
                if hit is None:
                    if verbose:
                        print(f"  FIGURE MISS [{label['title'][:12]}] {fl['value']} {fl['unit']} «{fl['quote']}»"
                              + ("" if span else " (quote not in body)"))
                    continue
                t["fig_found"] += 1
                t["qual_total"] += 1
                t["qual_correct"] += (hit.qualifier or "") == (fl.get("qualifier") or "")
                if verbose and (hit.qualifier or "") != (fl.get("qualifier") or ""):
                    print(f"  QUALIFIER [{label['title'][:12]}] {hit.qualifier!r} (want {fl.get('qualifier')!r}) «{fl['quote']}»")
                if fl.get("region"):
                    t["attr_total"] += 1
                    got = ancestry.names(hit.region[0]) if hit.region else []
                    if same_name(fl["region"]) in {same_name(n) for n in got}:
                        t["attr_correct"] += 1
                    elif verbose:
                        print(f"  ATTRIBUTION [{label['title'][:12]}] «{fl['quote']}» → {hit.region} (want {fl['region']})")
            for figure in article.figures:
                t["fig_produced"] += 1
                if any(figure_agrees(fl, figure, span) for fl, span in zip(acceptable, spans, strict=True)):
                    t["fig_correct"] += 1
                elif verbose:
                    print(f"  FIGURE EXTRA [{label['title'][:12]}] {figure.qualifier}{figure.value}{figure.unit} «{figure.quote}»")
    return t


def record_checks(t: dict, label: dict, article, verbose: bool) -> None:
    """Authors, publication and date of a found article, where the label states them."""
    # labels of the unseen texts state the authors even when there are none
    if label.get("authors") or "published_on" in label:
        t["author_total"] += 1
        same = sorted(article.draft.authors) == sorted(label.get("authors") or [])
        t["author_correct"] += same
        if verbose and not same:
            print(f"  AUTHORS [{label['title'][:12]}] {article.draft.authors} (want {label.get('authors')})")
    if label.get("publication"):
        t["pub_total"] += 1
        got = article.publication or ""
        t["pub_correct"] += got == label["publication"]
        if verbose and got != label["publication"]:
            print(f"  PUBLICATION [{label['title'][:12]}] {got!r} (want {label['publication']!r})")
    if label.get("published_on"):
        t["date_total"] += 1
        got = article.published_on.isoformat() if article.published_on else ""
        t["date_correct"] += got == label["published_on"]
        if verbose and got != label["published_on"]:
            print(f"  DATE [{label['title'][:12]}] {got!r} (want {label['published_on']!r})")


def report(t: dict) -> None:
    print(f"articles:    recall {ratio(t['art_found'], t['art_labels']):.3f} ({t['art_found']}/{t['art_labels']})"
          f"  precision {ratio(t['art_correct'], t['art_produced']):.3f} ({t['art_correct']}/{t['art_produced']})")
    print(f"figures:     recall {ratio(t['fig_found'], t['fig_labels']):.3f} ({t['fig_found']}/{t['fig_labels']})"
          f"  precision {ratio(t['fig_correct'], t['fig_produced']):.3f} ({t['fig_correct']}/{t['fig_produced']})"
          f"  qualifier {ratio(t['qual_correct'], t['qual_total']):.3f} ({t['qual_correct']}/{t['qual_total']})")
    print(f"regions:     recall {ratio(t['reg_found'], t['reg_labels']):.3f} ({t['reg_found']}/{t['reg_labels']})"
          + (f"  precision {ratio(t['reg_correct'], t['reg_produced']):.3f} ({t['reg_correct']}/{t['reg_produced']})" if t["reg_produced"] else "")
          + f"  figure attribution {ratio(t['attr_correct'], t['attr_total']):.3f} ({t['attr_correct']}/{t['attr_total']})")
    print(f"record:      title {ratio(t['title_correct'], t['title_total']):.3f} ({t['title_correct']}/{t['title_total']})"
          f"  authors {ratio(t['author_correct'], t['author_total']):.3f} ({t['author_correct']}/{t['author_total']})"
          f"  kind {ratio(t['kind_correct'], t['kind_total']):.3f} ({t['kind_correct']}/{t['kind_total']})")
    print(f"             publication {ratio(t['pub_correct'], t['pub_total']):.3f} ({t['pub_correct']}/{t['pub_total']})"
          f"  date {ratio(t['date_correct'], t['date_total']):.3f} ({t['date_correct']}/{t['date_total']})")


def main(argv=None) -> int:
    args, files = parse_eval_arguments(__doc__.split("\n\n")[0], argv)
    if not files or not args.corpus.is_dir():
        print(f"no label files or no corpus at {args.corpus}", file=sys.stderr)
        return 2
    if not Region.objects.exists():
        print("the gazetteer is empty: run `python manage.py migrate && python manage.py load_regions` first",
              file=sys.stderr)
        return 2
    groups: dict[str, list[Path]] = {}
    for f in files:
        groups.setdefault(f.parent.name if f.parent.name in ("unseen", "heldout") else "corpus", []).append(f)
    for name, group in groups.items():
        if args.verbose:
            print(f"--- {name}")
        t = score(group, args.corpus, args.verbose)
        print(f"== {name}: {', '.join(f.stem for f in group)}")
        report(t)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
