"""Top-level URLs: admin, REST API v1 with its schema and docs, health check, public pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.views import healthz

admin.site.site_header = "浙江基层治理与共同富裕案例库"
admin.site.site_title = "案例库管理"
admin.site.index_title = "编辑工作台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
    path("", include("pages.urls")),
]

# JSON errors under /api/ (HTML pages elsewhere).
handler404 = "config.api.views.not_found"
handler500 = "config.api.views.server_error"

if settings.BENCH_BASELINE:  # bench/bench_api.py compares the API with these minimal views
    urlpatterns += [path("bench/baseline/", include("bench.baseline_urls"))]
