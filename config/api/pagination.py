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

    def paginate_queryset(self, queryset, request, view=None, count_from=None):
        """DRF's, except that a view may cut the page itself (``view.page_slice(queryset, offset, limit)``)
        and may know the count already (``view.known_count()``, None when it does not).

        ``count_from``: the queryset to count when ``queryset`` is a ``.values()`` form of it (whose
        COUNT would keep the joins of its related columns).
        """
        self.request = request
        self.limit = self.get_limit(request)
        known = getattr(view, "known_count", None)
        count = known() if known is not None else None
        self.count = count if count is not None else self.get_count(queryset if count_from is None else count_from)
        self.offset = self.get_offset(request)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        if self.count == 0 or self.offset > self.count:
            return []
        page_slice = getattr(view, "page_slice", None)
        if page_slice is not None:
            return list(page_slice(queryset, self.offset, self.limit))
        return list(queryset[self.offset : self.offset + self.limit])

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            param["schema"]["minimum"] = 0
            if param["name"] == self.limit_query_param:
                param["description"] = f"每页条数，默认 {self.default_limit}，最多 {self.max_limit} (page size)."
        return params
