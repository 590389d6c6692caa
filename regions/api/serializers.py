"""Region serializers: the brief form nested everywhere, the list form and the detail with its breadcrumb."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.fields import BriefRelatedField, ChoiceLabelField, DetailURLField
from config.api.serializers import BaseModelSerializer
from regions.models import Level, Region, RegionAlias


class BriefRegionSerializer(serializers.ModelSerializer):
    """The nested form used wherever another resource points at a region (schema and ``?brief=1``)."""

    url = DetailURLField("api:region-detail", lookup_field="code")

    class Meta:
        model = Region
        fields = ["code", "name", "level", "url"]


@extend_schema_field(BriefRegionSerializer)
class RegionField(BriefRelatedField):
    brief_fields = ("code", "name", "level")
    viewname = "api:region-detail"
    lookup_field = "code"


class RegionAliasInlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegionAlias
        fields = ["id", "name", "kind", "valid_until"]


class RegionSerializer(BaseModelSerializer):
    url = DetailURLField("api:region-detail", lookup_field="code")
    parent = RegionField(allow_null=True)
    level_display = ChoiceLabelField(Level.choices, source="level", help_text="级别的中文名，如 乡级")

    class Meta:
        model = Region
        fields = ["code", "url", "name", "short_name", "level", "level_display", "parent",
                  "urban_rural_code", "is_current", "edition"]
        brief_fields = ["code", "name", "level", "url"]


class RegionDetailSerializer(RegionSerializer):
    ancestors = serializers.SerializerMethodField(help_text="从省级到上一级的面包屑 (breadcrumb, province first)")
    path_name = serializers.SerializerMethodField(help_text="如 浙江省 › 绍兴市 › 新昌县")
    aliases = RegionAliasInlineSerializer(many=True, read_only=True)
    children_count = serializers.IntegerField(read_only=True, help_text="直接下级区划数")
    article_count = serializers.IntegerField(
        read_only=True, help_text="涉及该区划或其下级的已发布文章数 (visible articles in the subtree)"
    )

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "path_name", "ancestors", "aliases", "children_count", "article_count"]

    @extend_schema_field(BriefRegionSerializer(many=True))
    def get_ancestors(self, region):
        field = RegionField()
        field.bind("ancestors", self)
        return [field.to_representation(r) for r in region.ancestor_list]

    def get_path_name(self, region) -> str:
        return " › ".join([r.name for r in region.ancestor_list] + [region.name])


class RegionAliasSerializer(BaseModelSerializer):
    url = DetailURLField("api:regionalias-detail")
    region = RegionField(queryset=Region.objects.all(), help_text="区划代码（写入时）或区划对象 (the region's code)")

    class Meta:
        model = RegionAlias
        fields = ["id", "url", "region", "name", "kind", "valid_until", "note", "is_editorial"]
        read_only_fields = ["is_editorial"]
        brief_fields = ["id", "url", "name", "kind"]
