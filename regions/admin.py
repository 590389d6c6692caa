"""Regions come from the gazetteer: read-only here except aliases and notes."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Region, RegionAlias


class RegionAliasInline(admin.TabularInline):
    model = RegionAlias
    extra = 0
    fields = ["name", "kind", "valid_until", "note", "is_editorial"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "short_name", "level", "parent", "is_current"]
    list_filter = ["level", "is_current"]
    search_fields = ["code", "name", "short_name", "aliases__name"]
    list_select_related = ["parent"]
    readonly_fields = ["code", "name", "short_name", "level", "parent", "urban_rural_code", "is_current", "edition"]
    inlines = [RegionAliasInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
