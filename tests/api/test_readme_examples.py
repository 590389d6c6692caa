"""The README's API examples run as written (against a live server, with a real token)."""

import re
import subprocess
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from cases.models import Article, Figure

from .conftest import make_user, token_client

README = Path(__file__).resolve().parents[2] / "README.md"


def api_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("\n## API\n"):]
    return re.search(r"```sh\n(BASE=.*?)```", section, re.S).group(1)


# serialized_rollback: the flush after a live-server test must not lose the seeded metrics, themes, permissions.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_readme_api_example_runs_as_written(live_server, zhejiang_tree, tmp_path):
    # an editor (编辑) account: staff, so it sees the draft it writes
    editor = make_user("readme-editor", "cases.add_article", "cases.add_figure", "cases.view_article", staff=True)
    token = Token.objects.create(user=editor).key
    script = api_example()
    assert "TOKEN=" in script and "BASE=http://127.0.0.1:8000" in script
    script = script.replace("BASE=http://127.0.0.1:8000", f"BASE={live_server.url}")
    script = re.sub(r"TOKEN=\S+", f"TOKEN={token}", script)
    script = script.replace("curl ", "curl -sS --fail-with-body ")  # any HTTP error fails the script
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert (tmp_path / "grids.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese
    article = Article.objects.get(title="七星街道网格智治")
    figure = Figure.objects.get(article=article)
    assert (figure.value, figure.metric.slug, figure.region.code) == (175, "grids", "330624003000")
    assert article.body[figure.start:figure.end] == figure.quote


@pytest.mark.django_db
def test_a_figure_for_an_article_without_its_text_is_refused_with_the_reason(zhejiang_tree):
    staff = make_user("readme-staff", "cases.add_figure", "cases.view_figure", "cases.view_article", staff=True)
    client = token_client(staff)
    article = Article.objects.create(title="发布包里的文章", body="", kind="case")
    response = client.post("/api/v1/figures/", {"article": article.pk, "label": "网格", "value": 175, "unit": "个",
                                                "quote": "175个网格", "start": 6, "end": 12}, format="json")
    assert response.status_code == 400
    assert "正文不在本副本中" in response.json()["article"][0]
    assert not Figure.objects.exists()


@pytest.mark.django_db
def test_the_api_root_describes_itself_and_links_docs_search_and_summary(api):
    data = api.get("/api/v1/").json()
    assert "案例库" in data["description"]["zh"] and "case-study" in data["description"]["en"]
    assert data["docs"].endswith("/api/v1/docs/") and data["search"].endswith("/api/v1/search/")
    assert data["figure_summary"].endswith("/api/v1/figures/summary/")
    assert data["articles"].endswith("/api/v1/articles/")  # the resources are still listed


@pytest.mark.django_db
def test_not_found_speaks_chinese_and_english(api):
    response = api.get("/api/v1/articles/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "不存在，或对当前用户不可见 (not found, or not visible to you)"}
    assert api.get("/api/v1/regions/339999999999/").json()["detail"].startswith("不存在")
