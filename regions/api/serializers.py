from rest_framework import serializers

from regions.models import Region


class BriefRegionSerializer(serializers.ModelSerializer):
    """The nested form used wherever another resource points at a region."""

    url = serializers.HyperlinkedIdentityField(view_name="api:region-detail", lookup_field="code")

    class Meta:
        model = Region
        fields = ["code", "name", "level", "url"]


class RegionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:region-detail", lookup_field="code")
    parent = BriefRegionSerializer(read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "short_name", "level", "parent", "is_current", "edition", "url"]
