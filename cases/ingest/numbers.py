"""Parse numerals as Chinese reports write them.

Reports mix Arabic digits, Chinese numerals and both at once: 15万, 1.2亿元,
两万多元, 超千人, 百亿元, 三分之一, 2/3, １５ (full-width). This module turns the
number part of such a phrase into a value and the 万/亿 multiplier written
with it; qualifiers (约, 多, 以上 …) and units are the business of
``cases.ingest.figures`` and ``cases.ingest.units``.

The labels' convention decides how a figure is *written*: an Arabic number
keeps its 万/亿 in the unit (15万人 → 15, 万人) while a number written wholly in
Chinese is expanded (超千人 → 1000, 人). ``ParsedNumber`` carries enough to do
either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Same-length translation, so offsets found in the translated text are offsets in the original.
FULL_WIDTH = str.maketrans("０１２３４５６７８９．％／", "0123456789.%/")

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千万": 10_000_000, "百万": 1_000_000, "十万": 100_000, "万亿": 10**12}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)

_ARABIC = re.compile(r"^(\d+(?:,\d{3})*(?:\.\d+)?)\s*(千万|百万|十万|万亿|万|亿)?$")
_FRACTION_SLASH = re.compile(r"^(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)$")
_FRACTION_CN = re.compile(rf"^([{CN_NUMERAL_CHARS}\d]+)分之([{CN_NUMERAL_CHARS}\d.]+)$")
_PERCENT_CN = re.compile(rf"^百分之([{CN_NUMERAL_CHARS}\d.]+)$")

FRACTION_PLACES = Decimal("0.001")


class NumberError(ValueError):
    """The text is not a numeral this module understands."""


@dataclass(frozen=True)
class ParsedNumber:
    """A numeral: ``value`` × ``multiplier`` is the quantity.

    ``kind`` is ``arabic`` (15, 1.2), ``mixed`` (15万, 1.2亿: Arabic with a
    Chinese multiplier), ``chinese`` (两万, 千) or ``fraction`` (三分之一, 2/3,
    百分之八十 gives a fraction of 0.8). For ``chinese`` the value is already
    expanded and the multiplier is 1, following the labels' convention.
    """

    value: Decimal
    multiplier: Decimal = Decimal(1)
    multiplier_text: str = ""
    kind: str = "arabic"

    @property
    def total(self) -> Decimal:
        return self.value * self.multiplier


def to_half_width(text: str) -> str:
    """Full-width digits and signs to ASCII, keeping every offset."""
    return text.translate(FULL_WIDTH)


def parse_chinese_integer(text: str) -> Decimal:
    """两万三千 → 23000, 十五 → 15, 千 → 1000, 一二三 → 123 (digit by digit), 1.2万 → 12000."""
    if not text:
        raise NumberError("empty numeral")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text)
    if all(ch in CN_DIGITS for ch in text) and (len(text) > 2 or set(text) & {"零", "〇"}):
        return Decimal("".join(str(CN_DIGITS[ch]) for ch in text))  # 二〇二三
    total = Decimal(0)  # finished 万/亿 sections
    section = Decimal(0)  # below 万
    digit: Decimal | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isdigit() or ch == ".":
            m = re.match(r"\d+(?:\.\d+)?", text[i:])
            digit = Decimal(m.group())
            i += len(m.group())
            continue
        if ch in CN_DIGITS:
            if digit is not None and text[i - 1] in CN_DIGITS and CN_DIGITS[ch] != 0 and CN_DIGITS[text[i - 1]] != 0:
                raise NumberError(f"two digits in a row: {text!r}")  # 三五成群 is no number
            digit = Decimal(CN_DIGITS[ch])
        elif ch in CN_SMALL_UNITS:
            section += (digit if digit is not None else Decimal(1)) * CN_SMALL_UNITS[ch]
            digit = None
        elif ch in CN_BIG_UNITS:
            section += digit or Decimal(0)
            if section == 0:
                section = Decimal(1)
            big = CN_BIG_UNITS[ch]
            if big == CN_BIG_UNITS["亿"]:
                total = (total + section) * big
            else:
                total += section * big
            section = Decimal(0)
            digit = None
        else:
            raise NumberError(f"not a Chinese numeral: {text!r}")
        i += 1
    return total + section + (digit or Decimal(0))


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regexes only pass digits
        raise NumberError(f"not a number: {text!r}") from exc


def parse_number(text: str) -> ParsedNumber:
    """Parse one numeral (no qualifier, no unit): 15万, 1.2亿, 两万, 千, 三分之一, 2/3, １５."""
    raw = to_half_width(text).replace(" ", "").replace("\u3000", "")
    if not raw:
        raise NumberError("empty numeral")
    m = _ARABIC.match(raw)
    if m:
        value = _decimal(m.group(1))
        if m.group(2):
            return ParsedNumber(value, Decimal(MULTIPLIERS[m.group(2)]), m.group(2), "mixed")
        return ParsedNumber(value)
    m = _FRACTION_SLASH.match(raw)
    if m:
        denominator = _decimal(m.group(2))
        if denominator == 0:
            raise NumberError(f"zero denominator: {text!r}")
        return ParsedNumber((_decimal(m.group(1)) / denominator).quantize(FRACTION_PLACES), kind="fraction")
    m = _PERCENT_CN.match(raw)
    if m:
        return ParsedNumber(parse_chinese_integer(m.group(1)) / 100, kind="fraction")
    m = _FRACTION_CN.match(raw)
    if m:
        denominator = parse_chinese_integer(m.group(1))
        if denominator == 0:
            raise NumberError(f"zero denominator: {text!r}")
        return ParsedNumber((parse_chinese_integer(m.group(2)) / denominator).quantize(FRACTION_PLACES), kind="fraction")
    if raw in ("一半", "半数"):
        return ParsedNumber(Decimal("0.5"), kind="fraction")
    # Arabic digits followed by Chinese units (3千, 1万2千) or a wholly Chinese numeral.
    if re.fullmatch(rf"[{CN_NUMERAL_CHARS}\d.]+", raw):
        if re.match(r"\d", raw):
            # 3千万 → 3, 千万 is caught above; 1万2千 is rare: expand it.
            return ParsedNumber(parse_chinese_integer(raw), kind="mixed")
        return ParsedNumber(parse_chinese_integer(raw), kind="chinese")
    raise NumberError(f"not a numeral: {text!r}")
