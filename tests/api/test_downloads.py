"""Public CSV downloads are kept per data version: the same bytes again, never stale, never a draft."""

from decimal import Decimal

import pytest

from cases.models import Article

from .conftest import token_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/figures/?format=csv&region=330624"


@pytest.fixture(autouse=True)
def kept_downloads(settings):
    settings.KEEP_DOWNLOADS = True
    from django.core.cache import caches

    caches["downloads"].clear()
    yield
    caches["downloads"].clear()


def body(response) -> str:
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig")


def test_a_second_anonymous_download_is_the_same_file_without_rebuilding_it(api, world, django_assert_max_num_queries):
    first = api.get(URL)
    assert first.streaming  # the first reader gets it while it is built
    first_text = body(first)
    assert "175个网格" in first_text
    with django_assert_max_num_queries(4) as queries:  # the request's savepoint, ?region=, the data version
        second = api.get(URL)
        second_text = body(second)
    assert not [q for q in queries.captured_queries if "cases_figure" in q["sql"]]  # no figure read again
    assert second_text == first_text
    for header in ("Content-Type", "Content-Disposition", "X-Total-Count"):
        assert second[header] == first[header]


def test_a_write_makes_the_next_download_fresh(api, world):
    assert "175个网格" in body(api.get(URL))
    figure = world["figures"]["grid"]
    figure.value, figure.normalized_value = Decimal("176"), Decimal("176")
    figure.save()
    text = body(api.get(URL))
    assert ",176," in text and ",175," not in text


def test_an_unpublished_article_leaves_the_public_download_at_once(api, world):
    assert "175个网格" in body(api.get(URL))
    Article.objects.filter(pk=world["xinchang"].pk).update(status=Article.Status.DRAFT)
    assert "175个网格" not in body(api.get(URL))


def test_signed_in_clients_get_their_own_fresh_download(api, world, users):
    public = body(api.get("/api/v1/figures/?format=csv"))
    staff = token_client(users["staff"])
    staff_text = body(staff.get("/api/v1/figures/?format=csv"))
    assert "网格 12个" in staff_text and "网格 12个" not in public  # the draft's figure: staff only
    assert "网格 12个" not in body(api.get("/api/v1/figures/?format=csv"))  # nor kept for the public
    assert staff.get("/api/v1/figures/?format=csv").streaming  # built fresh every time


def test_a_download_cut_short_is_not_kept():
    from django.core.cache import caches

    from config.api.downloads import keeping

    body = keeping(iter(["header\n", "row 1\n", "row 2\n"]), "download:test", "text/csv", {})
    assert next(body) == "header\n"
    body.close()  # the client hung up: the server closes the response's iterator
    assert caches["downloads"].get("download:test") is None
    assert list(keeping(iter(["a", "b"]), "download:test", "text/csv", {"X": "1"})) == ["a", "b"]
    assert caches["downloads"].get("download:test") == ("text/csv", {"X": "1"}, "ab")


def test_region_downloads_are_always_built(api, world):
    # A region's level or parent may change without a content version (only renames bump it).
    assert api.get("/api/v1/regions/?format=csv").streaming
    assert api.get("/api/v1/regions/?format=csv").streaming
