"""Comparing one metric across places: one level, towns rolled up into their county, periods named.

``compare(metric, figures, level)`` turns a metric's figures into one row per place at ``level``
(a county, say). A place's own figure is used when it has one; otherwise the figures of the
places below it are rolled up by code prefix: summed when the metric adds up (网格数, 常住人口,
产值), else shown each as it is, labelled with the town it is about (a town's 人均可支配收入 is no
county's). Every row keeps the figures behind it (quotes, articles) and the period they cover,
and ``notes`` says when the rows do not cover the same kind of period (前三季度 beside 全年).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from cases.filtersets import LEVEL_ORDER
from cases.ingest.periods import KINDS, comparable, period_kind, period_label
from regions.models import PREFIX_LENGTH, Level

LEVEL_NAMES = dict(Level.choices)
#: How a rolled-up sum names the places it adds up.
UNIT_NOUN = {Level.PROVINCE: "个市", Level.CITY: "个县", Level.COUNTY: "个乡镇", Level.TOWN: "个村"}
ADDITIVE_QUANTITIES = {"count", "population", "money", "area", "length", "weight"}
NOT_ADDITIVE_WORDS = ("人均", "户均", "平均", "率", "比", "占", "指数", "均价", "单价")


def is_additive(metric) -> bool:
    """Whether the metric's values of parts add up to the whole (网格数 yes, 人均可支配收入 no)."""
    return metric.quantity in ADDITIVE_QUANTITIES and not any(word in metric.name for word in NOT_ADDITIVE_WORDS)


def kind_of(figure) -> str:
    """The stored period kind, else read from the period and quote (figures entered before it was stored)."""
    return getattr(figure, "period_kind", "") or period_kind(figure.quote, figure.period, figure.year, figure.is_target)


@dataclass
class Row:
    code: str
    name: str
    value: Decimal
    figures: list = field(default_factory=list)
    how: str = ""  # "" (the place's own figure), "sum", "part"
    part_name: str = ""

    @property
    def kinds(self) -> set[str]:
        return {kind_of(f) for f in self.figures}

    @property
    def years(self) -> list[int]:
        return sorted({f.year for f in self.figures if f.year})

    @property
    def period(self) -> str:
        if len(self.figures) == 1:
            f = self.figures[0]
            return period_label(kind_of(f), f.period, f.year)
        kinds = self.kinds
        years = self.years
        year_text = (f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年各年") if years else ""
        kind_text = "、".join(KINDS[k] for k in sorted(kinds) if k) or ""
        return " · ".join(t for t in (year_text, kind_text) if t) or KINDS[""]

    @property
    def short_period(self) -> str:
        """The period in a few characters for a chart label: 前三季度, 累计（某年以来）; empty for a plain year."""
        f = self.figures[0]
        kind = kind_of(f)
        if kind in ("year", ""):
            return ""
        return f.period or KINDS[kind]

    @property
    def label(self) -> str:
        if self.how == "sum":
            return f"{self.name}（{len(self.figures)}{UNIT_NOUN.get(self.level, '个下级')}合计）"
        if self.how == "part":
            return f"{self.name}·{self.part_name}"
        return self.name

    level: str = ""


def default_level(figures) -> str | None:
    """The level most places can be compared at: county when any figure is at county level or below."""
    levels = Counter(f.region.level for f in figures if f.region_id)
    if not levels:
        return None
    if any(levels[level] for level in (Level.COUNTY, Level.TOWN, Level.VILLAGE)):
        return Level.COUNTY
    return max(levels, key=lambda level: (levels[level], -LEVEL_ORDER.index(level)))


def _latest(figures):
    """The newest achieved figure of a place: by year, then a full year over part of one, then text order."""
    preference = {"year": 0, "": 1, "cumulative": 2, "span": 3, "half": 4, "months": 4, "quarter": 5}
    return min(figures, key=lambda f: (-(f.year or 0), preference.get(kind_of(f), 9)))


def compare(metric, figures, level: str, region_names: dict[str, str] | None = None) -> list[Row]:
    """One row per place at ``level`` (see the module docstring), largest first."""
    size = PREFIX_LENGTH[level]
    depth = LEVEL_ORDER.index(level)
    own, below = defaultdict(list), defaultdict(lambda: defaultdict(list))
    names = {}
    for f in figures:
        region = f.region
        if region is None or LEVEL_ORDER.index(region.level) < depth:
            continue
        prefix = region.code[:size]
        if region.level == level:
            own[prefix].append(f)
            names[prefix] = region.name
        else:
            below[prefix][region.code].append(f)
    ancestors = region_names or {}
    additive = is_additive(metric)
    rows = []
    for prefix in sorted(set(own) | set(below)):
        code = prefix.ljust(12, "0")
        name = names.get(prefix) or ancestors.get(code, code)
        if own[prefix]:
            f = _latest(own[prefix])
            rows.append(Row(code, name, f.normalized_value, [f], level=level))
            continue
        parts = {region_code: _latest(fs) for region_code, fs in below[prefix].items()}
        if additive:
            # Parts at different depths would be counted twice (a town and its villages): keep the highest.
            shallowest = min(LEVEL_ORDER.index(f.region.level) for f in parts.values())
            kept = [f for f in parts.values() if LEVEL_ORDER.index(f.region.level) == shallowest]
            if len(kept) == 1:
                rows.append(Row(code, name, kept[0].normalized_value, kept, how="part",
                                part_name=kept[0].region.name, level=level))
            else:
                rows.append(Row(code, name, sum(f.normalized_value for f in kept), kept, how="sum", level=level))
        else:
            for f in parts.values():
                rows.append(Row(code, name, f.normalized_value, [f], how="part", part_name=f.region.name, level=level))
    rows.sort(key=lambda r: (-r.value, r.code, r.part_name))
    return rows


def notes(rows, metric, level: str) -> list[dict]:
    """What a reader must know before comparing the rows: mixed periods, sums, towns standing for counties."""
    found = []
    kinds = Counter(kind_of(f) for row in rows for f in row.figures)
    if not comparable(kinds):
        listed = "、".join(f"{KINDS[k]} {n} 个" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
        found.append({"warn": True, "text": f"这些数字所指的时期不同（{listed}），不能直接比较：如前三季度的数字小于全年，"
                                            f"累计数大于单年数。每一行都注明了时期。"})
    years = {f.year for row in rows for f in row.figures if f.year}
    if len(years) > 1:
        found.append({"warn": True, "text": f"数字来自不同年份（{min(years)}—{max(years)}年），每个地区取最近一年。"})
    sums = [r for r in rows if r.how == "sum"]
    if sums:
        found.append({"warn": False, "text": f"{len(sums)} 个{LEVEL_NAMES[level]}区划没有本级数字，由下级区划的数字相加"
                                             f"（按区划代码前缀归入）；下级数字可能不全，合计只是下限。"})
    parts = [r for r in rows if r.how == "part"]
    if parts:
        why = "" if is_additive(metric) else "该指标不能相加（人均值、比率之类）："
        found.append({"warn": True, "text": f"{why}{len(parts)} 行是下级区划自己的数字，标为“上级·下级”，"
                                            f"不代表整个{LEVEL_NAMES[level]}区划。"})
    return found
