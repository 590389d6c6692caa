"""Find the named practices and programmes an article describes.

Reports put the names of initiatives in quotes (“一张网格管治理”, “党建+网格”,
“14361”发展战略, “1+3+N”) or give them a cue word (…工程, …机制, …行动, 共富工坊).
``extract_initiatives(body)`` proposes them, once each, with their offsets;
quoted speech and ordinary quoted words are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CUE_WORDS = (
    "工程", "机制", "模式", "行动", "工坊", "品牌", "体系", "制度", "计划", "战略", "平台", "工作法", "联盟",
    "驿站", "中心", "客厅", "家园", "服务站", "能量站", "调解室", "议事会", "联合体", "共同体", "专班", "基金",
    "工作室", "项目", "活动", "办法", "治理", "改革", "示范", "指数", "码", "网",
)
# Quoted content that is speech or an ordinary word rather than a name.
SPEECH = re.compile(r"[，。！？!?；;…]|^我|我们|你们|咱们|吗|呢|吧$|啦")
QUOTE_RE = re.compile(r"“([^“”\n]{1,40})”|\"([^\"\n]{1,40})\"|「([^「」\n]{1,40})」|『([^『』\n]{1,40})』|‘([^‘’\n]{1,30})’")
FORMULA = re.compile(r"^[\dA-Za-z一二三四五六七八九十百千万]+(?:\s*[+＋×\-—]\s*[\dA-Za-z一二三四五六七八九十百千万]+)+$|^\d{3,}$")
NAME_AFTER_QUOTE = re.compile(r"^(?:" + "|".join(CUE_WORDS[:14]) + ")")
UNQUOTED = re.compile(
    r"(?:实施|开展|推进|打造|创建|深化|启动|推行|建立|建设|探索|推出|成立|创新|构建|组建|依托)"
    r"([\u4e00-\u9fff·]{2,10}?(?:工程|行动|工坊|机制|模式|计划|品牌|联盟|驿站|能量站|工作法))"
)
GENERIC = {"工程", "机制", "模式", "行动", "平台", "品牌", "体系", "制度", "计划", "战略", "长效机制", "工作机制",
           "治理模式", "工作体系", "服务平台", "数字平台"}


@dataclass
class InitiativeCandidate:
    name: str
    start: int
    end: int


def extract_initiatives(body: str) -> list[InitiativeCandidate]:
    """Named initiatives in ``body``, in text order, each name once."""
    found: list[InitiativeCandidate] = []
    for m in QUOTE_RE.finditer(body):
        name = next(g for g in m.groups() if g is not None).strip()
        start = m.start() + 1
        if _is_name(name, body[m.end():m.end() + 6]):
            found.append(InitiativeCandidate(name, start, start + len(name)))
    for m in UNQUOTED.finditer(body):
        name = m.group(1)
        if name in GENERIC or re.search(r"[“”\"]", name):
            continue
        found.append(InitiativeCandidate(name, m.start(1), m.end(1)))
    return _dedupe(found)


def _is_name(name: str, after: str) -> bool:
    if len(name) < 2 or len(name) > 30:
        return False
    if FORMULA.match(name.replace(" ", "")):
        return True
    if SPEECH.search(name):
        return False
    if name in GENERIC:
        return False
    if re.fullmatch(r"[\d.%]+", name):
        return False
    if re.fullmatch(r"[\d.]+\s*\S{0,2}", name) and not NAME_AFTER_QUOTE.match(after):
        return False  # “50 强” is a figure
    return True


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
