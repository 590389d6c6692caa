"""Find the named practices and programmes an article describes.

Reports put the names of initiatives in quotes (“一张网格管治理”, “党建+网格”,
“14361”发展战略, “1+3+N”) or give them a cue word (…工程, …机制, …行动, 共富工坊).
``extract_initiatives(body)`` proposes them, once each, with their offsets;
quoted speech and ordinary quoted words are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CUE_WORDS = (
    "工程", "机制", "模式", "行动", "工坊", "品牌", "体系", "制度", "计划", "战略", "平台", "工作法", "联盟",
    "驿站", "中心", "客厅", "家园", "服务站", "能量站", "调解室", "议事会", "联合体", "共同体", "专班", "基金",
    "工作室", "项目", "活动", "办法", "治理", "改革", "示范", "指数", "码", "网",
)
# Quoted content that is speech or an ordinary word rather than a name.
SPEECH = re.compile(r"[，,。！？!?；;…：:]|^我|我们|你们|咱们|吗|呢|吧$|啦")
SLOGAN_PAIR = re.compile(r"^[\u4e00-\u9fff]{4,6}[,，][\u4e00-\u9fff]{4,6}$")
# Honours and titles given to people are not practices: 最美救护人, 有礼之星, 优秀共青团员.
HONOUR = re.compile(r"(?:最美.*|之星|标兵|模范|能手|奖|称号|荣誉|示范户|团员)$")
NUMERAL_START = re.compile(r"^[一二两三四五六七八九十百千万双多\dN]")
QUOTE_RE = re.compile(r"“([^“”\n]{1,40})”|「([^「」\n]{1,40})」|『([^『』\n]{1,40})』|‘([^‘’\n]{1,30})’")
FORMULA = re.compile(r"^[\dA-Za-z一二三四五六七八九十百千万]+(?:\s*[+＋×\-—]\s*[\dA-Za-z一二三四五六七八九十百千万]+)+$|^\d{3,}$")
NAME_AFTER_QUOTE = re.compile(r"^(?:" + "|".join(CUE_WORDS[:14]) + ")")
# What a quoted number or formula is the name of, when the words right after it say so:
# “141”体系, “558”工作体系, “1+3+N”组团模式, “1125”企业梯度培育方案. The bare numbers mean nothing
# to a reader (a facet listing "141" and "1612"), so the name takes those words in.
FORMULA_NOUN = re.compile(
    r"^[”\"」』’](?!的)([\u4e00-\u9fff]{0,8}?(?:" + "|".join(CUE_WORDS[:14]) + r"|方案|项目|框架|格局|服务圈|服务|架构))"
    r"(?![\u4e00-\u9fff]{0,2}(?:" + "|".join(CUE_WORDS[:14]) + r"|方案))"
)
UNQUOTED = re.compile(
    r"(?:实施|开展|推进|打造|创建|深化|启动|推行|建立|建设|探索|推出|成立|创新|构建|组建|依托|突出|发挥|实行)了?"
    r"([\u4e00-\u9fff·]{2,10}?(?:工程|行动|工坊|机制|模式|计划|品牌|联盟|驿站|能量站|工作法|制|议事会|服务中心|城市之窗|"
    r"战略|客厅|专班|调解室|服务站))"
    r"(?=[，。；、,;]|建设|$)"
)
# Quoted structures and workflows: 社区-网格-微网格, 收集—分办—处置—反馈 (three parts or more).
DASH_CHAIN = re.compile(r"^[^-—－]+(?:[-—－]+[^-—－]+){2,}$")
CHAIN_MECHANISM = re.compile(r"^[\u4e00-\u9fff]{0,8}机制")  # …”五级联动防控机制: the chain names a mechanism
# “低效林”变成“珍贵林”, “小空间”换取了“大满意”: a rhetorical contrast of two quoted words.
CONTRAST = r"\s*(?:变成|变为|转为|改为|为|换取了?|换来了?|铸就|撬动|牵引)[^“”\"，。,；;]{0,6}"
CONTRAST_AFTER = re.compile(r"^[”\"]" + CONTRAST + r"[“\"]")
CONTRAST_BEFORE = re.compile(r"[”\"]" + CONTRAST + r"[“\"]$")
# A problem to solve, a phenomenon or an honour, not a practice: 破解民生“关键事”, “空心村”现象, 被评为“…城市”.
PROBLEM_BEFORE = re.compile(r"(?:破解|解决好?|避免|破除|打通|消除|缩小|克服|获评|被评为|评为|荣获|授予)[^“”\"，。]{0,6}[“\"]$")
PROBLEM_AFTER = re.compile(r"^[”\"](?:的?(?:现象|问题|难题|能力|弊端|短板|困境|瓶颈)|契机)")
# [大小新金] + an ordinary word: “大民生”“小空间”“新动能”“金名片” are figures of speech.
FIGURATIVE_PREFIX = "大小新金"
ORGANISATION = re.compile(r"(?:分局|局|公司|集团|银行|医院|学校|大学)$")
NAME_ENDINGS = re.compile(r"(?:" + "|".join(CUE_WORDS) + r"|系统|场景|圈|室|队|会|站|长制|经验)$")
GENERIC = {"工程", "机制", "模式", "行动", "平台", "品牌", "体系", "制度", "计划", "战略", "长效机制", "工作机制",
           "治理模式", "工作体系", "服务平台", "数字平台", "行动计划", "提升行动", "专项行动", "工作模式", "新模式"}


@dataclass
class InitiativeCandidate:
    name: str
    start: int
    end: int


def extract_initiatives(body: str) -> list[InitiativeCandidate]:
    """Named initiatives in ``body``, in text order, each name once."""
    found: list[InitiativeCandidate] = []
    quoted = [(m.start() + 1, m.end() - 1) for m in QUOTE_RE.finditer(body)] + _straight_quotes(body)
    for start, end in quoted:
        name = body[start:end].strip()
        start = start + body[start:end].index(name) if name else start
        if _is_name(name, body[end + 1:end + 7]) and not _figure_of_speech(name, body[:start], body[end:end + 14]):
            found.append(_with_formula_noun(name, start, body))
    for m in UNQUOTED.finditer(body):
        name = m.group(1)
        if name in GENERIC or re.search(r"[“”\"的和与及、]|^一批|^一系列|^多种|^(?:创新|探索)", name):
            continue
        found.append(InitiativeCandidate(name, m.start(1), m.end(1)))
    return _dedupe(found)


def _with_formula_noun(name: str, start: int, body: str) -> InitiativeCandidate:
    """A quoted formula with the noun that follows it (“141”体系 → 141体系); other names as quoted.

    The span then runs from the name to the end of the noun, closing quote included, so the
    evidence reads as written.
    """
    end = start + len(name)
    if FORMULA.match(name.replace(" ", "")):
        m = FORMULA_NOUN.match(body[end:end + 12])
        if m:
            return InitiativeCandidate(name + m.group(1), start, end + m.end())
    return InitiativeCandidate(name, start, end)


def _straight_quotes(body: str) -> list[tuple[int, int]]:
    """Spans inside ASCII double quotes, re-pairing when a stray quote throws the pairs off.

    "产业立区""科创强区" pairs in order; in 动"工作机制,建立"点长制" the first pair holds
    punctuation, so its closing quote is taken as an opening one.
    """
    spans = []
    opening = None
    for m in re.finditer(r'"', body):
        pos = m.start()
        if opening is None:
            opening = pos
            continue
        inner = body[opening + 1:pos]
        if re.search(r"[。！？!?…]\s*$", inner):
            opening = None  # the end of quoted speech
            continue
        if not inner or len(inner) > 40 or (re.search(r"[，,。；;：:\n]", inner) and not SLOGAN_PAIR.match(inner)):
            opening = pos
            continue
        spans.append((opening + 1, pos))
        opening = None
    return spans


def _is_name(name: str, after: str) -> bool:
    if len(name) < 2 or len(name) > 30:
        return False
    if FORMULA.match(name.replace(" ", "")):
        return True
    if SLOGAN_PAIR.match(name):
        return True  # “南北封闭,东西畅通”: a two-part slogan, not speech
    if SPEECH.search(name):
        return False
    if name in GENERIC:
        return False
    compact = re.sub(r"\s", "", name)
    if len(compact) <= 2 and not (NUMERAL_START.match(compact) or NAME_AFTER_QUOTE.match(after)):
        return False  # “中枢”“熟人”: ordinary words put in quotes
    if compact.endswith("性") or HONOUR.search(compact):
        return False
    if _dictionary_word(compact) and not NAME_AFTER_QUOTE.match(after):
        return False  # “一盘棋”“组合拳”“零距离”: a word of the language, quoted for emphasis
    if re.fullmatch(r"[\d.%]+", name):
        return False
    if re.search(r"\d+\s*(?:[名个家人条项元户所篇大]|方面)", name):
        return False  # a rule or a figure quoted, not a name
    if re.fullmatch(r"[\d.]+\s*\S{0,2}", name) and not NAME_AFTER_QUOTE.match(after):
        return False  # “50 强” is a figure
    return True


def _figure_of_speech(name: str, before: str, after: str) -> bool:
    """Quoted words that the sentence around them shows are not a practice's name.

    ``before`` is the text up to the opening quote, ``after`` starts with the closing quote.
    """
    compact = re.sub(r"\s", "", name)
    if DASH_CHAIN.match(compact) and not FORMULA.match(compact):
        return not CHAIN_MECHANISM.match(after[1:])  # a structure or a workflow unless it names a mechanism
    if "、" in compact and any(len(part) < 3 for part in compact.split("、")):
        return True  # “人熟、地熟、情况熟”“查、督、改、验”: a list of words, not a slogan
    if re.search(r"[（(]", compact) or compact.endswith("们") or ORGANISATION.search(compact):
        return True  # “全国（2020）”“叶嘉俊们”“余杭分局”: a title, people or an office
    if CONTRAST_AFTER.match(after) or CONTRAST_BEFORE.search(before[-16:]):
        return True
    if PROBLEM_BEFORE.search(before[-16:]) or PROBLEM_AFTER.match(after):
        return True
    if len(compact) == 3 and compact[0] in FIGURATIVE_PREFIX and _dictionary().get(compact[1:], 0) >= 20:
        return not NAME_AFTER_QUOTE.match(after[1:])
    if len(compact) >= 10 and re.fullmatch(r"[\u4e00-\u9fff]+", compact) and not NAME_ENDINGS.search(compact):
        return True  # a long description: “将搬迁集聚渔农民纳入住房保障范围”
    return False


@lru_cache(maxsize=1)
def _dictionary():
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba.dt.FREQ


def _dictionary_word(text: str) -> bool:
    """An ordinary word or idiom of jieba's dictionary; coined names of practices are not in it."""
    return _dictionary().get(text, 0) > 0


def _dedupe(found: list[InitiativeCandidate]) -> list[InitiativeCandidate]:
    """Each name once; a bare number (“141”) is dropped: it is either named in full elsewhere
    in the article (“141”体系) or a figure of speech, and alone it tells a reader nothing."""
    seen = set()
    kept = []
    for candidate in sorted(found, key=lambda c: c.start):
        if re.fullmatch(r"\d+", candidate.name):
            continue
        key = re.sub(r"\s", "", candidate.name)
        if key in seen:
            continue
        seen.add(key)
        kept.append(candidate)
    return kept
