"""Units as written and as compared.

A figure keeps its unit as written (万人, 亿元, 万平方米) and gets a normalised
value in a canonical base unit (人, 元, 平方米), so 约15万人 in one county and
150000人 in another compare. ``normalize`` does that; ``UNITS`` is the list
the extractor recognises after a number.
"""

from __future__ import annotations

from decimal import Decimal

from .numbers import MULTIPLIERS

# Unit as written → (canonical base unit, factor). Multiplier prefixes (万, 亿) are handled apart.
UNIT_ALIASES: dict[str, tuple[str, Decimal]] = {
    "名": ("人", Decimal(1)),
    "位": ("人", Decimal(1)),
    "口": ("人", Decimal(1)),
    "栋": ("幢", Decimal(1)),
    "千米": ("公里", Decimal(1)),
    "平方千米": ("平方公里", Decimal(1)),
    "平方": ("平方米", Decimal(1)),
    "平米": ("平方米", Decimal(1)),
    "㎡": ("平方米", Decimal(1)),
    "千克": ("公斤", Decimal(1)),
    "个百分点": ("百分点", Decimal(1)),
    "场次": ("场", Decimal(1)),
    "个小时": ("小时", Decimal(1)),
    "周岁": ("岁", Decimal(1)),
    "余": ("", Decimal(1)),
}

# What the extractor accepts as a unit right after a number (without 万/亿 prefixes).
UNITS = [
    # people and things counted
    "人次", "家次", "户次", "批次", "架次", "车次", "场次", "人", "名", "位", "户", "口", "家", "个", "件", "起",
    "项", "篇", "条", "座", "处", "场", "次", "所", "支", "只", "头", "株", "棵", "辆", "套", "台", "张", "份",
    "幢", "栋", "间", "床", "大类", "类", "种", "本", "册", "部", "块", "片", "组", "对", "艘", "枚", "道",
    "宗", "笔", "单", "轮", "批", "期", "层", "强", "堂", "课时", "门", "棵", "盏", "根",
    "杯", "箱", "袋", "包", "瓶", "双", "副", "首", "集", "幅", "页", "票", "桌", "节", "班",
    "款", "趟", "帖", "剂", "例", "所", "窝",
    # money
    "元", "美元", "欧元", "块钱",
    # area, length, volume, weight, energy
    "平方公里", "平方千米", "平方米", "平米", "平方", "㎡", "亩", "公顷", "公里", "千米", "米", "厘米",
    "立方米", "吨", "公斤", "千克", "斤", "克", "千瓦时", "千瓦", "度", "兆瓦", "瓦",
    # ratios
    "%", "‰", "个百分点", "百分点", "倍",
    # time
    "年", "个月", "个小时", "天", "小时", "分钟", "秒", "周岁", "岁", "周",
]

QUANTITY_OF_BASE_UNIT = {
    "人": "population", "人次": "population",
    "元": "money", "美元": "money", "欧元": "money",
    "平方米": "area", "平方公里": "area", "亩": "area", "公顷": "area",
    "公里": "length", "米": "length", "厘米": "length",
    "吨": "weight", "公斤": "weight", "斤": "weight", "克": "weight",
    "%": "percent", "‰": "percent", "百分点": "percentage_point",
    "比例": "ratio", "倍": "ratio", "": "ratio",
    "年": "duration", "天": "duration", "小时": "duration", "分钟": "duration", "个月": "duration", "周": "duration",
    "岁": "age",
}

_PREFIXES = sorted(MULTIPLIERS, key=len, reverse=True)


def split_multiplier(unit: str) -> tuple[Decimal, str]:
    """万人 → (10000, 人); 亿元 → (1e8, 元); 万 → (10000, ''); 个 → (1, 个)."""
    unit = unit.replace(" ", "")
    for prefix in _PREFIXES:
        if unit.startswith(prefix) and unit != "万元户":
            return Decimal(MULTIPLIERS[prefix]), unit[len(prefix):]
    return Decimal(1), unit


def canonical_unit(unit: str) -> tuple[str, Decimal]:
    """The base unit and the factor to it, for a unit without 万/亿 prefix: 名 → (人, 1)."""
    unit = unit.replace(" ", "")
    if unit in UNIT_ALIASES:
        return UNIT_ALIASES[unit]
    return unit, Decimal(1)


def normalize(value: Decimal | int | float | str, unit: str) -> tuple[Decimal, str]:
    """Apply 万/亿 and canonicalise the unit: (15, 万人) → (150000, 人); (3000, 元/亩) → (3000, 元/亩).

    Compound units (元/亩, 万元/人) normalise their numerator; the denominator is
    canonicalised but never scaled (万元/亩 → 元/亩 ×10000).
    """
    value = Decimal(str(value))
    unit = (unit or "").replace(" ", "")
    if "/" in unit:
        numerator, denominator = unit.split("/", 1)
        factor, numerator = split_multiplier(numerator)
        numerator, numerator_factor = canonical_unit(numerator)
        denominator, _ = canonical_unit(denominator)
        return _clean(value * factor * numerator_factor), f"{numerator}/{denominator}"
    factor, rest = split_multiplier(unit)
    base, base_factor = canonical_unit(rest)
    return _clean(value * factor * base_factor), base


def quantity_of(base_unit: str) -> str:
    """The Metric.Quantity for a base unit (count for anything counted)."""
    if "/" in base_unit:
        return "ratio"
    return QUANTITY_OF_BASE_UNIT.get(base_unit, "count")


def _clean(value: Decimal) -> Decimal:
    """Drop a needless exponent (1.5E+4 → 15000) so values print as people write them."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal
