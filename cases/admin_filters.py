"""Changelist filters for the review queue.

Regions are filtered by city, then by the counties of the chosen city: two
short lists instead of a select of every town and village. An article matches
a city (county) when any region it is linked to lies under it, which the
12-digit codes make a prefix test.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from regions.models import Level, Region, code_prefix

from .models import Article, ArticleRegion, Figure, Source

PROVINCE_PREFIX = "33"  # 浙江省


class _RegionPrefixFilter(admin.SimpleListFilter):
    """Filters by a region code; subclasses say which regions to offer."""

    level = None
    #: How to reach the region code from the changelist's model.
    code_lookup = "region__code"

    def regions(self, request):
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [(r.code, r.name) for r in self.regions(request)]

    def queryset(self, request, queryset):
        code = self.value()
        if not code or not code.isdigit() or len(code) != 12:
            return queryset
        return self.filter_prefix(queryset, code_prefix(code, self.level))

    def filter_prefix(self, queryset, prefix):
        return queryset.filter(**{f"{self.code_lookup}__startswith": prefix})


class CityFilter(_RegionPrefixFilter):
    title = _("地级市")
    parameter_name = "city"
    level = Level.CITY

    def regions(self, request):
        return Region.objects.filter(level=Level.CITY, code__startswith=PROVINCE_PREFIX).only("code", "name")


class CountyFilter(_RegionPrefixFilter):
    """Shows the counties of the chosen city only; nothing until a city is chosen."""

    title = _("县（市、区）")
    parameter_name = "county"
    level = Level.COUNTY

    def regions(self, request):
        city = request.GET.get(CityFilter.parameter_name, "")
        if not (city.isdigit() and len(city) == 12):
            return Region.objects.none()
        return Region.objects.filter(level=Level.COUNTY, code__startswith=city[:4]).only("code", "name")

    def has_output(self):
        return bool(self.lookup_choices)


class ArticleRegionMixin:
    """For articles: any linked region under the prefix (one EXISTS, no duplicates)."""

    def filter_prefix(self, queryset, prefix):
        links = ArticleRegion.objects.filter(article=OuterRef("pk"), region__code__startswith=prefix)
        return queryset.filter(Exists(links))


class ArticleCityFilter(ArticleRegionMixin, CityFilter):
    pass


class ArticleCountyFilter(ArticleRegionMixin, CountyFilter):
    pass


class UnverifiedFiguresFilter(admin.SimpleListFilter):
    title = _("有未核实的数字")
    parameter_name = "unverified"

    def lookups(self, request, model_admin):
        return [("yes", _("是")), ("no", _("否"))]

    def queryset(self, request, queryset):
        unverified = Exists(Figure.objects.filter(article=OuterRef("pk"), verified=False))
        if self.value() == "yes":
            return queryset.filter(unverified)
        if self.value() == "no":
            return queryset.filter(~unverified)
        return queryset


def source_label(publication, issue_label, first_title, file_name):
    """今日浙江 2024年第24期 · 首篇标题…: what an editor recognises, not a file's hash name."""
    head = " ".join(filter(None, [publication or "", issue_label or ""]))
    title = (first_title or "")[:20] + ("…" if first_title and len(first_title) > 20 else "")
    return " · ".join(filter(None, [head, title])) or file_name


class SourceFilter(admin.SimpleListFilter):
    """Sources that have articles, named by publication, issue and first article (one query)."""

    title = _("来源文件")
    parameter_name = "source__id__exact"

    def lookups(self, request, model_admin):
        first_title = Article.objects.filter(source=OuterRef("pk")).order_by("position", "id").values("title")[:1]
        rows = (Source.objects.filter(Exists(Article.objects.filter(source=OuterRef("pk"))))
                .annotate(first_title=Subquery(first_title))
                .values_list("pk", "publication__name", "issue_label", "first_title", "file_name")
                .order_by("publication__name", "-issue_label", "pk"))
        return [(str(pk), source_label(*rest)) for pk, *rest in rows]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(source_id=int(value))
        return queryset
