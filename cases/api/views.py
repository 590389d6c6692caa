"""Case-study endpoints. Thin: querysets (visibility, no N+1), a FilterSet, an ordering map."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cases.filtersets import (
    ArticleFilterSet,
    FigureComparisonFilterSet,
    FigureFilterSet,
    InitiativeFilterSet,
    MetricFilterSet,
    PublicationFilterSet,
    SourceFilterSet,
    ThemeFilterSet,
    comparison_level,
)
from cases.models import Article, ArticleRegion, Figure, Initiative, Metric, Origin, Publication, Source, Theme
from config.api.values import values_plan
from config.api.views import BaseModelViewSet, BaseReadOnlyViewSet
from search.engine import ordered_by_rank, ranked_slice

from . import summary
from .relations import attach_brief_relations, attach_brief_relations_to_rows
from .serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    FigureDetailSerializer,
    FigureSerializer,
    InitiativeDetailSerializer,
    InitiativeSerializer,
    MetricSerializer,
    PublicationSerializer,
    SourceSerializer,
    ThemeSerializer,
)

LIST_COLUMNS = [
    "id", "title", "subtitle", "authors", "column", "kind", "published_on", "status", "summary", "version",
    "source_id", "position", "source__issue_label", "source__published_on", "source__publication__name",
]
CITATION_COLUMNS = ["article__authors", "article__page", "article__source__issue_label",
                    "article__source__publication__name"]
FIGURE_COLUMNS = [
    *(f.name for f in Figure._meta.concrete_fields if not f.is_relation),
    "article__title", "article__published_on", "region__code", "region__name", "region__level",
    "metric__slug", "metric__name", "metric__base_unit", "initiative__name", "verified_by_id", "edited_by_id",
]


def count_of(queryset, field="pk"):
    """A correlated COUNT subquery (cheaper than JOIN + GROUP BY on a filtered list)."""
    counted = queryset.order_by().values(field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _relevance(queryset, request):
    """The search engine's ``rank``; needs ``?q=`` (None makes the ordering a 400)."""
    if not request.query_params.get("q", "").strip():
        return None
    if "rank" in queryset.query.annotations:
        return "rank"
    return "published_on"  # an engine that does not rank (yet): newest matches first


class ArticleViewSet(BaseModelViewSet):
    """Case studies. Anonymous users and non-staff see published articles only (others are 404).

    ``?region=330600`` matches 绍兴市 and everything under it; ``?q=`` is Chinese
    full-text search (results carry a ``snippet``; ``ordering=-relevance``).
    Writes need a token and the model permission (cases.add_article …);
    status changes go through the editors' review in the admin.
    """

    filterset_class = ArticleFilterSet
    ordering_map = {"date": "published_on", "published_on": "published_on", "title": "title", "id": "id",
                    "relevance": _relevance}

    def get_default_ordering(self, queryset):
        if self.request.query_params.get("q", "").strip() and "rank" in queryset.query.annotations:
            return ["-rank", "-published_on"]
        return ["-published_on", "source_id", "position"]

    def get_serializer_class(self):
        return ArticleSerializer if self.action == "list" else ArticleDetailSerializer

    #: Parameters that do not change which articles a list holds.
    PAGING_PARAMS = {"limit", "offset", "ordering", "format"}

    def known_count(self):
        """The public, unfiltered list's length, from the kept facet summary (exact: pages.summary)
        instead of a COUNT over every published article."""
        if self.request.user.is_staff or set(self.request.query_params) - self.PAGING_PARAMS:
            return None
        from pages.summary import public_total

        return public_total()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["q"] = self.request.query_params.get("q", "").strip() if self.request else ""
        return context

    def get_queryset(self):
        qs = Article.objects.visible_to(self.request.user).select_related("source__publication")
        if self.action == "list":
            # Only the columns the list shows: no body (unless a snippet needs it), brief source.
            columns = [*LIST_COLUMNS, *(["body"] if self.request.query_params.get("q") else [])]
            qs = qs.only(*columns)
        else:
            qs = qs.prefetch_related(
                Prefetch("themes", to_attr="themes_list"),
                "initiatives",
                Prefetch("region_links", queryset=ArticleRegion.objects.select_related("region"),
                         to_attr="region_link_list"),
                Prefetch("figures", queryset=Figure.objects.select_related("region", "metric", "initiative")),
            ).annotate(figure_count=count_of(Figure.objects.filter(article=OuterRef("pk")), "article"))
        return qs.defer("body_line_map")

    def page_slice(self, queryset, offset, limit):
        """Relevance-ordered search pages come from the engine, which ranks only what a page needs."""
        q = self.request.query_params.get("q", "").strip()
        if q and ordered_by_rank(queryset):
            return ranked_slice(queryset, q, offset, limit, total=self.paginator.count)
        return queryset[offset : offset + limit]

    def perform_update(self, serializer):
        super().perform_update(serializer)
        # The response must show the saved relations, not the lists prefetched before the update.
        for attribute in ("themes_list", "region_link_list"):
            serializer.instance.__dict__.pop(attribute, None)

    def prepare_page(self, articles):
        # Themes, regions with roles and figure counts of the whole page in one query.
        return articles if self.brief else attach_brief_relations(articles)

    def values_plan(self, queryset):
        """Rows from ``.values()`` with the page's themes, regions and figure counts attached
        (one query per page, as for instances); a search keeps instances (ranked pages, snippets)."""
        if self.request.query_params.get("q"):
            return None
        serializer = self.get_serializer()
        fields = serializer.fields

        def attached(field, key):
            return lambda row: field.to_representation(row[key])

        own = {"figure_count": lambda row: row["figure_count"], "snippet": lambda row: None}
        for name, key in (("regions", "region_link_list"), ("themes", "themes_list")):
            if name in fields:
                own[name] = attached(fields[name], key)
        own = {name: build for name, build in own.items() if name in fields}  # ?fields= / ?brief=1
        prepare = attach_brief_relations_to_rows if set(own) - {"snippet"} else None
        return values_plan(serializer, queryset, own=own, prepare=prepare, columns=("id",))

    def extra_save_kwargs(self, serializer):
        if serializer.instance is None:
            return {"origin": Origin.EDITOR, "edited_by": self.request.user}
        return {"edited_by": self.request.user}


class FigureViewSet(BaseModelViewSet):
    """Outcome figures as written and normalised, each with its quote and offsets in the article.

    Figures of unpublished articles do not exist for anonymous users. Compare
    across places with ``/figures/summary/?metric=…&group_by=region``.
    """

    serializer_class = FigureSerializer
    filterset_class = FigureFilterSet
    ordering = ["article_id", "start"]

    ordering_map = {"value": "normalized_value", "year": "year", "article": "article_id", "id": "id",
                    "region": "region__code", "created": "created_at"}

    def get_serializer_class(self):
        return FigureDetailSerializer if self.action == "retrieve" else FigureSerializer

    def get_queryset(self):
        figures = (
            Figure.objects.visible_to(self.request.user)
            .select_related("article", "region", "metric", "initiative")
            .only(*FIGURE_COLUMNS)  # related objects in their brief form only
        )
        if self.action == "retrieve":  # the citation names the article as published, in the same query
            figures = figures.select_related("article__source__publication").only(*FIGURE_COLUMNS, *CITATION_COLUMNS)
        return figures

    def extra_save_kwargs(self, serializer):
        kwargs = {"edited_by": self.request.user}
        if serializer.instance is None:
            kwargs["origin"] = Origin.EDITOR
        return kwargs

    @extend_schema(
        summary="Count, min, max and median of a metric's normalised values per group",
        parameters=[
            OpenApiParameter("group_by", OpenApiTypes.STR, enum=list(summary.GROUPS), required=True,
                             description="region: 每个区划; year: 每年; region_level: 每个区划级别"),
            OpenApiParameter("metric", OpenApiTypes.STR, required=True, description="指标 slug（必填，单个）"),
        ],
        responses=inline_serializer("FigureSummary", {
            "metric": serializers.CharField(),
            "base_unit": serializers.CharField(),
            "group_by": serializers.CharField(),
            "results": inline_serializer("FigureSummaryRow", {
                "region": serializers.DictField(required=False, allow_null=True),
                "year": serializers.IntegerField(required=False, allow_null=True),
                "region_level": serializers.CharField(required=False, allow_null=True),
                "count": serializers.IntegerField(),
                "min": serializers.FloatField(),
                "max": serializers.FloatField(),
                "median": serializers.FloatField(),
                "rolled_up": serializers.IntegerField(
                    required=False, help_text="region_level 给定时：其中来自下级区划、按代码前缀归入的数字个数"),
            }, many=True),
        }),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def summary(self, request):
        group_by = request.query_params.get("group_by", "")
        if group_by not in summary.GROUPS:
            raise ValidationError({"group_by": [f"必须是 {' / '.join(summary.GROUPS)} 之一 (required)"]})
        metrics = request.query_params.getlist("metric")
        if len(metrics) != 1:
            raise ValidationError({"metric": ["必须指定一个指标 slug：不同指标的数值不可比 (exactly one metric)"]})
        # region_level here is the level compared: lower figures stay in and roll up into it.
        self.filterset_class = FigureComparisonFilterSet
        queryset = self.filter_queryset(self.get_queryset())
        metric = Metric.objects.get(slug=metrics[0])  # the FilterSet has validated it
        levels = request.query_params.getlist("region_level")
        level = comparison_level(levels) if levels and group_by == "region" else None
        rows = summary.summarise(queryset, group_by, request, level=level)
        return Response({"metric": metric.slug, "base_unit": metric.base_unit, "group_by": group_by, "results": rows})


class InitiativeViewSet(BaseModelViewSet):
    """Named practices (网格智治, 共富工坊 …). Public once a published article reports them or an editor added them."""

    filterset_class = InitiativeFilterSet
    ordering = ["name"]
    ordering_map = {"name": "name", "id": "id", "articles": "article_count", "updated": "updated_at"}

    def get_serializer_class(self):
        return InitiativeDetailSerializer if self.action == "retrieve" else InitiativeSerializer

    def get_queryset(self):
        user = self.request.user
        visible = Article.objects.visible_to(user)
        through = Initiative.articles.through.objects.filter(initiative=OuterRef("pk"), article__in=visible)
        qs = Initiative.objects.visible_to(user).select_related("region").annotate(
            article_count=count_of(through, "initiative"))
        if not self.brief:
            qs = qs.prefetch_related("themes")
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("articles", queryset=visible.only("id", "title", "published_on"),
                                              to_attr="visible_articles"))
        return qs

    def extra_save_kwargs(self, serializer):
        return {"origin": Origin.EDITOR} if serializer.instance is None else {}


class MetricViewSet(BaseReadOnlyViewSet):
    """Canonical indicators (常住人口, 网格数 …) with their base unit and the phrases that name them."""

    queryset = Metric.objects.all()
    serializer_class = MetricSerializer
    filterset_class = MetricFilterSet
    lookup_field = "slug"
    ordering = ["name"]
    ordering_map = {"name": "name", "slug": "slug", "id": "id"}


class ThemeViewSet(BaseReadOnlyViewSet):
    """The controlled vocabulary of themes."""

    queryset = Theme.objects.select_related("parent")
    serializer_class = ThemeSerializer
    filterset_class = ThemeFilterSet
    lookup_field = "slug"
    ordering = ["sort_order", "name"]
    ordering_map = {"name": "name", "slug": "slug", "sort_order": "sort_order", "id": "id"}


class PublicationViewSet(BaseReadOnlyViewSet):
    """Magazines and newspapers the articles come from."""

    queryset = Publication.objects.all()
    serializer_class = PublicationSerializer
    filterset_class = PublicationFilterSet
    ordering = ["name"]
    ordering_map = {"name": "name", "id": "id"}


class SourceViewSet(BaseReadOnlyViewSet):
    """Ingested documents (an issue of a magazine). Public once one of their articles is published."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    ordering = ["-published_on", "issue_label"]
    ordering_map = {"date": "published_on", "published_on": "published_on", "issue": "issue_label",
                    "imported": "imported_at", "id": "id"}

    def get_queryset(self):
        qs = Source.objects.select_related("publication")
        user = self.request.user
        if not (user.is_active and user.is_staff):
            qs = qs.filter(pk__in=Article.objects.visible_to(user).values("source_id"))
        return qs
