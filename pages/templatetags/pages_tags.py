"""Filters for showing figures the way the source wrote them and the way we normalised them."""

from functools import cache

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

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


@register.simple_tag(takes_context=True)
def region_tree(context, nodes, link: str = "search", open_top: bool = False):
    """The region tree (pages.facets.RegionNode) as nested lists, each node linked to the search
    narrowed to it (``link="search"``) or to its page (``"page"``).

    Built in Python rather than by a recursive ``{% include %}``: the whole province's tree has
    some 1,500 nodes, which the template engine takes ~300 ms to render and this ~10 ms.
    """
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params.pop("page", None)
    params.pop("region", None)
    # The query string without the region, encoded once (1,500 nodes: urlencode each time is 45 ms).
    base = "?" + (params.urlencode() + "&" if params else "") + "region="
    out: list[str] = []

    def href(node) -> str:
        return region_url(node.code) if link != "search" else base + node.code

    def walk(level_nodes, is_open: bool) -> None:
        out.append('<ul class="tree">')
        for node in level_nodes:
            anchor = (
                f'<a href="{escape(href(node))}">{escape(node.name)}</a> <span class="count">{node.count}'
                '<span class="visually-hidden"> 篇</span></span>'
            )
            if node.children:
                out.append(f'<li><details{" open" if is_open else ""}><summary>{anchor}</summary>')
                walk(node.children, False)
                out.append("</details></li>")
            else:
                out.append(f"<li>{anchor}</li>")
        out.append("</ul>")

    walk(nodes, open_top)
    return mark_safe("".join(out))


@cache
def _url_pattern(name: str) -> str:
    # reverse() costs ~70 µs (URL resolver, thread-locals); a metric page links thousands of quotes.
    return reverse(name, args=["0"]).replace("/0/", "/{}/")


@register.filter
def article_url(article_id) -> str:
    """``{% url 'pages:article' id %}``, cheaply (the address pattern is reversed once)."""
    return _url_pattern("pages:article").format(int(article_id))


@register.filter
def region_url(code) -> str:
    return _url_pattern("pages:region").format(escape(code))
