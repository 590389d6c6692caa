"""Public pages: thin views over the shared FilterSet, search engine and visibility rule.

Filtering is declared once, in ``cases.filtersets.ArticleFilterSet`` (the API's), and
search is ``search.engine.search_articles``; the views only choose what to show. Every
page runs a fixed number of queries however many rows it lists.
"""

from collections import defaultdict
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cases.filtersets import ArticleFilterSet
from cases.models import Article, ArticleRegion, Figure, Initiative, Metric
from regions.models import PREFIX_LENGTH, Level, Region
from search.engine import QueryError, make_snippet, ordered_by_rank, ranked_slice, search_all

from . import facets
from .charts import ChartItem, bar_chart, format_number, line_chart
from .codebook import codebook
from .highlight import quote_segments

PAGE_SIZE = 20
#: Query parameters the facets set, in the order they are shown.
FACETS = (
    ("region", "地区"),
    ("theme", "主题"),
    ("kind", "体裁"),
    ("publication", "刊物"),
    ("year", "年份"),
    ("initiative", "做法/项目"),
)
FACET_LABELS = dict(FACETS)
#: How many rows the region, initiative and metric pages list before pointing to the search.
LIST_LIMIT = 100
#: Rows of a metric's figure table; the API's CSV has them all.
TABLE_LIMIT = 200
#: Articles listed on an initiative's page; the search lists them all.
ARTICLE_LIMIT = 50
CHART_BARS = 30
CHART_LINES = 8


def visible_articles(user):
    return Article.objects.visible_to(user)


class SearchPaginator(Paginator):
    """Pages of ranked search results cut by the engine, which ranks only what a page needs."""

    def __init__(self, object_list, per_page, q):
        super().__init__(object_list, per_page)
        self.q = q

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = ranked_slice(self.object_list, self.q, bottom, top - bottom, total=self.count)
        return self._get_page(rows, number, self)


def csv_parts(url: str, total: int) -> list[dict]:
    """Download links for ``url`` (an API list with ``format=csv``): one, or one per part of at most
    ``API_CSV_MAX_ROWS`` rows when the API would cut the file (it serves a long result in parts)."""
    size = settings.API_CSV_MAX_ROWS
    if total <= size:
        return [{"href": url, "first": 1, "last": total}]
    return [{"href": f"{url}&offset={start}&limit={size}", "first": start + 1, "last": min(start + size, total)}
            for start in range(0, total, size)]


def filtered_articles(request, filterset_class=ArticleFilterSet):
    """The articles this user may see, through the API's FilterSet (its ``q`` is the search engine).

    Returns (filterset, queryset, errors); with errors the queryset is empty, because a
    filter we could not understand must not silently widen the results.
    """
    filterset = filterset_class(request.GET, queryset=visible_articles(request.user), request=request)
    if not filterset.is_valid():
        errors = [
            f"{filterset.filters[name].label if name in filterset.filters else name}：{message}"
            for name, messages in filterset.errors.items()
            for message in messages
        ]
        return filterset, Article.objects.none(), errors
    articles = filterset.qs
    if "rank" in articles.query.annotations:
        articles = articles.order_by("-rank", "-published_on", "id")
    return filterset, articles, []


def _describe(value, filter_) -> str:
    """A cleaned filter value as a reader would name it."""
    if isinstance(value, Region):
        return value.name
    if isinstance(value, bool):
        return "是" if value else "否"
    choices = dict(getattr(filter_, "extra", {}).get("choices") or [])
    if isinstance(value, list | tuple | QuerySet):
        return "、".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


def selected_filters(request, filterset) -> list[dict]:
    """The filters in force (any the FilterSet knows, not only the facets), each with the link that removes it."""
    data = getattr(filterset.form, "cleaned_data", {})
    chosen = []
    year_min, year_max = data.get("year_min"), data.get("year_max")
    for name, filter_ in filterset.filters.items():
        value = data.get(name)
        if name == "q" or name not in request.GET or value in (None, "", []) or (
            isinstance(value, QuerySet) and not value
        ):
            continue
        if name in ("year_min", "year_max") and year_min is not None and year_min == year_max:
            if name == "year_max":
                continue
            label, text, params_to_drop = "年份", f"{year_min}年", ("year_min", "year_max")
        else:
            label = FACET_LABELS.get(name) or str(filter_.label or name)
            text, params_to_drop = _describe(value, filter_), (name,)
        params = request.GET.copy()
        for param in (*params_to_drop, "page"):
            params.pop(param, None)
        chosen.append({"name": name, "label": label, "text": text, "remove": params.urlencode()})
    return chosen


def facet_groups(params, articles, selected: set) -> list[dict]:
    """Facets not yet chosen, each value with its count and the link that adds it."""
    groups = []
    for name, label in FACETS:
        if name in selected and name != "region":  # the region tree keeps drilling down
            continue
        values = FACET_FUNCTIONS[name](articles)
        if name != "region":
            for value in values:
                link = params.copy()
                for param in FACET_PARAMS.get(name, (name,)):
                    link[param] = value.value
                value.href = "?" + link.urlencode()
        groups.append({
            "name": name, "label": label, "values": values, "is_tree": name == "region",
            "open": name == "region" and len(values) <= 3,  # a long tree starts folded at the cities
        })
    return groups


#: A year is the range year_min..year_max of one year (the FilterSet's parameters).
FACET_PARAMS = {"year": ("year_min", "year_max")}

FACET_FUNCTIONS = {
    "region": facets.region_tree,
    "theme": facets.theme_facet,
    "kind": facets.kind_facet,
    "publication": facets.publication_facet,
    "year": facets.year_facet,
    "initiative": facets.initiative_facet,
}


def related_records(q: str, user, limit: int = 6) -> dict | None:
    """Regions, initiatives and metrics matching the query (search_all), for the "也可查看" line."""
    try:
        found = search_all(q, user, limit=limit)
    except QueryError:
        return None
    # An initiative known only from unpublished articles has no public page.
    ids = [row["id"] for row in found["initiatives"]]
    public = set(
        Initiative.objects.filter(pk__in=ids, articles__in=visible_articles(user).values("pk")).values_list("pk", flat=True)
    ) if ids else set()
    related = {
        "regions": found["regions"],
        "initiatives": [row for row in found["initiatives"] if row["id"] in public],
        "metrics": found["metrics"],
    }
    return related if any(related.values()) else None


@require_safe
def home(request):
    filterset, articles, errors = filtered_articles(request)
    q = (filterset.form.cleaned_data.get("q") if not errors else None) or request.GET.get("q", "").strip()
    results = (
        articles.select_related("source__publication")
        .defer("body_line_map")
        .prefetch_related(Prefetch("region_links", ArticleRegion.objects.select_related("region")))
    )
    ranked = q and not errors and ordered_by_rank(results)
    paginator = SearchPaginator(results, PAGE_SIZE, q) if ranked else Paginator(results, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for article in page.object_list:
        article.snippet = make_snippet(article.body, q) if q and not errors else None
    params = request.GET.copy()
    params.pop("page", None)
    selected = selected_filters(request, filterset) if not errors else []
    chosen = {s["name"] for s in selected} | ({"year"} if {"year_min", "year_max"} & set(params) else set())
    context = {
        "q": q,
        "errors": errors,
        "page": page,
        "related": related_records(q, request.user) if q and not errors and page.number == 1 else None,
        "facet_groups": facet_groups(params, articles, chosen) if not errors else [],
        "selected": selected,
        "csv_parts": csv_parts(
            f"{reverse('api:article-list')}?format=csv" + (f"&{params.urlencode()}" if params else ""),
            page.paginator.count,
        ) if not errors else [],
        "hidden_fields": [(k, v) for k, values in params.lists() if k != "q" for v in values],
    }
    return render(request, "pages/home.html", context, status=400 if errors else 200)


@require_safe
def article_detail(request, pk):
    article = get_object_or_404(visible_articles(request.user).select_related("source__publication"), pk=pk)
    figures = list(article.figures.select_related("region", "metric", "initiative").order_by("start", "id"))
    context = {
        "article": article,
        "region_links": article.region_links.select_related("region").order_by("-role", "region__code"),
        "themes": article.themes.all(),
        "initiatives": article.initiatives.select_related("region"),
        "figures": figures,
        "has_body": bool(article.body.strip()),
        "segments": quote_segments(article.body, [(f.pk, f.start, f.end) for f in figures]),
    }
    return render(request, "pages/article.html", context)


def with_evidence(figures):
    """Figures with ``has_body`` (their article's text is in this copy) and without loading that text."""
    return figures.annotate(has_body=ExpressionWrapper(~Q(article__body=""), output_field=BooleanField())).defer(
        "article__body", "article__body_line_map")


def _articles_in(articles, prefix: str):
    links = ArticleRegion.objects.filter(article=OuterRef("pk"), region__code__startswith=prefix)
    return articles.filter(Exists(links))


def _levels_below(level: str, depth: int = 3) -> tuple:
    order = list(PREFIX_LENGTH)
    return tuple(order[order.index(level) + 1 :][:depth])


@require_safe
def region_detail(request, code):
    if code.isdigit() and 2 <= len(code) < 12:  # 3306 or 330600, as the API accepts: one canonical address
        return redirect("pages:region", code=code.ljust(12, "0"), permanent=True)
    region = get_object_or_404(Region, code=code)
    visible = visible_articles(request.user)
    articles = _articles_in(visible, region.prefix)
    below = _levels_below(region.level)
    children = list(region.children.order_by("code"))
    child_counts = facets.region_counts(articles, below[:1], within=region.prefix) if below else {}
    for child in children:
        child.case_count = child_counts.get(child.code, 0)
    figures = list(
        with_evidence(Figure.objects.filter(article__in=visible.values("pk"), region__code__startswith=region.prefix)
                      .select_related("region", "metric", "article"))
        .order_by("metric__name", "region__code", "-year", "id")[: LIST_LIMIT + 1]
    )
    context = {
        "region": region,
        "ancestors": region.ancestors(),
        "children": children,
        "article_count": articles.count(),
        "articles": articles.select_related("source__publication").defer("body", "body_line_map")[:20],
        "initiatives": Initiative.objects.filter(region__code__startswith=region.prefix, articles__in=visible.values("pk"))
        .annotate(article_count=Count("articles", distinct=True))
        .select_related("region")
        .order_by("-article_count", "name")[:LIST_LIMIT],
        "figures": figures[:LIST_LIMIT],
        "figures_truncated": len(figures) > LIST_LIMIT,
        "tree": facets.region_tree(articles, below, within=region.prefix) if below else [],
    }
    return render(request, "pages/region.html", context)


@require_safe
def initiative_detail(request, pk):
    initiative = get_object_or_404(Initiative.objects.select_related("region"), pk=pk)
    articles = visible_articles(request.user).filter(initiatives=initiative)
    article_list = list(
        articles.select_related("source__publication").defer("body", "body_line_map")[:ARTICLE_LIMIT]
    )
    if not article_list:
        # Known only from unreviewed drafts: not public yet.
        raise Http404("没有已发布的文章介绍这一做法")
    places = (
        ArticleRegion.objects.filter(article__in=articles.values("pk"), role=ArticleRegion.Role.MAIN)
        .values("region__code", "region__name")
        .annotate(article_count=Count("article_id", distinct=True))
        .order_by("-article_count", "region__code")
    )
    figures = (
        with_evidence(Figure.objects.filter(initiative=initiative, article__in=articles.values("pk"))
                      .select_related("region", "metric", "article"))
        .order_by("metric__name", "-year", "id")[:LIST_LIMIT]
    )
    context = {
        "initiative": initiative,
        "ancestors": initiative.region.ancestors() if initiative.region else [],
        "places": places,
        "articles": article_list,
        "article_count": articles.count(),
        "figures": figures,
        "themes": initiative.themes.all(),
    }
    return render(request, "pages/initiative.html", context)


@require_safe
def metric_list(request):
    visible = visible_articles(request.user)
    metrics = (
        Metric.objects.annotate(
            figure_count=Count("figures", filter=Q(figures__article__in=visible.values("pk"))),
            region_count=Count("figures__region", filter=Q(figures__article__in=visible.values("pk")), distinct=True),
        )
        .filter(figure_count__gt=0)
        .order_by("-figure_count", "name")
    )
    return render(request, "pages/metric_list.html", {"metrics": metrics})


def _figure_tooltip(figure) -> str:
    place = figure.region.name if figure.region else "（未注明地区）"
    year = f"{figure.year}年" if figure.year else "年份未注明"
    written = f"{figure.qualifier}{format_number(figure.value, grouping=False)}{figure.unit}"
    return f"{place} · {year}：{written}\n“{figure.quote}”\n——《{figure.article.title}》"


def metric_charts(metric, figures):
    """The bar chart (latest achieved value per region) and the line chart (regions over years)."""
    comparable = [
        f for f in figures
        if f.normalized_value is not None and not f.is_target and f.region_id
        and f.base_unit in ("", metric.base_unit)
    ]
    latest = {}
    for figure in comparable:  # newest year wins; among equals the first in the article order
        current = latest.get(figure.region_id)
        if current is None or (figure.year or 0) > (current.year or 0):
            latest[figure.region_id] = figure
    items = [
        ChartItem(
            label=f.region.name, value=float(f.normalized_value), tooltip=_figure_tooltip(f),
            href=reverse("pages:article", args=[f.article_id]) + f"#q-{f.pk}",
        )
        for f in sorted(latest.values(), key=lambda f: (-f.normalized_value, f.region.code))
    ][:CHART_BARS]
    by_region = defaultdict(dict)
    for figure in comparable:
        if figure.year and figure.year not in by_region[figure.region]:
            by_region[figure.region][figure.year] = figure
    busiest = sorted(by_region.items(), key=lambda kv: (-len(kv[1]), kv[0].code))[:CHART_LINES]
    series = {
        region.name: [
            (year, ChartItem(
                label=region.name, value=float(f.normalized_value), tooltip=_figure_tooltip(f),
                href=reverse("pages:article", args=[f.article_id]) + f"#q-{f.pk}",
            ))
            for year, f in years.items()
        ]
        for region, years in busiest
    }
    has_years = any(len(points) > 1 for points in series.values()) or len({y for p in series.values() for y, _ in p}) > 1
    return (bar_chart(items) if items else None), (line_chart(series) if has_years else None)


@require_safe
def metric_detail(request, slug):
    metric = get_object_or_404(Metric, slug=slug)
    figures = Figure.objects.filter(metric=metric, article__in=visible_articles(request.user).values("pk"))
    # The charts need every comparable figure, but only the few columns a bar and its tooltip show.
    charted = list(
        figures.filter(normalized_value__isnull=False, is_target=False, region__isnull=False)
        .select_related("region", "article")
        .only(
            "normalized_value", "year", "is_target", "base_unit", "qualifier", "value", "unit", "quote",
            "article_id", "article__title", "region_id", "region__code", "region__name",
        )
        .order_by("region__code", "-year", "article_id", "start")
    )
    bars, lines = metric_charts(metric, charted)
    figure_count = figures.count()
    table = list(
        with_evidence(figures.select_related("region", "metric", "article")).order_by("region__code", "-year", "article_id", "start")[
            :TABLE_LIMIT
        ]
    )
    context = {
        "metric": metric, "figures": table, "figure_count": figure_count, "bars": bars, "lines": lines,
        "csv_parts": csv_parts(f"{reverse('api:figure-list')}?format=csv&metric={quote(metric.slug)}", figure_count),
    }
    return render(request, "pages/metric.html", context)


@require_safe
def about(request):
    visible = visible_articles(request.user)
    counts = {
        "articles": visible.count(),
        "figures": Figure.objects.filter(article__in=visible.values("pk")).count(),
        "regions": ArticleRegion.objects.filter(article__in=visible.values("pk")).values("region").distinct().count(),
    }
    context = {
        "codebook": codebook(),
        "counts": counts,
        "citation_url": request.build_absolute_uri("/"),
        "levels": Level.choices,
    }
    return render(request, "pages/about.html", context)
