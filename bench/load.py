#!/usr/bin/env python
"""Load test: the app's request mix against the minimal ``.values()`` baseline, same server, same run.

    DATABASE_URL=postgres://…/zj_bench python bench/load.py               # 60 s × 32 connections each
    DATABASE_URL=postgres://…/zj_bench python bench/load.py --duration 5 --connections 4   # smoke

Starts gunicorn on loopback with the repository's gunicorn.conf.py and production
settings (bench.settings adds /_baseline/ and turns the API rate limit off), then
runs wrk with bench/mix.lua twice: the app mix (list, filter, detail, search, and a county's figures as CSV,
through the API and the pages, whichever exist) and the same shapes of request
against bench/baseline_mix.py. Prints requests/s, p50/p99 and errors for both,
and the ratios app/baseline. Any non-2xx answer, socket error or request unanswered
after 30 s (gunicorn's worker timeout) counts as an error.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import OUT, Server, get, json_body  # noqa: E402

#: Share of each kind of request in the mix.
WEIGHTS = {"list": 30, "filter": 25, "detail": 25, "search": 10, "csv": 10}
#: CSV requests download one county's figures (新昌县, 海宁市, 青田县, 义乌市, 西湖区).
COUNTIES = ["330624000000", "330481000000", "331121000000", "330782000000", "330106000000"]
SEARCH_TERMS = ["网格", "共同富裕", "千万工程", "社区", "乡村", "数字化", "党建", "治理", "产业", "养老"]


def app_candidates(ids, terms, counties=COUNTIES):
    """For each kind, URLs to try in order (the API first, then the pages)."""
    return {
        "list": [["/api/v1/articles/?limit=50"], ["/?page=1"]],
        "filter": [["/api/v1/articles/?kind=case&published_after=2020-01-01&limit=50",
                    "/api/v1/articles/?published_after=2018-06-01&limit=50"],
                   ["/?kind=case&published_after=2020-01-01"]],
        "detail": [[f"/api/v1/articles/{i}/" for i in ids], [f"/articles/{i}/" for i in ids]],
        "search": [[f"/api/v1/articles/?q={t}&limit=50" for t in terms], [f"/?q={t}" for t in terms]],
        "csv": [[f"/api/v1/figures/?format=csv&region={c}" for c in counties],
                [f"/articles.csv?region={c}" for c in counties]],
    }


def baseline_paths(ids, terms, counties=COUNTIES):
    return {
        "list": ["/_baseline/articles/"],
        "filter": ["/_baseline/articles/?kind=case&published_after=2020-01-01",
                   "/_baseline/articles/?published_after=2018-06-01"],
        "detail": [f"/_baseline/articles/{i}/" for i in ids],
        "search": [f"/_baseline/articles/?q={t}" for t in terms],
        "csv": [f"/_baseline/figures.csv?region={c}" for c in counties],
    }


def quote(path: str) -> str:
    from urllib.parse import quote as q

    return q(path, safe="/?=&:")


def probe(base: str, kind: str, urls: list[str]) -> bool:
    """Does this endpoint answer 200 with what the kind needs (a filtered result, a CSV)?"""
    status, headers, body = get(base + quote(urls[0]), timeout=60)
    if status != 200:
        return False
    if kind == "csv":
        return headers.get("Content-Type", "").startswith("text/csv")
    if kind in ("search", "filter") and "/api/" in urls[0]:
        everything = json_body(get(base + "/api/v1/articles/?limit=1")[2]) or {}
        found = json_body(body) or {}
        return "count" in found and found["count"] != everything.get("count")  # the parameter is honoured
    return True


def counties_present(base: str) -> list[str]:
    """The sample counties this database knows (the API answers 400 for an unknown region)."""
    return [c for c in COUNTIES if get(base + f"/api/v1/regions/{c}/")[0] == 200] or COUNTIES[:1]


def choose_app_paths(base, ids, terms, counties=COUNTIES):
    chosen = {}
    for kind, options in app_candidates(ids, terms, counties).items():
        chosen[kind] = next((urls for urls in options if probe(base, kind, urls)), None)
    return chosen


def weighted(paths_by_kind: dict, seed: int = 1, size: int = 400) -> list[str]:
    rng = random.Random(seed)
    kinds = {k: v for k, v in paths_by_kind.items() if v}
    total = sum(WEIGHTS[k] for k in kinds)
    lines = []
    for kind, urls in kinds.items():
        lines += [quote(rng.choice(urls)) for _ in range(round(size * WEIGHTS[kind] / total))]
    rng.shuffle(lines)
    return lines


#: A request still unanswered after this long counts as an error (gunicorn kills a worker at 30 s).
CLIENT_TIMEOUT = 30


def run_wrk(base: str, paths: list[str], name: str, duration: int, connections: int, threads: int) -> dict:
    path_file = OUT / f"paths-{name}.txt"
    path_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", f"{CLIENT_TIMEOUT}s",
               "-s", str(ROOT / "bench" / "mix.lua"), base, "--", str(path_file)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + CLIENT_TIMEOUT + 120)
    match = re.search(r"WRK_JSON (\{.*\})", out.stdout)
    if not match:
        raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")
    result = json.loads(match.group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = result["non_2xx"] + sum(result["socket_errors"].values())
    return result


def kind_of(path: str) -> str:
    if "csv" in path:
        return "csv"
    if "q=" in path:
        return "search"
    if "published_after" in path:
        return "filter"
    if re.search(r"/\d+/$", path.split("?")[0]):
        return "detail"
    return "list"


def server_times(access_log: Path, since: int = 0) -> dict[str, dict[str, list[float]]]:
    """Server-side durations (ms) per mix and kind, from gunicorn's access log (lines after ``since``)."""
    times = {"app": {}, "baseline": {}}
    for line in access_log.read_text(encoding="utf-8", errors="replace").splitlines()[since:]:
        match = re.search(r'"GET (\S+) HTTP/1\.1" (\d+) \S+ (\d+)us', line)
        if not match or match.group(1).startswith(("/healthz", "/_bench")):
            continue
        mix = "baseline" if match.group(1).startswith("/_baseline/") else "app"
        times[mix].setdefault(kind_of(match.group(1)), []).append(int(match.group(3)) / 1000)
    return times


def median(values: list[float]) -> float:
    return percentile(values, 50)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else float("nan")


def published_ids(base: str, n: int = 50) -> list[int]:
    """Ids of published articles, read through the baseline view (what the public may see)."""
    rows = json_body(get(base + "/_baseline/articles/?offset=0")[2])["results"]
    rows += json_body(get(base + "/_baseline/articles/?offset=5000")[2])["results"]
    return [r["id"] for r in rows][:n] or [1]


def terms_that_match(base: str) -> list[str]:
    return [t for t in SEARCH_TERMS if json_body(get(base + quote(f"/_baseline/articles/?q={t}"))[2])["results"]] \
        or SEARCH_TERMS[:3]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per mix (default 60)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--warm-up", type=int, default=5, help="seconds of load before measuring")
    args = parser.parse_args(argv)

    with Server(workers=args.workers) as server:
        ids, terms, counties = published_ids(server.base), terms_that_match(server.base), counties_present(server.base)
        app = choose_app_paths(server.base, ids, terms, counties)
        base = baseline_paths(ids, terms, counties)
        # Compare like with like: only the kinds the app serves.
        base = {k: (v if app.get(k) else None) for k, v in base.items()}
        print("mix (weight: app path → baseline path):")
        for kind in WEIGHTS:
            shown = app[kind][0] if app[kind] else "— not available, left out of both mixes"
            print(f"  {kind:7} {WEIGHTS[kind]:>3}%  {shown}  →  {base[kind][0] if base[kind] else ''}")
        app_lines, base_lines = weighted(app), weighted(base)
        if args.warm_up:
            run_wrk(server.base, app_lines + base_lines, "warmup", args.warm_up, args.connections, args.threads)
        access_log = Path(server.env["GUNICORN_ACCESSLOG"])
        measured_from = len(access_log.read_text(encoding="utf-8", errors="replace").splitlines())
        results = {}
        for name, lines in (("baseline", base_lines), ("app", app_lines)):
            results[name] = run_wrk(server.base, lines, name, args.duration, args.connections, args.threads)
        workers = len(server.worker_pids())
    times = server_times(access_log, measured_from)

    print(f"\nwrk {args.threads} threads, {args.connections} connections, {args.duration} s each; "
          f"gunicorn {workers} sync workers; {os.cpu_count()} cores; database "
          f"{os.environ.get('DATABASE_URL', 'sqlite (default)').split('@')[-1]}")
    print(f"{'':10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>9}{'requests':>10}")
    for name, r in results.items():
        print(f"{name:10}{r['rps']:>10.1f}{r['latency_us']['p50'] / 1000:>10.1f}"
              f"{r['latency_us']['p99'] / 1000:>10.1f}{r['errors']:>9}{r['requests']:>10}")
    a, b = results["app"], results["baseline"]
    print(f"ratio app/baseline: throughput {a['rps'] / b['rps']:.2f}×, "
          f"p99 latency {a['latency_us']['p99'] / max(b['latency_us']['p99'], 1):.2f}×")
    print("server-side median per kind (ms), from the access log (app p99 and slowest beside it):")
    for kind in WEIGHTS:
        app_ms, base_ms = median(times["app"].get(kind, [])), median(times["baseline"].get(kind, []))
        if times["app"].get(kind):
            print(f"  {kind:7} app {app_ms:>8.1f}  baseline {base_ms:>8.1f}  ratio {app_ms / base_ms:>6.1f}×"
                  f"   app p99 {percentile(times['app'][kind], 99):>8.1f}  max {max(times['app'][kind]):>8.1f}")
    if a["errors"] or b["errors"]:
        print(f"ERRORS: app {a['statuses']} {a['socket_errors']}, baseline {b['statuses']} {b['socket_errors']}")
    report = OUT / f"load-{time.strftime('%Y%m%dT%H%M%S')}.json"
    report.write_text(json.dumps({"args": vars(args), "mix": app, "results": results,
                                  "server_median_ms": {m: {k: median(v) for k, v in t.items()} for m, t in times.items()},
                                  "server_p99_ms": {m: {k: percentile(v, 99) for k, v in t.items()} for m, t in times.items()}},
                                 ensure_ascii=False, indent=1))
    print(f"details: {report.relative_to(ROOT)}")
    return 1 if a["errors"] or b["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
