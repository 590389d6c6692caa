"""Regions come from the gazetteer: read-only here except aliases and notes.

Editors add the names the texts use (former names, variants); those aliases
are marked editorial so re-importing the gazetteer keeps them.
"""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from cases.admin_filters import CityFilter, CountyFilter
from cases.admin_forms import ChangeReasonMixin

from .models import Region, RegionAlias
from .recognizer import reset_gazetteer

READ_ONLY_FIELDS = ["code", "name", "short_name", "level", "parent", "urban_rural_code", "is_current", "edition"]


class RegionCityFilter(CityFilter):
    code_lookup = "code"


class RegionCountyFilter(CountyFilter):
    code_lookup = "code"


class RegionAliasInline(admin.TabularInline):
    model = RegionAlias
    extra = 0
    fields = ["name", "kind", "valid_until", "note", "is_editorial"]
    readonly_fields = ["is_editorial"]



@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "short_name", "level", "parent", "is_current"]
    list_filter = ["level", RegionCityFilter, RegionCountyFilter, "is_current"]
    search_fields = ["code", "name", "short_name", "aliases__name"]
    list_select_related = ["parent"]
    readonly_fields = READ_ONLY_FIELDS
    fields = [*READ_ONLY_FIELDS, "notes"]
    inlines = [RegionAliasInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        # Twelve digits or a prefix of them: a code search, which the index serves.
        if search_term.isdigit():
            return queryset.filter(code__startswith=search_term), False
        return super().get_search_results(request, queryset, search_term)

    def autocomplete_label(self, obj):
        """七星街道 exists in several provinces: show the level and code with the name."""
        return f"{obj.name}（{obj.get_level_display()} {obj.code}）"

    def save_model(self, request, obj, form, change):
        obj._change_reason = (form.cleaned_data.get("change_reason") or "").strip() or _("修改备注")
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = (form.cleaned_data.get("change_reason") or "").strip() or _("修改别名")
        for alias in formset.save(commit=False):
            alias.is_editorial = True  # kept when the gazetteer is re-imported
            alias._change_reason = reason
            alias.save()
        for alias in formset.deleted_objects:
            alias._change_reason = reason
            alias.delete()
        transaction.on_commit(reset_gazetteer)  # the recogniser learns the new names

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = type("RegionNotesForm", (ChangeReasonMixin, admin.ModelAdmin.form), {})
        return super().get_form(request, obj, change, **kwargs)


@admin.register(RegionAlias)
class RegionAliasAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "kind", "valid_until", "is_editorial"]
    list_select_related = ["region"]
    list_filter = ["kind", "is_editorial"]
    search_fields = ["name", "region__name", "region__code"]
    autocomplete_fields = ["region"]
    readonly_fields = ["is_editorial"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        obj.is_editorial = True
        obj._change_reason = _("编辑别名")
        super().save_model(request, obj, form, change)
        transaction.on_commit(reset_gazetteer)

    def delete_model(self, request, obj):
        obj._change_reason = _("删除别名")
        super().delete_model(request, obj)
        transaction.on_commit(reset_gazetteer)
