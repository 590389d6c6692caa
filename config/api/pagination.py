"""Limit/offset paging with a maximum, and strict parameters (``limit=abc`` is a 400)."""

from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


def _non_negative_int(request, name, default):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [f"必须是非负整数 (must be a non-negative integer), got {raw[:20]!r}"]}) from None
    if value < 0:
        raise ValidationError({name: ["必须是非负整数 (must be a non-negative integer)"]})
    return value


class LimitOffsetPaginationWithMax(LimitOffsetPagination):
    """``?limit=`` up to ``API_MAX_PAGE_SIZE`` (larger values are clamped), ``?offset=``."""

    max_limit = getattr(settings, "API_MAX_PAGE_SIZE", 1000)

    def get_limit(self, request):
        limit = _non_negative_int(request, self.limit_query_param, self.default_limit)
        if limit == 0:
            limit = self.default_limit
        return min(limit, self.max_limit)

    def get_offset(self, request):
        return _non_negative_int(request, self.offset_query_param, 0)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            param["schema"]["minimum"] = 0
            if param["name"] == self.limit_query_param:
                param["description"] = f"每页条数，默认 {self.default_limit}，最多 {self.max_limit} (page size)."
        return params
