"""The REST API v1 root: one router, each app registers its own resources.

Apps keep their viewsets in ``<app>/api/views.py`` and list them in
``<app>/api/urls.py`` as ``routes = [(prefix, viewset, basename), ...]`` so the
browsable root at /api/v1/ lists every resource.
"""

from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter

from cases.api.urls import routes as cases_routes
from regions.api.urls import routes as regions_routes
from search.api.urls import urlpatterns as search_urlpatterns

app_name = "api"

class CaseLibraryRoot(APIRootView):
    """浙江基层治理与共同富裕案例库 API · The Zhejiang case-study database API.

    已发布的案例文章、数字（每个都带原文引文与位置）、做法、指标、主题和行政区划；只读无需登录，
    写入需令牌与相应权限。The published case studies, figures (each with its source quote and
    offsets), initiatives, metrics, themes and administrative divisions; reading needs no login,
    writing a token and the matching permission.
    """

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        links = {
            "description": {
                "zh": "浙江基层治理与共同富裕案例库的数据接口：案例文章、数字及其原文证据、做法、指标与行政区划。",
                "en": "The Zhejiang case-study database: case studies, figures with their evidence, initiatives, "
                      "metrics and administrative divisions.",
            },
            "docs": reverse("api-docs", request=request),
            "schema": reverse("schema", request=request),
            "search": reverse("api:search", request=request),
            "figure_summary": reverse("api:figure-summary", request=request),
        }
        response.data = {**links, **response.data}
        return response


router = DefaultRouter()
router.APIRootView = CaseLibraryRoot
for prefix, viewset, basename in [*regions_routes, *cases_routes]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls + search_urlpatterns
