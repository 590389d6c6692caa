"""What clients get back: CSV downloads, conditional GET, throttling, CORS, schema and docs, JSON errors."""

import csv
import io
from urllib.parse import quote

import pytest
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from .conftest import token_client

pytestmark = pytest.mark.django_db


def csv_rows(response):
    assert response.status_code == 200
    assert response.streaming
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())                   # BOM: Excel opens Chinese correctly
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_article_csv_has_the_same_filters_and_flattened_nested_objects(api, world):
    response = api.get("/api/v1/articles/?format=csv&region=330600")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="zhejiang-cases-article-{timezone.localdate().isoformat()}.csv"'
    rows = csv_rows(response)
    assert [r["title"] for r in rows] == ["七星街道的网格智治"]
    assert rows[0]["source.issue_label"] == "2024年第24期"
    assert rows[0]["regions"] == "七星街道; 杭州市"
    assert rows[0]["regions.role"] == "main; mentioned" and rows[0]["main_regions.code"] == rows[0]["regions.code"].split("; ")[0]
    assert rows[0]["themes"] == "基层治理"


def test_the_chinese_csv_speaks_chinese_and_has_a_meaningful_name(api, world):
    """The pages' downloads (?lang=zh): headers, choice values and booleans as people read them."""
    response = api.get("/api/v1/articles/?format=csv&lang=zh&region=330600")
    name = f"浙江案例库-文章-{timezone.localdate().isoformat()}.csv"
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{quote(name)}")
    assert 'filename="zhejiang-cases-article-' in response["Content-Disposition"]  # for old clients
    [row] = csv_rows(response)
    assert row["标题"] == "七星街道的网格智治" and row["来源文件·期号"] == "2024年第24期"
    assert (row["地区"], row["地区角色"]) == ("七星街道; 杭州市", "主要对象; 提及")
    assert row["主要地区代码"] == row["地区代码"].split("; ")[0] and len(row["主要地区代码"]) == 12
    assert row["体裁"] in {"案例", "新闻", "评论", "专题报道", "讲话", "其他"} and "kind" not in row
    figures = csv_rows(api.get("/api/v1/figures/?format=csv&lang=zh"))
    assert figures and {r["目标值"] for r in figures} <= {"是", "否"}
    assert figures[0]["引文"] and "归一化数值" in figures[0] and "quote" not in figures[0]


def test_csv_honours_limit_and_fields(api, world):
    rows = csv_rows(api.get("/api/v1/regions/?format=csv&fields=code,name,parent"))
    assert len(rows) == 7
    assert list(rows[0]) == ["code", "name", "parent.code", "parent.name", "parent.level"]
    assert rows[1]["parent.name"] == "浙江省"
    response = api.get("/api/v1/regions/?format=csv&limit=2&fields=code,name")
    assert [r["code"] for r in csv_rows(response)] == [r["code"] for r in rows[:2]]
    assert response["X-Total-Count"] == "7"


def test_a_long_csv_comes_in_parts_that_add_up_to_the_whole(api, world, settings):
    whole = csv_rows(api.get("/api/v1/regions/?format=csv&fields=code,name"))
    settings.API_CSV_MAX_ROWS = 3
    url, parts, names = "/api/v1/regions/?format=csv&fields=code,name", [], []
    while url:
        response = api.get(url)
        assert response["X-Total-Count"] == "7"
        names.append(response["Content-Disposition"])
        parts.append(csv_rows(response))
        link = response.get("Link")
        url = link[link.index("<") + 1 : link.index(">")] if link else None
        assert link is None or link.endswith('rel="next"')
    assert [len(p) for p in parts] == [3, 3, 1]
    assert [r for p in parts for r in p] == whole
    assert names[0].endswith('-1-3.csv"') and names[-1].endswith('-7-7.csv"')
    # Asking for more than the cap still gets the cap, never the whole table at once.
    assert len(csv_rows(api.get("/api/v1/regions/?format=csv&limit=1000"))) == 3


def test_figure_csv_for_researchers(api, world):
    rows = csv_rows(api.get("/api/v1/figures/?format=csv&metric=grid-count&ordering=-value"))
    assert [(r["region.name"], r["normalized_value"], r["metric.slug"]) for r in rows] == [
        ("七星街道", "175", "grid-count"), ("上城区", "32", "grid-count")]


def test_csv_without_rows_still_has_a_header_and_drafts_stay_hidden(api, world):
    rows = csv_rows(api.get("/api/v1/articles/?format=csv&status=draft"))
    assert rows == []
    assert b"title" in b"".join(api.get("/api/v1/articles/?format=csv&status=draft").streaming_content)


def test_csv_cells_that_look_like_formulas_are_neutralised(world, users):
    world["xinchang"].title = "=HYPERLINK(\"http://evil\")"
    world["xinchang"].save()
    rows = csv_rows(token_client(users["staff"]).get("/api/v1/articles/?format=csv&fields=id,title"))
    assert "'=HYPERLINK(\"http://evil\")" in [r["title"] for r in rows]


def test_csv_errors_are_json(api, world):
    response = api.get("/api/v1/articles/?format=csv&region=abc")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "region" in response.json()


@pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/regions/330624000000/", "/api/v1/figures/?metric=grid-count"])
def test_conditional_get_answers_304_when_unchanged(api, world, url):
    first = api.get(url)
    etag = first["ETag"]
    assert etag
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag


def test_etag_changes_when_the_data_changes(api, world):
    url = f"/api/v1/articles/{world['xinchang'].pk}/"
    etag = api.get(url)["ETag"]
    world["xinchang"].subtitle = "新的副标题"
    world["xinchang"].save()
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.json()["subtitle"] == "新的副标题"


def test_etag_differs_for_staff_who_see_more(api, world, users):
    assert api.get("/api/v1/articles/")["ETag"] != token_client(users["staff"]).get("/api/v1/articles/")["ETag"]


def test_anonymous_clients_are_throttled_with_retry_after(api, world, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "1000/min"})
    statuses = [api.get("/api/v1/metrics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    blocked = api.get("/api/v1/metrics/")
    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 60
    assert "detail" in blocked.json()


def test_authenticated_clients_have_their_own_rate(world, users, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"anon": "1/min", "user": "2/min"})
    client = token_client(users["editor"])
    assert [client.get("/api/v1/metrics/").status_code for _ in range(3)] == [200, 200, 429]


def test_throttle_rates_come_from_settings():
    from django.conf import settings

    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert set(rates) == {"anon", "user"}


def test_cors_for_configured_origins_only(api, world, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://dashboard.example.org"]
    allowed = api.get("/api/v1/articles/", HTTP_ORIGIN="https://dashboard.example.org")
    assert allowed["Access-Control-Allow-Origin"] == "https://dashboard.example.org"
    other = api.get("/api/v1/articles/", HTTP_ORIGIN="https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in other


def test_schema_describes_every_filter(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    params = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert {"region", "region_exact", "region_level", "theme", "kind", "publication", "source", "year_min",
            "year_max", "initiative", "metric", "has_figures", "q", "ordering", "limit", "offset", "brief",
            "fields", "format"} <= params
    figure_params = {p["name"] for p in schema["paths"]["/api/v1/figures/"]["get"]["parameters"]}
    assert {"metric", "region", "value_min", "value_max", "unit", "qualifier", "year_min", "year_max",
            "is_target", "verified", "article"} <= figure_params
    assert "/api/v1/figures/summary/" in schema["paths"]
    assert "/api/v1/regions/{code}/children/" in schema["paths"]


def test_docs_are_served_without_a_cdn(api, settings):
    settings.WHITENOISE_USE_FINDERS = True  # tests skip collectstatic; `make run` collects
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html and "jsdelivr" not in html
    script = [part.split('"')[0] for part in html.split('src="')[1:]]
    assert script and all(src.startswith("/static/") for src in script), script
    assert api.get(script[0]).status_code == 200


def test_errors_are_json(api, world):
    missing = api.get("/api/v1/articles/999999/")
    assert missing.status_code == 404 and "detail" in missing.json()


def test_schema_generates_without_warnings():
    from django.core.management import call_command

    # --fail-on-warn: an undocumented field or filter type would fail here.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_unknown_api_urls_are_json_404(api):
    response = api.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert api.get("/no-such-page/").status_code == 404


def test_summary_as_csv(api, world):
    response = api.get("/api/v1/figures/summary/?metric=grid-count&group_by=region&format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["region"], r["count"], r["median"]) for r in rows] == [("上城区", "1", "32.0"), ("七星街道", "1", "175.0")]


@pytest.mark.parametrize("url", ["/api/v1/initiatives/", "/api/v1/metrics/", "/api/v1/themes/", "/api/v1/publications/",
                                 "/api/v1/sources/", "/api/v1/region-aliases/", "/api/v1/regions/330000/children/"])
def test_every_list_downloads_as_csv(api, world, url):
    rows = csv_rows(api.get(url + "?format=csv"))
    assert rows, url


def test_schema_documents_json_errors(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    articles = schema["paths"]["/api/v1/articles/"]
    assert {"200", "400", "404", "429"} <= set(articles["get"]["responses"])
    assert {"201", "400", "401", "403"} <= set(articles["post"]["responses"])


def test_regions_carry_the_chinese_name_of_their_level(api, world):
    """level_display is the label researchers read (乡级, 县级), the same on every row of a level."""
    rows = api.get("/api/v1/regions/?limit=1000").json()["results"]
    labels = {(row["level"], row["level_display"]) for row in rows}
    assert ("county", "县级") in labels and ("town", "乡级") in labels
    assert len({level for level, _ in labels}) == len(labels)  # one label per level


@pytest.mark.parametrize("url", ["/api/v1/metrics/grid-count.cache/", "/api/v1/metrics/x.cache/?format=csv",
                                 "/api/v1/articles/?format=cache"])
def test_an_unknown_format_is_a_json_404_not_a_server_error(api, world, url):
    """Found by the schema fuzzing: a format nobody renders failed before content negotiation, and
    the CSV check of the error response then raised (a 500)."""
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
