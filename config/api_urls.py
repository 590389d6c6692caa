"""The REST API v1 root: one router, each app registers its own resources.

Apps keep their viewsets in ``<app>/api/views.py`` and list them in
``<app>/api/urls.py`` as ``routes = [(prefix, viewset, basename), ...]`` so the
browsable root at /api/v1/ lists every resource.
"""

from rest_framework.routers import DefaultRouter

from cases.api.urls import routes as cases_routes
from regions.api.urls import routes as regions_routes
from search.api.urls import urlpatterns as search_urlpatterns

app_name = "api"

router = DefaultRouter()
for prefix, viewset, basename in [*regions_routes, *cases_routes]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls + search_urlpatterns
