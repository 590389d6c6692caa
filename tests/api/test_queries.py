"""No N+1: every list and detail endpoint runs the same number of queries for 2 rows and for 20.

The pinned maxima are the current counts (they include the SAVEPOINT and
RELEASE of the request's transaction); raising one needs a reason.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate import generate
from cases.models import Article, Figure, Initiative, Source

from .conftest import token_client

pytestmark = pytest.mark.django_db

# (url, pinned maximum). {article}, {figure}, {initiative}, {source} are filled in per data set.
ENDPOINTS = [
    ("/api/v1/articles/", 5),
    ("/api/v1/articles/?q={term}&region={city}&kind=case&kind=feature&kind=overview&kind=news", 11),  # places looked up twice (filter, ranked page), candidates, ranked ids, page, the rest
    ("/api/v1/articles/?brief=1", 4),
    ("/api/v1/articles/{article}/", 7),
    ("/api/v1/articles/?format=csv", 6),  # + the data version a kept public download is filed under
    ("/api/v1/figures/", 4),
    ("/api/v1/figures/?metric={metric}&region={city}&value_min=0", 6),
    ("/api/v1/figures/{figure}/", 3),
    ("/api/v1/figures/summary/?metric={metric}&group_by=region", 7),
    ("/api/v1/figures/summary/?metric={metric}&group_by=year", 6),
    ("/api/v1/figures/summary/?metric={metric}&group_by=region&region_level=county&region={city}", 8),
    ("/api/v1/initiatives/", 5),
    ("/api/v1/initiatives/{initiative}/", 5),
    ("/api/v1/regions/", 4),
    ("/api/v1/regions/330624000000/", 7),
    ("/api/v1/regions/330624000000/children/", 5),
    ("/api/v1/region-aliases/", 4),
    ("/api/v1/metrics/", 4),
    ("/api/v1/themes/", 4),
    ("/api/v1/publications/", 4),
    ("/api/v1/sources/", 4),
    ("/api/v1/sources/{source}/", 3),
]


def fill(url):
    first = Figure.objects.filter(article__status="published").select_related("article", "region", "metric")
    first = first.order_by("pk").first()
    return url.format(
        term=first.article.title[:2], city=first.region.code[:4], metric=first.metric.slug,
        article=Article.objects.filter(status="published").order_by("pk").first().pk,
        figure=Figure.objects.filter(article__status="published").order_by("pk").first().pk,
        initiative=Initiative.objects.filter(articles__status="published").order_by("pk").first().pk,
        source=Source.objects.filter(articles__status="published").order_by("pk").first().pk,
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.content[:300])
    assert "format=csv" in url or response.json().get("count", 1) > 0, url  # an empty page proves nothing
    return len(ctx.captured_queries)


def add_aliases(count):
    from regions.models import Region, RegionAlias

    for region in Region.objects.filter(level="town").order_by("code")[:count]:
        RegionAlias.objects.get_or_create(region=region, name=region.name[:2] + "旧称")


@pytest.mark.parametrize("url, pinned", ENDPOINTS)
def test_query_count_is_constant_in_the_number_of_rows(api, url, pinned, django_assert_max_num_queries):
    generate(articles=2, figures=20, published_share=1.0, seed=1)
    add_aliases(2)
    paged = fill(url) + ("&" if "?" in url else "?") + "limit=100"
    api.get(paged)  # warm: the public article list counts from the kept summary, made on first use
    small = count_queries(api, paged)
    generate(articles=18, figures=180, published_share=1.0, seed=2)
    add_aliases(20)
    api.get(paged)
    large = count_queries(api, paged)
    assert large == small, f"{url}: {small} queries with 2 articles, {large} with 20"
    filled = fill(url)
    with django_assert_max_num_queries(pinned):
        count_queries(api, filled)


def test_staff_lists_are_constant_too(users):
    staff = token_client(users["staff"])
    generate(articles=2, figures=20, published_share=0.5, seed=3)
    small = [count_queries(staff, u) for u in ("/api/v1/articles/?limit=100", "/api/v1/figures/?limit=100")]
    generate(articles=18, figures=180, published_share=0.5, seed=4)
    large = [count_queries(staff, u) for u in ("/api/v1/articles/?limit=100", "/api/v1/figures/?limit=100")]
    assert small == large
