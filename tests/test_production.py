"""Production serving: gunicorn with the repo's config, warm-up, JSON logs, the replica router."""

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from cases.models import Article, Figure
from config.logging import JsonFormatter
from config.routers import ReplicaRouter, reads_from_replica

ROOT = Path(__file__).resolve().parent.parent


def run_python(code, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ENV", "DATABASE_REPLICA_URL")}
    full_env.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- structured logging -------------------------------------------------------------------

def test_json_log_lines_carry_message_level_and_extras():
    record = logging.LogRecord("cases.ingest", logging.WARNING, __file__, 1, "跳过 %s", ("坏文件.txt",), None)
    record.source_sha256 = "ab" * 32
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "跳过 坏文件.txt"
    assert line["level"] == "WARNING" and line["logger"] == "cases.ingest"
    assert line["source_sha256"] == "ab" * 32
    assert line["time"].endswith("+00:00")


def test_json_logging_is_selected_by_the_environment():
    code = ("import django, logging; django.setup(); "
            "logging.getLogger('cases').warning('数字 %s', 175)")
    out = run_python(code, DJANGO_SETTINGS_MODULE="config.settings", LOG_FORMAT="json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stderr.strip().splitlines()[-1])["message"] == "数字 175"
    bad = run_python("import django; django.setup()", DJANGO_SETTINGS_MODULE="config.settings", LOG_FORMAT="xml")
    assert bad.returncode != 0 and "LOG_FORMAT must be" in bad.stderr


# --- gunicorn with the repository's config --------------------------------------------------

def test_gunicorn_serves_with_production_settings_and_warms_up_before_the_first_request(tmp_path):
    db = tmp_path / "serve.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_REPLICA_URL")}
    port = free_port()
    env.update(DATABASE_URL=f"sqlite:///{db}", DJANGO_ENV="production", SECURE_SSL_REDIRECT="0",
               PORT=str(port), WEB_CONCURRENCY="2", JIEBA_CACHE_DIR=str(tmp_path / "jieba"))
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as log_file:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
                                  cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while log.read_text().count("warm-up (worker") < 2:  # both workers warmed before serving
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200
            assert json.load(response) == {"status": "ok", "database": "sqlite"}
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/articles/", timeout=10) as response:
            assert json.load(response)["count"] == 0
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    warmed = [line for line in text.splitlines() if "warm-up (worker" in line]
    assert len(warmed) == 2 and all("segmenter: loaded" in line and "gazetteer: loaded" in line
                                    for line in warmed), text
    assert "GET /healthz" in text  # access log
    # The jieba cache was written where the settings say, so later workers start fast.
    assert any((tmp_path / "jieba").iterdir())


def test_gunicorn_workers_follow_the_core_count():
    out = subprocess.run([sys.executable, "-c", "import runpy, multiprocessing; "
                          "c = runpy.run_path('gunicorn.conf.py'); "
                          "print(c['workers'] == multiprocessing.cpu_count() * 2 + 1, c['preload_app'], c['timeout'])"],
                         cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"},
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["True", "True", "30"], out.stderr


def test_make_serve_settings_are_production_but_allow_plain_http():
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.PRODUCTION, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.DEBUG)")
    out = run_python(code, DJANGO_SETTINGS_MODULE="config.settings", DJANGO_ENV="production", SECURE_SSL_REDIRECT="0")
    assert out.stdout.split() == ["True", "False", "True", "False"], out.stderr


# --- read replica router ----------------------------------------------------------------------

def test_replica_is_configured_only_when_its_url_is_set():
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(sorted(s.DATABASES), s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'), "
            "getattr(s, 'DATABASE_ROUTERS', []), 'config.routers.ReplicaReadsMiddleware' in s.MIDDLEWARE)")
    plain = run_python(code, DJANGO_SETTINGS_MODULE="config.settings")
    assert plain.stdout.strip() == "['default'] None [] False", plain.stderr
    replica = run_python(code, DJANGO_SETTINGS_MODULE="config.settings",
                         DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/zjcases")
    assert replica.stdout.strip() == (
        "['default', 'replica'] default ['config.routers.ReplicaRouter'] True"), replica.stderr


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup, django_db_blocker):
    """A second alias, `replica`, on the test database (as DATABASE_REPLICA_URL would add).

    Module-scoped so it exists before pytest-django sets up each test's databases.
    """
    default = connections.settings["default"]
    connections.settings["replica"] = {**default, "ATOMIC_REQUESTS": False, "TEST": {**default["TEST"], "MIRROR": "default"}}
    yield
    with django_db_blocker.unblock():
        connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]


@pytest.fixture
def replica(settings):
    """The replica alias with the router and its middleware switched on."""
    settings.DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
    settings.MIDDLEWARE = ["config.routers.ReplicaReadsMiddleware", *settings.MIDDLEWARE]
    return connections["replica"]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_read_only_code_reads_the_replica_and_writes_go_to_the_primary(replica):
    article = Article.objects.create(title="网格智治", body="常住人口约15万。")
    assert article._state.db == "default"
    with reads_from_replica():
        with CaptureQueriesContext(replica) as on_replica:
            loaded = Article.objects.get(pk=article.pk)
        assert loaded._state.db == "replica" and len(on_replica) == 1
        # A relation between an object read from the replica and a new one is allowed;
        # the write itself goes to the primary.
        figure = Figure.objects.create(article=loaded, label="常住人口", value=15, unit="万人",
                                       quote="常住人口约15万", start=0, end=7)
        assert figure._state.db == "default"
    # Outside a read-only context (commands, shell, editors' POSTs) reads see the primary.
    assert Article.objects.all().db == "default"
    assert Figure.objects.using("default").filter(article=article).count() == 1


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_get_requests_read_the_replica_posts_read_the_primary(replica, client):
    from django.contrib.auth.models import User

    Article.objects.create(title="千万工程", body="正文", status=Article.Status.PUBLISHED,
                           reviewed_by=User.objects.create(username="editor"), reviewed_at="2024-06-01T00:00Z")
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get("/api/v1/articles/")
    assert response.json()["count"] == 1
    assert any("cases_article" in q["sql"] for q in on_replica)
    assert not any("cases_article" in q["sql"] for q in on_primary)
    with CaptureQueriesContext(replica) as on_replica:
        client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert not on_replica.captured_queries


def test_router_rules():
    router = ReplicaRouter()
    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate("default", "cases") and not router.allow_migrate("replica", "cases")
    with reads_from_replica():
        assert router.db_for_read(Article) == "replica"
    assert router.db_for_read(Article) == "default"


# --- oversized bodies ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_oversized_body_gets_a_clear_413_before_any_view_reads_it(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/admin/login/", data=b"x" * 4096, content_type="application/json")
    assert response.status_code == 413
    assert "请求体过大" in response.json()["detail"]
    assert client.post("/admin/login/", {"username": "a", "password": "b"}).status_code == 200  # small: fine


@pytest.mark.django_db
def test_uploads_have_their_own_larger_limit(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.MAX_UPLOAD_SIZE = 64 * 1024
    small = client.post("/admin/login/", {"f": SimpleUploadedFile("a.txt", b"x" * 8192)})
    assert small.status_code == 200
    big = client.post("/admin/login/", {"f": SimpleUploadedFile("a.txt", b"x" * 100_000)})
    assert big.status_code == 413


@pytest.mark.django_db
def test_a_database_that_is_away_is_a_503_with_retry_after(client, monkeypatch):
    from django.db import OperationalError

    from cases.api import views

    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(views.ArticleViewSet, "get_queryset", unreachable)
    response = client.get("/api/v1/articles/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "数据库暂时不可用" in response.json()["detail"]
