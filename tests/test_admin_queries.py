"""Admin pages run a constant number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Article, ArticleRegion, Figure, Initiative, Metric, Theme
from regions.models import Level, Region, RegionAlias
from tests.admin_fixtures import PASSWORD, make_article

pytestmark = pytest.mark.django_db

#: Upper bounds per page; the same bound holds for 2 and for 30 rows.
LIMITS = {
    "article_changelist": 14,
    "article_change": 17,
    "figure_changelist": 9,
    "initiative_changelist": 10,
    "region_changelist": 9,
    "regionalias_changelist": 8,
    "metric_changelist": 9,
}


def build(n, cities, user):
    """n articles, each with a region link and 2 figures; one article with n figures; n initiatives…"""
    metric = Metric.objects.create(name="测试人口", slug="test-pop", base_unit="人")
    for i in range(n - 1):
        Metric.objects.create(name=f"测试指标{i}", slug=f"test-metric-{i}", base_unit="个", labels=[f"指标{i}"])
    theme = Theme.objects.first()
    towns = []
    for i in range(n):
        town = Region.objects.create(code=f"330624{100 + i:03d}000", name=f"测试镇{i}", level=Level.TOWN,
                                     parent=cities["county"], edition="test")
        RegionAlias.objects.create(region=town, name=f"测试{i}")
        towns.append(town)
    body = "".join(f"第{i}项：指标{i}达到{i + 10}个。" for i in range(n))
    big = make_article(title="多数字的文章", body=body, region=cities["town"], edited_by=user)
    big.themes.add(theme)
    for i in range(n):
        quote = f"达到{i + 10}个"
        start = body.index(quote)
        Figure.objects.create(article=big, label=f"指标{i}", value=i + 10, unit="个", quote=quote, start=start,
                              end=start + len(quote), region=towns[i], metric=metric)
        ArticleRegion.objects.create(article=big, region=towns[i])
    for i in range(n - 1):
        article = make_article(title=f"文章{i}", body="正文包含达到10个。", region=towns[i], edited_by=user)
        article.themes.add(theme)
        Figure.objects.create(article=article, label="x", value=10, unit="个", quote="达到10个", start=4, end=9,
                              region=towns[i], metric=metric)
        initiative = Initiative.objects.create(name=f"做法{i}", region=towns[i])
        initiative.articles.add(article, big)
        initiative.themes.add(theme)
    Initiative.objects.create(name="做法末", region=cities["town"])
    return big


PAGES = {
    "article_changelist": lambda big: reverse("admin:cases_article_changelist"),
    "article_change": lambda big: reverse("admin:cases_article_change", args=[big.pk]),
    "figure_changelist": lambda big: reverse("admin:cases_figure_changelist"),
    "initiative_changelist": lambda big: reverse("admin:cases_initiative_changelist"),
    "region_changelist": lambda big: reverse("admin:regions_region_changelist"),
    "regionalias_changelist": lambda big: reverse("admin:regions_regionalias_changelist"),
    "metric_changelist": lambda big: reverse("admin:cases_metric_changelist"),
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("n", [2, 30])
def test_admin_pages_run_a_bounded_number_of_queries(client, editor, cities, django_assert_max_num_queries, page, n):
    big = build(n, cities, editor)
    assert client.login(username=editor.username, password=PASSWORD)
    url = PAGES[page](big)
    client.get(url)  # warm caches (content types, permissions)
    with django_assert_max_num_queries(LIMITS[page]):
        response = client.get(url)
    assert response.status_code == 200
    if page == "article_change":
        assert response.content.decode().count('class="mark-figure"') >= n
    elif page.endswith("changelist"):
        assert len(response.context["cl"].result_list) >= min(n, 2)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_does_not_grow_with_rows(client, editor, cities, page):
    counts = []
    for n in (2, 30):
        Figure.objects.all().delete()
        Initiative.objects.all().delete()
        ArticleRegion.objects.all().delete()
        Article.objects.all().delete()
        RegionAlias.objects.all().delete()
        Region.objects.filter(name__startswith="测试镇").delete()
        Metric.objects.all().delete()
        big = build(n, cities, editor)
        assert client.login(username=editor.username, password=PASSWORD)
        client.get(PAGES[page](big))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(PAGES[page](big)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
