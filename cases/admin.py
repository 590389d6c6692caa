"""The editors' admin (the admin issue builds the review workflow on top)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, ArticleRegion, Figure, Initiative, Metric, Publication, Source, Theme


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "publisher"]
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["file_name", "publication", "issue_label", "encoding", "imported_at"]
    list_select_related = ["publication"]
    list_filter = ["publication"]
    search_fields = ["file_name", "issue_label", "sha256"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "sort_order"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "quantity", "base_unit"]
    list_filter = ["quantity"]
    search_fields = ["name", "slug"]


class ArticleRegionInline(admin.TabularInline):
    model = ArticleRegion
    extra = 0
    autocomplete_fields = ["region"]


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    fields = ["label", "qualifier", "value", "value_max", "unit", "normalized_value", "base_unit", "year",
              "is_target", "region", "metric", "quote", "start", "end", "verified"]
    autocomplete_fields = ["region", "metric"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "source", "published_on"]
    list_filter = ["status", "kind", "source__publication"]
    list_select_related = ["source__publication"]
    search_fields = ["title", "subtitle", "body"]
    autocomplete_fields = ["themes"]
    inlines = [ArticleRegionInline, FigureInline]


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "origin"]
    list_select_related = ["region"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["region"]


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = ["label", "value", "unit", "qualifier", "normalized_value", "base_unit", "region", "article",
                    "verified"]
    list_select_related = ["region", "article", "metric"]
    list_filter = ["verified", "is_target", "qualifier_kind"]
    search_fields = ["label", "quote"]
    autocomplete_fields = ["region", "metric", "initiative", "article"]
