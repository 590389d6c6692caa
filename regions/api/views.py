"""Region endpoints: list/filter, detail with breadcrumb and counts, children; writable aliases."""

from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from cases.models import Article, ArticleRegion
from config.api.views import BaseModelViewSet, BaseReadOnlyViewSet
from regions.filtersets import RegionAliasFilterSet, RegionFilterSet
from regions.models import Region, RegionAlias

from .serializers import RegionAliasSerializer, RegionDetailSerializer, RegionSerializer


class RegionViewSet(BaseReadOnlyViewSet):
    """China's administrative divisions by their 12-digit NBS code.

    Filter by code, level, parent, name (full, short or any alias incl. former
    names) or ``q``; ``/regions/{code}/`` adds the breadcrumb, aliases and counts;
    ``/regions/{code}/children/`` lists the direct subdivisions.
    """

    queryset = Region.objects.select_related("parent")
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    lookup_field = "code"
    ordering = ["code"]
    ordering_map = {"code": "code", "name": "name", "level": "level"}

    def get_serializer_class(self):
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer

    def get_object(self):
        code = self.kwargs.get("code", "")
        if code.isdigit() and len(code) < 12:
            self.kwargs["code"] = code.ljust(12, "0")  # /regions/330600/ is 绍兴市
        region = super().get_object()
        if self.action == "retrieve":
            region.ancestor_list = list(region.ancestors())
            region.children_count = region.children.count()
            visible = Article.objects.visible_to(self.request.user).filter(
                Exists(ArticleRegion.objects.filter(article=OuterRef("pk"), region__code__startswith=region.prefix))
            )
            region.article_count = visible.count()
        return region

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related("aliases")
        return qs

    @extend_schema(responses=RegionSerializer(many=True), summary="Direct subdivisions of a region")
    @action(detail=True, methods=["get"])
    def children(self, request, code=None):
        parent = self.get_object()
        queryset = self.filter_queryset(Region.objects.select_related("parent").filter(parent=parent))
        if self.wants_csv(request):
            return self.stream_csv(queryset)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RegionAliasViewSet(BaseModelViewSet):
    """Other names of regions (short, former, variant). Writes need a token and model permissions."""

    queryset = RegionAlias.objects.select_related("region")
    serializer_class = RegionAliasSerializer
    filterset_class = RegionAliasFilterSet
    ordering = ["region__code", "name"]
    ordering_map = {"name": "name", "region": "region__code", "kind": "kind"}

    def extra_save_kwargs(self, serializer):
        # Added by people: a re-import of the gazetteer must not delete or overwrite it.
        return {"is_editorial": True}



