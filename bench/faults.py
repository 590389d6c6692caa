#!/usr/bin/env python
"""Fault test: break things under load and check the service answers errors, recovers by itself,
and loses or half-does no write.

    DATABASE_URL=postgres://…/zj_bench python bench/faults.py                      # no database restart
    DATABASE_URL=postgres://…/zj_bench python bench/faults.py --restart-postgres   # also restarts PostgreSQL

While wrk runs the app's read mix and a writer posts one small write every 20 ms
(an initiative plus two theme links in one transaction, bench/baseline_mix.py),
the script: kills a gunicorn worker with SIGKILL; optionally restarts PostgreSQL
(``pg_ctlcluster --skip-systemctl-redirect 15 main restart`` — this interrupts every
other user of that cluster for a second or two); sends a 10 MB body, malformed JSON
and huge query strings. After each fault it times how long until /healthz is 200
again. At the end it checks every acknowledged write is in the database, every
written row is whole, and that a clean run after the faults has zero errors.
It prints a ratio too: the error-free throughput after the faults against before.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from bench.load import choose_app_paths, counties_present, published_ids, run_wrk, terms_that_match, weighted  # noqa: E402
from bench.server import Server, get  # noqa: E402
from cases.models import Initiative, Theme  # noqa: E402


def wait_healthy(base: str, limit: float = 60) -> float:
    """Seconds until /healthz answers 200 (polled every 50 ms); raises after ``limit``."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        try:
            if get(base + "/healthz", timeout=2)[0] == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"not healthy after {limit} s")


class Writer(threading.Thread):
    """Posts small writes until stopped; remembers which were acknowledged and which are unknown."""

    def __init__(self, base: str, prefix: str):
        super().__init__(daemon=True)
        self.base, self.prefix = base, prefix
        self.acknowledged, self.failed, self.unknown = {}, {}, []
        self.stop = threading.Event()

    def run(self):
        i = 0
        while not self.stop.is_set() and i < 100_000:
            name = f"{self.prefix}-{i}"
            i += 1
            try:
                status, _, body = get(self.base + "/_bench/write", timeout=10,
                                      data=json.dumps({"name": name}).encode(),
                                      headers={"Content-Type": "application/json"})
            except OSError:
                self.unknown.append(name)  # the connection broke: the write may or may not have committed
            else:
                if status == 201:
                    self.acknowledged[name] = json.loads(body)["id"]
                else:
                    self.failed[name] = status
            time.sleep(0.02)


def bad_requests(base: str) -> dict[str, int]:
    """Requests a careless or hostile client sends; each must get a 4xx answer, never a 5xx or a hang."""
    ten_mb = b'{"name": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    json_headers = {"Content-Type": "application/json"}
    cases = {
        "10 MB JSON body → write endpoint": lambda: get(base + "/_bench/write", data=ten_mb, headers=json_headers),
        "10 MB form body → admin login": lambda: get(base + "/admin/login/", data=b"username=" + b"a" * 10_485_760,
                                                     headers={"Content-Type": "application/x-www-form-urlencoded"}),
        "10 MB JSON body → API": lambda: get(base + "/api/v1/articles/", data=ten_mb, headers=json_headers),
        "malformed JSON → write endpoint": lambda: get(base + "/_bench/write", data=b'{"name": "x",,}',
                                                       headers=json_headers),
        "malformed JSON → API": lambda: get(base + "/api/v1/articles/", data=b"{not json", headers=json_headers),
        "100 KB query string": lambda: get(base + "/api/v1/articles/?q=" + quote("网" * 11_400)),
        "8 KB query string": lambda: get(base + "/api/v1/articles/?kind=" + "a" * 8000),
        "1,500 query parameters": lambda: get(base + "/api/v1/articles/?" + "&".join("k=1" for i in range(1500))),
        "search query of 300 characters": lambda: get(base + "/api/v1/articles/?q=" + quote("网格" * 150)),
    }
    answers = {}
    for name, call in cases.items():
        try:
            answers[name] = call()[0]
        except OSError as exc:
            answers[name] = f"connection closed ({type(exc).__name__})"
    return answers


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=40, help="seconds of load while faults happen")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--restart-postgres", action="store_true",
                        help="also restart the local PostgreSQL cluster once (disturbs its other users)")
    parser.add_argument("--cluster", default="15 main")
    parser.add_argument("--check-seconds", type=int, default=5, help="clean load before and after the faults")
    args = parser.parse_args(argv)
    if len(Theme.objects.all()[:2]) < 2:
        sys.exit("needs at least two themes (migrations seed them)")
    prefix = f"fault-{uuid.uuid4().hex[:8]}"
    report = {}

    with Server(workers=3) as server:
        chosen = choose_app_paths(server.base, published_ids(server.base), terms_that_match(server.base),
                                  counties_present(server.base))
        paths = weighted({k: v for k, v in chosen.items() if v})
        before = run_wrk(server.base, paths, "faults-before", args.check_seconds, args.connections, 2)
        load_result = {}
        load = threading.Thread(target=lambda: load_result.update(
            run_wrk(server.base, paths, "faults-during", args.duration, args.connections, 2)))
        writer = Writer(server.base, prefix)
        load.start()
        writer.start()
        time.sleep(3)

        workers = server.worker_pids()
        victim = workers[0]
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        while not (len(server.worker_pids()) == len(workers) and victim not in server.worker_pids()):
            if time.monotonic() - killed_at > 60:
                raise RuntimeError("the killed worker was not replaced within 60 s")
            time.sleep(0.05)
        replaced = time.monotonic() - killed_at
        # /healthz waits in the same queue as the load, so under saturation this includes queueing.
        report["worker killed (SIGKILL)"] = (f"replacement worker running after {replaced:.2f} s; /healthz answered "
                                             f"{wait_healthy(server.base):.2f} s later (queued behind the load)")

        if args.restart_postgres:
            started = time.monotonic()
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *args.cluster.split(), "restart"],
                           check=True, timeout=60)
            restart = time.monotonic() - started
            report["PostgreSQL restarted"] = (f"restart took {restart:.2f} s; healthy again "
                                              f"{wait_healthy(server.base):.2f} s after it returned")
            time.sleep(3)

        report["bad requests (status)"] = bad_requests(server.base)
        report["healthy after bad requests"] = f"{wait_healthy(server.base):.2f} s"

        load.join()
        writer.stop.set()
        writer.join()
        after = run_wrk(server.base, paths, "faults-after", args.check_seconds, args.connections, 2)

    # Every acknowledged write is there, and every write that is there is whole.
    connection.close()
    rows = dict(Initiative.objects.filter(name__startswith=prefix + "-").annotate(n=Count("themes"))
                .values_list("name", "n"))
    lost = [n for n in writer.acknowledged if n not in rows]
    half_done = [n for n, themes in rows.items() if themes != 2]
    unexpected = [n for n in rows if n not in writer.acknowledged and n not in writer.unknown]
    unknown_committed = sum(1 for n in writer.unknown if n in rows)

    during = load_result
    print(json.dumps(report, ensure_ascii=False, indent=1))
    print(f"\nload during faults: {during['requests']} requests, {during['errors']} errors "
          f"(statuses {during['statuses']}, sockets {during['socket_errors']})")
    print(f"writes: {len(writer.acknowledged)} acknowledged, {len(writer.failed)} answered with an error "
          f"({sorted(set(writer.failed.values()))}), {len(writer.unknown)} cut off "
          f"({unknown_committed} of those committed, whole)")
    print(f"check: lost acknowledged writes {len(lost)}, half-done writes {len(half_done)}, "
          f"rows nobody wrote {len(unexpected)}")
    print(f"after the faults: {after['rps']:.1f} req/s with {after['errors']} errors "
          f"(before: {before['rps']:.1f} req/s, {before['errors']} errors); ratio after/before "
          f"{after['rps'] / before['rps']:.2f}×")
    five_hundreds = [k for k, v in report["bad requests (status)"].items() if isinstance(v, int) and v >= 500]
    failed = lost or half_done or unexpected or after["errors"] or five_hundreds
    print("RESULT: " + ("FAIL" if failed else "PASS — errors answered, recovered by itself, no write lost or half-done"))
    Initiative.objects.filter(name__startswith=prefix + "-").delete()  # leave the bench database as it was
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
