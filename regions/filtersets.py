"""Region filters, shared by the API (/api/v1/regions/) and the pages."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from config.filtersets import CODE_VALIDATOR, BaseFilterSet, BooleanFilter, RegionCodeFilter, SearchFilter

from .models import AliasKind, Level, Region, RegionAlias


def _name_matches(value: str, lookup: str = "exact") -> Q:
    """Official name, short name, or any alias (former, variant …) of the region."""
    aliases = RegionAlias.objects.filter(region=OuterRef("pk"), **{f"name__{lookup}": value})
    return Q(**{f"name__{lookup}": value}) | Q(**{f"short_name__{lookup}": value}) | Q(Exists(aliases))


class RegionFilterSet(BaseFilterSet):
    q = SearchFilter(method="search", label="名称检索", help_text="名称、简称或别名中包含该词 (name, short name or alias contains)")
    code = django_filters.CharFilter(
        method="filter_code", label="代码", max_length=12, validators=[CODE_VALIDATOR],
        help_text="12 位代码，或省略末尾的 0（330600 即 330600000000）(exact code)",
    )
    name = django_filters.CharFilter(
        method="filter_name", label="名称", max_length=64,
        help_text="全称、简称或别名（含曾用名）完全相同 (exact name, short name or alias)",
    )
    former_name = django_filters.CharFilter(
        method="filter_former_name", label="曾用名", max_length=64, help_text="曾用名完全相同 (a former name)",
    )
    level = django_filters.MultipleChoiceFilter(choices=Level.choices, label="级别", help_text="可重复 (repeatable)")
    parent = RegionCodeFilter(method="filter_parent", label="上级区划", help_text="直接上级的代码 (direct parent's code)")
    within = RegionCodeFilter(
        method="filter_within", label="所属区划", help_text="该区划之下的全部区划（不含自身）(everything under this region)"
    )
    is_current = BooleanFilter(label="现行")

    class Meta:
        model = Region
        fields = ["q", "code", "name", "former_name", "level", "parent", "within", "is_current"]

    def search(self, queryset, name, value):
        return queryset.filter(_name_matches(value, "icontains")) if value else queryset

    def filter_code(self, queryset, name, value):
        return queryset.filter(code=value.ljust(12, "0")) if value else queryset

    def filter_name(self, queryset, name, value):
        return queryset.filter(_name_matches(value)) if value else queryset

    def filter_former_name(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(RegionAlias.objects.filter(region=OuterRef("pk"), name=value, kind=AliasKind.FORMER)))

    def filter_parent(self, queryset, name, region):
        return queryset.filter(parent__code=region.code) if region else queryset

    def filter_within(self, queryset, name, region):
        return queryset.subtree(region, include_self=False) if region else queryset


class RegionAliasFilterSet(BaseFilterSet):
    region = RegionCodeFilter(method="filter_region", label="区划", help_text="区划代码 (the region's code)")
    kind = django_filters.MultipleChoiceFilter(choices=AliasKind.choices, label="类型")
    name = django_filters.CharFilter(label="名称", max_length=64)
    is_editorial = BooleanFilter(label="编辑添加")

    class Meta:
        model = RegionAlias
        fields = ["region", "kind", "name", "is_editorial"]

    def filter_region(self, queryset, name, region):
        return queryset.filter(region__code=region.code) if region else queryset
