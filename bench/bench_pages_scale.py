"""The public pages on a scaled database (bench/scale.py): p50/p95 per page kind.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zj_bench python bench/bench_pages_scale.py
    DATABASE_URL=… python bench/bench_pages_scale.py --repeat 40 --only home,search

Reads an existing database (nothing is written), as an anonymous reader, through Django's
test client in one process (server time only: no network, no gunicorn). The pages picked
are the ones a reader waits for: the home page with its facets, a search with facets, the
busiest county's page, the most-reported initiative's page and the grid-count metric page.
The baseline, measured in the same run, is the cheapest query a list page cannot avoid:
one page of 20 published articles as ``.values()``; each page is reported as p95 and as
a multiple of that baseline. The target (issue 16): p95 ≤ 200 ms at 100k articles.

Each timed request renders the page: the page cache (pages/cache.py) is emptied before it, as
for the first reader after a write. The same URL is then asked again and reported as "cached".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def pick_urls() -> dict[str, str]:
    """Real targets from the data: the busiest county, the most-reported initiative."""
    from django.db.models import Count

    from cases.models import Article, ArticleRegion, Initiative

    published = Article.objects.filter(status=Article.Status.PUBLISHED).values("pk")
    county = (
        ArticleRegion.objects.filter(article__in=published, region__level="county")
        .values("region__code").annotate(n=Count("pk")).order_by("-n").first()
    )
    initiative = (
        Initiative.articles.through.objects.filter(article__in=published)
        .values("initiative_id").annotate(n=Count("pk")).order_by("-n").first()
    )
    urls = {
        "home": "/",
        "home page 3": "/?page=3",
        "search": "/?q=网格",
        "search+filters": "/?q=共同富裕&kind=case&theme=grid-governance",
        "metric": "/metrics/grids/",
    }
    if county:
        urls["region"] = f"/regions/{county['region__code']}/"
    if initiative:
        urls["initiative"] = f"/initiatives/{initiative['initiative_id']}/"
    return urls


def baseline_ms() -> float:
    from cases.models import Article

    started = time.perf_counter()
    list(
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .order_by("-published_on", "id")
        .values("id", "title", "published_on", "kind")[:20]
    )
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from cases.models import Article, Figure

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    articles, figures = Article.objects.count(), Figure.objects.count()
    urls = pick_urls()
    if args.only:
        wanted = set(args.only.split(","))
        urls = {k: v for k, v in urls.items() if k in wanted}

    client = Client()
    base = [baseline_ms() for _ in range(args.repeat)]
    base_p95 = percentile(base, 95)
    print(f"pages on {connection.vendor}: {articles} articles, {figures} figures; {args.repeat} requests per page")
    print(f"baseline (20 published articles as .values()): p50 {statistics.median(base):.1f} ms, p95 {base_p95:.1f} ms")
    print(f"{'page':<16}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'×base':>8}{'cached p95':>12}  url")
    worst = 0.0
    for name, url in urls.items():
        client.get(url)  # warm: templates, jieba, the database's caches
        times, cached_times = [], []
        for _ in range(args.repeat):
            # Rendered: the page cache emptied first, as for the first reader after any write.
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            query_count = len(queries)  # read now: the next request empties the connection's query log
            # Cached: the same URL again, served from the page cache (pages/cache.py).
            started = time.perf_counter()
            client.get(url)
            cached_times.append((time.perf_counter() - started) * 1000)
        p95 = percentile(times, 95)
        worst = max(worst, p95)
        print(f"{name:<16}{query_count:>8}{statistics.median(times):>9.1f}{p95:>9.1f}{p95 / base_p95:>8.0f}"
              f"{percentile(cached_times, 95):>12.1f}  {url}")
    print(f"worst p95, rendered: {worst:.0f} ms (target ≤ 200 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
