"""Filters for showing figures the way the source wrote them and the way we normalised them."""

from django import template

from pages.charts import format_number

register = template.Library()


@register.filter
def number(value):
    return format_number(value)


@register.filter
def as_written(figure) -> str:
    """约15万人, 3—5个: qualifier, value (and range maximum) and unit as printed (no digit grouping)."""
    value = format_number(figure.value, grouping=False)
    if figure.value_max is not None:
        value += f"—{format_number(figure.value_max, grouping=False)}"
    return f"{figure.qualifier}{value}{figure.unit}"


@register.filter
def normalized(figure) -> str:
    """150,000 人: the value in the metric's base unit, or an empty string if not normalised."""
    if figure.normalized_value is None:
        return ""
    value = format_number(figure.normalized_value)
    if figure.normalized_value_max is not None:
        value += f"—{format_number(figure.normalized_value_max)}"
    return f"{value} {figure.base_unit}".strip()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` — a dict value by a variable key (None when absent)."""
    return mapping.get(key) if mapping else None


@register.filter
def period_of(figure) -> str:
    """2023年 · 前三季度, 累计（某年以来）, 目标值, 未注明: the time the figure covers."""
    from cases.ingest.periods import period_kind, period_label

    kind = getattr(figure, "period_kind", "") or period_kind(figure.quote, figure.period, figure.year, figure.is_target)
    return period_label(kind, figure.period, figure.year)


@register.filter
def compact(value) -> str:
    """321600000000 → 3216亿: large numbers the way Chinese writes them."""
    from pages.charts import compact_number

    return compact_number(value)
