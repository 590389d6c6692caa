"""How fast do the editors' changelists open with 100,000 figures?

Builds a throwaway database (SQLite file under bench/out/, or test_<db>_bench on
PostgreSQL when DATABASE_URL points there), fills it with articles and figures
in bulk, and times the admin pages through Django's test client as a logged-in
editor. The baseline is the same page with 100 figures, measured in the same
run; the report gives medians, the ratio to the baseline and the query counts.

    python bench/bench_admin.py                 # 100,000 figures
    python bench/bench_admin.py --figures 2000  # a smoke run
"""

import argparse
import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def setup_database(out):
    import django
    from django.conf import settings

    out.mkdir(parents=True, exist_ok=True)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = out / "bench_admin.sqlite3"
        path.unlink(missing_ok=True)
        db.setdefault("TEST", {})["NAME"] = str(path)
    else:
        db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}_bench"
    django.setup()
    from django.db import connection

    # Not setup_test_environment(): its template instrumentation would be timed too.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return connection


def make_regions():
    from regions.models import Level, Region

    zj = Region.objects.create(code="330000000000", name="浙江省", level=Level.PROVINCE, edition="bench")
    cities, counties = [], []
    for c in range(1, 12):
        city = Region.objects.create(code=f"33{c:02d}00000000", name=f"市{c}", level=Level.CITY, parent=zj,
                                     edition="bench")
        cities.append(city)
        for k in range(1, 9):
            counties.append(Region.objects.create(code=f"33{c:02d}{k:02d}000000", name=f"县{c}-{k}",
                                                  level=Level.COUNTY, parent=city, edition="bench"))
    return counties


def add_figures(articles, counties, metrics, count, start_index=0):
    from cases.models import Figure

    batch = []
    for i in range(start_index, start_index + count):
        article = articles[i % len(articles)]
        value = Decimal(i % 9973 + 1)
        batch.append(Figure(
            article=article, region=counties[i % len(counties)], metric=metrics[i % len(metrics)],
            label=f"指标{i % 97}", value=value, unit="个", normalized_value=value, base_unit="个",
            quote=f"共有{value}个", start=(i // len(articles)) % 400, end=(i // len(articles)) % 400 + 5,
            year=2015 + i % 10, verified=bool(i % 3 == 0),
            verified_at="2024-01-01T00:00:00Z" if i % 3 == 0 else None,
        ))
        if len(batch) == 5000:
            Figure.objects.bulk_create(batch)
            batch = []
    if batch:
        Figure.objects.bulk_create(batch)


def timed_get(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates, permissions
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times), len(ctx.captured_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database for a closer look")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the report (and the SQLite file)")
    args = parser.parse_args()

    connection = setup_database(args.out)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from cases.models import Article, Metric
    from cases.roles import EDITOR_GROUP, ensure_groups

    ensure_groups()
    user = get_user_model().objects.create_user("bench-editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client = Client()
    client.force_login(user)

    counties = make_regions()
    metrics = list(Metric.objects.all()[:20]) or [Metric.objects.create(name="数量", slug="n", base_unit="个")]
    body = "共有100个网格。" * 60
    Article.objects.bulk_create([Article(title=f"文章{i}", body=body, status="draft") for i in range(args.articles)])
    articles = list(Article.objects.only("pk"))

    pages = {
        "figures": "/admin/cases/figure/",
        "figures, unverified": "/admin/cases/figure/?verified__exact=0",
        "figures, by city": f"/admin/cases/figure/?city={counties[0].code[:4]}00000000",
        "figures, sorted by value": "/admin/cases/figure/?o=3",
        "figures, search": "/admin/cases/figure/?q=%E6%8C%87%E6%A0%8712",
        "articles": "/admin/cases/article/",
        "articles, unverified": "/admin/cases/article/?unverified=yes",
        "article page": f"/admin/cases/article/{articles[0].pk}/change/",
    }
    add_figures(articles, counties, metrics, args.baseline)
    baseline = {name: timed_get(client, url, args.repeat) for name, url in pages.items()}
    t0 = time.perf_counter()
    add_figures(articles, counties, metrics, args.figures - args.baseline, start_index=args.baseline)
    fill_seconds = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    full = {name: timed_get(client, url, args.repeat) for name, url in pages.items()}

    report = {"database": connection.vendor, "figures": args.figures, "articles": args.articles,
              "baseline_figures": args.baseline, "fill_seconds": round(fill_seconds, 1), "pages": {}}
    print(f"{connection.vendor}: {args.figures:,} figures in {args.articles:,} articles "
          f"(filled in {fill_seconds:.1f}s); medians of {args.repeat} requests as an editor")
    print(f"{'page':28} {'baseline':>10} {'full':>10} {'ratio':>7} {'queries':>8}")
    for name in pages:
        (b, bq), (f, fq) = baseline[name], full[name]
        report["pages"][name] = {"url": pages[name], "baseline_ms": round(b * 1000, 1), "full_ms": round(f * 1000, 1),
                                 "ratio": round(f / b, 2), "queries": fq, "baseline_queries": bq}
        print(f"{name:28} {b * 1000:8.1f}ms {f * 1000:8.1f}ms {f / b:7.2f} {fq:5d}/{bq}")
    (args.out / f"bench_admin_{connection.vendor}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    if not args.keep:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
