"""``GET /api/v1/search/?q=…``: one call for an app's search box."""

from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from search.engine import QueryError, search_all

MAX_LIMIT = 50


def _url(request, name, key):
    try:
        return request.build_absolute_uri(reverse(name, args=[key]))
    except NoReverseMatch:
        return None


class SearchView(APIView):
    """Search articles, initiatives, regions and metrics at once, each list ranked.

    Query syntax: several words mean all of them; "quoted phrases"; `-word` excludes;
    a place name also finds articles about the places under it. Anonymous users see
    published articles only. A malformed query answers 400 with a message.
    """

    permission_classes = [AllowAny]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description='检索词，如 七星街道 网格 -疫情 "共富工坊"'),
            OpenApiParameter("limit", int, required=False, description=f"每类最多返回条数（1–{MAX_LIMIT}，默认 10）"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        q = request.query_params.get("q", "")
        try:
            limit = int(request.query_params.get("limit", 10))
        except ValueError:
            raise ValidationError({"limit": f"limit 必须是 1 到 {MAX_LIMIT} 之间的整数 (integer 1-{MAX_LIMIT})"}) from None
        if not 1 <= limit <= MAX_LIMIT:
            raise ValidationError({"limit": f"limit 必须是 1 到 {MAX_LIMIT} 之间的整数 (integer 1-{MAX_LIMIT})"})
        try:
            results = search_all(q, request.user, limit=limit)
        except QueryError as error:
            raise ValidationError({"q": str(error)}) from None
        for hit in results["articles"]:
            hit["url"] = _url(request, "api:article-detail", hit["id"])
        for hit in results["initiatives"]:
            hit["url"] = _url(request, "api:initiative-detail", hit["id"])
        for hit in results["regions"]:
            hit["url"] = _url(request, "api:region-detail", hit["code"])
        for hit in results["metrics"]:
            hit["url"] = _url(request, "api:metric-detail", hit["id"])
        return Response({"query": q, **results})
