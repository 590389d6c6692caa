"""Case-study serializers. Related objects are nested in their brief form everywhere.

Brief fields are plain ``BriefRelatedField`` subclasses (a dict built from
attributes, one URL template per request) so a page of 50 articles with their
regions and themes serializes fast; the matching ``Brief…Serializer`` classes
describe that shape in the OpenAPI schema and serve ``?brief=1``.
"""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import APIException

from cases.citation import article_citation, figure_citation
from cases.models import Article, ArticleRegion, Figure, Initiative, Metric, Publication, Source, Theme
from config.api.fields import BriefRelatedField, DetailURLField
from config.api.renderers import Column
from config.api.serializers import BaseModelSerializer
from regions.api.serializers import BriefRegionSerializer, RegionField
from regions.models import Region
from search.engine import make_snippet


class EditConflict(APIException):
    """Optimistic locking: the client edited an older version than the one stored."""

    status_code = 409
    default_code = "conflict"
    default_detail = "该文章已被他人修改，请重新读取后再改 (edited by someone else since you read it: reload, then retry)"


# --- brief forms --------------------------------------------------------------------------


class BriefPublicationSerializer(serializers.ModelSerializer):
    url = DetailURLField("api:publication-detail")

    class Meta:
        model = Publication
        fields = ["id", "name", "url"]


class BriefSourceSerializer(serializers.ModelSerializer):
    url = DetailURLField("api:source-detail")

    class Meta:
        model = Source
        fields = ["id", "issue_label", "published_on", "url"]


class BriefThemeSerializer(serializers.ModelSerializer):
    url = DetailURLField("api:theme-detail", lookup_field="slug")

    class Meta:
        model = Theme
        fields = ["slug", "name", "url"]


class BriefMetricSerializer(serializers.ModelSerializer):
    url = DetailURLField("api:metric-detail", lookup_field="slug")

    class Meta:
        model = Metric
        fields = ["slug", "name", "base_unit", "url"]


class BriefInitiativeSerializer(serializers.ModelSerializer):
    url = DetailURLField("api:initiative-detail")

    class Meta:
        model = Initiative
        fields = ["id", "name", "url"]


class BriefArticleSerializer(serializers.ModelSerializer):
    url = DetailURLField("api:article-detail")

    class Meta:
        model = Article
        fields = ["id", "title", "published_on", "url"]


@extend_schema_field(BriefPublicationSerializer)
class PublicationField(BriefRelatedField):
    brief_fields = ("id", "name")
    viewname = "api:publication-detail"


@extend_schema_field(BriefSourceSerializer)
class SourceField(BriefRelatedField):
    brief_fields = ("id", "issue_label", "published_on")
    viewname = "api:source-detail"


@extend_schema_field(BriefThemeSerializer)
class ThemeField(BriefRelatedField):
    brief_fields = ("slug", "name")
    viewname = "api:theme-detail"
    lookup_field = "slug"


@extend_schema_field(BriefMetricSerializer)
class MetricField(BriefRelatedField):
    brief_fields = ("slug", "name", "base_unit")
    viewname = "api:metric-detail"
    lookup_field = "slug"


@extend_schema_field(BriefInitiativeSerializer)
class InitiativeField(BriefRelatedField):
    brief_fields = ("id", "name")
    viewname = "api:initiative-detail"


@extend_schema_field(BriefArticleSerializer)
class ArticleField(BriefRelatedField):
    brief_fields = ("id", "title", "published_on")
    viewname = "api:article-detail"

    def get_queryset(self):
        request = self.context.get("request")
        return Article.objects.visible_to(getattr(request, "user", None))


class ArticleRegionSerializer(BriefRegionSerializer):
    """A region linked to an article, with its role (main subject or mentioned)."""

    role = serializers.ChoiceField(choices=ArticleRegion.Role.choices)
    mentions = serializers.IntegerField()

    class Meta(BriefRegionSerializer.Meta):
        fields = [*BriefRegionSerializer.Meta.fields, "role", "mentions"]


@extend_schema_field(ArticleRegionSerializer(many=True))
class ArticleRegionsField(serializers.Field):
    """``region_links`` (prefetched with their regions) as brief regions with role; main ones first."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="region_links")
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        links = getattr(instance, "region_link_list", None)  # prefetched by the views
        return instance.region_links.all() if links is None else links

    def to_representation(self, links):
        region_field = self.__dict__.get("_region_field")
        if region_field is None:
            region_field = self._region_field = RegionField()
            region_field._context = self.context
        rows = []
        for link in links:
            row = region_field.to_representation(link.region)
            row["role"], row["mentions"] = link.role, link.mentions
            rows.append(row)
        rows.sort(key=lambda r: (r["role"] != ArticleRegion.Role.MAIN, r["code"]))
        return rows

    def csv_columns(self, name: str, chinese: bool) -> list[Column]:
        """Names, codes and roles side by side (same order), and the main regions' codes on their own."""
        roles = {value: str(label) for value, label in ArticleRegion.Role.choices}

        def pluck(key, mapping=None):
            return lambda row: [(mapping or {}).get(r.get(key), r.get(key)) for r in row.get(name) or []]

        def main_codes(row):
            return [r["code"] for r in row.get(name) or [] if r.get("role") == ArticleRegion.Role.MAIN]

        if chinese:
            return [Column("地区", getter=pluck("name")), Column("地区代码", getter=pluck("code")),
                    Column("地区角色", getter=pluck("role", roles)), Column("主要地区代码", getter=main_codes)]
        return [Column(name, getter=pluck("name")), Column(f"{name}.code", getter=pluck("code")),
                Column(f"{name}.role", getter=pluck("role")), Column(f"main_{name}.code", getter=main_codes)]


# --- resources ----------------------------------------------------------------------------


class PublicationSerializer(BaseModelSerializer):
    url = DetailURLField("api:publication-detail")
    website = serializers.URLField(source="url", required=False, allow_blank=True)

    class Meta:
        model = Publication
        fields = ["id", "url", "name", "kind", "publisher", "website"]
        brief_fields = ["id", "url", "name"]


class SourceSerializer(BaseModelSerializer):
    url = DetailURLField("api:source-detail")
    publication = PublicationField(allow_null=True)

    class Meta:
        model = Source
        fields = ["id", "url", "publication", "issue_label", "published_on", "file_name", "sha256", "encoding",
                  "file_format", "size_bytes", "line_count", "page_count", "imported_at"]
        brief_fields = ["id", "url", "issue_label", "published_on"]


class ThemeSerializer(BaseModelSerializer):
    url = DetailURLField("api:theme-detail", lookup_field="slug")
    parent = ThemeField(allow_null=True)

    class Meta:
        model = Theme
        fields = ["id", "url", "slug", "name", "description", "parent", "sort_order"]
        brief_fields = ["slug", "url", "name"]


class MetricSerializer(BaseModelSerializer):
    url = DetailURLField("api:metric-detail", lookup_field="slug")

    class Meta:
        model = Metric
        fields = ["id", "url", "slug", "name", "quantity", "base_unit", "labels", "description"]
        brief_fields = ["slug", "url", "name", "base_unit"]


class FigureSerializer(BaseModelSerializer):
    url = DetailURLField("api:figure-detail")
    article = ArticleField(queryset=Article.objects.all(), help_text="文章 id（写入时）")
    region = RegionField(queryset=Region.objects.all(), required=False, allow_null=True,
                         help_text="区划代码（写入时）")
    metric = MetricField(queryset=Metric.objects.all(), required=False, allow_null=True, help_text="指标 slug（写入时）")
    initiative = InitiativeField(queryset=Initiative.objects.all(), required=False, allow_null=True,
                                 help_text="做法 id（写入时）")
    value = serializers.DecimalField(max_digits=24, decimal_places=6, coerce_to_string=False)
    value_max = serializers.DecimalField(max_digits=24, decimal_places=6, coerce_to_string=False,
                                         required=False, allow_null=True)
    normalized_value = serializers.DecimalField(max_digits=24, decimal_places=6, coerce_to_string=False,
                                                required=False, allow_null=True)
    normalized_value_max = serializers.DecimalField(max_digits=24, decimal_places=6, coerce_to_string=False,
                                                    required=False, allow_null=True)

    class Meta:
        model = Figure
        fields = ["id", "url", "article", "region", "metric", "initiative", "label", "value", "value_max", "unit",
                  "qualifier", "qualifier_kind", "normalized_value", "normalized_value_max", "base_unit", "year",
                  "period", "period_kind", "is_target", "quote", "start", "end", "page", "verified", "verified_at",
                  "origin", "created_at", "updated_at"]
        read_only_fields = ["verified_at", "origin", "created_at", "updated_at"]
        # Even the brief form carries the evidence: the quote and where it stands in the article text.
        brief_fields = ["id", "url", "label", "normalized_value", "base_unit", "year", "period", "period_kind", "quote", "start",
                        "end", "page"]

    def validate(self, attrs):
        # Verifying stamps who and when (the model requires a time on verified figures).
        request = self.context.get("request")
        if attrs.get("verified") is True and not getattr(self.instance, "verified", False):
            attrs["verified_at"] = timezone.now()
            attrs["verified_by"] = getattr(request, "user", None)
        elif attrs.get("verified") is False:
            attrs["verified_at"], attrs["verified_by"] = None, None
        attrs = super().validate(attrs)
        # The quote must be what the article says at those offsets: a figure without provenance is useless.
        article = attrs.get("article", getattr(self.instance, "article", None))
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        quote = attrs.get("quote", getattr(self.instance, "quote", None))
        if article is not None and None not in (start, end, quote):
            if not article.body:
                raise serializers.ValidationError({"article": (
                    "这篇文章的正文不在本副本中（发布包不含原文），无法核对引文位置；请先导入原文 "
                    "(the article's text is not in this copy, so the quote's offsets cannot be checked; ingest the text first)")})
            if end > len(article.body):
                raise serializers.ValidationError({"end": f"超出正文长度 {len(article.body)} (beyond the article body)"})
            if quote not in article.body[start:end] and article.body[start:end] not in quote:
                raise serializers.ValidationError({"quote": "引文与正文 start:end 处的文字不符 (quote does not match the body)"})
        return attrs


def _page_url(serializer, article_id: int, figure_id: int | None = None) -> str:
    path = reverse("pages:article", args=[article_id]) + (f"#q-{figure_id}" if figure_id else "")
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class FigureCitationMixin(serializers.Serializer):
    citation = serializers.SerializerMethodField(
        help_text="引用格式：数字、原文引文、原刊出处，以及本库的数据版本、稳定网址与访问日期 (citation line)")

    def get_citation(self, figure) -> str:
        article = self.context.get("citation_article") or figure.article
        return figure_citation(figure, article, _page_url(self, article.pk, figure.pk))


class FigureDetailSerializer(FigureCitationMixin, FigureSerializer):
    """One figure: with its citation line (lists leave it out: it needs the article's source)."""

    class Meta(FigureSerializer.Meta):
        fields = [*FigureSerializer.Meta.fields, "citation"]


class FigureInArticleSerializer(FigureCitationMixin, FigureSerializer):
    class Meta(FigureSerializer.Meta):
        fields = [f for f in FigureSerializer.Meta.fields if f not in ("article", "created_at", "updated_at")] + ["citation"]


class InitiativeSerializer(BaseModelSerializer):
    url = DetailURLField("api:initiative-detail")
    region = RegionField(queryset=Region.objects.all(), required=False, allow_null=True, help_text="区划代码（写入时）")
    themes = ThemeField(many=True, queryset=Theme.objects.all(), required=False, help_text="主题 slug 列表（写入时）")
    article_count = serializers.IntegerField(read_only=True, help_text="可见的相关文章数")

    class Meta:
        model = Initiative
        fields = ["id", "url", "name", "aliases", "description", "region", "themes", "article_count", "origin",
                  "created_at", "updated_at"]
        read_only_fields = ["origin", "created_at", "updated_at"]
        brief_fields = ["id", "url", "name"]


class InitiativeDetailSerializer(InitiativeSerializer):
    articles = ArticleField(many=True, read_only=True, source="visible_articles")

    class Meta(InitiativeSerializer.Meta):
        fields = [*InitiativeSerializer.Meta.fields, "articles"]


class ArticleSerializer(BaseModelSerializer):
    """List form: no body; with ``?q=`` a highlighted ``snippet``."""

    url = DetailURLField("api:article-detail")
    publication = PublicationField(source="source.publication", allow_null=True, read_only=True)
    source = SourceField(queryset=Source.objects.all(), required=False, allow_null=True, help_text="来源文件 id（写入时）")
    regions = ArticleRegionsField()
    themes = ThemeField(many=True, queryset=Theme.objects.all(), required=False, help_text="主题 slug 列表（写入时）")
    figure_count = serializers.IntegerField(read_only=True)
    snippet = serializers.SerializerMethodField(help_text="仅在 q 检索时：正文中命中处的片段，词语以 <mark> 标出 (HTML)")

    class Meta:
        model = Article
        fields = ["id", "url", "title", "subtitle", "authors", "column", "kind", "published_on", "status",
                  "summary", "publication", "source", "regions", "themes", "figure_count", "snippet", "version"]
        read_only_fields = ["status"]
        brief_fields = ["id", "url", "title", "published_on"]

    def get_snippet(self, article) -> str | None:
        q = self.context.get("q")
        if not q:
            return None
        return make_snippet(" ".join(filter(None, [article.summary, article.body])), q)


class ArticleDetailSerializer(ArticleSerializer):
    """Detail and write form: body, regions with roles, initiatives, figures, themes, source with position."""

    initiatives = InitiativeField(many=True, read_only=True)
    figures = FigureInArticleSerializer(many=True, read_only=True)
    citation = serializers.SerializerMethodField(
        help_text="引用格式：原刊出处，以及本库的数据版本、稳定网址与访问日期 (citation line)")

    class Meta(ArticleSerializer.Meta):
        fields = [f for f in ArticleSerializer.Meta.fields if f != "snippet"] + [
            "position", "page", "line_start", "line_end", "body", "initiatives", "figures", "origin",
            "edited_at", "reviewed_at", "created_at", "updated_at", "citation",
        ]
        read_only_fields = ["status", "origin", "edited_at", "reviewed_at", "created_at", "updated_at"]

    def to_representation(self, article):
        self.context["citation_article"] = article  # its figures cite it without fetching it again
        return super().to_representation(article)

    def get_citation(self, article) -> str:
        return article_citation(article, _page_url(self, article.pk))

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "version" in attrs and attrs["version"] != self.instance.version:
            raise EditConflict()
        return attrs

    def save(self, **kwargs):
        now = timezone.now()
        if self.instance is not None:
            kwargs.setdefault("version", self.instance.version + 1)
        return super().save(edited_at=now, **kwargs)
