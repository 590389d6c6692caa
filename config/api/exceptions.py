"""JSON errors with a clear message for everything a client can cause."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from search.engine import QueryError

from .serializers import django_errors_to_drf


def exception_handler(exc, context):
    """DRF's handler, plus: model validation and constraint errors are 400, protected deletes 409."""
    if isinstance(exc, Http404 | NotFound):
        # not DRF's "No Article matches the given query.": say it in both languages, and that a
        # draft is as absent as a missing record
        return Response({"detail": "不存在，或对当前用户不可见 (not found, or not visible to you)"},
                        status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoValidationError):
        exc = django_errors_to_drf(exc)
    elif isinstance(exc, QueryError):
        set_rollback()
        return Response({"q": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, IntegrityError):
        set_rollback()
        return Response(
            {"detail": "数据违反约束，未保存 (the data violates a database constraint; nothing was saved)",
             "error": str(exc).splitlines()[0][:300]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, ProtectedError | RestrictedError):
        set_rollback()
        return Response(
            {"detail": "仍有其他记录引用此对象，不能删除 (other records still refer to this object)"},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
