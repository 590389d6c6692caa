"""A smoke run of bench/bench_admin.py: it runs, and every page's query count is the same at
the baseline and at full size (the timing itself is reported, never asserted)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_admin_smoke_run(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ENV")}
    out = subprocess.run(
        [sys.executable, "bench/bench_admin.py", "--figures", "400", "--articles", "20", "--baseline", "40",
         "--repeat", "1", "--out", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "figures" in out.stdout and "article page" in out.stdout
    vendor = "postgresql" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    report = json.loads((tmp_path / f"bench_admin_{vendor}.json").read_text("utf-8"))
    assert report["figures"] == 400
    for name, page in report["pages"].items():
        assert page["queries"] == page["baseline_queries"], name
