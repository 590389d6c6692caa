"""The public pages at two sizes: queries, time and HTML size per page, as ratios.

    python bench/pages.py                      # SQLite (a throw-away test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zj_pages python bench/pages.py
    python bench/pages.py --small 20 --large 2000 --repeat 5

Builds the tests' synthetic data (tests/pages_data.py) with ``--small`` published
articles, measures every page kind, rebuilds with ``--large`` articles and measures again
in the same run. Reports for each page: queries (must be equal), median milliseconds and
kilobytes of HTML, and the large/small time ratio (the target: pages that list a fixed
number of rows stay well under the data ratio; the metric page lists every figure of its
metric, so it grows with the data by design).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_tree():
    from regions.models import Level, Region

    def make(code, name, level, parent):
        return Region.objects.create(code=code, name=name, level=level, parent=parent, edition="bench")

    zj = make("330000000000", "浙江省", Level.PROVINCE, None)
    sx = make("330600000000", "绍兴市", Level.CITY, zj)
    xc = make("330624000000", "新昌县", Level.COUNTY, sx)
    qx = make("330624001000", "七星街道", Level.TOWN, xc)
    village = make("330624001201", "上礼泉村", Level.VILLAGE, qx)
    return {"province": zj, "city": sx, "county": xc, "town": qx, "village": village}


def measure(n_articles: int, repeat: int) -> dict[str, tuple[int, float, float]]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests import pages_data

    call_command("flush", interactive=False, verbosity=0)
    world = pages_data.build(make_tree(), n_articles=n_articles)
    urls = {
        "home": "/",
        "search+facets": "/?q=网格&region=330600000000&theme=grid-governance",
        "article": f"/articles/{world['articles'][0].pk}/",
        "region": "/regions/330600000000/",
        "initiative": f"/initiatives/{world['gongfang'].pk}/",
        "metric": "/metrics/grid-count/",
        "about": "/about/",
    }
    client = Client()
    results = {}
    for name, url in urls.items():
        client.get(url)  # warm caches (templates, jieba)
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results[name] = (len(queries), statistics.median(times), len(response.content) / 1024)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=20)
    parser.add_argument("--large", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        small = measure(args.small, args.repeat)
        large = measure(args.large, args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"pages on {connection.vendor}: {args.small} vs {args.large} published articles "
          f"(data ratio {args.large / args.small:.0f}x), median of {args.repeat}")
    print(f"{'page':<15}{'queries':>9}{'ms small':>10}{'ms large':>10}{'ratio':>7}{'KiB small':>11}{'KiB large':>11}")
    ok = True
    for name in small:
        (q1, t1, k1), (q2, t2, k2) = small[name], large[name]
        ok &= q1 == q2
        print(f"{name:<15}{f'{q1}/{q2}':>9}{t1:>10.1f}{t2:>10.1f}{t2 / t1:>7.1f}{k1:>11.1f}{k2:>11.1f}")
    print("queries constant:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
