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


@pytest.mark.parametrize("query", [
    {}, {"q": "网格"}, {"kind": "case"}, {"theme": "income-gap"}, {"region": "330683000000"}, {"q": "甘霖镇", "kind": "feature"},
])
@pytest.mark.parametrize("sparse", [0, 10**9], ids=["sets", "bitmaps"])
def test_the_facet_index_counts_exactly_what_sql_counts(world, query, sparse, monkeypatch):
    from django.http import QueryDict

    from cases.filtersets import ArticleFilterSet
    from pages import facet_index, facets
    from pages.summary import current_version

    monkeypatch.setattr(facet_index, "SPARSE", sparse)  # every value as a bitmap, or every one as a set
    monkeypatch.setattr(facet_index, "_current", None)
    world["articles"][1].body = ""  # an article without text, and one outside Zhejiang's tree
    world["articles"][1].save()
    data = QueryDict(mutable=True)
    data.update(query)
    articles = ArticleFilterSet(data, queryset=Article.objects.visible_to(None)).qs
    index = facet_index.index_at(current_version())
    results = facet_index.IdSet.of(articles.values_list("pk", flat=True))
    for name, (count, _label) in facets.COUNTERS.items():
        by_sql = count(articles)
        by_index = index.count(name, results)
        if name == "region":
            assert by_index == by_sql, name
        else:
            assert sorted(map(tuple, by_index)) == sorted(map(tuple, by_sql)), name
    chosen = [t.pk for t in Theme.objects.filter(slug="income-gap")]
    with_theme = ArticleFilterSet(QueryDict("theme=income-gap"), queryset=articles).qs
    assert index.having("theme", chosen, results).ids == set(with_theme.values_list("pk", flat=True))
    # a write moves the version and the index follows
    ArticleRegion.objects.filter(article=world["articles"][0]).delete()
    fresh = facet_index.index_at(current_version())
    assert fresh is not index
    assert fresh.count("region", facet_index.IdSet.of([world["articles"][0].pk])) == {}


def test_the_api_list_count_follows_a_publish(client, world):
    assert client.get("/api/v1/articles/").json()["count"] == 6
    draft = world["draft"]
    draft.status = Article.Status.PUBLISHED
    draft.reviewed_by, draft.reviewed_at = world["reviewer"], world["articles"][0].reviewed_at
    draft.save()
    assert client.get("/api/v1/articles/").json()["count"] == 7
    assert client.get("/api/v1/articles/", {"kind": "case"}).json()["count"] == 4  # a filter counts in SQL


def test_kept_region_and_metric_pages_change_with_any_write(client, world, django_assert_max_num_queries):
    from decimal import Decimal

    from cases.models import Figure

    url = "/metrics/grid-count/"
    first = client.get(url).content.decode()
    with django_assert_max_num_queries(3):  # the content version (and the request transaction): the page is kept
        assert client.get(url).content.decode() == first
    figure = Figure.objects.filter(metric=world["grids"], article=world["articles"][0]).get()
    figure.normalized_value = figure.value = Decimal("4321")
    figure.save()
    assert "4,321" in client.get(url).content.decode() or "4321" in client.get(url).content.decode()
    # a region page after an article's title changes
    region = client.get("/regions/330624003000/").content.decode()
    article = world["articles"][0]
    assert article.title in region
    Article.objects.filter(pk=article.pk).update(title="改过的标题")
    assert "改过的标题" in client.get("/regions/330624003000/").content.decode()
    # staff never get a kept page: they see drafts
    client.force_login(world["reviewer"])
    assert "未审核的草稿文章" in client.get("/regions/330624003000/").content.decode()


@pytest.mark.parametrize("q", ["网格", "七星街道", "网格 -疫情", '"共同富裕"', "甘霖"])
def test_a_plain_search_counts_the_public_matches_of_its_documents(world, q):
    """The search page counts facets over the matching documents kept if public: the same set as the
    filtered articles, drafts left out."""
    from django.http import QueryDict

    from cases.filtersets import ArticleFilterSet
    from pages import facet_index
    from pages.summary import current_version
    from search.engine import matching_article_ids

    data = QueryDict(mutable=True)
    data["q"] = q
    public = ArticleFilterSet(data, queryset=Article.objects.visible_to(None)).qs
    everyone = ArticleFilterSet(data, queryset=Article.objects.all()).qs
    expected = set(public.values_list("pk", flat=True))
    assert set(matching_article_ids(q)) == set(everyone.values_list("pk", flat=True))
    assert facet_index.index_at(current_version()).public_among(matching_article_ids(q)).ids == expected
    if q == "七星街道":
        assert expected and set(everyone.values_list("pk", flat=True)) - expected  # a draft matched, not counted
