"""The map page: a county choropleth of Zhejiang for case counts or a metric, under the page's filters.

The articles are the home page's: ``ArticleFilterSet`` over what the user may see
(``views.filtered_articles``), so every search filter in the URL narrows the map too. What is
shaded is chosen with ``?show=``: ``cases`` (default; distinct articles per county, an article
about a town counts for its county) or a metric's slug (the latest achieved value reported
for the county itself). Shapes come from ``pages.geo`` (an offline boundary package, cached
per process) and are drawn as inline SVG; a legend and a table carry the same numbers.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cases.models import Figure, Metric
from regions.models import Level, Region

from . import facets
from .charts import format_number
from .geo import PROVINCE_CODE, zhejiang_geometry
from .views import filtered_articles, selected_filters

CASES = "cases"
#: Light to dark (ColorBrewer "Blues", its lightest steps left out so that the first class stands
#: apart from the grey of "no value"); fewer classes take an even spread of them.
PALETTE = ("#c6dbef", "#6baed6", "#3182bd", "#08519c", "#08306b")
NO_VALUE = "#eef0f2"
MAX_CLASSES = len(PALETTE)


@dataclass(frozen=True)
class ValueClass:
    low: float
    high: float
    color: str
    label: str
    count: int = 0  # counties in this class


@dataclass(frozen=True)
class County:
    code: str
    name: str
    path: str
    fill: str
    value: float | None
    value_label: str
    tooltip: str
    href: str


def _label(value: float) -> str:
    return format_number(Decimal(str(round(value, 2))))


def value_classes(values: list[float], unit: str = "") -> list[ValueClass]:
    """Up to five classes over the positive values: each distinct value its own class when there
    are few, else quantile breaks (equal numbers of counties per class, ties kept together)."""
    distinct = sorted({v for v in values if v is not None})
    if not distinct:
        return []
    if len(distinct) <= MAX_CLASSES:
        bounds = [(v, v) for v in distinct]
    else:
        ordered = sorted(v for v in values if v is not None)
        cuts = sorted({ordered[min(len(ordered) - 1, len(ordered) * i // MAX_CLASSES)] for i in range(1, MAX_CLASSES)})
        edges = [distinct[0], *[c for c in cuts if c > distinct[0]]]
        bounds = []
        for index, low in enumerate(edges):
            above = [v for v in distinct if v >= low and (index + 1 == len(edges) or v < edges[index + 1])]
            if above:
                bounds.append((above[0], above[-1]))
    n = len(bounds)
    colors = [PALETTE[round(i * (len(PALETTE) - 1) / (n - 1))] if n > 1 else PALETTE[3] for i in range(n)]
    result = []
    for (low, high), color in zip(bounds, colors, strict=True):
        text = _label(low) if low == high else f"{_label(low)}–{_label(high)}"
        count = sum(1 for v in values if v is not None and low <= v <= high)
        result.append(ValueClass(low, high, color, f"{text}{unit}", count))
    return result


def _fill(value, classes) -> str:
    if value is None:
        return NO_VALUE
    for value_class in classes:
        if value <= value_class.high:
            return value_class.color
    return classes[-1].color if classes else NO_VALUE


def county_case_counts(articles) -> dict[str, int]:
    """Distinct articles per Zhejiang county (links to its towns and villages count for it); one query."""
    return facets.region_counts(articles, (Level.COUNTY,), within=PROVINCE_CODE)


def county_metric_values(articles, metric) -> dict[str, Figure]:
    """Per county, the figure shown: the latest achieved value reported for the county itself.

    Towns' figures stay out (a county's total is not the sum of the towns an article happened to
    name), as do targets and values in another unit; among figures of one year the first in
    article order wins. One query.
    """
    figures = (
        Figure.objects.filter(
            article__in=articles.order_by().values("pk"), metric=metric, is_target=False,
            normalized_value__isnull=False, region__level=Level.COUNTY,
            region__code__startswith=PROVINCE_CODE,
        )
        .filter(Q(base_unit="") | Q(base_unit=metric.base_unit))
        .select_related("region", "article")
        .only("normalized_value", "year", "value", "unit", "qualifier", "quote", "article_id", "article__title",
              "region__code", "region__name")
        .order_by("region__code", "-year", "article_id", "start")
    )
    chosen: dict[str, Figure] = {}
    for figure in figures:
        current = chosen.get(figure.region.code)
        if current is None or (figure.year or 0) > (current.year or 0):
            chosen[figure.region.code] = figure
    return chosen


def metric_choices(articles):
    """Metrics with at least one county-level figure in the visible articles, most counties first (one query)."""
    in_zhejiang_counties = Q(
        figures__article__in=articles.order_by().values("pk"), figures__region__level=Level.COUNTY,
        figures__region__code__startswith=PROVINCE_CODE, figures__is_target=False,
        figures__normalized_value__isnull=False,
    )
    return list(
        Metric.objects.annotate(county_count=Count("figures__region", filter=in_zhejiang_counties, distinct=True))
        .filter(county_count__gt=0)
        .order_by("-county_count", "name")
        .only("slug", "name", "base_unit")
    )


def build_counties(values: dict[str, float], describe, names: dict[str, str], classes) -> list[County]:
    geometry = zhejiang_geometry()
    counties = []
    for shape in geometry.shapes:
        name = names.get(shape.code, shape.name)
        value = values.get(shape.code)
        value_label = describe(shape.code, value)
        counties.append(County(
            code=shape.code, name=name, path=shape.path, fill=_fill(value, classes), value=value,
            value_label=value_label, tooltip=f"{name}：{value_label}", href=reverse("pages:region", args=[shape.code]),
        ))
    return counties


@require_safe
def map_page(request):
    filterset, articles, errors = filtered_articles(request)
    visible_for_choices = filterset.queryset  # metrics offered: any visible article's, whatever the filters
    show = request.GET.get("show", CASES).strip() or CASES
    metrics = metric_choices(visible_for_choices)
    metric = None
    if show != CASES:
        metric = next((m for m in metrics if m.slug == show), None) or Metric.objects.filter(slug=show).first()
        if metric is None:
            errors = [*errors, f"显示：没有标识为“{show[:40]}”的指标，请从列表中选择"]
    names = dict(
        Region.objects.filter(level=Level.COUNTY, code__startswith=PROVINCE_CODE).values_list("code", "name")
    )
    figures: dict[str, Figure] = {}
    if errors:
        values: dict[str, float] = {}
        classes = []
        describe = lambda code, value: "—"  # noqa: E731
        unit = ""
    elif metric is None:
        counts = county_case_counts(articles)
        values = {code: float(n) for code, n in counts.items() if n}
        unit = "篇"
        classes = value_classes(list(values.values()), unit)
        describe = lambda code, value: f"{int(value)} 篇案例" if value else "无案例"  # noqa: E731
    else:
        figures = county_metric_values(articles, metric)
        values = {code: float(f.normalized_value) for code, f in figures.items()}
        unit = metric.base_unit
        classes = value_classes(list(values.values()), unit)

        def describe(code, value):
            figure = figures.get(code)
            if figure is None:
                return f"{metric.name}：无数据"
            year = f"（{figure.year}年）" if figure.year else "（年份未注明）"
            return f"{metric.name} {format_number(figure.normalized_value)} {metric.base_unit}{year}"

    counties = build_counties(values, describe, names, classes)
    geometry = zhejiang_geometry()
    params = request.GET.copy()
    for param in ("show", "page"):
        params.pop(param, None)
    context = {
        "geometry": geometry,
        "counties": counties,
        "ranked": sorted((c for c in counties if c.value is not None), key=lambda c: (-c.value, c.code)),
        "classes": classes,
        "no_value_count": sum(1 for c in counties if c.value is None),
        "no_value_color": NO_VALUE,
        "metric": metric,
        "metrics": metrics,
        "show": metric.slug if metric else CASES,
        "unit": unit,
        "figures": figures,
        "errors": errors,
        "article_count": None if errors else articles.count(),
        "selected": selected_filters(request, filterset) if not errors else [],
        "hidden_fields": [(k, v) for k, vs in params.lists() for v in vs],
        "search_href": reverse("pages:home") + (f"?{params.urlencode()}" if params else ""),
    }
    return render(request, "pages/map.html", context, status=400 if errors else 200)
