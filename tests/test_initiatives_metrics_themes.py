"""Initiatives, canonical metrics and themes proposed for an article."""

import pytest

from cases.ingest.initiatives import extract_initiatives
from cases.ingest.metrics import METRICS, MetricSpec, match_metric
from cases.ingest.themes import assign_themes


def names(text):
    return [c.name for c in extract_initiatives(text)]


# --- initiatives -------------------------------------------------------------


def test_quoted_names_and_formulas():
    body = "深入实施“14361”发展战略，以“一张网格管治理”为切入点，按“1+3+N”模式配备网格力量。"
    assert names(body) == ["14361发展战略", "一张网格管治理", "1+3+N模式"]


def test_a_quoted_number_is_named_with_the_noun_after_it():
    body = "改革“1612”体系特别是基层治理，推进“141”。聚力“558”工作体系，“1+3+N”的青创空间格局，实施“156”重大项目。"
    found = extract_initiatives(body)
    assert [c.name for c in found] == ["1612体系", "558工作体系", "1+3+N", "156重大项目"]
    # The evidence span reads as written, closing quote included.
    assert body[found[0].start:found[0].end] == "1612”体系"
    # A bare number alone ("141") names nothing a reader could look up.
    assert "141" not in [c.name for c in found]


def test_offsets_point_at_the_name():
    body = "该乡打造“小京生共富工坊”，带动村民增收。"
    (found,) = extract_initiatives(body)
    assert body[found.start:found.end] == "小京生共富工坊"


def test_quoted_speech_and_ordinary_words_are_left_out():
    body = "村民说：“我们的日子越过越好了。”他是群众身边的“中枢”，工作有“系统性”。"
    assert names(body) == []


def test_words_of_the_language_in_quotes_are_not_names():
    assert names("全镇下好“一盘棋”，打出“组合拳”，服务“零距离”。") == []
    # … unless a cue word makes them one
    assert names("建立“照镜子”机制。") == ["照镜子"]


def test_a_quoted_rule_with_a_figure_is_not_a_name():
    assert names("按“每万人不少于18名社工”标准配备。") == []


def test_honours_are_not_initiatives():
    assert names("她获评“浙江省最美护理人”和“有礼之星”。") == []


def test_unquoted_names_with_a_cue_word():
    assert "思想政治引领行动" in names("该区实施思想政治引领行动，组织培训。")
    assert names("推进了湖海塘公园绿化提档工程。") == ["湖海塘公园绿化提档工程"]


def test_two_part_slogans_and_strategies():
    assert names("制定了“南北封闭，东西畅通”的保通方案。") == ["南北封闭，东西畅通"]
    assert names("深入实施人才强区首位战略，打造蚂蚁小镇客厅。") == ["人才强区首位战略", "蚂蚁小镇客厅"]


def test_straight_quotes_are_paired_even_after_a_stray_one():
    body = '建立"双线联动"工作机制,建立"点长制"工作体系。'
    assert names(body) == ["双线联动", "点长制"]
    body = '他说:"太好啦,终于可以施工了!"在"乡贤助企纾困"协调会上。'
    assert names(body) == ["乡贤助企纾困"]


def test_each_name_once():
    assert names("推行“网格代办”。“网格代办”覆盖全镇。") == ["网格代办"]


def test_a_quoted_figure_is_not_an_initiative():
    assert names("进入“50 强”。") == []


def test_a_quoted_chain_is_a_structure_unless_it_names_a_mechanism():
    assert names("构建“社区-网格-微网格”三级组织架构。") == []
    assert names("构建“村社-网格-小组-农户”五级联动防控机制。") == ["村社-网格-小组-农户"]


def test_rhetorical_contrasts_of_quoted_words_are_not_names():
    assert names("变“人找政策”为“政策找人”，推行“网格代办”。") == ["网格代办"]
    assert names("以“小空间”换取了“大满意”。") == []


def test_problems_honours_and_figures_of_speech_are_not_names():
    assert names("破解民生“关键事”，避免“空心村”现象。") == []
    assert names("杭州被评为“中国最具幸福感城市”，打造治理“金名片”。") == []
    assert names("守护“大民生”，推出“小区码”。") == ["小区码"]


def test_lists_of_short_words_titles_and_long_descriptions_are_not_names():
    assert names("发挥“人熟、地熟、情况熟”优势，深化“查、督、改、验”。") == []
    assert names("实施“微改造、精提升”行动。") == ["微改造、精提升"]
    assert names("获评“全国（2020）”，“将搬迁集聚渔农民纳入住房保障范围”试点推开。") == []


# --- metrics -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "unit", "slug"),
    [
        ("常住人口", "人", "resident-population"),
        ("辖区内常住人口", "人", "resident-population"),
        ("工业企业", "家", "industrial-enterprises"),
        ("微网格", "个", "micro-grids"),
        ("网格", "个", "grids"),
        ("专职网格员", "人", "grid-workers"),
        ("农村居民人均可支配收入", "元", "rural-per-capita-disposable-income"),
        ("居民人均可支配收入", "元", "per-capita-disposable-income"),
        ("城乡居民收入比", "", "urban-rural-income-ratio"),
        ("问题办结率", "%", "case-closure-rate"),
        ("区域面积", "平方公里", "area"),
        ("常住人口占全县比重", "比例", None),
        ("常住人口", "%", None),
        ("", "人", None),
        ("一段与指标无关的话", "个", None),
    ],
)
def test_match_metric(label, unit, slug):
    assert match_metric(label, unit) == slug


def test_match_metric_uses_the_metrics_given():
    custom = [MetricSpec("tea-gardens", "茶园面积", "area", "亩", ("茶园",))]
    assert match_metric("覆盖茶园", "亩", custom) == "tea-gardens"
    assert match_metric("覆盖茶园", "亩") is None


@pytest.mark.django_db
def test_metrics_are_seeded_with_labels():
    from cases.models import Metric

    seeded = {m.slug: m for m in Metric.objects.all()}
    for spec in METRICS:
        assert spec.slug in seeded
        assert seeded[spec.slug].name == spec.name
        assert seeded[spec.slug].base_unit == spec.base_unit
        assert list(spec.labels) == seeded[spec.slug].labels
    assert seeded["resident-population"].get_quantity_display() == "人口/人次"


@pytest.mark.django_db
def test_match_metric_against_the_database_metrics():
    from cases.models import Metric

    Metric.objects.filter(slug="grids").update(labels=["网格", "全科网格", "治理网格"])
    specs = [MetricSpec(m.slug, m.name, m.quantity, m.base_unit, tuple(m.labels)) for m in Metric.objects.all()]
    assert match_metric("治理网格", "个", specs) == "grids"


# --- themes ------------------------------------------------------------------


@pytest.fixture
def vocabulary(db):
    from cases.models import Theme

    return list(Theme.objects.values_list("slug", "keywords"))


def test_themes_from_keywords_initiatives_and_metrics(vocabulary):
    body = (
        "街道坚持党建引领，深化网格智治，把全域划分为网格和微网格，网格员每天走访群众，"
        "党员带头参与网格治理，网格党支部牵头化解矛盾纠纷。网格员队伍不断壮大。"
    )
    themes = assign_themes(body, ["党建+网格"], ["grids", "grid-workers"], vocabulary)
    assert themes[0] == "grid-governance"
    assert "party-building" in themes
    assert "ethnic-unity" not in themes


def test_no_theme_for_an_unrelated_text(vocabulary):
    assert assign_themes("今天天气很好，大家去公园散步。", [], [], vocabulary) == []


def test_village_economy_from_metrics(vocabulary):
    body = "村里成立强村公司，发展集体经济，村集体经营性收入逐年提高。"
    assert "village-economy" in assign_themes(body, [], ["village-collective-operating-income"], vocabulary)


def test_article_keywords_use_one_tfidf_extractor_per_process():
    import jieba.analyse

    from cases.ingest.themes import _keyword_extractor, article_keywords

    assert isinstance(_keyword_extractor(), jieba.analyse.TFIDF)
    assert _keyword_extractor() is _keyword_extractor()
    assert "网格" in article_keywords("七星街道的网格员每天走访网格，网格员记录民情。")
    assert article_keywords("  ") == []
