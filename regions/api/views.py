from rest_framework import viewsets

from regions.models import Region

from .serializers import RegionSerializer


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.select_related("parent").order_by("code")
    serializer_class = RegionSerializer
    lookup_field = "code"
    filterset_fields = ["level", "code", "name"]
