"""Canonical metrics and matching a figure's label to one.

A figure's label is what the text calls it (工业企业, 辖区内常住人口, 年产值); a
Metric is the canonical indicator many places share (工业企业数, 常住人口, 产值).
``match_metric`` picks the metric whose label is the longest one contained in
the figure's label, provided the units are compatible: 常住人口约15万 matches
常住人口, but 常住人口占全县三分之一 (a ratio) does not.

``METRICS`` is seeded into the database by the migration ``cases.0003_seed_metrics``
(a frozen copy; later additions go in a new migration); editors extend the labels in the admin, and callers can pass
the database's metrics to ``match_metric`` to use their edits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .units import quantity_of


@dataclass(frozen=True)
class MetricSpec:
    slug: str
    name: str
    quantity: str
    base_unit: str
    labels: tuple[str, ...] = field(default_factory=tuple)


# (slug, name, quantity, base unit, labels as texts write them)
METRICS = [
    MetricSpec("resident-population", "常住人口", "population", "人", ("常住人口", "常住人数")),
    MetricSpec("registered-population", "户籍人口", "population", "人", ("户籍人口", "户籍人数")),
    MetricSpec("grids", "网格数", "count", "个", ("网格", "基础网格", "全科网格", "划分网格")),
    MetricSpec("micro-grids", "微网格数", "count", "个", ("微网格",)),
    MetricSpec("grid-workers", "网格员数", "population", "人", ("网格员", "专职网格员", "兼职网格员", "网格指导员")),
    MetricSpec("industrial-enterprises", "工业企业数", "count", "家", ("工业企业", "规上工业企业", "规模以上工业企业")),
    MetricSpec("enterprises", "企业数", "count", "家", ("企业", "市场主体", "经营主体", "商贸业")),
    MetricSpec(
        "village-collective-operating-income", "村集体经营性收入", "money", "元",
        ("村集体经营性收入", "集体经营性收入", "经营性收入"),
    ),
    MetricSpec(
        "village-collective-income", "村集体收入", "money", "元",
        ("村集体收入", "村级集体经济收入", "集体经济收入", "村集体经济收入", "村集体经济收益", "集体经济收益"),
    ),
    MetricSpec(
        "per-capita-disposable-income", "人均可支配收入", "money", "元",
        ("人均可支配收入", "居民人均可支配收入", "城镇居民人均可支配收入"),
    ),
    MetricSpec(
        "rural-per-capita-disposable-income", "农村居民人均可支配收入", "money", "元",
        ("农村居民人均可支配收入", "农民人均可支配收入", "农民人均收入", "农村常住居民人均可支配收入"),
    ),
    MetricSpec("urban-rural-income-ratio", "城乡居民收入比", "ratio", "", ("城乡居民收入比", "城乡收入比", "城乡居民收入倍差")),
    MetricSpec("gdp", "地区生产总值", "money", "元", ("地区生产总值", "生产总值", "GDP", "经济总量")),
    MetricSpec("investment", "投资额", "money", "元", ("投资", "总投资", "完成投资", "累计投资", "投资金额", "投资额", "投入")),
    MetricSpec("output-value", "产值", "money", "元", ("产值", "年产值", "总产值", "工业产值", "规上工业产值")),
    MetricSpec("operating-revenue", "营业收入", "money", "元", ("营收", "营业收入", "经营收入", "销售额", "销售收入")),
    MetricSpec("employment", "就业人数", "population", "人", ("就业", "吸纳就业", "带动就业", "就业人数")),
    MetricSpec("volunteers", "志愿者数", "population", "人", ("志愿者", "志愿力量", "志愿服务者")),
    MetricSpec("tourist-visits", "游客人次", "population", "人次", ("游客", "接待游客", "旅游人次", "客流")),
    MetricSpec("tourism-revenue", "旅游收入", "money", "元", ("旅游收入", "旅游综合收入", "旅游总收入")),
    MetricSpec("party-members", "党员数", "population", "人", ("党员", "在职党员", "党员干部")),
    MetricSpec("area", "面积", "area", "平方公里", ("面积", "区域面积", "总面积", "辖区面积", "占地")),
    MetricSpec("land-transfer", "土地流转面积", "area", "亩", ("流转土地", "土地流转", "流转低效林")),
    MetricSpec("administrative-villages", "行政村数", "count", "个", ("行政村",)),
    MetricSpec("natural-villages", "自然村数", "count", "个", ("自然村",)),
    MetricSpec("communities", "社区数", "count", "个", ("社区", "城乡社区", "城市社区")),
    MetricSpec("households", "户数", "count", "户", ("农户", "户数", "茶农", "家庭")),
    MetricSpec("income-increase", "增收", "money", "元", ("增收", "户均增收", "人均增收")),
    MetricSpec("projects", "项目数", "count", "个", ("项目", "重点项目")),
    MetricSpec("disputes-resolved", "化解矛盾纠纷数", "count", "件", ("矛盾纠纷", "纠纷")),
    MetricSpec("issues-handled", "处置问题数", "count", "件", ("问题", "事件", "民生实事", "诉求")),
    MetricSpec("case-closure-rate", "办结率", "percent", "%", ("办结率", "处置率", "化解率")),
    MetricSpec("satisfaction-rate", "满意率", "percent", "%", ("满意率", "满意度", "好评率")),
    MetricSpec("completion-rate", "完成率", "percent", "%", ("完成率",)),
    MetricSpec("social-organizations", "社会组织数", "count", "家", ("社会组织", "社区社会组织", "公益组织")),
    MetricSpec("common-prosperity-workshops", "共富工坊数", "count", "家", ("共富工坊",)),
    MetricSpec("strong-village-companies", "强村公司数", "count", "家", ("强村公司",)),
    MetricSpec("low-income-households", "低收入农户数", "count", "户", ("低收入农户", "低保户", "低收入家庭")),
    MetricSpec("hospital-beds", "床位数", "count", "张", ("床位",)),
    MetricSpec("elderly-population-share", "老年人口占比", "percent", "%", ("老年人口", "岁以上老人", "老龄化率")),
    MetricSpec("urbanization-rate", "城镇化率", "percent", "%", ("城镇化率", "城市化率")),
    MetricSpec("community-workers", "社区工作者数", "population", "人", ("社区工作者", "社工", "专职社工", "社会工作师")),
    MetricSpec("schools", "学校数", "count", "所", ("学校", "小规模学校", "中小学", "幼儿园")),
]

# Units that count the same thing (名, 位 → 人 are canonicalised already; these are near enough).
_COMPATIBLE = {
    "个": {"个", "家", "所", "处", "座"},
    "家": {"家", "个", "户"},
    "件": {"件", "起", "个", "项", "条"},
    "户": {"户", "家"},
    "张": {"张"},
}

_RATIO_WORDS = ("占比", "比重", "比例", "占全", "率")


def match_metric(label: str, base_unit: str, metrics: Iterable[MetricSpec] | None = None) -> str | None:
    """The slug of the canonical metric for a figure's label and base unit, or None.

    The longest metric label contained in ``label`` wins (微网格 beats 网格,
    农村居民人均可支配收入 beats 人均可支配收入); the figure's base unit must suit
    the metric (a share of the population is not a population). Among labels of one
    length the earlier metric wins.
    """
    if not label:
        return None
    pairs = _DEFAULT_PAIRS if metrics is None else _labels_longest_first(metrics)
    ratio_label = any(word in label for word in _RATIO_WORDS)
    for text, metric in pairs:
        # Cheap containment first: most labels contain none of a metric's words.
        if text in label and _units_fit(metric, base_unit, ratio_label) and counts_it(metric, text, label):
            return metric.slug
    return None


def _labels_longest_first(metrics: Iterable[MetricSpec]) -> list[tuple[str, MetricSpec]]:
    """Every (label text, metric), longest text first; the sort is stable, so ties keep metric order."""
    pairs = [(text, metric) for metric in metrics for text in metric.labels if text]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


_DEFAULT_PAIRS = _labels_longest_first(METRICS)


# --- the counted noun ---------------------------------------------------------
#
# A count counts the head of its noun phrase, and a Chinese head comes last: 网格党支部149个 counts
# 党支部 (the 网格 only says which), “红心”网格驿站12个 counts 驿站, while 基础网格1611个 and
# 网格62个 count 网格. So for metrics of counted things (count, population) the metric's word must
# not be followed, in the figure's label, by another noun it modifies. A verb may follow
# (在职党员即刻响应6045名 still counts 党员). Word classes come from jieba's tagger.

COUNTED_QUANTITIES = {"count", "population"}
NOUN_TAGS = {"n", "nt", "j", "ng", "nl"}
MODIFIER_TAGS = {"vn", "a", "b", "an", "q"}  # 服务综合体, 应急救援队, 级…: a noun may come after them
#: Words the tagger calls nouns that read as verbs after a subject (项目落地, 项目亮相).
VERB_LIKE = {"落地", "亮相", "组团", "集结", "入驻", "签约", "开工", "投用", "建成", "精准"}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def counts_it(metric, text: str, label: str) -> bool:
    """Whether ``label`` counts what the metric's word ``text`` names (it is the head, not a modifier)."""
    if metric.quantity not in COUNTED_QUANTITIES:
        return True
    tail = label[label.rfind(text) + len(text):]
    return not _starts_with_noun(tail)


@lru_cache(maxsize=4096)
def _starts_with_noun(tail: str) -> bool:
    tail = tail.lstrip("”’\"'）)")
    if not tail or not _CJK.match(tail):
        return False
    if re.match(r"(?:数|量|数量|总数|个数|人数|总量|规模|队伍|总人数|资源)(?![\u4e00-\u9fff])", tail):
        return False  # 网格数, 志愿者队伍: still the metric's thing
    import jieba  # noqa: PLC0415 - the tagger loads its dictionary on first use only
    import jieba.posseg  # noqa: PLC0415

    jieba.setLogLevel(60)  # no "Building prefix dict" chatter on stderr

    words = [(w.word, w.flag) for w in jieba.posseg.cut(tail, HMM=False)]
    if words and words[0][0] == "的":
        words = words[1:]
    for word, flag in words[:3]:
        if word in VERB_LIKE:
            return False
        if flag in NOUN_TAGS:
            return True
        if flag not in MODIFIER_TAGS:
            return False
    return False


def _units_fit(metric: MetricSpec, base_unit: str, ratio_label: bool) -> bool:
    """Whether a figure in ``base_unit`` can be this metric; ``ratio_label``: its label names a share or rate."""
    if metric.quantity in ("percent", "ratio"):
        return base_unit == metric.base_unit or (metric.quantity == "ratio" and base_unit in ("", "倍"))
    if ratio_label or base_unit in ("%", "比例", "百分点"):
        return False
    if base_unit == metric.base_unit:
        return True
    if metric.quantity == "count":
        return base_unit in _COMPATIBLE.get(metric.base_unit, {metric.base_unit})
    return quantity_of(base_unit) == metric.quantity
