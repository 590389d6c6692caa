"""What time a figure covers: a year, part of a year, a run of years, everything so far, or a target.

``period_kind(context, period, year, is_target)`` reads the words before a figure in its
sentence (or its quote, when the article text is not at hand) and the period the
extractor found, and returns one of ``KINDS``. Figures of different kinds do not
compare: 前三季度 (nine months) is not a year, 2019年以来 (a running total) is not a
year's flow, a target is not a result. Pure functions on strings, like the rest of
``cases/ingest/``.
"""

from __future__ import annotations

import re

#: kind → how the pages name it.
KINDS = {
    "year": "全年/年度",
    "half": "半年",
    "quarter": "季度",
    "months": "年内累计（前几个月）",
    "cumulative": "累计（某年以来）",
    "span": "多年合计/区间",
    "target": "目标值",
    "": "未注明",
}

_HALF = re.compile(r"上半年|下半年|半年度")
_MONTHS = re.compile(
    r"前[一二三]季度|前\s*\d{1,2}\s*个?月|前[一二三四五六七八九十]{1,2}个?月|"
    r"1\s*[—\-－~～至到]\s*(?:[2-9]|1[01])\s*月|一至[二三四五六七八九十]+月"
)
_QUARTER = re.compile(r"(?<!前)(?:第?[一二三四1-4]季度|[一二三四]季度|Q[1-4])")
_SPAN = re.compile(
    r"(?:19|20)\d{2}\s*[—\-－~～至到]\s*(?:(?:19|20)?\d{2})\s*年|“?十[一二三四五六]五”?(?:期间|时期)|近[一二三四五六七八九十两\d]+年(?!来|以来)"
)
_CUMULATIVE = re.compile(
    r"累计|以来|年来|至今|迄今|截至|截止|(?:19|20)\d{2}\s*年(?:起|开始)|近[一二三四五六七八九十两\d]+年(?:来|以来)|历年|总计"
)
_FULL_YEAR = re.compile(r"全年|年度|(?:19|20)\d{2}\s*年|去年|今年|上年|当年")


SENTENCE_STOPS = "。；！？;!?\n▲■"


def sentence_before(text: str, start: int, limit: int = 160) -> str:
    """The sentence a figure stands in, up to the figure (the words that say when)."""
    begin = start
    while begin > 0 and text[begin - 1] not in SENTENCE_STOPS and start - begin < limit:
        begin -= 1
    return text[begin:start]


def period_kind(context: str, period: str = "", year: int | None = None, is_target: bool = False) -> str:
    """The kind of period of a figure; ``context`` is its sentence up to the number (or its quote)."""
    if is_target:
        return "target"
    text = f"{period} {context}"
    # The nearest cue wins over a year written earlier in the sentence: "2023年前三季度" is nine months.
    if _MONTHS.search(text):
        return "months"
    if _HALF.search(text):
        return "half"
    if _QUARTER.search(text):
        return "quarter"
    if _SPAN.search(text):
        return "span"
    if _CUMULATIVE.search(text):
        return "cumulative"
    if year is not None or _FULL_YEAR.search(text):
        return "year"
    return ""


def period_label(kind: str, period: str = "", year: int | None = None) -> str:
    """How a table names the period: "2023年 · 前三季度", "累计（2019年以来）", "未注明"."""
    parts = []
    if year:
        parts.append(f"{year}年")
    if period and period.strip() not in {f"{year}年", ""}:
        parts.append(period.strip())
    elif kind and kind != "year" or not parts:
        parts.append(KINDS.get(kind, kind))
    return " · ".join(parts)


def comparable(kinds) -> bool:
    """Figures of these kinds may stand side by side unremarked (one kind, or full-year beside unstated)."""
    kinds = set(kinds) - {""}
    return len(kinds) <= 1
