"""Ordering by public names, always ending in a unique key so pages never overlap."""

from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend


class StableOrderingFilter(BaseFilterBackend):
    """``?ordering=-date,title`` using the view's ``ordering_map`` ({public name: model field}).

    Unknown names are a 400 (a silently ignored typo sorts a researcher's
    download wrongly). The view's ``ordering`` is the default; the primary key
    is always appended as the tie-breaker, so limit/offset pages are stable.
    A public name mapped to ``None`` is only available when the queryset has
    the annotation of the same name (relevance needs ``?q=``).
    """

    ordering_param = "ordering"

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param, "").strip()
        mapping = getattr(view, "ordering_map", {})
        if not raw:
            return list(view.get_default_ordering(queryset) if hasattr(view, "get_default_ordering")
                        else getattr(view, "ordering", None) or queryset.query.order_by or queryset.model._meta.ordering)
        ordering = []
        for term in (t.strip() for t in raw.split(",")):
            if not term:
                continue
            desc, name = term.startswith("-"), term.lstrip("-")
            field = mapping.get(name)
            if field is None and name not in mapping:
                choices = ", ".join(sorted(mapping))
                raise ValidationError({self.ordering_param: [f"不能按 {name[:40]!r} 排序；可选：{choices} (unknown ordering)"]})
            if callable(field):
                field = field(queryset, request)
                if field is None:
                    raise ValidationError({self.ordering_param: [f"{name} 排序需要同时提供检索词 q (needs q)"]})
            ordering.append(("-" if desc else "") + field)
        return ordering

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not any(o.lstrip("-") in ("pk", "id") for o in ordering):
            ordering.append("pk")
        return queryset.order_by(*ordering)

    def get_schema_operation_parameters(self, view):
        mapping = getattr(view, "ordering_map", {})
        if not mapping:
            return []
        names = sorted(mapping)
        return [{
            "name": self.ordering_param,
            "required": False,
            "in": "query",
            "description": "排序字段，逗号分隔，前加 - 为倒序 (comma-separated; prefix - for descending): "
            + ", ".join(names),
            "schema": {"type": "string"},
        }]
