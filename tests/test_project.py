"""The project as a user first meets it: settings, health, admin, API root."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from cases.models import Article

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ENV")}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_chinese_first_and_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


def test_debug_is_off_unless_asked_for():
    out = manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert out.stdout.strip() == "False", out.stderr


def test_missing_secret_key_is_a_clear_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    # Run from a copy of the settings' folder layout without the .env file.
    out = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
         "import environ; environ.Env.read_env = staticmethod(lambda *a, **k: None); django.setup()"],
        cwd=ROOT, env={**env, "SECRET_KEY": ""}, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode != 0
    assert "SECRET_KEY is not set" in out.stderr


def test_check_deploy_is_clean_under_production_settings():
    out = manage("check", "--deploy", "--fail-level", "WARNING",
                 DJANGO_ENV="production", SECRET_KEY="x" * 10 + os.urandom(24).hex(), ALLOWED_HOSTS="cases.example.org")
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_admin_login_page_speaks_chinese(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_api_root_lists_resources(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert {"regions", "articles"} <= set(response.json())


@pytest.mark.django_db
def test_drafts_are_invisible_to_anonymous_api_users(client):
    draft = Article.objects.create(title="草稿", body="正文")
    assert client.get("/api/v1/articles/").json()["count"] == 0
    assert client.get(f"/api/v1/articles/{draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_ensure_admin_prints_a_random_password_once(capsys, client, monkeypatch):
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)
    call_command("ensure_admin")
    password = re.search(r"password: (\S+)", capsys.readouterr().out).group(1)
    assert client.login(username="admin", password=password)
    call_command("ensure_admin")
    assert password not in capsys.readouterr().out
    assert client.login(username="admin", password=password)
