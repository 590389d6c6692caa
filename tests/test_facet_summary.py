"""The home page's kept facet counts (pages.summary) are never stale: every write that can
change a count, bulk inserts included, makes the next visit count afresh."""

import re

import pytest

from cases.models import Article, ArticleRegion, Theme
from pages.models import FacetSummary

from . import pages_data
from .test_pages import text_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(zhejiang_tree):
    return pages_data.build(zhejiang_tree, n_articles=6)


def region_count(html: str, code: str) -> int | None:
    match = re.search(rf'region={code}">[^<]+</a>\s*<span class="count"[^>]*>(\d+)<', html)
    return int(match.group(1)) if match else None


def test_the_second_visit_reads_the_kept_counts(client, world, django_assert_max_num_queries):
    first = client.get("/").content.decode()
    assert FacetSummary.objects.count() == 1
    with django_assert_max_num_queries(10):  # version, summary, five labels, the page, its regions, quotes
        second = client.get("/").content.decode()
    assert region_count(second, "330600000000") == region_count(first, "330600000000") == 4
    assert text_of(client.get("/")).count("共 6 篇") == 1


def test_a_publish_is_counted_by_the_next_visit(client, world):
    assert region_count(client.get("/").content.decode(), "330600000000") == 4
    draft = world["draft"]
    draft.status = Article.Status.PUBLISHED
    draft.reviewed_by, draft.reviewed_at = world["reviewer"], world["articles"][0].reviewed_at
    draft.save()
    html = client.get("/").content.decode()
    assert region_count(html, "330600000000") == 5
    assert "共 7 篇" in text_of(client.get("/"))


def test_bulk_writes_and_unpublishing_are_counted_too(client, world):
    html = client.get("/").content.decode()
    assert region_count(html, "330100000000") == 2  # 杭州市
    # bulk_create sends no signals: the database's triggers still see it
    ArticleRegion.objects.bulk_create([
        ArticleRegion(article=a, region=world["xihu"], role=ArticleRegion.Role.MENTIONED)
        for a in world["articles"][:2]
    ])
    assert region_count(client.get("/").content.decode(), "330100000000") == 4
    # a queryset update (no save(), no signal) unpublishing every 杭州 article
    Article.objects.filter(region_links__region=world["xihu"]).update(status=Article.Status.DRAFT)
    html = client.get("/").content.decode()
    assert region_count(html, "330100000000") is None
    # a theme added through the m2m manager
    theme = Theme.objects.create(slug="new-theme", name="新加的主题")
    world["articles"][3].themes.add(theme)
    assert "新加的主题" in text_of(client.get("/"))


def test_staff_count_their_drafts_live(client, world):
    client.get("/")  # the public summary exists
    client.force_login(world["reviewer"])
    html = client.get("/").content.decode()
    assert region_count(html, "330624003000") == 3  # 七星街道: two published cases and the draft
