"""Find outcome figures in an article body.

``extract_figures(body)`` returns one ``FigureCandidate`` per figure the text
reports (常住人口约15万, 工业企业762家, 办结率达100%), with the number as written
and normalised, its qualifier, the metric label the text gives it, the year
where one is written, whether it is a target (力争, 预计 …), and the shortest
quote around it with offsets such that ``body[start:end] == quote``.

The rules are general: a number needs a unit (or a 万/亿 multiplier with a
label that implies one, or a ratio label such as 收入比) to be a figure, and
numbers that only name or order things are dropped: dates, ordinals and list
markers, numbers inside names (“14361”, “1+3+N”, 15分钟生活圈, 十四五), small
Chinese numerals in slogans (三级, 五大行动, 四个平台), vague amounts (数万) and
the fake numbers doubled PDF captions make (GG11, 44条).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .metrics import match_metric
from .numbers import CN_NUMERAL_CHARS, NumberError, parse_number, to_half_width
from .periods import period_kind, sentence_before
from .units import UNITS, normalize

QUOTE_MAX = 60

# Qualifiers as written → kind. Order matters: longer words first in the regexes.
PRE_QUALIFIERS = {
    "大约": "approx", "约为": "approx", "约": "approx",
    "将近": "under", "接近": "under", "近": "under", "不到": "under", "不足": "under", "少于": "under", "低于": "under",
    "超过": "over", "超": "over", "逾": "over", "突破": "over", "多于": "over", "高于": "over", "不少于": "over",
    "不低于": "over", "至少": "over",
    # negations keep their word: 不超过50万元 is at most 50万元, not over it
    "不超过": "under", "不高于": "under", "不多于": "under", "最多": "under",
    "上": "over",  # 上千户: only before a round Chinese numeral (see _figures_from_match)
}
INNER_QUALIFIERS = {"余": "over", "多": "over"}
POST_QUALIFIERS = {"以上": "over", "多": "over", "余": "over", "以下": "under", "以内": "under", "左右": "approx", "上下": "approx"}

TARGET_CUES = re.compile(
    r"力争|预计|争取|有望|将要|将达|将实现|将增加|将超|将突破|将新增|将带动|将可|到\s*20\d\d\s*年|"
    r"计划(?=到|在|于|投资|总投资|新建|建设|建成|实现|用|年内|今年|明年|\d)|目标(?=是|为|到|：|:)"  # not 英才计划, 目标任务
)

S = r"[ \u3000]?"  # PDF text puts stray spaces inside numbers and units
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
CN = rf"[{CN_NUMERAL_CHARS}]+"
MULT = r"(?:千万|百万|十万|万亿|万|亿)"


def _unit_pattern() -> str:
    units = sorted(set(UNITS), key=len, reverse=True)
    spaced = [S.join(re.escape(ch) for ch in unit) for unit in units]
    simple = "|".join(spaced)
    return rf"(?:{simple})(?:/(?:{simple}))?"


UNIT = _unit_pattern()

FIGURE_RE = re.compile(
    rf"""
    (?P<pre>{'|'.join(sorted(PRE_QUALIFIERS, key=len, reverse=True))})?{S}
    (?:
        (?P<frac>(?:{ARABIC}|{CN})分之(?:{ARABIC}|{CN})|百分之(?:{ARABIC}|{CN})|{ARABIC}{S}/{S}{ARABIC}(?![\d/]|{S}[日月号])|一半|半数)(?P<fpost>以上|以下|左右)?
      |
        (?P<num>{ARABIC}|{CN})
        (?:{S}(?P<rsep>至|到|—|－|-|~|～|–){S}(?P<num2>{ARABIC}|{CN}))?
        {S}(?P<inner>余|多)?
        {S}(?P<mult>{MULT})?
        {S}(?P<inner2>余|多)?
        {S}(?P<unit>{UNIT})?
        (?P<post>以上|以下|以内|左右|上下)?
    )
    """,
    re.VERBOSE,
)

YEAR_RE = re.compile(r"(?<![\d—\-－~～])(?<!\d至)(?<!\d到)((?:19|20)\d{2})\s*年(?!\s*[—\-－~～至到])")
PERIOD_RE = re.compile(
    r"(?:19|20)\d{2}\s*[—\-－~～至到]\s*(?:(?:19|20)?\d{2})\s*年|近[一二三四五六七八九十两\d]+年|"
    r"(?:19|20)\d{2}\s*年(?:以来|来|起|开始)|“?十[一二三四五六]五”?(?:期间|时期|以来)?|(?:今|去|前)年(?:以来|上半年|前三季度)?|上半年|前三季度"
)
CLAUSE_STOPS = "，。；：！？,;:!?\n（）()《》【】▲■、"
SENTENCE_STOPS = "。；！？;!?\n▲■"
LEADING_FILLERS = re.compile(
    r"^(?:“(?=[^”]*$)|等|全[市县区镇乡省村国]|其中|目前|现有|共有|拥有|已有|累计|共计|合计|总计|全年|同时|此外|另外|并|且|已|共|有|现|全|辖区内|辖区|以及|和|与|及)+"
)
TRAILING_FILLERS = re.compile(
    r"(?:约为|约有|约占|约|大约|将近|接近|近|达到|已达|高达|多达|达|均为|均|分别为|分别|为|是|有|超过|超|逾|突破|不到|不足|"
    r"共计|共|合计|总计|累计|计|已|就|了|占了|占|也|都|仅|只有|只|将|增加到|增加|增长到|增长|提高到|提升到|上升到|"
    r"下降到|缩小到|减少到|降至|降到|到|至|从|由|的|在|，)+$"
)
# Between two figures of one metric: 2.2%和1.8%, 从12.23%提高到98.43%.
LIST_GAP = re.compile(
    r"\s*(?:[、和与及,，]|(?:分别)?(?:提高|提升|增加|增长|上升|下降|降低|减少|缩小|扩大|缩减|压缩)?(?:到|至|为))\s*"
)
# Structure, not outcome: 5个方面, 3个环节, 4个维度.
STRUCTURE_NOUNS = re.compile(r"^(?:方面|层面|环节|维度|步骤|阶段|原则|关键词|(?:抓手|重点|板块|要素|部分)(?![\u4e00-\u9fff]))")
# What may directly follow a counted thing ("175个网格" gives the label 网格).
AFTER_LABEL_RE = re.compile(r"^(?:的)?([\u4e00-\u9fffA-Za-z·]{1,12})")
AFTER_LABEL_STOPS = re.compile(
    r"[和与及等，。；、（）()“”\"：:被将把]|以上|左右|以下|就业|增收|收入|收益|截至|截止|目前|今年|去年|同比|其中|作为|进行|成为|成了|联合|全部|开展|参与|"
    r"下沉|编入|实现|完成|覆盖|投入|建成|获得|提供|入选|纳入|加入|年内|共同|集中|参加|受益"
)
# A unit that is really the first character of a word: 16部门, 3名单.
UNIT_WORDS = re.compile(r"^(?:集群|集团|集中|集体|个体|个性|部门|名单|名称|名录|家庭|家园|条例|条件|场景|场所|位置|位于|年代|天然|次数|人员|门户|类型|种类|项目|度假|米饭|份额)")
COUNT_UNITS = {
    "个", "家", "名", "位", "户", "件", "起", "项", "篇", "条", "座", "处", "场", "次", "所", "支", "只", "头", "株",
    "棵", "辆", "套", "台", "张", "份", "幢", "栋", "间", "床", "类", "大类", "种", "本", "册", "部", "块", "片", "组",
    "对", "艘", "枚", "宗", "笔", "单", "轮", "批", "层", "门", "盏", "根", "首", "集", "幅", "页", "款", "例", "人",
    "人次", "家次", "场次", "批次", "亩", "平方米", "公里", "米", "吨", "斤", "万斤", "元",
}
# After a number in running text only these make it a name: 15分钟生活圈, 5G工程.
UNIT_NAME_CUES = re.compile(r"^[\u4e00-\u9fff]{0,8}圈|^(?:工程|战略|行动|模式|机制|体系|品牌|工作法)")
NAME_CUES = re.compile(r"^[\u4e00-\u9fff]{0,8}圈|^[\u4e00-\u9fff]{0,3}(?:工程|战略|行动|模式|机制|体系|品牌|工作法|理念|方针|格局|目标|路径|攻坚|改革)")
TIME_UNITS_NEEDING_CUE = {"年"}
DURATION_CUES = re.compile(
    r"(?:连续|历时|用时|用了|仅用|坚持|长达|累计|持续|成立|建成|创办|开办|扎根|从事|坚守|工作|经营|运营|守护|投身|执教|行医|深耕|在村|任职|相伴|相守|已有|已)$"
)
# After a number of years: "55年来", "三十年间" is a duration too.
DURATION_AFTER = re.compile(r"^(?:来(?!自)|间|里|如一日|磨一剑)")
WINDOW_BEFORE = re.compile(r"(?:近|这|过去|前|最近|未来)$")  # 近三年来: a time window, not a duration
# Counted things a small Chinese numeral reports as an outcome (组建了两支队伍, 举办四场):
# concrete measure words after an action, unlike the structure of slogans (三级, 五大行动, 四个平台).
CONCRETE_UNITS = {"支", "场", "家", "户", "名", "位", "座", "栋", "幢", "台", "辆", "棵", "株", "头", "只", "艘", "期", "所", "处", "间", "套"}
OUTCOME_VERBS = re.compile(
    r"(?:组建|成立|举办|举行|办|开展|建成|新建|建起|培育|引进|招引|吸引|打造|设立|开设|配备|组织|拥有|签约|落地|评上|获评|入选|改造|修建|创建|建立|开出|开通|新增|培养)(?:了|起|成)?$"
)
# A number inside a noun phrase is a condition, not a figure: 500人以上的行政村, 签约亿元以上项目,
# 80周岁以上老人, 常住人口不足300人的有7个.
CONDITION_AFTER_POST = re.compile(r"^(?:的)?[一-鿿]")
NOT_CONDITION_AFTER_POST = re.compile(r"^(?:的)?(?:就业|增收|受益|参与|参加|观看|入住|到访|务工|创业|返乡|人次|，|。)")
CONDITION_AFTER = re.compile(r"^的(?:[，,、]|有|占|达|为|比例|比重|[\u4e00-\u9fff]{1,4}有(?:\d|[一二两三四五六七八九十]))")  # 超过100万元的村有4个
WORD_BEFORE_YUE = set("签节制预合契公条相大婉特简")
VAGUE_PREFIX = re.compile(r"(?:数|几|上|成|若干)$")


@dataclass
class FigureCandidate:
    label: str
    value: Decimal
    unit: str
    qualifier: str
    qualifier_kind: str
    value_max: Decimal | None
    normalized_value: Decimal | None
    normalized_value_max: Decimal | None
    base_unit: str
    year: int | None
    period: str
    is_target: bool
    quote: str
    start: int
    end: int
    metric_slug: str | None = None
    # Where the number itself sits in the body (the quote may reach further).
    number_start: int = 0
    number_end: int = 0
    #: year, half, quarter, months (前三季度), cumulative (以来/累计), span, target or "" (cases/ingest/periods.py)
    period_kind: str = ""


def extract_figures(body: str) -> list[FigureCandidate]:
    """Every outcome figure in ``body``, in text order, each recorded once."""
    text = to_half_width(body)
    quoted = _quoted_spans(text)
    figures: list[FigureCandidate] = []
    previous: FigureCandidate | None = None
    for match in FIGURE_RE.finditer(text):
        for figure in _figures_from_match(text, match, quoted, previous):
            if previous and not figure.label and LIST_GAP.fullmatch(text[previous.number_end:figure.number_start]):
                # 分别增长2.2%和1.8%: the second figure shares the first one's label.
                figure.label = previous.label
                figure.start = min(figure.start, previous.start) if figure.end - previous.start <= QUOTE_MAX else figure.start
                figure.quote = text[figure.start:figure.end]
            figures.append(figure)
            previous = figure
    return _dedupe(body, figures)


# --- one match -------------------------------------------------------------


def _figures_from_match(text, match, quoted, previous):
    if match.group("frac"):
        figure = _fraction_figure(text, match, quoted)
        return [figure] if figure else []
    num, num2 = match.group("num"), match.group("num2")
    if not num:
        return []
    unit = _squeeze(match.group("unit") or "")
    mult = match.group("mult") or ""
    inner = match.group("inner") or match.group("inner2") or ""
    post = match.group("post") or ""
    pre = match.group("pre") or ""
    num_start = match.start("num")
    end = match.end()
    chinese = not re.match(r"\d", num)
    match_start = match.start()
    if (pre == "上" and not (chinese and re.fullmatch(r"[百千万]", num) and unit)) or (
            pre == "约" and text[match.start() - 1:match.start()] in WORD_BEFORE_YUE):
        pre, match_start = "", num_start  # 线上3家, 签约亿元: not qualifiers
    if _is_condition(text, match, pre, post, unit):
        return []
    if unit and mult and _unit_starts_a_word(text, match):
        # 700多万个体工商户: 个 belongs to 个体, the figure is 700多万
        unit, post, end = "", "", match.start("unit")

    if num2 and match.group("rsep") in "—－-–" and re.match(r"\d", num) and not (unit or mult):
        return []  # 2021-2023, phone numbers

    if _is_not_a_figure(text, match, num, unit, mult, chinese, quoted, pre):
        # A ratio without unit (收入比从2.37缩小到1.83) is still a figure.
        ratio = _ratio_figures(text, match, quoted)
        return ratio
    try:
        parsed = _parse(num, mult)
        parsed_max = _parse(num2, mult) if num2 else None
    except NumberError:
        return []

    value = parsed.value
    written_unit = (parsed.multiplier_text if parsed.kind == "mixed" else "") + unit
    label, label_start, label_end = _label(text, match_start, end, unit or mult, pre + inner + post)
    if not unit:
        # 常住人口约15万 → 万人; 注册用户数突破7800万 → 万 (a count whose unit the text leaves out)
        implied = _implied_unit(label) if mult else ""
        if not implied and not (mult and not chinese):
            return _ratio_figures(text, match, quoted)
        written_unit += implied
    value_max = parsed_max.value if parsed_max else None
    if value_max is not None and value_max < value:
        return []
    qualifier = pre or inner or post
    kind = PRE_QUALIFIERS.get(pre) or INNER_QUALIFIERS.get(inner) or POST_QUALIFIERS.get(post) or "exact"
    if value_max is not None and text[max(0, match.start() - 1):match.start()] == "从":
        # 从3到5个 is a change, not a range: two figures with one label and unit.
        first = _make(text, label, label_start, label_end, value, None, written_unit, qualifier, kind,
                      match_start, match.end("num"), num_start)
        second = _make(text, label, label_start, label_end, value_max, None, written_unit, "", "exact",
                       match.start("num2"), end, match.start("num2"))
        return [first, second]
    if value_max is not None:
        kind = "range"
    return [_make(text, label, label_start, label_end, value, value_max, written_unit, qualifier, kind,
                  match_start, end, num_start)]


def _parse(num: str, mult: str):
    """The number with its multiplier; a Chinese numeral is expanded (三十多万 → 300000)."""
    if re.match(r"\d", num):
        return parse_number(num + mult)
    parsed = parse_number(num)
    if mult:
        return type(parsed)(parsed.total * parse_number("1" + mult).multiplier, kind="chinese")
    return parsed


def _fraction_figure(text, match, quoted):
    frac = match.group("frac")
    start, end = match.start("frac"), match.end("frac")
    if frac in ("一半", "半数") and "占" not in text[max(0, start - 8):start]:
        return None
    if "/" in frac and _inside(start, quoted):
        return None
    try:
        parsed = parse_number(frac)
    except NumberError:
        return None
    if frac.startswith("百分之"):
        value, unit = parsed.value * 100, "%"
    else:
        value, unit = parsed.value, "比例"
    pre = match.group("pre") or ""
    if not pre:  # 经济总量约占全县一半: the qualifier sits before 占
        far = re.search(r"(约|近|超过|超|不到|不足)占[^，。；]{0,8}$", text[max(0, start - 12):start])
        pre = far.group(1) if far else ""
    post = match.group("fpost") or ""
    end = match.end()
    label, label_start, label_end = _label(text, match.start(), end, unit, pre + post)
    kind = PRE_QUALIFIERS.get(pre) or POST_QUALIFIERS.get(post) or "exact"
    return _make(text, label, label_start, label_end, value, None, unit, pre or post, kind, match.start(), end, start)


def _ratio_figures(text, match, quoted):
    """收入比从2.37缩小到1.83 → 2.37 and 1.83, both without unit."""
    num = match.group("num")
    if not re.fullmatch(r"\d+\.\d+", num) or match.group("unit") or match.group("mult"):
        return []
    num_start, num_end = match.start("num"), match.end("num")
    if _inside(num_start, quoted):
        return []
    before = text[max(0, num_start - 20):num_start]
    if not re.search(r"(?:比|系数|指数|比值|倍差)(?:从|由|为|是|达|已达|降至|缩小到|缩小至|下降到|下降至|降到)?[^，。；]{0,12}$", before):
        return []
    named = list(re.finditer(r"[\u4e00-\u9fffA-Za-z]{1,12}?(?:比值|比|系数|指数|倍差)(?=从|由|为|是|达|已达|降至|缩小|下降|降到|[\d.]|$)", before))
    if named:
        label = named[-1].group()
        label_start = num_start - len(before) + named[-1].start()
        label = LEADING_FILLERS.sub("", label)
        label_start = num_start - len(before) + named[-1].end() - len(label)
        label_end = label_start + len(label)
    else:
        label, label_start, label_end = _label(text, match.start("num"), num_end, "", "")
    return [_make(text, label, label_start, label_end, Decimal(num), None, "", "", "exact", num_start, num_end, num_start)]


def _is_condition(text, match, pre: str, post: str, unit: str) -> bool:
    """A threshold inside a noun phrase: "500人以上的行政村", "不足300人的有7个" (see CONDITION_AFTER)."""
    after = text[match.end():match.end() + 6]
    if post in ("以上", "以下", "以内", "及以上") and unit != "%":
        return bool(CONDITION_AFTER_POST.match(after)) and not NOT_CONDITION_AFTER_POST.match(after)
    if pre in ("不足", "低于", "少于", "不到") and re.match(r"^的[\u4e00-\u9fff]", after):
        return True  # 不足300人的村: a class of villages, not a count of people
    return bool(CONDITION_AFTER.match(after))


# Tests of _is_not_a_figure, compiled once: it runs for every number in every article.
_LETTER_BEFORE = re.compile(r"[A-Za-z]$")
_LETTER_AFTER = re.compile(r"[A-Za-z]")
_DIGIT_BEFORE = re.compile(r"[\d.]$")
_ORDINAL_BEFORE = re.compile(r"第\s*$")
_ORDINAL_LIST_BEFORE = re.compile(r"第[\d、,，和及至]+$")
_LIST_MARKER_AFTER = re.compile(r"\s*[、是．]")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_NUMERAL_AFTER = re.compile(rf"[{CN_NUMERAL_CHARS}]")
_ROUND_NUMBER = re.compile(r"[十百千万亿]+")
_NUMERAL_WORD_BEFORE = re.compile(rf"[{CN_NUMERAL_CHARS}][\u4e00-\u9fff]$")
_RANKING_BEFORE = re.compile(r"前\s*$")


def _is_not_a_figure(text, match, num, unit, mult, chinese, quoted, pre="") -> bool:
    start, end = match.start("num"), match.end()
    before = text[max(0, start - 6):start]
    after = text[end:end + 8]
    # Letters or digits glued on: GG11, 5G, 4A级, No.3, 3D
    if _LETTER_BEFORE.search(before) or _LETTER_AFTER.match(after):
        return True
    if _DIGIT_BEFORE.search(before):
        return True
    # Ordinals and list markers: 第三批, 一是, 1、
    if _ORDINAL_BEFORE.search(before) or _ORDINAL_LIST_BEFORE.search(text[max(0, start - 16):start]) or _LIST_MARKER_AFTER.match(text, match.end("num")) and not unit:
        return True
    # Vague amounts: 数万, 几十, 上百, 成千 (上千户 with a unit is "over a thousand")
    if VAGUE_PREFIX.search(text[max(0, start - 1):start]) and chinese and pre != "上":
        return True
    # Dates: 2023年, 5月, 20日, 2023年度
    if _YEAR.fullmatch(num) and (not unit or unit in ("年", "届", "期", "级")):
        return True
    if unit in TIME_UNITS_NEEDING_CUE and not DURATION_CUES.search(text[max(0, start - 4):start - len(match.group("pre") or "")] if match.group("pre") else before) \
            and not (DURATION_AFTER.match(after) and not WINDOW_BEFORE.search(text[max(0, match.start() - 2):match.start()] + (match.group("pre") or ""))):
        return True
    if unit and not mult and _unit_starts_a_word(text, match):
        return True
    if unit in ("岁", "周岁"):
        return True  # a person's age; "60岁以上老人" is a condition
    if unit == "周" and after.startswith("年"):
        return True  # 30周年 is an anniversary
    # Names made of numbers: 15分钟生活圈, “14361”发展战略, 千项万亿, 十个一
    if unit and UNIT_NAME_CUES.match(after):
        return True
    if unit in ("个", "大", "") and STRUCTURE_NOUNS.match(after):
        return True
    if _NUMERAL_AFTER.match(after) and chinese:
        return True  # 千家万户, 十个一, 千项万亿
    quote_span = _inside(start, quoted)
    if quote_span and _quoted_name(text, quote_span):
        return True
    # Small numbers written in Chinese are slogans' structure (三级, 五大行动, 四个平台), not outcomes,
    # except durations such as 连续三年.
    if chinese:
        try:
            value = parse_number(num).value
        except NumberError:
            return True
        qualified = match.group("pre") or match.group("inner") or match.group("inner2") or match.group("post")
        if value < 10 or (value == 10 and not qualified):
            window = WINDOW_BEFORE.search(text[max(0, match.start() - 2):match.start()] + (match.group("pre") or ""))
            duration = unit in ("年", "天", "个月") and (DURATION_CUES.search(before) or DURATION_AFTER.match(after) and not window)
            outcome = value >= 2 and unit in CONCRETE_UNITS and OUTCOME_VERBS.search(text[max(0, start - 6):start]) and not _inside(start, quoted)
            if not (duration or outcome):
                return True  # 十余个部门 is a figure, 十个一 is not
        if unit in ("强",):
            return True
        # A lone 千/万/百 without qualifier is a figure of speech (千条线, 万人空巷); 超千人 is a figure.
        if num in ("十", "百", "千", "万", "亿") and not qualified:
            return True
        if _ROUND_NUMBER.fullmatch(num) and not qualified and not unit.endswith("元"):
            return True  # 千万次回响, 百万雄师: round numbers in slogans; 百亿元 of money is a figure
        if _NUMERAL_WORD_BEFORE.search(before):
            return True  # 千吨万人, 千家万户
        if not unit and not mult:
            return True
        # 上百 / 百姓: a lone 十/百 in running text is rarely a number
        if num in ("十", "百") and not unit:
            return True
    # A caption printed twice doubles each character: 普陀区普陀区44条.
    if _doubled_caption(text, start, num):
        return True
    # 前10名, 前50强: rankings
    if _RANKING_BEFORE.search(before) and unit in ("名", "强", "位"):
        return True
    return False


def _unit_starts_a_word(text: str, match) -> bool:
    """16部门, 700万个体: the unit is really the first character of the next word."""
    return bool(match.group("unit")) and bool(UNIT_WORDS.match(text[match.end("unit") - 1:match.end("unit") + 3]))


def _doubled_caption(text: str, start: int, num: str) -> bool:
    if len(num) % 2 or len(num) < 2 or any(num[i] != num[i + 1] for i in range(0, len(num), 2)):
        return False
    for k in range(2, 13):
        if start - 2 * k >= 0 and text[start - 2 * k:start - k] == text[start - k:start]:
            return True
    return False


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"“[^“”]{1,30}”|\"[^\"\n]{1,30}\"|「[^「」]{1,30}」|'[^'\n]{1,20}'", text):
        spans.append((m.start(), m.end()))
    return spans


def _inside(pos: int, spans) -> tuple[int, int] | None:
    for s, e in spans:
        if s < pos < e:
            return (s, e)
    return None


def _quoted_name(text: str, span: tuple[int, int]) -> bool:
    """A quoted number that names something (“1+3+N”, “14361”) rather than reports (“50 强”)."""
    inner = text[span[0] + 1:span[1] - 1]
    if re.search(r"[，,。；;！？!?：:]", inner) or len(inner) > 15:
        return False  # quoted speech reports figures like any other sentence
    if re.search(r"[+＋N×·]", inner):
        return True
    if len(re.findall(r"\d+|[一二三四五六七八九十百千万]", inner)) > 1 and not re.fullmatch(rf"\s*{ARABIC}\s*\S{{0,3}}\s*", inner):
        return True
    if NAME_CUES.match(text[span[1]:span[1] + 6]):
        return True
    number = re.search(rf"\d|[{CN_NUMERAL_CHARS}]", inner)
    if number and NAME_CUES.match(re.sub(r"^[\d.\s]+", "", inner[number.start():])[1:] + text[span[1]:span[1] + 6]):
        return True  # “15分钟医疗服务圈”
    return False


# --- labels, units, context ----------------------------------------------------


def _label(text: str, start: int, end: int, unit: str, qualifiers: str) -> tuple[str, int, int]:
    """The metric label the text gives the figure and its span.

    A counted noun right after the unit wins (175个网格 → 网格); otherwise the
    phrase before the number, back to the clause start (工业企业762家 → 工业企业).
    """
    base_unit = unit.replace(" ", "")
    after = text[end:end + 16]
    if base_unit in COUNT_UNITS or base_unit.startswith(("万", "亿")) or base_unit == "%":
        m = AFTER_LABEL_RE.match(after)
        if m and not re.match(r"(?:以上|以下|左右|和|与|及|等|的)$", m.group(1)):
            words = AFTER_LABEL_STOPS.split(m.group(1))[0]
            if base_unit == "%" and not after.startswith("的"):
                words = ""
            if len(words) >= 2:
                offset = end + after.index(words)
                return words, offset, offset + len(words)
    quoted_name = re.search(r"“([^“”]{2,20})”\s*$", text[max(0, start - 22):start])
    if quoted_name:  # “共富工坊”1.1万余家
        name_start = start - len(quoted_name.group()) + 1
        return quoted_name.group(1), name_start, name_start + len(quoted_name.group(1))
    clause_start = start
    while clause_start > 0 and text[clause_start - 1] not in CLAUSE_STOPS and start - clause_start < 24:
        clause_start -= 1
    before = text[clause_start:start]
    previous_number = re.search(r".*[\d%]", before)
    if previous_number:  # 分别增长2.2%和1.8%: the second label is not "2.2%和"
        clause_start += previous_number.end()
        before = text[clause_start:start]
    verb = re.search(r".*(?:共有|现有|拥有|已有|有)(?![效机序力关望所些线偿限])", before)
    if verb and len(before) - verb.end() >= 2:  # 全镇有工业企业 → 工业企业
        clause_start += verb.end()
        before = text[clause_start:start]
    stripped = TRAILING_FILLERS.sub("", before.rstrip())
    lead = LEADING_FILLERS.match(stripped)
    offset = lead.end() if lead else 0
    # Keep the label short: the last 12 characters carry the metric (…年销售小京生).
    label = stripped[offset:].strip()
    if len(label) > 12:
        offset += len(label) - 12
        label = stripped[offset:].strip()
    action = re.search(r".*(?:配备|配强|设立|设置|建成|组建|成立|培育|招募|引进|选派|聘请|划分|吸纳|打造)", label)
    if action and len(label) - action.end() >= 2:  # 每个社区配备网格员 → 网格员
        offset += action.end()
        label = stripped[offset:].strip()
    partial = re.match(r"^[\d\s.年月日号%”’\"'A-Za-z]+(?=[\u4e00-\u9fff])", label)  # the tail of a date cut off by the length limit
    if partial:
        offset += partial.end()
        label = stripped[offset:].strip()
    if not label:
        return "", start, start
    # ``stripped`` is a prefix of ``before``, so offsets in it are offsets from the clause start.
    label_start = clause_start + offset + (len(stripped[offset:]) - len(stripped[offset:].lstrip()))
    return label, label_start, label_start + len(label)


def _implied_unit(label: str) -> str:
    """常住人口约15万 has no unit: the label implies 人."""
    if re.search(r"人口|人数|群众|居民|村民|农民|市民|游客|志愿者|人才|党员|干部|职工|员工|学生|老人|渔农民", label):
        return "人"
    if re.search(r"收入|产值|投资|资金|金额|营收|销售额|GDP|生产总值|税收|利润|增加值", label):
        return "元"
    return ""


def _year_and_period(text: str, start: int) -> tuple[int | None, str]:
    sentence_start = start
    while sentence_start > 0 and text[sentence_start - 1] not in SENTENCE_STOPS and start - sentence_start < 160:
        sentence_start -= 1
    sentence = text[sentence_start:start]
    period = ""
    periods = list(PERIOD_RE.finditer(sentence))
    if periods:
        period = periods[-1].group()
    years = list(YEAR_RE.finditer(sentence))
    year = int(years[-1].group(1)) if years else None
    if years and re.search(r"如今|目前|现在|当前|今年|至今", sentence[years[-1].end():]):
        year = None  # 从2019年起探索……如今已有10多个: the figure is of the present
    if year is not None and not 1949 <= year <= 2100:
        year = None
    return year, period


def _is_target(text: str, start: int) -> bool:
    sentence_start = start
    while sentence_start > 0 and text[sentence_start - 1] not in SENTENCE_STOPS and start - sentence_start < 60:
        sentence_start -= 1
    for m in TARGET_CUES.finditer(text[sentence_start:start]):
        if text[sentence_start + m.end():sentence_start + m.end() + 1] != "”":
            return True
    return False


def _make(text, label, label_start, label_end, value, value_max, unit, qualifier, kind, start, end, number_start):
    unit = _squeeze(unit)
    normalized_value, base_unit = normalize(value, unit)
    normalized_max = normalize(value_max, unit)[0] if value_max is not None else None
    q_start = min(start, label_start) if label else start
    q_end = max(end, label_end) if label else end
    if q_end - q_start > QUOTE_MAX:
        if label_start < start:
            q_start = max(q_start, end - QUOTE_MAX)
        else:
            q_end = min(q_end, start + QUOTE_MAX)
    if q_start > 0 and text[q_start - 1] in "“「\"" and re.search(r"[”」\"]", text[q_start:q_end]):
        q_start -= 1  # keep the quoted name whole: “共富工坊”12家
    year, period = _year_and_period(text, start)
    is_target = _is_target(text, start)
    return FigureCandidate(
        label=label,
        value=value,
        unit=unit,
        qualifier=qualifier,
        qualifier_kind=kind,
        value_max=value_max,
        normalized_value=normalized_value,
        normalized_value_max=normalized_max,
        base_unit=base_unit,
        year=year,
        period=period,
        is_target=is_target,
        quote=text[q_start:q_end],
        start=q_start,
        end=q_end,
        number_start=number_start,
        number_end=end,
        period_kind=period_kind(sentence_before(text, max(end, q_end)), period, year, is_target),
    )


def _squeeze(unit: str) -> str:
    return unit.replace(" ", "").replace("\u3000", "")


def _same_figure(a: FigureCandidate, b: FigureCandidate) -> bool:
    """The same value in the same unit about the same thing (one label holds the other)."""
    if (a.normalized_value, a.base_unit, a.normalized_value_max) != (b.normalized_value, b.base_unit, b.normalized_value_max):
        return False
    shorter, longer = sorted((a.label, b.label), key=len)
    if not shorter:
        return True  # a bare "big number" and the sentence that reports it
    return a.year == b.year and (shorter == longer or (len(shorter) >= 3 and shorter in longer))


def _same_count(body: str, a: FigureCandidate, b: FigureCandidate) -> bool:
    """"金溪4个村联合成立…" and "由4个村按股份出资": one count of one thing, told twice."""
    if (a.normalized_value, a.base_unit, a.value_max) != (b.normalized_value, b.base_unit, b.value_max) or a.unit not in COUNT_UNITS:
        return False
    noun_a, noun_b = body[a.number_end:a.number_end + 1], body[b.number_end:b.number_end + 1]
    return bool(re.fullmatch(r"[\u4e00-\u9fff]", noun_a)) and noun_a == noun_b and a.year == b.year


LARGEST = Decimal(10) ** 17  # Figure's DecimalFields hold 24 digits, 6 after the point


def _storable(figure: FigureCandidate) -> bool:
    """A serial number or a digit run glued by PDF text (1234567890123456789个) is no figure."""
    values = [figure.value, figure.value_max, figure.normalized_value, figure.normalized_value_max]
    return all(v is None or (abs(v) < LARGEST and v.as_tuple().exponent >= -6) for v in values)


def _in_heading(body: str, pos: int) -> bool:
    """The position sits in a line without sentence punctuation: a title or a box, not running text."""
    line_start = body.rfind("\n", 0, pos) + 1
    line_end = body.find("\n", pos)
    line = body[line_start:line_end if line_end >= 0 else len(body)]
    return not re.search(r"[，。；！？,;!?]", line)


def _dedupe(body: str, figures: list[FigureCandidate]) -> list[FigureCandidate]:
    """Keep one of figures repeated in one article: the first that has a label.

    A bare "big number" printed beside the sentence that reports it (967亿元 … 退税967亿元)
    is the same figure; the sentence, which says what it counts, is kept.
    """
    kept: list[FigureCandidate] = []
    for figure in figures:
        if not _storable(figure):
            continue
        same = next((i for i, other in enumerate(kept) if _same_figure(figure, other) or _same_count(body, figure, other)), None)
        if same is None:
            kept.append(figure)
        elif (not kept[same].label and figure.label) or (
            _in_heading(body, kept[same].start) and not _in_heading(body, figure.start)
        ):
            kept[same] = figure  # keep the sentence that says what the number counts
    for figure in kept:
        figure.quote = body[figure.start:figure.end]  # full-width digits as written
        figure.metric_slug = match_metric(figure.label, figure.base_unit)
    return sorted(kept, key=lambda f: f.start)
