"""API throughput and latency beside a minimal-Django baseline, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zj_api_bench \\
        /work/venv/bin/python bench/bench_api.py --articles 10000 --figures 100000 --requests 200

Creates the database's schema, fills it with bench/generate.py (once: re-runs
reuse the rows), starts gunicorn (1 sync worker, DEBUG off, throttling off,
the baseline views routed with BENCH_BASELINE=1) and requests each main list
endpoint of the API and its baseline alternately over HTTP. Reports requests
per second, p50 and p95 latency, and the API/baseline throughput ratio (target
≥ 0.8, issue 16). It first checks that both return the same rows.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: (name, API path, baseline path) — the same filter, ordering and page on both sides.
ENDPOINTS = [
    ("articles", "/api/v1/articles/", "/bench/baseline/articles/"),
    ("articles?region=绍兴市", "/api/v1/articles/?region=330600", "/bench/baseline/articles/?region=330600"),
    ("figures", "/api/v1/figures/", "/bench/baseline/figures/"),
    ("figures?metric&region", "/api/v1/figures/?metric=grids&region=3306",
     "/bench/baseline/figures/?metric=grids&region=3306"),
    ("regions", "/api/v1/regions/", "/bench/baseline/regions/"),
]


def row_keys(payload: dict) -> list:
    return [row.get("id", row.get("code")) for row in payload["results"]]


def check_same_rows(get) -> None:
    """The comparison is only fair if both sides return the same rows."""
    for name, api_path, baseline_path in ENDPOINTS:
        api_status, api_body = get(api_path)
        base_status, base_body = get(baseline_path)
        assert api_status == base_status == 200, (name, api_status, base_status)
        api_rows, base_rows = json.loads(api_body), json.loads(base_body)
        assert row_keys(api_rows) == row_keys(base_rows), f"{name}: the API and the baseline return different rows"
        assert api_rows["count"] == base_rows["count"], name


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(get, requests_per_endpoint: int, warmup: int) -> list[dict]:
    results = []
    for name, api_path, baseline_path in ENDPOINTS:
        for _ in range(warmup):
            get(api_path)
            get(baseline_path)
        timings = {"api": [], "baseline": []}
        for _ in range(requests_per_endpoint):  # alternate, so drift hits both sides alike
            for side, path in (("api", api_path), ("baseline", baseline_path)):
                started = time.perf_counter()
                status, _ = get(path)
                timings[side].append(time.perf_counter() - started)
                assert status == 200, (path, status)
        row = {"endpoint": name}
        for side, values in timings.items():
            row[f"{side}_rps"] = len(values) / sum(values)
            row[f"{side}_p50_ms"] = percentile(values, 0.50) * 1000
            row[f"{side}_p95_ms"] = percentile(values, 0.95) * 1000
        row["ratio"] = row["api_rps"] / row["baseline_rps"]
        results.append(row)
    return results


def format_table(results: list[dict]) -> str:
    lines = [f"{'endpoint':24} {'API req/s':>10} {'p50 ms':>8} {'p95 ms':>8} | {'base req/s':>10} {'p50 ms':>8} "
             f"{'p95 ms':>8} | {'ratio':>6}"]
    for r in results:
        lines.append(f"{r['endpoint']:24} {r['api_rps']:10.1f} {r['api_p50_ms']:8.1f} {r['api_p95_ms']:8.1f} | "
                     f"{r['baseline_rps']:10.1f} {r['baseline_p50_ms']:8.1f} {r['baseline_p95_ms']:8.1f} | "
                     f"{r['ratio']:6.2f}")
    return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_getter(base_url):
    import requests

    session = requests.Session()

    def get(path):
        response = session.get(base_url + path, timeout=60)
        return response.status_code, response.content

    return get


def prepare_database(articles: int, figures: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from bench.generate import generate
    from cases.models import Article

    have = Article.objects.count()
    if have < articles:
        started = time.perf_counter()
        counts = generate(articles=articles - have, figures=int(figures * (articles - have) / articles))
        print(f"generated {counts} in {time.perf_counter() - started:.1f} s")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--figures", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per endpoint and side")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env = {**os.environ, "BENCH_BASELINE": "1", "DEBUG": "0", "API_THROTTLE_ANON": "100000000/min",
           "API_THROTTLE_USER": "100000000/min", "LOG_LEVEL": "WARNING"}
    os.environ.update(env)
    prepare_database(args.articles, args.figures)
    from django.db import connection

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--log-level", "warning"], cwd=ROOT, env=env,
    )
    try:
        get = http_getter(f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                if get("/healthz")[0] == 200:
                    break
            except Exception:
                time.sleep(0.2)
        check_same_rows(get)
        results = measure(get, args.requests, args.warmup)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; {args.articles} articles, "
          f"{args.figures} figures; {args.requests} requests per endpoint and side, 1 gunicorn sync worker")
    print(format_table(results))
    worst = min(r["ratio"] for r in results)
    print(f"lowest API/baseline throughput ratio: {worst:.2f} (target ≥ 0.8, issue 16)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return results


if __name__ == "__main__":
    main()
