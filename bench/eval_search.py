"""Relevance of our search against plain ``icontains``, on the relevance set, in the same run.

    python bench/eval_search.py                 # SQLite (a throw-away test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zj_search python bench/eval_search.py
    python bench/eval_search.py --existing      # use the articles already in the database

Without ``--existing`` it creates a test database, builds articles from the corpus
(``CORPUS_DIR``; see bench/corpus_articles.py) and drops the database at the end.
Reports recall@10 and MRR per engine (targets: recall@10 ≥ 0.95, MRR ≥ 0.85, and
better than icontains on both), and the queries either engine misses.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEVANCE_FILE = ROOT / "tests" / "data" / "search_relevance.json"
K = 10


def load_relevance(path: Path = RELEVANCE_FILE) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def resolve_expected(queries: list[dict], articles) -> list[set[int]]:
    """For each query, the ids of the articles its anchors name (whitespace ignored)."""
    bodies = [(a.pk, "".join(a.body.split())) for a in articles]
    resolved = []
    for query in queries:
        ids = set()
        for expect in query["expect"]:
            anchor = "".join(expect["anchor"].split())
            ids.update(pk for pk, body in bodies if anchor in body)
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


def evaluate(queries: list[dict], queryset=None) -> dict:
    """Recall@10 and MRR of both engines over the queries; per-query details for the misses."""
    from cases.models import Article

    queryset = queryset if queryset is not None else Article.objects.all()
    expected = resolve_expected(queries, queryset.only("id", "body"))
    report = {"queries": len(queries), "unresolved": [q["q"] for q, e in zip(queries, expected, strict=True) if not e]}
    for name, engine in (("ours", ours), ("icontains", icontains)):
        recalls, rrs, misses = [], [], []
        for query, relevant in zip(queries, expected, strict=True):
            ranked = engine(queryset, query["q"])
            recall, rr = score(ranked, relevant)
            recalls.append(recall)
            rrs.append(rr)
            if recall < 1.0 or rr < 1.0:
                misses.append({"q": query["q"], "recall": round(recall, 3), "rr": round(rr, 3)})
        report[name] = {
            "recall@10": round(sum(recalls) / len(recalls), 4),
            "mrr": round(sum(rrs) / len(rrs), 4),
            "imperfect": misses,
        }
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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

    queries = load_relevance()
    if args.existing:
        report = evaluate(queries)
    else:
        from bench.corpus_articles import load_into_db, split_corpus

        setup_test_environment()
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            load_into_db(split_corpus(Path(settings.CORPUS_DIR)))
            report = evaluate(queries)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    report["database"] = connection.vendor
    if not args.verbose:
        for name in ("ours", "icontains"):
            report[name]["imperfect"] = len(report[name]["imperfect"])
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
