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
UNQUOTED = re.compile(
    r"(?:实施|开展|推进|打造|创建|深化|启动|推行|建立|建设|探索|推出|成立|创新|构建|组建|依托|突出|发挥|实行)"
    r"([\u4e00-\u9fff·]{2,10}?(?:工程|行动|工坊|机制|模式|计划|品牌|联盟|驿站|能量站|工作法|制|议事会|服务中心|城市之窗|"
    r"战略|客厅|专班|调解室|服务站))"
    r"(?=[，。；、,;]|建设|$)"
)
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
        if _is_name(name, body[end + 1:end + 7]):
            found.append(InitiativeCandidate(name, start, start + len(name)))
    for m in UNQUOTED.finditer(body):
        name = m.group(1)
        if name in GENERIC or re.search(r"[“”\"的和与及、]|^一批|^一系列|^多种", name):
            continue
        found.append(InitiativeCandidate(name, m.start(1), m.end(1)))
    return _dedupe(found)


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
    if re.search(r"\d+\s*[名个家人条项元户所]", name):
        return False  # a rule or a figure quoted, not a name
    if re.fullmatch(r"[\d.]+\s*\S{0,2}", name) and not NAME_AFTER_QUOTE.match(after):
        return False  # “50 强” is a figure
    return True


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
    seen = set()
    kept = []
    for candidate in sorted(found, key=lambda c: c.start):
        key = re.sub(r"\s", "", candidate.name)
        if key in seen:
            continue
        seen.add(key)
        kept.append(candidate)
    return kept
