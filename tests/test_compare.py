"""Comparing places on a metric as a researcher would: one level, towns rolled up, periods and units named."""

import re
from decimal import Decimal

import pytest

from cases.models import Article, ArticleRegion, Metric
from pages.charts import ChartItem, bar_chart, compact_number, text_width
from regions.models import Level, Region

from . import pages_data
from .test_pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(zhejiang_tree):
    return pages_data.build(zhejiang_tree, n_articles=6)


def article_with(world, place, body, title):
    article = Article.objects.create(
        source=world["articles"][0].source, position=50 + Article.objects.count(), title=title, body=body,
        status=Article.Status.PUBLISHED, reviewed_by=world["reviewer"], reviewed_at=world["articles"][0].reviewed_at,
    )
    ArticleRegion.objects.create(article=article, region=place, role=ArticleRegion.Role.MAIN)
    return article


def bar_labels(html):
    bars = re.search(r'<svg class="bar-chart".*?</svg>', html, flags=re.S).group(0)
    return re.findall(r'<text class="label"[^>]*>([^<]+)</text>', bars), re.findall(r'<text class="value"[^>]*>([^<]+)</text>', bars)


@pytest.fixture
def second_town(world):
    """南明街道, a second town of 新昌县, with its own 网格数: 新昌县 has two towns' figures and none of its own."""
    town = Region.objects.create(code="330624001000", name="南明街道", level=Level.TOWN, parent=world["county"], edition="test")
    article = article_with(world, town, "2023年，南明街道划分40个网格。", "南明街道的网格")
    pages_data.add_figure(article, "划分40个网格", "网格", 40, "个", normalized=40, base_unit="个",
                          metric=world["grids"], region=town, year=2023)
    return town


def test_towns_roll_up_into_their_county_and_the_sum_is_labelled(client, world, second_town):
    html = client.get("/metrics/grid-count/?region_level=county").content.decode()
    labels, values = bar_labels(html)
    # 七星街道's latest (175, 2023) + 南明街道's 40: one bar for 新昌县, no town bar beside the counties
    assert "新昌县（2个乡镇合计）" in labels
    assert values[labels.index("新昌县（2个乡镇合计）")] == "215个"
    assert not any(label in ("七星街道", "南明街道") for label in labels)
    assert "西湖区" in labels  # a county's own figure
    assert "嵊州市·甘霖镇" in labels  # one town only: its own figure, said to be the town's
    text = text_of(client.get("/metrics/grid-count/?region_level=county"))
    assert "比较级别： 县级" in text and "2 个下级区划的数字相加" in text


def test_region_limits_the_comparison_to_a_subtree(client, world, second_town):
    response = client.get("/metrics/grid-count/?region=330683&region_level=town")
    labels, _ = bar_labels(response.content.decode())
    assert labels == ["甘霖镇"]
    text = text_of(response)
    assert "嵊州市 及其下辖区划" in text
    assert "七星街道" not in text.split("全部数字")[1]  # the table too, through the same FilterSet
    towns = bar_labels(client.get("/metrics/grid-count/?region_level=town").content.decode())[0]
    assert set(towns) == {"七星街道", "南明街道", "甘霖镇"}  # a county (西湖区) is not a town


def test_a_metric_that_does_not_add_up_shows_each_town_labelled(client, world, second_town):
    income = Metric.objects.get(slug="per-capita-disposable-income")
    for town, value in ((world["town"], 61000), (second_town, 58000)):
        article = article_with(world, town, f"2023年{town.name}居民人均可支配收入{value}元。", f"{town.name}的收入")
        pages_data.add_figure(article, f"人均可支配收入{value}元", "人均可支配收入", value, "元", normalized=value,
                              base_unit="元", metric=income, region=town, year=2023)
    html = client.get("/metrics/per-capita-disposable-income/?region_level=county").content.decode()
    labels, values = bar_labels(html)
    assert labels == ["新昌县·七星街道", "新昌县·南明街道"]  # never 119000 for 新昌县
    assert "不能相加" in text_of(client.get("/metrics/per-capita-disposable-income/?region_level=county"))


def test_a_nine_month_figure_beside_full_years_is_flagged(client, world):
    article = article_with(world, world["xihu"], "西湖区前三季度新划分300个网格。", "西湖区前三季度")
    figure = pages_data.add_figure(article, "新划分300个网格", "网格", 300, "个", normalized=300, base_unit="个",
                                   metric=world["grids"], region=world["xihu"], year=2025)
    figure.period = "前三季度"
    figure.save(update_fields=["period"])
    response = client.get("/metrics/grid-count/?region_level=county")
    labels, _ = bar_labels(response.content.decode())
    assert any("西湖区" in label and "前三季度" in label for label in labels)
    text = text_of(response)
    assert "所指的时期不同" in text and "不能直接比较" in text
    lines = re.search(r'<svg class="line-chart".*?</svg>', response.content.decode(), flags=re.S)
    assert lines is None or "300个" not in lines.group(0)  # never on a line of full years


def test_bad_level_is_a_clear_chinese_error(client, world):
    response = client.get("/metrics/grid-count/?region_level=planet")
    assert response.status_code == 400
    assert "区划级别" in text_of(response)


def test_chart_shows_unit_and_period(client, world):
    text = text_of(client.get("/metrics/population/".replace("population", "resident-population")))
    assert "单位：人" in text and "时期：2023年" in text  # every place's latest figure is of 2023
    _, values = bar_labels(client.get("/metrics/resident-population/").content.decode())
    assert all(v.endswith("万人") for v in values)  # 60000 → 6万人


# --- the chart's axis ---------------------------------------------------------------------------

def _assert_ticks_readable(chart):
    ticks = chart.ticks
    assert len(ticks) >= 2
    for left, right in zip(ticks, ticks[1:], strict=False):
        assert right.position - left.position >= (text_width(left.label) + text_width(right.label)) / 2
    assert ticks[-1].position + text_width(ticks[-1].label) / 2 <= chart.width
    for bar in chart.bars:
        assert bar.value_x + 4 + text_width(bar.value_label) <= chart.width  # the value printed after it fits


def test_wide_ranges_get_a_log_axis_with_wan_and_yi_ticks():
    values = [321_600_000_000, 11_530_000_000, 109_440_000, 30_000_000, 10_000]  # 3216亿 … 1万元
    chart = bar_chart([ChartItem(str(v), float(v)) for v in values], unit="元")
    assert chart.log
    _assert_ticks_readable(chart)
    assert all(re.fullmatch(r"\d+(\.\d+)?(万|亿|万亿)?", t.label) for t in chart.ticks)
    assert "1亿" in [t.label for t in chart.ticks] or "10亿" in [t.label for t in chart.ticks]
    assert [b.value_label for b in chart.bars][:2] == ["3216亿元", "115.3亿元"]
    widths = [b.width for b in chart.bars]
    assert widths == sorted(widths, reverse=True) and widths[-1] > 1  # the smallest bar is still visible


def test_narrow_ranges_stay_linear_with_short_labels():
    chart = bar_chart([ChartItem("a", 150_000.0), ChartItem("b", 420_000.0)], unit="人")
    assert not chart.log
    _assert_ticks_readable(chart)
    assert [t.label for t in chart.ticks][-1].endswith("万")


def test_compact_numbers():
    assert compact_number(150000) == "15万"
    assert compact_number(Decimal("321600000000")) == "3216亿"
    assert compact_number(1.5e12) == "1.5万亿"
    assert compact_number(175) == "175"
    assert compact_number(12.5) == "12.5"


def test_choosing_full_years_leaves_the_nine_month_figure_out(client, world):
    article = article_with(world, world["xihu"], "西湖区前三季度新划分300个网格。", "西湖区前三季度")
    figure = pages_data.add_figure(article, "新划分300个网格", "网格", 300, "个", normalized=300, base_unit="个",
                                   metric=world["grids"], region=world["xihu"], year=2025)
    figure.period_kind = "months"
    figure.save(update_fields=["period_kind"])
    Figure = type(figure)
    Figure.objects.exclude(pk=figure.pk).filter(metric=world["grids"]).update(period_kind="year")
    labels, values = bar_labels(client.get("/metrics/grid-count/?region_level=county&period_kind=year").content.decode())
    assert "300个" not in values and "西湖区" in labels
    rows = client.get("/api/v1/figures/?metric=grid-count&period_kind=months").json()["results"]
    assert [r["id"] for r in rows] == [figure.pk] and rows[0]["period_kind"] == "months"
    assert client.get("/api/v1/figures/?period_kind=decade").status_code == 400
