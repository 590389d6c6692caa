"""Smoke runs of the benchmarks (CI keeps them seconds long; the real runs are in README → Performance).

Each run uses a scratch database of the same kind as the test run's (a SQLite file, or a
PostgreSQL database next to the test database), loaded the way a fresh clone would be: a
release imported with ``import_dataset``, then grown by ``bench/scale.py``.
"""

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.test_dataset import published_cases  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt install wrk)")


@pytest.fixture
def scratch_database(tmp_path):
    """DATABASE_URL of an empty database the benchmark's own processes can use."""
    default = settings.DATABASES["default"]
    if default["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        return
    import psycopg

    name = f"zj_benchsmoke_{uuid.uuid4().hex[:8]}"
    params = dict(host=default["HOST"] or "127.0.0.1", port=default["PORT"] or 5432, user=default["USER"],
                  password=default["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with psycopg.connect(**params) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
    user = default["USER"] + (f":{default['PASSWORD']}" if default["PASSWORD"] else "")
    yield f"postgres://{user}@{params['host']}:{params['port']}/{name}"
    with psycopg.connect(**params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args, database_url, timeout=300):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ENV", "DATABASE_REPLICA_URL")}
    env["DATABASE_URL"] = database_url
    out = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out.stdout


@pytest.mark.django_db
@pytest.mark.usefixtures("published_cases")
def test_generate_load_and_faults_smoke(tmp_path, scratch_database):
    call_command("export_dataset", tmp_path / "release")
    run(["manage.py", "migrate", "--noinput", "-v0"], scratch_database)
    run(["manage.py", "import_dataset", str(tmp_path / "release")], scratch_database)

    generated = run(["bench/scale.py", "--articles", "300", "--figures", "3000"], scratch_database)
    assert "generated 300 articles and 3000 figures" in generated
    assert "database now: 302 articles, 3003 figures" in generated

    load = run(["bench/load.py", "--duration", "2", "--connections", "4", "--warm-up", "0", "--workers", "2"],
               scratch_database)
    assert "ratio app/baseline: throughput" in load and "ERRORS" not in load
    for kind in ("list", "filter", "detail", "search", "csv"):
        assert "not available" not in next(line for line in load.splitlines() if line.strip().startswith(kind)), load

    faults = run(["bench/faults.py", "--duration", "6", "--connections", "4", "--check-seconds", "2"], scratch_database)
    assert "RESULT: PASS" in faults, faults
    assert "lost acknowledged writes 0, half-done writes 0" in faults


def test_upload_bench_smoke(scratch_database):
    """A 3-page PDF from the admin's upload form to drafts (the real run: 100 pages, README)."""
    out = run(["bench/bench_upload.py", "--pages", "3", "--database-url", scratch_database], scratch_database)
    assert "PDF: 3 pages" in out
    drafts = next(line for line in out.splitlines() if line.startswith("drafts:"))
    articles, figures, paged = (int(n) for n in re.findall(r"(\d+) (?:articles|figures|with)", drafts))
    assert articles == 3 and figures > 0 and paged == figures  # every figure of a PDF cites its page
    assert re.search(r"upload→drafts\s+[\d.]+\s+[\d.]+", out)
