"""Outcome figures found in short clauses, the way an editor would read them."""

from decimal import Decimal

import pytest

from cases.ingest.figures import extract_figures


def only(text):
    figures = extract_figures(text)
    assert len(figures) == 1, [(f.value, f.unit, f.quote) for f in figures]
    return figures[0]


def written(text):
    return [(f.qualifier, f.value, f.unit) for f in extract_figures(text)]


@pytest.mark.parametrize(
    ("text", "qualifier", "kind", "value", "unit", "normalized", "base"),
    [
        ("全镇常住人口约15万，", "约", "approx", "15", "万人", "150000", "人"),
        ("全年投资1.2亿元。", "", "exact", "1.2", "亿元", "120000000", "元"),
        ("月收入两万多元。", "多", "over", "20000", "元", "20000", "元"),
        ("参与群众超千人。", "超", "over", "1000", "人", "1000", "人"),
        ("撬动社会资本百亿元。", "", "exact", "10000000000", "元", "10000000000", "元"),
        ("服务群众万余人次。", "余", "over", "10000", "人次", "10000", "人次"),
        ("该村有农户近４００户。", "近", "under", "400", "户", "400", "户"),
        ("化解纠纷130余起。", "余", "over", "130", "起", "130", "起"),
        ("户均增收3000元以上。", "以上", "over", "3000", "元", "3000", "元"),
        ("满意率达95%以上。", "以上", "over", "95", "%", "95", "%"),
        ("服务对象逾500名。", "逾", "over", "500", "名", "500", "人"),
        ("销量突破2万箱。", "突破", "over", "2", "万箱", "20000", "箱"),
        ("受益群众不到300人。", "不到", "under", "300", "人", "300", "人"),
        ("每天接待游客2000人左右。", "左右", "approx", "2000", "人", "2000", "人"),
        ("年产茶叶30多万斤。", "多", "over", "30", "万斤", "300000", "斤"),
        ("改造厂房60平 方米。", "", "exact", "60", "平方米", "60", "平方米"),
        ("改造后租金每亩800元/亩。", "", "exact", "800", "元/亩", "800", "元/亩"),
        ("新增绿地2.5万平方米。", "", "exact", "2.5", "万平方米", "25000", "平方米"),
        ("建成绿道12公里。", "", "exact", "12", "公里", "12", "公里"),
        ("流转土地436亩。", "", "exact", "436", "亩", "436", "亩"),
        ("接待游客5.6万人次。", "", "exact", "5.6", "万人次", "56000", "人次"),
        ("走访企业80家次。", "", "exact", "80", "家次", "80", "家次"),
        ("仅用1个小时就完成。", "", "exact", "1", "个小时", "1", "小时"),
        ("增速高出全省1.2个百分点。", "", "exact", "1.2", "个百分点", "1.2", "百分点"),
        ("完成投资 191.41 亿 元。", "", "exact", "191.41", "亿元", "19141000000", "元"),
    ],
)
def test_value_unit_and_qualifier(text, qualifier, kind, value, unit, normalized, base):
    figure = only(text)
    assert (figure.qualifier, figure.qualifier_kind) == (qualifier, kind)
    assert figure.value == Decimal(value)
    assert figure.unit == unit
    assert figure.normalized_value == Decimal(normalized)
    assert figure.base_unit == base


def test_fractions_become_decimals():
    figure = only("辖区人口占全县三分之一。")
    assert (figure.value, figure.unit) == (Decimal("0.333"), "比例")
    figure = only("红茶产量占全县的 1/6。")
    assert figure.value == Decimal("0.167")
    assert only("经济总量约占全县一半。").value == Decimal("0.5")
    assert only("2/3以上的村民参与。").value == Decimal("0.667")


def test_ranges():
    figure = only("每个支部包联3至5个小区。")
    assert (figure.value, figure.value_max, figure.unit, figure.qualifier_kind) == (3, 5, "个", "range")
    figure = only("每名党员联系4—5幢楼。")
    assert (figure.value, figure.value_max, figure.unit) == (4, 5, "幢")
    assert figure.normalized_value_max == 5


def test_a_change_from_one_value_to_another_gives_two_figures():
    figures = extract_figures("城乡居民收入比从2.37缩小到1.83。")
    assert [(f.value, f.unit) for f in figures] == [(Decimal("2.37"), ""), (Decimal("1.83"), "")]
    assert all(f.label == "城乡居民收入比" for f in figures)
    figures = extract_figures("停车位从3到5个。")
    assert [f.value for f in figures] == [3, 5]
    assert all(f.qualifier_kind == "exact" for f in figures)


def test_a_ratio_without_unit_needs_a_ratio_label():
    figure = only("全市城乡收入倍差降至1.54，")
    assert (figure.value, figure.unit, figure.label) == (Decimal("1.54"), "", "城乡收入倍差")
    assert extract_figures("编号为1.54的文件。") == []


def test_a_rise_from_one_rate_to_another_shares_the_label():
    figures = extract_figures("全省“一肩挑”率从12.23%提高到98.43%。")
    assert [(f.value, f.label) for f in figures] == [(Decimal("12.23"), "“一肩挑”率"), (Decimal("98.43"), "“一肩挑”率")]


def test_a_count_in_wan_without_unit():
    figure = only("全省注册用户数突破7800万。")
    assert (figure.value, figure.unit, figure.normalized_value, figure.base_unit) == (7800, "万", 78_000_000, "")
    assert only("全省有700多万个体工商户。").unit == "万"


def test_a_headline_number_is_the_figure_its_sentence_reports():
    figures = extract_figures("38项\n浙江出台38项稳经济政策措施\n近日，浙江印发通知，共38项稳经济政策措施。")
    assert len(figures) == 1
    assert figures[0].quote.startswith("共38项") or "共38项" in figures[0].quote or figures[0].start > 20


def test_cue_words_after_a_counted_thing_do_not_make_a_name():
    assert [f.value for f in extract_figures("确定73项重点工作和46项重点改革，明确12条工作路径。")] == [73, 46, 12]


def test_people_counted_in_wan():
    figure = only("全县3.5万农民幸福安居。")
    assert (figure.unit, figure.normalized_value, figure.base_unit) == ("万人", 35000, "人")


def test_slogans_of_round_numbers():
    assert extract_figures("打造万亩平台、构筑千亿集群。") == []


def test_structure_is_not_an_outcome():
    assert extract_figures("从5个方面推进试点，抓好3个环节，聚焦5个重点。") == []
    assert only("出台20个重点产品碳足迹核算规则。").value == 20


def test_respectively_gives_two_figures_with_one_label():
    figures = extract_figures("两项收入分别增长2.2%和1.8%。")
    assert [(f.value, f.unit) for f in figures] == [(Decimal("2.2"), "%"), (Decimal("1.8"), "%")]
    assert figures[0].label == figures[1].label != ""


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("全镇有工业企业762家，", "工业企业"),
        ("辖区内常住人口约15万，", "常住人口"),
        ("共划分175个网格，", "网格"),
        ("另有827个微网格。", "微网格"),
        ("问题办结率达100%。", "问题办结率"),
        ("集镇人口就占了 80%。", "集镇人口"),
        ("建成“共富工坊”12家。", "共富工坊"),
        ("每个社区配备网格员3名。", "网格员"),
    ],
)
def test_metric_label(text, label):
    assert only(text).label == label


def test_quote_is_literal_and_short():
    body = "（一）基本情况。辖区面积12平方公里，有行政村9个，常住人口约２万人，其中外来人口多。"
    figures = extract_figures(body)
    assert [f.value for f in figures] == [12, 9, 2]
    for figure in figures:
        assert body[figure.start:figure.end] == figure.quote
        assert len(figure.quote) <= 60
        assert str(figure.value.normalize()) in figure.quote.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    assert figures[2].quote == "常住人口约２万人"


def test_year_is_taken_from_the_sentence_when_written():
    figures = extract_figures("2023年新建驿站4个。今年新增志愿者300名。")
    assert [(f.value, f.year) for f in figures] == [(4, 2023), (300, None)]
    assert figures[1].period == "今年"


def test_year_after_jiezhi_and_since():
    assert only("截至2024年11月底，累计发布岗位信息1.7万余条。").year == 2024
    figure = only("2023年以来，推动112个服务事项标准统一。")
    assert (figure.year, figure.period) == (2023, "2023年以来")


def test_a_figure_of_the_present_has_no_past_year():
    assert only("从2019年1月起探索建立的平台，如今已有10多个载体加入。").year is None


def test_period_of_years():
    figure = only("2021—2023年累计投入5000万元。")
    assert figure.year is None
    assert figure.period == "2021—2023年"


@pytest.mark.parametrize("cue", ["力争", "预计", "计划", "目标是"])
def test_targets_are_flagged(cue):
    assert only(f"{cue}到年底建成驿站20个。").is_target
    assert not only("年底已建成驿站20个。").is_target


def test_a_programme_called_plan_is_no_target():
    assert not only("实施西湖英才计划，引进人才100名。").is_target


@pytest.mark.parametrize(
    "text",
    [
        "2023年5月20日召开会议。",  # dates
        "一是强化领导，二是压实责任。",  # list markers
        "第三批试点名单公布。",  # ordinals
        "1、加强组织领导。",
        "深入实施“14361”发展战略。",  # names made of numbers
        "按“1+3+N”模式配备力量。",
        "形成“2会3盟N分会”架构。",
        "打造15分钟生活圈。",
        "编制“十四五”规划。",
        "设立919爱心基金。",
        "推进千项万亿工程。",
        "开展“十个一”活动。",
        "建立三级联动机制，形成三方协同。",  # structural counts in slogans
        "实施五大行动，搭建四个平台。",
        "吸引数万游客。",  # vague amounts
        "千家万户受益。",
        "一次次奔赴，千万次回响。",
        "本期第24期，见第12页。",
        "舟山市普陀区舟山市普陀区44条航线常态化飞行条航线。",  # doubled caption
        "宇树科技宇树科技GG11型机器人。",
        "建成5G基站，创建4A级景区。",
        "排名全国前10名。",
    ],
)
def test_not_figures(text):
    assert extract_figures(text) == []


def test_small_chinese_numbers_count_only_with_a_qualifier():
    figure = only("联合十余个部门开展整治。")
    assert (figure.value, figure.qualifier, figure.unit) == (10, "余", "个")
    assert only("培育二十多家示范企业。").value == 20
    assert extract_figures("建立十个平台，开展三项行动。") == []


def test_duration_counts_only_with_a_cue():
    assert only("连续三年入选全国名单。").value == 3
    assert extract_figures("近三年来变化很大。") == []
    assert only("“成立8年，合作社从十几户发展到现在。”").value == 8
    assert only("55年来，村里一直有唱越剧的传统。").value == 55
    assert extract_figures("2023年来，村里变化很大。") == []
    assert only("他与木雕相伴已40年。").value == 40


@pytest.mark.parametrize(
    "text",
    [
        "对常住人口500人以上的行政村组建强村公司的，给予补助。",
        "对引进签约亿元以上项目的乡镇给予奖励。",
        "为80周岁以上老人提供助餐服务。",
        "常住人口不足300人的村要加快合并。",
        "集体经营性收入达到100万元的，再给予奖励。",
    ],
)
def test_thresholds_inside_noun_phrases_are_conditions(text):
    assert extract_figures(text) == []


def test_the_count_of_places_past_a_threshold_is_the_figure():
    assert [(f.value, f.unit) for f in extract_figures("其中经营性收入超过100万元的村有4个。")] == [(4, "个")]


def test_a_threshold_that_ends_the_clause_is_a_figure():
    figure = only("全县茶园面积稳定在15万亩以上。")
    assert (figure.value, figure.unit, figure.qualifier) == (15, "万亩", "以上")
    assert only("带动1000人以上就业。").value == 1000


def test_negated_qualifiers_keep_their_negation():
    figure = only("每家补助不超过50万元。")
    assert (figure.value, figure.qualifier, figure.qualifier_kind) == (50, "不超过", "under")
    assert only("县级财政每年安排不少于2000万元。").qualifier == "不少于"


def test_small_counted_numerals_after_an_action_are_figures():
    assert [(f.value, f.unit) for f in extract_figures("村里组建了两支越剧队，每年举办四场村晚。")] == [(2, "支"), (4, "场")]
    figure = only("吸引上千户村民前来观看。")
    assert (figure.value, figure.unit, figure.qualifier) == (1000, "户", "上")
    assert extract_figures("建立一支队伍，形成三级联动。") == []


def test_a_count_told_twice_is_recorded_once():
    figures = extract_figures("霞田、石柱、高岭、金溪4个村联合成立强村公司，由4个村按股份出资。")
    assert [(f.value, f.unit) for f in figures] == [(4, "个")]


def test_units_are_kept_as_printed():
    figure = only("12栋闲置农房改造成了民宿。")
    assert (figure.unit, figure.base_unit) == ("栋", "幢")


def test_a_quoted_figure_is_still_a_figure():
    figure = only("力争进入县域综合竞争力“50 强”。")
    assert (figure.value, figure.unit) == (50, "强")


def test_repeated_figure_is_recorded_once():
    figures = extract_figures("全镇有工业企业762家。……前文已述，工业企业762家。")
    assert len(figures) == 1
    assert figures[0].start < 10


def test_different_metrics_with_the_same_value_are_kept():
    assert len(extract_figures("办结率达100%，管控率均为100%。")) == 2


def test_metric_slug_is_matched():
    assert only("辖区内常住人口约15万，").metric_slug == "resident-population"
    assert only("有工业企业762家，").metric_slug == "industrial-enterprises"
    assert only("人口占全县三分之一。").metric_slug is None


def test_empty_and_numberless_bodies():
    assert extract_figures("") == []
    assert extract_figures("没有数字的一段话。") == []


# --- invariants the database relies on, on arbitrary text ------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ALPHABET = "0123456789０１.%/，。、“”\"约近超余多以上下左右至到—-万亿千百十一二两三四五分之个家人名元亩平方米公里年月日第是从增长为达率比和的网格企业常住人口\n "


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=120))
def test_every_figure_can_be_stored(body):
    for figure in extract_figures(body):
        assert 0 <= figure.start < figure.end <= len(body)
        assert body[figure.start:figure.end] == figure.quote != ""
        assert len(figure.quote) <= 60
        assert figure.value_max is None or figure.value_max >= figure.value
        assert figure.qualifier_kind != "range" or figure.value_max is not None
        assert figure.qualifier_kind in {"exact", "approx", "over", "under", "range"}
        assert len(figure.unit) <= 20 and len(figure.label) <= 100 and len(figure.qualifier) <= 10
        assert figure.year is None or 1949 <= figure.year <= 2100
        assert figure.normalized_value is not None
        for value in (figure.value, figure.value_max, figure.normalized_value, figure.normalized_value_max):
            assert value is None or (abs(value) < 10**18 and value.as_tuple().exponent >= -6)


def test_numbers_too_long_to_be_figures():
    assert extract_figures("编号123456789012345678901个，比例3.14159265%。") == []
