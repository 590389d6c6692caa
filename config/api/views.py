"""Base viewsets: paging, stable ordering, ``?brief=1``/``?fields=``, CSV, conditional GET.

Every resource's viewset derives from :class:`BaseReadOnlyViewSet` or
:class:`BaseModelViewSet`; the resource only declares its queryset,
serializer, FilterSet and ``ordering_map``.
"""

from itertools import islice
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from . import downloads
from .exceptions import exception_handler
from .ordering import StableOrderingFilter
from .pagination import LimitOffsetPaginationWithMax
from .permissions import DEFAULT_PERMISSIONS
from .renderers import CSVRenderer, csv_columns, csv_lines
from .values import values_plan

TRUE_VALUES = {"1", "true", "True", "yes", "on"}
CSV_CHUNK_SIZE = 2000


def chunked(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class FilterSetBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request has none of the FilterSet's parameters.

    Building and validating a FilterSet's form is a noticeable part of an
    unfiltered list request; without parameters it would change nothing.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not any(name in request.query_params for name in filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "named_only": True}


class SparseFieldsFilter(BaseFilterBackend):
    """Documents ``?brief=1`` and ``?fields=`` (handled by the viewset's serializer) in the schema."""

    def filter_queryset(self, request, queryset, view):
        return queryset

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "brief", "in": "query", "required": False, "schema": {"type": "boolean"},
             "description": "只返回简要字段（如区划的 code、name、level、url）(brief objects)"},
            {"name": "fields", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "逗号分隔的字段名，只返回这些字段 (comma-separated sparse fieldset)"},
        ]


class BaseViewSetMixin:
    pagination_class = LimitOffsetPaginationWithMax
    filter_backends = [FilterSetBackend, StableOrderingFilter, SparseFieldsFilter]
    permission_classes = DEFAULT_PERMISSIONS
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    #: {public ordering name: model field}; see StableOrderingFilter.
    ordering_map: dict = {}

    def get_exception_handler(self):
        return exception_handler

    # --- sparse responses -------------------------------------------------------------
    @property
    def brief(self) -> bool:
        return self.request is not None and self.request.query_params.get("brief") in TRUE_VALUES

    def requested_fields(self):
        """Field names asked for with ``?fields=a,b`` or implied by ``?brief=1``; None for all."""
        if self.request is None or self.request.method not in SAFE_METHODS:
            return None
        raw = self.request.query_params.get("fields")
        serializer_class = self.get_serializer_class()
        if raw:
            wanted = [f.strip() for f in raw.split(",") if f.strip()]
            available = list(serializer_class().fields)
            unknown = [f for f in wanted if f not in available]
            if unknown:
                raise ValidationError({"fields": [
                    f"未知字段 (unknown fields): {', '.join(u[:40] for u in unknown[:5])}; "
                    f"可选 (available): {', '.join(available)}"
                ]})
            return wanted
        if self.brief:
            return list(getattr(serializer_class.Meta, "brief_fields", None) or serializer_class().fields)
        return None

    def get_serializer(self, *args, **kwargs):
        if "fields" not in kwargs:
            if not hasattr(self, "_requested_fields"):
                self._requested_fields = self.requested_fields()
            if self._requested_fields is not None:
                kwargs["fields"] = self._requested_fields
        return super().get_serializer(*args, **kwargs)

    # --- CSV -------------------------------------------------------------------------
    def wants_csv(self, request) -> bool:
        # No renderer yet when the request failed before content negotiation (a URL ending in an
        # unknown format such as ``.cache``): it is answered as JSON.
        return getattr(getattr(request, "accepted_renderer", None), "format", None) == "csv"

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if self.wants_csv(request):
            return self.stream_csv(queryset)
        if self.paginator is None:
            return Response(self.get_serializer(queryset, many=True).data)
        plan = self.values_plan(queryset)
        if plan is None:
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        page = self.paginator.paginate_queryset(plan.queryset(queryset), request, view=self, count_from=queryset)
        return self.get_paginated_response(plan.represent_page(page))

    def values_plan(self, queryset):
        """Rows from ``.values()`` when the serializer reads only columns (config/api/values.py).

        Not for views that cut or decorate their pages themselves (``page_slice``,
        ``prepare_page``): those work on model instances unless they override this too
        (the articles list: its themes and regions attached to rows).
        """
        if hasattr(self, "page_slice") or type(self).prepare_page is not BaseViewSetMixin.prepare_page:
            return None
        return values_plan(self.get_serializer(), queryset)

    def prepare_page(self, objects: list) -> list:
        """Hook: attach what the serializer needs to a page (or CSV chunk) of objects."""
        return objects

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return page if page is None else self.prepare_page(page)

    def stream_csv(self, queryset):
        """The filtered rows as CSV, serialized in chunks while the client reads.

        At most ``API_CSV_MAX_ROWS`` rows per request (``?limit=`` may ask for fewer,
        ``?offset=`` skips), so a download always finishes well inside the server's
        request timeout. ``X-Total-Count`` says how many rows match; when more are
        left, ``Link: <…>; rel="next"`` gives the URL of the next part.
        """
        key = downloads.download_key(self.request, queryset.model)
        if (kept := downloads.kept_response(key)) is not None:
            return kept
        max_rows = settings.API_CSV_MAX_ROWS
        paginator = LimitOffsetPaginationWithMax()
        asked = paginator.get_limit(self.request) if self.request.query_params.get("limit") else max_rows
        limit = min(asked, max_rows)
        offset = paginator.get_offset(self.request)
        total = queryset.count()
        chinese = self.request.query_params.get("lang", "").lower() in ("zh", "zh-hans", "zh-cn")
        columns = csv_columns(self.get_serializer(), chinese=chinese)
        plan = self.values_plan(queryset)

        def rows():
            if plan is not None:
                part = plan.queryset(queryset)[offset : offset + limit]
                for chunk in chunked(part.iterator(chunk_size=CSV_CHUNK_SIZE), CSV_CHUNK_SIZE):
                    yield from plan.represent_page(chunk)
                return
            part = queryset[offset : offset + limit]
            for chunk in chunked(part.iterator(chunk_size=CSV_CHUNK_SIZE), CSV_CHUNK_SIZE):
                yield from self.get_serializer(self.prepare_page(chunk), many=True).data

        headers = {}
        paged = offset > 0 or offset + limit < total
        part = f"-{offset + 1}-{min(offset + limit, total)}" if paged else ""
        stamp = timezone.localdate().isoformat()
        ascii_name = f"zhejiang-cases-{self.basename}-{stamp}{part}.csv"
        if chinese:  # 浙江案例库-文章-2026-12-07.csv as RFC 6266/5987 filename*, the ASCII name for old clients
            name = f"浙江案例库-{queryset.model._meta.verbose_name_plural}-{stamp}{part}.csv"
            headers["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
        else:
            headers["Content-Disposition"] = f'attachment; filename="{ascii_name}"'
        headers["X-Total-Count"] = str(total)
        if offset + limit < total:
            url = replace_query_param(self.request.build_absolute_uri(), "offset", offset + limit)
            headers["Link"] = f'<{replace_query_param(url, "limit", limit)}>; rel="next"'
        content_type = "text/csv; charset=utf-8"
        body = downloads.keeping(csv_lines(columns, rows()), key, content_type, headers)
        response = StreamingHttpResponse(body, content_type=content_type)
        for name, value in headers.items():
            response[name] = value
        return response

    # --- responses --------------------------------------------------------------------
    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "status_code", 200) >= 400 and self.wants_csv(request):
            # Errors stay JSON even when CSV was asked for.
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Authorization",))
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.streaming:
            # Conditional GET: an ETag of the rendered body; a matching If-None-Match gets 304.
            if hasattr(response, "render"):  # a kept download is a plain HttpResponse
                response.render()
            set_response_etag(response)
            return get_conditional_response(request._request, etag=response.get("ETag"), response=response)
        return response


class BaseReadOnlyViewSet(BaseViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class BaseModelViewSet(BaseViewSetMixin, viewsets.ModelViewSet):
    """Writable: token + model permission, validated by the model, recorded in history with the user."""

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save(**self.extra_save_kwargs(serializer))

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save(**self.extra_save_kwargs(serializer))

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance._history_user = self.request.user
            instance.delete()

    def extra_save_kwargs(self, serializer) -> dict:
        """Fields the server sets on save (e.g. who edited); the history user comes from the request."""
        return {}



def not_found(request, exception=None):
    """404 for URLs no view matched: JSON under /api/, Django's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到 (not found)"}, status=404)
    return page_not_found(request, exception)


def server_error(request):
    """500: JSON under /api/, Django's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import server_error as default_server_error

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "服务器内部错误 (server error)"}, status=500)
    return default_server_error(request)
