"""Search latency on many articles: our index beside a plain ``icontains`` scan, same rows, same run.

    python bench/bench_search.py                       # 100,000 articles in PostgreSQL database zj_search_bench
    python bench/bench_search.py --articles 20000 --database-url postgres://postgres@127.0.0.1:5432/zj_x
    python bench/bench_search.py --reuse               # keep the articles of a previous run (same count)
    python bench/bench_search.py --reuse --reindex     # … but index them again (after a change to the index)

Articles are made at run time by recombining paragraphs of the corpus (CORPUS_DIR;
the text is never stored in the project), with places and initiatives linked as
the fixture does. Reports the time to index them all, then p50/p95 latency of the
first page (10 hits, ranked) for each query of the relevance set: ours (repeated,
after one warm-up) and ``icontains`` (the old substring scan, once per query, as it
is slow), with the ratio. Targets: p95 under 50 ms and at least 20× faster than the scan.
Not run in CI (``tests/test_search_bench.py`` runs a small smoke version).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zj_search_bench"


def corpus_paragraphs(corpus_dir: Path) -> list[str]:
    """Paragraphs of the corpus, long ones cut at sentence ends into pieces of ~100–400 characters."""
    from bench.corpus_articles import split_corpus

    pieces = []
    for article in split_corpus(corpus_dir):
        for paragraph in article.body.split("\n\n"):
            current = ""
            for sentence in paragraph.replace("。", "。\x00").split("\x00"):
                current += sentence
                if len(current) >= 100:
                    pieces.append(current.strip())
                    current = ""
                    if len(pieces[-1]) > 400:
                        pieces[-1] = pieces[-1][:400]
            if len(current.strip()) >= 20:
                pieces.append(current.strip())
    return pieces


def generate_articles(n: int, paragraphs: list[str], seed: int = 7, batch: int = 2000, log=print) -> None:
    """Insert ``n`` published articles (bulk, no signals) with region links and initiatives."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from bench.corpus_articles import INITIATIVES, load_places
    from cases.models import Article, ArticleRegion, Initiative

    rng = random.Random(seed)
    regions = list(load_places().values())
    reviewer, _ = get_user_model().objects.get_or_create(username="bench-reviewer", defaults={"is_staff": True})
    initiatives = {}
    for name in INITIATIVES:
        initiatives[name] = Initiative.objects.filter(name=name, region__isnull=True).first() or \
            Initiative.objects.create(name=name)
    through = Initiative.articles.through
    now = timezone.now()
    made = 0
    while made < n:
        size = min(batch, n - made)
        articles = []
        for _ in range(size):
            target = rng.randint(1000, 4000)
            parts = []
            while sum(map(len, parts)) < target:
                parts.append(rng.choice(paragraphs))
            title = rng.choice(parts)[:rng.randint(12, 28)]
            articles.append(Article(title=title, body="\n\n".join(parts), status="published", reviewed_by=reviewer,
                                    reviewed_at=now))
        with transaction.atomic():
            Article.objects.bulk_create(articles, batch_size=500)
            links, ini_links = [], []
            for article in articles:
                flat = article.body
                mentioned = [r for r in regions if r.name in flat or (len(r.short_name) >= 2 and r.short_name in flat)]
                for i, region in enumerate(mentioned[:8]):
                    links.append(ArticleRegion(article=article, region=region, role="main" if i == 0 else "mentioned"))
                for name, initiative in initiatives.items():
                    if flat.count(name) >= 2:
                        ini_links.append(through(article_id=article.pk, initiative_id=initiative.pk))
            ArticleRegion.objects.bulk_create(links, batch_size=2000)
            through.objects.bulk_create(ini_links, batch_size=2000)
        made += size
        log(f"  generated {made}/{n}")


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure(queries: list[str], repeats: int = 5, baseline_repeats: int = 1) -> dict:
    """Latency (ms) of the first ranked page for each query: ours and the icontains scan."""
    from django.db import connection, reset_queries

    from cases.models import Article
    from search.engine import ranked_articles, substring_search

    def ours(q):
        return [a.pk for a in ranked_articles(Article.objects.only("id"), q, limit=10)]

    def scan(q):
        terms = " ".join(t for t in q.split() if not t.startswith("-"))
        return list(substring_search(Article.objects.all(), terms).values_list("pk", flat=True)[:10])

    def timed(fn, q):
        started = time.perf_counter()
        fn(q)
        return (time.perf_counter() - started) * 1000

    def attempt(fn, *args):
        # The shared PostgreSQL server may be restarted by someone else mid-run: reconnect and retry.
        from django.db import InterfaceError, OperationalError

        for tries in range(6):
            try:
                return fn(*args)
            except (OperationalError, InterfaceError):
                if tries == 5:
                    raise
                connection.close()
                time.sleep(5)

    ours_ms, scan_ms, per_query = [], [], []
    for q in queries:
        attempt(ours, q)  # warm-up: plan, caches
        times = [attempt(timed, ours, q) for _ in range(repeats)]
        base = [attempt(timed, scan, q) for _ in range(baseline_repeats)]
        print(json.dumps({"q": q, "ours_ms": times, "icontains_ms": base}, ensure_ascii=False), file=sys.stderr,
              flush=True)
        ours_ms += times
        scan_ms += base
        per_query.append({"q": q, "ours_ms": round(statistics.median(times), 2), "icontains_ms": round(min(base), 1) if base else None})
        reset_queries()
    report = {
        "vendor": connection.vendor,
        "queries": len(queries),
        "ours": {"p50_ms": round(percentile(ours_ms, 50), 2), "p95_ms": round(percentile(ours_ms, 95), 2),
                 "max_ms": round(max(ours_ms), 2)},
        "icontains": {"p50_ms": round(percentile(scan_ms, 50), 1), "p95_ms": round(percentile(scan_ms, 95), 1)}
        if scan_ms else None,
        "per_query": per_query,
    }
    if not scan_ms:
        return report
    report["speedup_p50"] = round(report["icontains"]["p50_ms"] / max(report["ours"]["p50_ms"], 1e-6), 1)
    report["speedup_p95"] = round(report["icontains"]["p95_ms"] / max(report["ours"]["p95_ms"], 1e-6), 1)
    return report


def index_all(log=print, jobs: int = 1) -> dict:
    """Index every article the way ``rebuild_search_index`` does; timed."""
    from cases.models import Article
    from search import indexing

    started = time.perf_counter()
    done = indexing.rebuild_all(chunk_size=500, jobs=jobs,
                                progress=lambda d, t: log(f"  indexed {d}/{t} {time.perf_counter() - started:.0f}s"))
    seconds = time.perf_counter() - started
    return {"articles": done, "jobs": jobs, "seconds": round(seconds, 1), "articles_per_second": round(done / max(seconds, 1e-9), 1),
            "total_articles": Article.objects.count()}


def storage_report() -> dict:
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('search_articledocument'), "
                       "pg_relation_size('search_articledocument_match_gin'), pg_total_relation_size('cases_article')")
        doc, gin, article = cursor.fetchone()
    return {"documents_mb": round(doc / 2**20, 1), "gin_index_mb": round(gin / 2**20, 1),
            "articles_mb": round(article / 2**20, 1)}


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="keep existing articles if there are enough")
    parser.add_argument("--reindex", action="store_true", help="with --reuse: index the kept articles again")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2, help="indexing worker processes (default 2)")
    parser.add_argument("--output", help="also write the report (JSON) here")
    parser.add_argument("--set", default="relevance", choices=["relevance", "tuned", "heldout"],
                        help="the queries: the 49 of tests/data (default) or a researcher set of bench/search_queries/")
    parser.add_argument("--baseline-repeats", type=int, default=1,
                        help="icontains runs per query (about 5 s each at 100k); 0 skips the baseline")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.database_url.startswith("postgres"):
        ensure_database(args.database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from bench.eval_search import load_relevance
    from cases.models import Article
    from search.models import ArticleDocument

    def log(message):
        print(message, file=sys.stderr, flush=True)

    call_command("migrate", verbosity=0)
    report = {"articles": args.articles}
    existing = Article.objects.count()
    if not (args.reuse and existing >= args.articles):
        if existing:
            log(f"clearing {existing} articles")
            ArticleDocument.objects.all().delete()
            Article.initiatives.through.objects.all().delete()
            Article.objects.all().delete()
        paragraphs = corpus_paragraphs(Path(settings.CORPUS_DIR))
        log(f"generating {args.articles} articles from {len(paragraphs)} corpus paragraphs")
        started = time.perf_counter()
        generate_articles(args.articles, paragraphs, log=log)
        report["generate_seconds"] = round(time.perf_counter() - started, 1)
    if args.reindex or not (args.reuse and ArticleDocument.objects.count() >= args.articles):
        log("indexing")
        report["index"] = index_all(log=log, jobs=args.jobs)
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # (rebuild_all has vacuumed the search tables)
    report["storage"] = storage_report()
    queries = [q["q"] for q in (load_relevance() if args.set == "relevance" else load_relevance(args.set))]
    log(f"measuring {len(queries)} queries ({args.set})")
    report["latency"] = measure(queries, repeats=args.repeats, baseline_repeats=args.baseline_repeats)
    text = json.dumps(report, ensure_ascii=False, indent=1)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
