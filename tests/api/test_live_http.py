"""The API over real HTTP (a live server and `requests`), as downstream apps call it."""

import csv
import io

import pytest
import requests
from rest_framework.authtoken.models import Token

from cases.models import Initiative

# serialized_rollback: the flush after a live-server test must not lose the seeded themes and publications.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_list_filter_and_detail_over_http(live_server, world):
    response = requests.get(f"{live_server.url}/api/v1/articles/", params={"region": "330600"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert [a["title"] for a in body["results"]] == ["七星街道的网格智治"]
    detail = requests.get(body["results"][0]["url"], timeout=10).json()
    assert {f["quote"] for f in detail["figures"]} == {"175个网格", "常住人口约15万"}
    assert requests.get(f"{live_server.url}/api/v1/articles/{world['draft'].pk}/", timeout=10).status_code == 404


def test_conditional_get_over_http(live_server, world):
    url = f"{live_server.url}/api/v1/regions/330624001000/"
    first = requests.get(url, timeout=10)
    again = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
    assert again.status_code == 304 and again.content == b""


def test_csv_download_streams_over_http(live_server, world):
    with requests.get(f"{live_server.url}/api/v1/figures/", params={"format": "csv"}, stream=True, timeout=10) as r:
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert "Content-Length" not in r.headers            # streamed, not buffered
        raw = b"".join(r.iter_content(chunk_size=64))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {row["quote"] for row in rows} == {"175个网格", "常住人口约15万", "32个未来社区"}


def test_token_write_over_http(live_server, world, users):
    token = Token.objects.create(user=users["editor"]).key
    response = requests.post(f"{live_server.url}/api/v1/initiatives/", json={"name": "共享法庭", "region": "330624000000"},
                             headers={"Authorization": f"Token {token}"}, timeout=10)
    assert response.status_code == 201, response.text
    created = Initiative.objects.get(name="共享法庭")
    assert created.history.latest().history_user == users["editor"]
    anonymous = requests.post(f"{live_server.url}/api/v1/initiatives/", json={"name": "x"}, timeout=10)
    assert anonymous.status_code == 401 and "detail" in anonymous.json()


def test_bad_filter_over_http_is_a_json_400(live_server, world):
    response = requests.get(f"{live_server.url}/api/v1/figures/", params={"year": "99999"}, timeout=10)
    assert response.status_code == 400
    assert "year" in response.json()
