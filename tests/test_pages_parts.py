"""The pages' small pure parts: quote highlighting, chart geometry, number formatting, the tree."""

from decimal import Decimal

import pytest

from pages.charts import ChartItem, bar_chart, format_number, line_chart, nice_ticks
from pages.codebook import codebook
from pages.facets import build_tree
from pages.highlight import Segment, quote_segments
from regions.models import Level, Region


def test_quotes_split_the_body_and_overlaps_merge():
    body = "全域划分175个网格，常住人口约15万人。"
    segments = quote_segments(body, [(2, 11, 20), (1, 0, 10), (3, 13, 20), (4, 5, 99)])
    assert "".join(s.text for s in segments) == body
    assert segments == [
        Segment("全域划分175个网格", (1,)),
        Segment("，"),
        Segment("常住人口约15万人", (2, 3)),
        Segment("。"),
    ]
    assert quote_segments("", [(1, 0, 3)]) == []
    assert quote_segments("正文", []) == [Segment("正文")]


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("150000.000000"), "150,000"), (Decimal("12.500000"), "12.5"), (0.333, "0.33"), (-4, "-4"), (None, ""),
])
def test_numbers_read_naturally(value, text):
    assert format_number(value) == text


def test_ticks_cover_the_data_with_round_steps():
    assert nice_ticks(0, 225) == [0, 50, 100, 150, 200, 250]
    assert nice_ticks(-3, 7)[0] <= -3 and nice_ticks(-3, 7)[-1] >= 7
    assert nice_ticks(0, 0.37) == [0.0, 0.1, 0.2, 0.3, 0.4]
    assert len(nice_ticks(0, 0)) >= 2


def test_bars_are_proportional_and_negative_values_go_left():
    chart = bar_chart([ChartItem("甲", 200), ChartItem("乙", 100), ChartItem("丙", -50)])
    big, small, negative = chart.bars
    assert big.width == pytest.approx(2 * small.width)
    assert big.x == pytest.approx(chart.zero_x) and negative.x + negative.width == pytest.approx(chart.zero_x)
    assert big.y < small.y < negative.y  # one row each, in the given order
    assert chart.ticks[0].value <= -50 and chart.ticks[-1].value >= 200
    assert all(chart.label_width <= b.x and b.x + b.width <= chart.width for b in chart.bars)


def test_lines_run_left_to_right_by_year_and_up_with_the_value():
    chart = line_chart({
        "七星街道": [(2023, ChartItem("七星街道", 175)), (2021, ChartItem("七星街道", 100))],
        "甘霖镇": [(2022, ChartItem("甘霖镇", 125))],
    })
    qixing, ganlin = chart.series
    assert [p.year for p in qixing.points] == [2021, 2023]
    assert qixing.points[0].x < ganlin.points[0].x < qixing.points[1].x
    assert qixing.points[1].y < qixing.points[0].y  # SVG y grows downwards
    assert qixing.color != ganlin.color
    assert [t.label for t in chart.x_ticks] == ["2021", "2022", "2023"]
    assert qixing.polyline.count(",") == 2


def test_tree_nests_by_code_and_skips_missing_levels():
    def region(code, name, level):
        return Region(code=code, name=name, level=level)

    regions = {r.code: r for r in [
        region("330600000000", "绍兴市", Level.CITY), region("330624000000", "新昌县", Level.COUNTY),
        region("330624001000", "七星街道", Level.TOWN), region("330683104000", "甘霖镇", Level.TOWN),
    ]}
    counts = {"330600000000": 3, "330624000000": 1, "330624001000": 1, "330683104000": 2, "330999000000": 5}
    (city,) = build_tree(counts, regions)
    assert city.name == "绍兴市" and city.count == 3
    # 甘霖镇's county is not in the counts: it hangs on the city, before 新昌县 (more cases)
    assert [c.name for c in city.children] == ["甘霖镇", "新昌县"]
    assert [c.name for c in city.children[1].children] == ["七星街道"]


def test_codebook_lists_every_field_with_its_help_text():
    book = {model.name: model for model in codebook()}
    figure = {f.name: f for f in book["Figure"].fields}
    assert figure["normalized_value"].label == "归一化数值"
    assert "150000" in figure["normalized_value"].help_text
    assert "约数" in figure["qualifier_kind"].choices
    assert figure["article_id"].type == "关联 → 文章" and figure["article_id"].required
    assert {"regions", "themes"} <= {f.name for f in book["Article"].fields}
    assert book["Figure"].label == "数字" and list(book)[0] == "Article"
