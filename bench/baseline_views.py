"""The benchmark's baseline: minimal Django views returning the same rows as the API lists.

Each view applies the same visibility rule, filter, ordering and page as its
API endpoint, fetches the rows with ``.values()`` and returns them with
``JsonResponse`` — no DRF, no serializers, no nested objects. Routed only when
``BENCH_BASELINE=1`` is in the environment (see config/urls.py).
"""

from django.db.models import Exists, OuterRef
from django.http import JsonResponse

from cases.models import Article, ArticleRegion, Figure
from regions.models import Region

ARTICLE_COLUMNS = ["id", "title", "subtitle", "authors", "column", "kind", "published_on", "status", "summary",
                   "version", "source_id", "source__issue_label", "source__published_on", "source__publication__name"]
FIGURE_COLUMNS = ["id", "article_id", "article__title", "region__code", "region__name", "region__level",
                  "metric__slug", "metric__name", "label", "value", "value_max", "unit", "qualifier", "qualifier_kind",
                  "normalized_value", "base_unit", "year", "period", "is_target", "quote", "start", "end", "verified"]
REGION_COLUMNS = ["code", "name", "short_name", "level", "parent__code", "parent__name", "urban_rural_code",
                  "is_current", "edition"]


def _page(request, queryset, columns):
    limit = min(int(request.GET.get("limit", 50)), 1000)
    offset = int(request.GET.get("offset", 0))
    rows = list(queryset.values(*columns)[offset:offset + limit])
    return JsonResponse({"count": queryset.count(), "results": rows})


def _prefix(code: str) -> str:
    return Region.objects.get(code=code.ljust(12, "0")).prefix


def articles(request):
    qs = Article.objects.filter(status=Article.Status.PUBLISHED)
    if region := request.GET.get("region"):
        links = ArticleRegion.objects.filter(article=OuterRef("pk"), region__code__startswith=_prefix(region))
        qs = qs.filter(Exists(links))
    return _page(request, qs.order_by("-published_on", "source_id", "position", "pk"), ARTICLE_COLUMNS)


def figures(request):
    qs = Figure.objects.filter(article__status=Article.Status.PUBLISHED)
    if metric := request.GET.get("metric"):
        qs = qs.filter(metric__slug=metric)
    if region := request.GET.get("region"):
        qs = qs.filter(region__code__startswith=_prefix(region))
    return _page(request, qs.order_by("article_id", "start", "pk"), FIGURE_COLUMNS)


def regions(request):
    qs = Region.objects.all()
    if level := request.GET.get("level"):
        qs = qs.filter(level=level)
    return _page(request, qs.order_by("code", "pk"), REGION_COLUMNS)
