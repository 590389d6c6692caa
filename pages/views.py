"""Public pages: thin views over the shared FilterSet, search engine and visibility rule.

Filtering is declared once, in ``cases.filtersets.ArticleFilterSet`` (the API's), and
search is ``search.engine.search_articles``; the views only choose what to show. Every
page runs a fixed number of queries however many rows it lists.
"""

import csv
from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cases.models import Article, ArticleRegion, Figure, Initiative, Metric
from regions.models import PREFIX_LENGTH, Level, Region
from search.engine import QueryError, search_articles

from . import facets
from .charts import ChartItem, bar_chart, format_number, line_chart
from .codebook import codebook
from .compat import ArticleFilterSet, make_snippet, visible_articles
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
#: How many rows the region, initiative and metric pages list before pointing to the search.
LIST_LIMIT = 100
CHART_BARS = 30
CHART_LINES = 8


def filtered_articles(request, filterset_class=ArticleFilterSet):
    """Apply the FilterSet and the search to the articles this user may see.

    Returns (filterset, q, queryset, errors); with errors the queryset is empty, because a
    filter we could not understand must not silently widen the results.
    """
    filterset = filterset_class(request.GET, queryset=visible_articles(request.user), request=request)
    q = request.GET.get("q", "").strip()
    errors = []
    if not filterset.is_valid():
        for name, messages in filterset.errors.items():
            label = filterset.filters[name].label if name in filterset.filters else name
            errors.extend(f"{label}：{message}" for message in messages)
        return filterset, q, Article.objects.none(), errors
    articles = filterset.qs
    if q and "q" not in filterset.filters:
        try:
            articles = search_articles(articles, q)
        except QueryError as exc:
            return filterset, q, Article.objects.none(), [str(exc)]
    if q and "rank" in articles.query.annotations:
        articles = articles.order_by("-rank", "-published_on", "id")
    return filterset, q, articles, errors


def selected_filters(request, filterset) -> list[dict]:
    """The filters in force, each with a readable label and the link that removes it."""
    data = getattr(filterset.form, "cleaned_data", {})
    chosen = []
    region_codes = [data[name] for name in ("region",) if data.get(name)]
    region_names = dict(Region.objects.filter(code__in=region_codes).values_list("code", "name")) if region_codes else {}
    for name, label in FACETS:
        value = data.get(name)
        if value in (None, "", []):
            continue
        if name == "region":
            text = region_names.get(str(value), str(value))
        elif name == "kind":
            text = str(dict(Article.Kind.choices).get(value, value))
        elif name == "year":
            text = f"{int(value)}年"
        else:
            text = str(value)
        params = request.GET.copy()
        params.pop(name, None)
        params.pop("page", None)
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
                link[name] = value.value
                value.href = "?" + link.urlencode()
        groups.append({"name": name, "label": label, "values": values, "is_tree": name == "region"})
    return groups


FACET_FUNCTIONS = {
    "region": facets.region_tree,
    "theme": facets.theme_facet,
    "kind": facets.kind_facet,
    "publication": facets.publication_facet,
    "year": facets.year_facet,
    "initiative": facets.initiative_facet,
}


@require_safe
def home(request):
    filterset, q, articles, errors = filtered_articles(request)
    results = (
        articles.select_related("source__publication")
        .defer("body_line_map")
        .prefetch_related(Prefetch("region_links", ArticleRegion.objects.select_related("region")))
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    for article in page.object_list:
        if q:
            article.snippet = make_snippet(article.body, q)
        else:
            article.snippet = None
    params = request.GET.copy()
    params.pop("page", None)
    selected = selected_filters(request, filterset) if not errors else []
    context = {
        "q": q,
        "errors": errors,
        "page": page,
        "facet_groups": facet_groups(params, articles, {s["name"] for s in selected}) if not errors else [],
        "selected": selected,
        "filter_query": params.urlencode(),
        "hidden_fields": [(k, v) for k, values in params.lists() if k != "q" for v in values],
    }
    return render(request, "pages/home.html", context, status=400 if errors else 200)


CSV_COLUMNS = (
    "id", "标题", "副标题", "刊物", "期号", "文中次序", "发表日期", "体裁", "主要区划", "区划代码", "主题", "做法/项目",
    "数字条数", "网址",
)


class _Echo:
    def write(self, value):
        return value


@require_safe
def articles_csv(request):
    """The search results as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese)."""
    _filterset, _q, articles, errors = filtered_articles(request)
    if errors:
        return render(request, "pages/home.html", {"errors": errors, "page": None, "facets": {}}, status=400)
    rows = (
        articles.select_related("source__publication")
        .defer("body", "body_line_map")
        .annotate(figure_count=Count("figures"))
        .prefetch_related(
            Prefetch("region_links", ArticleRegion.objects.select_related("region")),
            "themes",
            "initiatives",
        )
    )

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for article in rows:
            links = sorted(article.region_links.all(), key=lambda link: (link.role != "main", link.region.code))
            source = article.source
            yield writer.writerow([
                article.pk, article.title, article.subtitle,
                source.publication.name if source and source.publication else "",
                source.issue_label if source else "", article.position or "",
                article.published_on.isoformat() if article.published_on else "",
                article.get_kind_display(),
                "；".join(link.region.name for link in links),
                "；".join(link.region.code for link in links),
                "；".join(theme.name for theme in article.themes.all()),
                "；".join(initiative.name for initiative in article.initiatives.all()),
                article.figure_count,
                request.build_absolute_uri(reverse("pages:article", args=[article.pk])),
            ])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="articles.csv"'
    return response


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
        "segments": quote_segments(article.body, [(f.pk, f.start, f.end) for f in figures]),
    }
    return render(request, "pages/article.html", context)


def _articles_in(articles, prefix: str):
    links = ArticleRegion.objects.filter(article=OuterRef("pk"), region__code__startswith=prefix)
    return articles.filter(Exists(links))


def _levels_below(level: str, depth: int = 3) -> tuple:
    order = list(PREFIX_LENGTH)
    return tuple(order[order.index(level) + 1 :][:depth])


@require_safe
def region_detail(request, code):
    region = get_object_or_404(Region, code=code)
    visible = visible_articles(request.user)
    articles = _articles_in(visible, region.prefix)
    below = _levels_below(region.level)
    children = list(region.children.order_by("code"))
    child_counts = facets.region_counts(articles, below[:1], within=region.prefix) if below else {}
    for child in children:
        child.case_count = child_counts.get(child.code, 0)
    figures = list(
        Figure.objects.filter(article__in=visible.values("pk"), region__code__startswith=region.prefix)
        .select_related("region", "metric", "article")
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
    article_list = list(articles.select_related("source__publication").defer("body", "body_line_map"))
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
        Figure.objects.filter(initiative=initiative, article__in=articles.values("pk"))
        .select_related("region", "metric", "article")
        .order_by("metric__name", "-year", "id")[:LIST_LIMIT]
    )
    context = {
        "initiative": initiative,
        "ancestors": initiative.region.ancestors() if initiative.region else [],
        "places": places,
        "articles": article_list,
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
    written = f"{figure.qualifier}{format_number(figure.value)}{figure.unit}"
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
    visible = visible_articles(request.user)
    figures = list(
        Figure.objects.filter(metric=metric, article__in=visible.values("pk"))
        .select_related("region", "metric", "article")
        .order_by("region__code", "-year", "article_id", "start")
    )
    bars, lines = metric_charts(metric, figures)
    return render(request, "pages/metric.html", {"metric": metric, "figures": figures, "bars": bars, "lines": lines})


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
