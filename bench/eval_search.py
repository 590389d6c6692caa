"""Relevance of our search against plain ``icontains``, on a relevance set, in the same run.

    python bench/eval_search.py                          # the 49-query set on corpus_articles (SQLite)
    python bench/eval_search.py --set tuned              # researcher queries, two thirds, on ingested articles
    python bench/eval_search.py --set heldout            # the kept-aside third: score it once, at the end
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zj_search python bench/eval_search.py --set tuned
    python bench/eval_search.py --existing               # use the articles already in the database

Without ``--existing`` it creates a test database, builds the articles from the corpus
(``CORPUS_DIR``) and drops the database at the end: ``--articles split`` cuts the files with
the simple rules of bench/corpus_articles.py (the default for the 49-query set), ``--articles
ingest`` runs the real pipeline (``manage.py ingest`` over the real gazetteer; the default for the
researcher sets in bench/search_queries/). Reports recall@10 and MRR per engine and per kind
of query, and the queries either engine misses (``--verbose``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEVANCE_FILE = ROOT / "tests" / "data" / "search_relevance.json"
QUERY_SETS = {
    "legacy": RELEVANCE_FILE,
    "tuned": ROOT / "bench" / "search_queries" / "tuned.json",
    "heldout": ROOT / "bench" / "search_queries" / "heldout.json",
}
K = 10


def load_relevance(path: Path | str = RELEVANCE_FILE) -> list[dict]:
    path = QUERY_SETS.get(str(path), path)
    return json.loads(Path(path).read_text(encoding="utf-8"))["queries"]


def _squash(text: str) -> str:
    return "".join((text or "").split())


def resolve_expected(queries: list[dict], articles) -> list[set[int]]:
    """For each query, the ids of the articles it names (whitespace ignored).

    An expectation names its corpus file and a title and/or an anchor (a short clause of the
    text). Within the file (when articles know their source), the articles with that title and
    that anchor; else those with the anchor (the title changed); else those with the title.
    """
    rows = []
    for a in articles:
        source = getattr(a, "source", None) if getattr(a, "source_id", None) else None
        rows.append((a.pk, _squash(a.title), _squash(a.body), source.file_name if source else None))
    resolved = []
    for query in queries:
        ids = set()
        for expect in query["expect"]:
            pool = [r for r in rows if r[3] is None or r[3].startswith(expect.get("file", ""))]
            title, anchor = _squash(expect.get("title", "")), _squash(expect.get("anchor", ""))
            by_title = {pk for pk, t, _b, _f in pool if title and t and (t.startswith(title) or title.startswith(t))}
            by_anchor = {pk for pk, _t, b, _f in pool if anchor and anchor in b}
            ids |= (by_title & by_anchor) or by_anchor or by_title
        resolved.append(ids)
    return resolved


def ours(queryset, q):
    from search.engine import ranked_articles

    return [a.pk for a in ranked_articles(queryset.only("id"), q, limit=K)]


def icontains(queryset, q):
    from search.engine import substring_search

    terms = [t for t in q.split() if not t.startswith("-")]  # the plain scan has no syntax
    return list(substring_search(queryset, " ".join(terms)).values_list("pk", flat=True)[:K])


def score(ranked: list[int], relevant: set[int]) -> tuple[float, float]:
    """(recall@K, reciprocal rank of the first relevant hit)."""
    if not relevant:
        return 0.0, 0.0
    found = relevant & set(ranked[:K])
    rr = next((1.0 / (i + 1) for i, pk in enumerate(ranked[:K]) if pk in relevant), 0.0)
    return len(found) / len(relevant), rr


def evaluate(queries: list[dict], queryset=None, engines=None) -> dict:
    """Recall@10 and MRR of both engines over the queries; per kind, and details for the misses."""
    from cases.models import Article

    queryset = queryset if queryset is not None else Article.objects.all()
    expected = resolve_expected(queries, queryset.select_related("source").only("id", "title", "body", "source__file_name"))
    report = {"queries": len(queries), "unresolved": [q["q"] for q, e in zip(queries, expected, strict=True) if not e]}
    for name, engine in (engines or (("ours", ours), ("icontains", icontains))):
        recalls, rrs, misses = [], [], []
        by_kind = defaultdict(list)
        for query, relevant in zip(queries, expected, strict=True):
            ranked = engine(queryset, query["q"])
            recall, rr = score(ranked, relevant)
            recalls.append(recall)
            rrs.append(rr)
            by_kind[query.get("kind", "")].append((recall, rr))
            if recall < 1.0 or rr < 1.0:
                misses.append({"q": query["q"], "recall": round(recall, 3), "rr": round(rr, 3)})
        report[name] = {
            "recall@10": round(sum(recalls) / len(recalls), 4),
            "mrr": round(sum(rrs) / len(rrs), 4),
            "by_kind": {kind: {"n": len(v), "recall@10": round(sum(r for r, _ in v) / len(v), 3),
                               "mrr": round(sum(m for _, m in v) / len(v), 3)} for kind, v in sorted(by_kind.items())},
            "imperfect": misses,
        }
    return report


def ingest_corpus(corpus_dir: Path) -> None:
    """The real gazetteer and the real ingest pipeline over every corpus file (drafts: all are searched)."""
    from django.core.management import call_command

    files = [str(p) for p in sorted(Path(corpus_dir).glob("*.txt"))]
    with open(os.devnull, "w") as quiet:
        call_command("load_regions", stdout=quiet, stderr=quiet)
        call_command("ingest", *files, stdout=quiet, stderr=quiet)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="legacy", help="legacy (49 queries), tuned, heldout, or a JSON file")
    parser.add_argument("--articles", choices=("split", "ingest"), help="how to build the articles (see above)")
    parser.add_argument("--existing", action="store_true", help="evaluate the articles already in the database")
    parser.add_argument("--verbose", action="store_true", help="list the queries that are not perfect")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    queries = load_relevance(args.set)
    articles = args.articles or ("split" if args.set == "legacy" else "ingest")
    if args.existing:
        report = evaluate(queries)
    else:
        from bench.corpus_articles import load_into_db, split_corpus

        setup_test_environment()
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            if articles == "ingest":
                ingest_corpus(Path(settings.CORPUS_DIR))
            else:
                load_into_db(split_corpus(Path(settings.CORPUS_DIR)))
            report = evaluate(queries)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    report["database"] = connection.vendor
    report["set"], report["articles"] = args.set, "existing" if args.existing else articles
    if not args.verbose:
        for name in ("ours", "icontains"):
            report[name]["imperfect"] = len(report[name]["imperfect"])
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
