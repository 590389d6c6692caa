"""Public pages: thin views over the shared FilterSet, search engine and visibility rule.

Filtering is declared once, in ``cases.filtersets.ArticleFilterSet`` (the API's), and
search is ``search.engine.search_articles``; the views only choose what to show. Every
page runs a fixed number of queries however many rows it lists.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_safe

from cases.citation import article_citation, dataset_version, figure_citation
from cases.filtersets import ArticleFilterSet, FigureComparisonFilterSet, comparison_level, levels_at_or_below
from cases.ingest.periods import comparable
from cases.models import Article, ArticleRegion, Figure, Initiative, Metric
from regions.models import PREFIX_LENGTH, Level, Region
from search.engine import (
    QueryError,
    make_snippet,
    matching_article_ids,
    ordered_by_rank,
    ranked_slice,
    search_records,
)

from . import facet_index, facets, release
from .cache import cached_for_the_public
from .charts import ChartItem, bar_chart, fit_label, format_number, line_chart
from .codebook import codebook
from .compare import LEVEL_NAMES, compare, default_level, is_additive, kind_of
from .compare import notes as comparison_notes
from .highlight import quote_segments
from .summary import current_version, public_counts
from .templatetags.pages_tags import article_url, period_of

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


def facet_groups(params, counts_of, selected: set) -> list[dict]:
    """Facets not yet chosen, each value with its count and the link that adds it.

    A facet of several choices (themes: any of them) stays in view once chosen, its values
    counted over the results *without* that facet's own filter, so a reader can add a second
    theme or drop the first. ``counts_of(name)`` gives a facet's counts (see facet_counter).
    """
    groups = []
    for name, label in FACETS:
        several = name in MULTIPLE_CHOICE_FACETS
        if name in selected and name != "region" and not several:  # the region tree keeps drilling down
            continue
        count, label = facets.COUNTERS[name]
        values = label(counts_of(name))
        if name != "region":
            chosen = set(params.getlist(name)) if several else set()
            for value in values:
                link = params.copy()
                value.chosen = value.value in chosen
                if several:
                    link.setlist(name, sorted(chosen ^ {value.value}))
                else:
                    for param in FACET_PARAMS.get(name, (name,)):
                        link[param] = value.value
                value.href = "?" + link.urlencode()
        groups.append({
            "name": name, "label": label, "values": values, "is_tree": name == "region", "several": several,
            "open": name == "region" and len(values) <= 3,  # a long tree starts folded at the cities
        })
    return groups


#: Facets whose values combine with OR (the FilterSet's ``theme`` matches any of them).
MULTIPLE_CHOICE_FACETS = {"theme"}


#: A year is the range year_min..year_max of one year (the FilterSet's parameters).
FACET_PARAMS = {"year": ("year_min", "year_max")}


def related_records(q: str, user, limit: int = 6) -> dict | None:
    """Regions, initiatives and metrics matching the query, for the "也可查看" line."""
    try:
        found = search_records(q, user, limit=limit)
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


@dataclass
class SortOrder:
    key: str  # the API's ``ordering`` value, so the CSV link sorts the same way
    order_by: tuple = ()
    choices: tuple = ()


#: How results can be sorted: the API's ``ordering`` names, labelled for readers.
SORT_CHOICES = (
    ("-relevance", "相关度", ()),
    ("-date", "最新发表", ("-published_on", "source_id", "position")),
    ("date", "最早发表", ("published_on", "source_id", "position")),
    ("title", "标题", ("title", "id")),
)


def sort_order(request, q: str, errors) -> SortOrder:
    """The order chosen with ``?ordering=`` (relevance first when searching, else the newest)."""
    available = [c for c in SORT_CHOICES if q and not errors or c[0] != "-relevance"]
    chosen = request.GET.get("ordering", "")
    key, _label, order_by = next((c for c in available if c[0] == chosen), available[0])
    choices = tuple({"key": k, "label": label, "current": k == key} for k, label, _ in available)
    return SortOrder(key, order_by, choices)


def facet_counter(request, articles, params, chosen_themes=()):
    """``(counts_of, total)``: how this request counts its facets, and its number of results if
    that came for free.

    The whole public collection: the kept summary (pages.summary). Any filtered public set: the
    facet index (pages.facet_index), one fetch of the result ids. Staff, who see drafts: SQL,
    one grouped query per facet. All three give the same exact counts.
    """
    unfiltered = without_own_filter(request, params)
    if request.user.is_staff:
        pinned = facets.pinned(articles)
        return (lambda name: facets.COUNTERS[name][0](unfiltered.get(name, pinned))), None
    if not set(params) - {"ordering"}:
        counted = public_counts()
        return (lambda name: counted[name]), counted["total"]
    index = facet_index.index_at(current_version())
    others = {name: facet_index.IdSet.of(qs.order_by().values_list("pk", flat=True)) for name, qs in unfiltered.items()}
    if "theme" in others:  # the results are those with a chosen theme: no need to ask the database again
        results = index.having("theme", [theme.pk for theme in chosen_themes], others["theme"])
    elif set(params) - {"ordering"} == {"q"} and params.get("q", "").strip():
        # A plain search: the matching documents, those the public may see (no scan of the articles).
        results = index.public_among(matching_article_ids(params["q"].strip()))
    else:
        results = facet_index.IdSet.of(articles.order_by().values_list("pk", flat=True))
    return (lambda name: index.count(name, others.get(name, results))), len(results)


def without_own_filter(request, params) -> dict:
    """For each multiple-choice facet in use, the results filtered by everything else."""
    unfiltered = {}
    for name in MULTIPLE_CHOICE_FACETS:
        if name in params:
            others = request.GET.copy()
            others.pop(name)
            unfiltered[name] = ArticleFilterSet(others, queryset=visible_articles(request.user), request=request).qs
    return unfiltered


def add_snippets(articles, q: str) -> None:
    """A passage per result: the body around the query's words, else the summary; an article whose
    text is not in this copy (a fresh clone ships none) shows the quotes of its figures instead."""
    missing = [a.pk for a in articles if not a.body.strip()]
    quotes = defaultdict(list)
    if missing:
        for article_id, quote in Figure.objects.filter(article_id__in=missing).order_by("article_id", "start").values_list(
            "article_id", "quote"
        ):
            quotes[article_id].append(quote)
    for article in articles:
        article.snippet_from_quotes = False
        text = article.body if article.body.strip() else (article.summary or "")
        if not text.strip() and quotes[article.pk]:
            text, article.snippet_from_quotes = "；".join(quotes[article.pk]), True
        if q:
            article.snippet = make_snippet(text, q)
        else:
            article.snippet = escape(text[:140]) + ("…" if len(text) > 140 else "") if text else ""


@require_safe
def home(request):
    filterset, articles, errors = filtered_articles(request)
    q = (filterset.form.cleaned_data.get("q") if not errors else None) or request.GET.get("q", "").strip()
    results = (
        articles.select_related("source__publication")
        .defer("body_line_map")
        .prefetch_related(Prefetch("region_links", ArticleRegion.objects.select_related("region")))
    )
    sort = sort_order(request, q, errors)
    ranked = sort.key == "-relevance" and ordered_by_rank(results)
    if sort.order_by:
        results = results.order_by(*sort.order_by)
    paginator = SearchPaginator(results, PAGE_SIZE, q) if ranked else Paginator(results, PAGE_SIZE)
    params = request.GET.copy()
    params.pop("page", None)
    # The whole public collection, unfiltered: its counts are kept (exact; see pages.summary).
    counts_of, total = facet_counter(
        request, articles, params, filterset.form.cleaned_data.get("theme") or ()) if not errors else (None, None)
    if total is not None:
        paginator.count = total
    page = paginator.get_page(request.GET.get("page"))
    add_snippets(page.object_list, q if not errors else "")
    selected = selected_filters(request, filterset) if not errors else []
    chosen = {s["name"] for s in selected} | ({"year"} if {"year_min", "year_max"} & set(params) else set())
    context = {
        "q": q,
        "errors": errors,
        "page": page,
        "sort": sort,
        "related": related_records(q, request.user) if q and not errors and page.number == 1 else None,
        "facet_groups": facet_groups(params, counts_of, chosen) if not errors else [],
        "selected": selected,
        "csv_parts": csv_parts(
            f"{reverse('api:article-list')}?format=csv&lang=zh" + (f"&{params.urlencode()}" if params else ""),
            page.paginator.count,
        ) if not errors else [],
        "hidden_fields": [(k, v) for k, values in params.lists() if k != "q" for v in values],
    }
    return render(request, "pages/home.html", context, status=400 if errors else 200)


@require_safe
def article_detail(request, pk):
    article = get_object_or_404(visible_articles(request.user).select_related("source__publication"), pk=pk)
    figures = list(article.figures.select_related("region", "metric", "initiative").order_by("start", "id"))
    url = request.build_absolute_uri(reverse("pages:article", args=[article.pk]))
    for figure in figures:
        figure.citation = figure_citation(figure, article, f"{url}#q-{figure.pk}")
    context = {
        "article": article,
        "citation": article_citation(article, url),
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
@cached_for_the_public
def region_detail(request, code):
    if code.isdigit() and 2 <= len(code) < 12:  # 3306 or 330600, as the API accepts: one canonical address
        return redirect("pages:region", code=code.ljust(12, "0"), permanent=True)
    region = get_object_or_404(Region, code=code)
    visible = visible_articles(request.user)
    articles = _articles_in(visible, region.prefix)
    below = _levels_below(region.level)
    children = list(region.children.order_by("code"))
    if request.user.is_staff:  # drafts too: counted in SQL
        article_count = articles.count()
        count_regions = lambda levels: facets.region_counts(articles, levels, within=region.prefix)  # noqa: E731
    else:  # the public: the facet index (exact, kept current; pages.facet_index)
        index = facet_index.index_at(current_version())
        inside = index.in_region(region.code, region.level)
        article_count = len(inside)
        count_regions = lambda levels: index.count("region", inside, levels=levels, within=region.prefix)  # noqa: E731
    child_counts = count_regions(below[:1]) if below else {}
    for child in children:
        child.case_count = child_counts.get(child.code, 0)
    # The regions' ids first: the planner then reads the figures through their region index
    # instead of scanning every figure (a county's page: 200 ms → a few at 1M figures).
    inside_ids = list(Region.objects.filter(code__startswith=region.prefix).values_list("pk", flat=True))
    figures = list(
        with_evidence(Figure.objects.filter(article__in=visible.values("pk"), region_id__in=inside_ids)
                      .select_related("region", "metric", "article"))
        .order_by("metric__name", "region__code", "-year", "id")[: LIST_LIMIT + 1]
    )
    context = {
        "region": region,
        "ancestors": region.ancestors(),
        "children": children,
        "article_count": article_count,
        "articles": articles.select_related("source__publication").defer("body", "body_line_map")[:20],
        "initiatives": Initiative.objects.filter(region__code__startswith=region.prefix, articles__in=visible.values("pk"))
        .annotate(article_count=Count("articles", distinct=True))
        .select_related("region")
        .order_by("-article_count", "name")[:LIST_LIMIT],
        "figures": figures[:LIST_LIMIT],
        "figures_truncated": len(figures) > LIST_LIMIT,
        "tree": facets.label_regions(count_regions(below)) if below else [],
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


@dataclass(frozen=True, slots=True)
class ChartRegion:
    code: str
    name: str
    level: str


@dataclass(frozen=True, slots=True)
class ChartArticle:
    title: str


@dataclass(slots=True)
class ChartFigure:
    """What a bar, a line point and their tooltips need of a figure (pages.compare reads the same names)."""

    pk: int
    normalized_value: object
    year: int | None
    period: str
    period_kind: str
    is_target: bool
    base_unit: str
    qualifier: str
    value: object
    unit: str
    quote: str
    article_id: int
    region_id: int
    region: ChartRegion
    article: ChartArticle


CHART_COLUMNS = (
    "pk", "normalized_value", "year", "period", "period_kind", "is_target", "base_unit", "qualifier", "value", "unit",
    "quote", "article_id", "region_id", "region__code", "region__name", "region__level", "article__title",
)


def chart_figures(figures, base_unit: str) -> list[ChartFigure]:
    """The figures as ChartFigure rows, those in the metric's base unit (or none stated) only."""
    regions: dict = {}
    titles: dict = {}
    rows = []
    for values in figures.values_list(*CHART_COLUMNS):
        *head, code, name, level, title = values
        if head[6] not in ("", base_unit):
            continue
        region = regions.get(code) or regions.setdefault(code, ChartRegion(code, name, level))
        article = titles.get(title) or titles.setdefault(title, ChartArticle(title))
        rows.append(ChartFigure(*head, region=region, article=article))
    return rows


def _figure_tooltip(figure) -> str:
    place = figure.region.name if figure.region else "（未注明地区）"
    written = f"{figure.qualifier}{format_number(figure.value, grouping=False)}{figure.unit}"
    return f"{place} · {period_of(figure)}：{written}\n“{figure.quote}”\n——《{figure.article.title}》"


def _row_tooltip(row) -> str:
    head = f"{row.label} · {row.period}：{format_number(row.value)}"
    return "\n".join([head, *(_figure_tooltip(f) for f in row.figures[:5])])


def _quote_href(figure) -> str:
    return article_url(figure.article_id) + f"#q-{figure.pk}"


def metric_lines(metric, figures, level, names):
    """Places at ``level`` over the years (rolled up as in the bars), full-year or unstated achieved figures only."""
    by_year = defaultdict(list)
    for figure in figures:
        if figure.year and kind_of(figure) in ("year", ""):
            by_year[figure.year].append(figure)
    by_place = defaultdict(dict)
    for year, of_year in sorted(by_year.items()):
        for row in compare(metric, of_year, level, names):
            by_place[row.label][year] = row
    busiest = sorted(by_place.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:CHART_LINES]
    series = {
        label: [
            (year, ChartItem(label=label, value=float(row.value), tooltip=_row_tooltip(row), href=_quote_href(row.figures[0])))
            for year, row in years.items()
        ]
        for label, years in busiest
    }
    has_years = any(len(points) > 1 for points in series.values()) or len({y for p in series.values() for y, _ in p}) > 1
    return line_chart(series) if has_years else None


def _filter_errors(filterset) -> list[str]:
    return [
        f"{filterset.filters[name].label if name in filterset.filters else name}：{message}"
        for name, messages in filterset.errors.items()
        for message in messages
    ]


@require_safe
@cached_for_the_public
def metric_detail(request, slug):
    metric = get_object_or_404(Metric, slug=slug)
    visible = Figure.objects.filter(metric=metric, article__in=visible_articles(request.user).values("pk"))
    # The API's figure filters (region subtree, region_level, year, is_target …), declared once.
    filterset = FigureComparisonFilterSet(request.GET, queryset=visible, request=request)
    errors = [] if filterset.is_valid() else _filter_errors(filterset)
    figures = visible.none() if errors else filterset.qs
    data = filterset.form.cleaned_data if not errors else {}
    # The charts need every comparable figure, but only the few columns a bar and its tooltip show,
    # read as plain rows (a model instance each costs ~15 µs: 4,000 grid counts at 1M figures).
    charted = chart_figures(
        figures.filter(normalized_value__isnull=False, is_target=False, region__isnull=False)
        .order_by("region__code", "-year", "article_id", "start"),
        metric.base_unit,
    )
    asked = data.get("region_level")
    level = comparison_level(asked) if asked else default_level(charted)
    rows, bars, lines, notes = [], None, None, []
    if level:
        size = PREFIX_LENGTH[level]
        codes = {f.region.code[:size].ljust(12, "0") for f in charted if f.region.level != level}
        names = dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
        rows = compare(metric, charted, level, names)
        notes = comparison_notes(rows, metric, level)
        mixed = not comparable(kind_of(f) for row in rows for f in row.figures)
        items = [
            ChartItem(
                label=fit_label(row.label + (f"（{row.short_period}）" if mixed and row.short_period else ""), 174),
                value=float(row.value),
                tooltip=_row_tooltip(row), href=_quote_href(row.figures[0]),
            )
            for row in rows[:CHART_BARS]
        ]
        bars = bar_chart(items, unit=metric.base_unit, label_width=180) if items else None
        lines = metric_lines(metric, charted, level, names)
    figure_count = figures.count()
    table = list(
        with_evidence(figures.select_related("region", "metric", "article")).order_by(
            "region__code", "-year", "article_id", "start")[:TABLE_LIMIT]
    )
    csv_params = request.GET.copy()
    csv_params.pop("region_level", None)
    csv_params.setlist("metric", [metric.slug])
    if asked:
        csv_params.setlist("region_level", levels_at_or_below(level))
    csv_params.pop("format", None)
    years = sorted({f.year for row in rows for f in row.figures if f.year})
    context = {
        "metric": metric, "figures": table, "figure_count": figure_count, "bars": bars, "lines": lines,
        "rows": rows, "notes": notes, "level": level, "level_name": LEVEL_NAMES.get(level, ""),
        "additive": is_additive(metric), "errors": errors,
        "years_text": (f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年") if years else "年份未注明",
        "region": data.get("region"),
        "level_links": _level_links(request, level),
        "period_choices": FigureComparisonFilterSet.base_filters["period_kind"].extra["choices"],
        "chosen_periods": request.GET.getlist("period_kind"),
        "csv_parts": csv_parts(f"{reverse('api:figure-list')}?format=csv&lang=zh&{csv_params.urlencode()}", figure_count),
    }
    return render(request, "pages/metric.html", context, status=400 if errors else 200)


def _level_links(request, current):
    links = []
    for value, name in Level.choices:
        if value == Level.VILLAGE:
            continue
        params = request.GET.copy()
        params["region_level"] = value
        links.append({"value": value, "name": name, "href": "?" + params.urlencode(), "current": value == current})
    return links


@require_safe
def about(request):
    visible = visible_articles(request.user)
    counts = {
        "articles": visible.count(),
        "figures": Figure.objects.filter(article__in=visible.values("pk")).count(),
        "regions": ArticleRegion.objects.filter(article__in=visible.values("pk")).values("region").distinct().count(),
    }
    meta = release.manifest()
    built = release.zip_bytes()
    context = {
        "codebook": codebook(),
        "counts": counts,
        "citation_url": request.build_absolute_uri("/"),
        "levels": Level.choices,
        "release": meta,
        "release_files": release.files(),
        "release_zip": {"bytes": len(built[0]), "sha256": built[1]} if built else None,
        "dataset_version": dataset_version(),
    }
    return render(request, "pages/about.html", context)
