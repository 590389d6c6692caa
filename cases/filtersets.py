"""Filters for the case-study resources, shared by the API and the pages.

A region code filter matches the region and everything under it
(``region=330600`` is all of 绍兴市) because codes carry their ancestry in
their prefixes; ``region_exact`` matches that one region only.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q

from config.filtersets import (
    BaseFilterSet,
    BooleanFilter,
    DecimalRangeValueFilter,
    IdMultipleChoiceFilter,
    RegionCodeFilter,
    SearchFilter,
    SlugMultipleChoiceFilter,
    YearFilter,
)
from regions.models import Level, Region
from search.engine import parse_query, search_articles

from .models import Article, ArticleRegion, Figure, Initiative, Metric, PeriodKind, Publication, Source, Theme


def visible_articles(request):
    """Choices for ``article=`` filters: an id the user may not see is as unknown as a missing one."""
    return Article.objects.visible_to(getattr(request, "user", None)) if request is not None else Article.objects.all()


def _validate_article_query(q: str) -> None:
    # The engine's parser raises QueryError for queries it cannot run (no database query).
    parse_query(q)


def subtree_ids(region):
    """The ids of a region and everything under it, as a subquery.

    ``region__code__startswith`` joins the regions table, and PostgreSQL then scans every
    figure (1M) to hash-join them; with the few hundred ids of a county as a subquery it
    reads each region's rows through the region index (a county's figures: 250 → 30 ms).
    """
    return Region.objects.subtree(region).values("pk")


def chosen_ids(objects) -> list[int]:
    """The ids of the objects a form field chose (already fetched to validate them).

    As literals, not the field's queryset as a subquery: the planner then knows the values
    and uses the indexes that start with the foreign key (a metric's figures in a county,
    ``figure_region_metric_idx``) instead of joining the slugs' table.
    """
    return [obj.pk for obj in objects]


class ArticleFilterSet(BaseFilterSet):
    q = SearchFilter(
        method="search", validate_with=_validate_article_query, label="全文检索",
        help_text="中文全文检索（标题、摘要、正文）；结果带 snippet，可按 relevance 排序 (full-text search)",
    )
    region = RegionCodeFilter(
        method="filter_region", label="区划（含下级）",
        help_text="区划代码，匹配该区划及其所有下级，如 330600 为绍兴市全部 (region and everything under it)",
    )
    region_exact = RegionCodeFilter(
        method="filter_region_exact", label="区划（仅本级）", help_text="只匹配该区划本身 (this region only)"
    )
    region_role = django_filters.ChoiceFilter(
        choices=ArticleRegion.Role.choices, method="filter_noop", label="区划角色",
        help_text="与 region/region_exact 合用：main 仅主要对象，mentioned 仅提及 (narrows region filters)",
    )
    region_level = django_filters.MultipleChoiceFilter(
        choices=Level.choices, method="filter_region_level", label="主要对象级别",
        help_text="文章主要对象区划的级别，如 town 为乡镇街道案例 (level of the article's main region)",
    )
    theme = SlugMultipleChoiceFilter(
        queryset=Theme.objects.all(), method="filter_theme", label="主题",
        help_text="主题标识 slug，可重复，满足其一即可 (theme slug; repeatable, any)",
    )
    kind = django_filters.MultipleChoiceFilter(choices=Article.Kind.choices, label="体裁", help_text="可重复 (repeatable)")
    status = django_filters.MultipleChoiceFilter(
        choices=Article.Status.choices, label="状态", help_text="仅工作人员可见草稿等状态 (staff only see non-published)"
    )
    publication = IdMultipleChoiceFilter(
        field_name="source__publication", queryset=Publication.objects.all(), label="刊物", help_text="刊物 id"
    )
    source = IdMultipleChoiceFilter(queryset=Source.objects.all(), label="来源文件", help_text="来源文件 id")
    year_min = YearFilter(field_name="published_on", lookup_expr="year__gte", label="起始年份", help_text="发表年份 ≥")
    year_max = YearFilter(field_name="published_on", lookup_expr="year__lte", label="截止年份", help_text="发表年份 ≤")
    published_after = django_filters.DateFilter(field_name="published_on", lookup_expr="gte", label="发表于此日或之后")
    published_before = django_filters.DateFilter(field_name="published_on", lookup_expr="lte", label="发表于此日或之前")
    initiative = IdMultipleChoiceFilter(
        queryset=Initiative.objects.all(), method="filter_initiative", label="做法/项目", help_text="做法 id，可重复"
    )
    metric = SlugMultipleChoiceFilter(
        queryset=Metric.objects.all(), method="filter_metric", label="指标",
        help_text="含该指标数字的文章；指标 slug，可重复 (articles reporting this metric)",
    )
    has_figures = BooleanFilter(method="filter_has_figures", label="含数字")

    class Meta:
        model = Article
        fields = [
            "q", "region", "region_exact", "region_role", "region_level", "theme", "kind", "status",
            "publication", "source", "year_min", "year_max", "published_after", "published_before",
            "initiative", "metric", "has_figures",
        ]

    def search(self, queryset, name, value):
        return search_articles(queryset, value) if value else queryset

    def _region_links(self, **lookups):
        links = ArticleRegion.objects.filter(article=OuterRef("pk"), **lookups)
        role = self.form.cleaned_data.get("region_role")
        return Exists(links.filter(role=role) if role else links)

    def filter_region(self, queryset, name, region):
        return queryset.filter(self._region_links(region__in=subtree_ids(region))) if region else queryset

    def filter_region_exact(self, queryset, name, region):
        return queryset.filter(self._region_links(region__code=region.code)) if region else queryset

    def filter_region_level(self, queryset, name, levels):
        if not levels:
            return queryset
        main = ArticleRegion.objects.filter(article=OuterRef("pk"), role=ArticleRegion.Role.MAIN, region__level__in=levels)
        return queryset.filter(Exists(main))

    def filter_theme(self, queryset, name, themes):
        if not themes:
            return queryset
        through = Article.themes.through.objects.filter(article=OuterRef("pk"), theme__in=chosen_ids(themes))
        return queryset.filter(Exists(through))

    def filter_initiative(self, queryset, name, initiatives):
        if not initiatives:
            return queryset
        through = Initiative.articles.through.objects.filter(article=OuterRef("pk"), initiative__in=chosen_ids(initiatives))
        return queryset.filter(Exists(through))

    def filter_metric(self, queryset, name, metrics):
        if not metrics:
            return queryset
        return queryset.filter(Exists(Figure.objects.filter(article=OuterRef("pk"), metric__in=chosen_ids(metrics))))

    def filter_has_figures(self, queryset, name, value):
        if value is None:
            return queryset
        has = Exists(Figure.objects.filter(article=OuterRef("pk")))
        return queryset.filter(has if value else ~has)


class FigureFilterSet(BaseFilterSet):
    metric = SlugMultipleChoiceFilter(
        queryset=Metric.objects.all(), method="filter_metric", label="指标", help_text="指标 slug，可重复 (metric slug)"
    )
    region = RegionCodeFilter(
        method="filter_region", label="区划（含下级）", help_text="该区划及其所有下级的数字 (region subtree)"
    )
    region_exact = RegionCodeFilter(method="filter_region_exact", label="区划（仅本级）")
    region_level = django_filters.MultipleChoiceFilter(
        choices=Level.choices, method="filter_region_level", label="区划级别",
        help_text="数字所属区划的级别；比较（figures/summary、指标页）时为比较的级别，下级的数字按代码前缀归入 "
                  "(level of the figure's region; when comparing, the level compared, lower levels rolled up)",
    )
    value_min = DecimalRangeValueFilter(
        field_name="normalized_value", lookup_expr="gte", label="最小值", help_text="归一化数值 ≥ (normalised value)"
    )
    value_max = DecimalRangeValueFilter(
        field_name="normalized_value", lookup_expr="lte", label="最大值", help_text="归一化数值 ≤ (normalised value)"
    )
    unit = django_filters.CharFilter(
        method="filter_unit", max_length=20, label="单位", help_text="原文单位或基本单位，如 万人、人、元 (unit as written or base unit)"
    )
    qualifier = django_filters.MultipleChoiceFilter(
        field_name="qualifier_kind", choices=Figure.Qualifier.choices, label="限定类型", help_text="exact/approx/over/under/range"
    )
    year = YearFilter(label="年份")
    year_min = YearFilter(field_name="year", lookup_expr="gte", label="起始年份")
    year_max = YearFilter(field_name="year", lookup_expr="lte", label="截止年份")
    is_target = BooleanFilter(label="目标值")
    period_kind = django_filters.MultipleChoiceFilter(
        choices=[(value or "none", label) for value, label in PeriodKind.choices], method="filter_period_kind",
        label="时期类型", help_text="year 全年、half 半年、quarter 季度、months 前几个月（前三季度）、cumulative 累计、span 多年、"
                                  "target 目标、none 未注明；可重复 (period kind; repeatable)",
    )
    verified = BooleanFilter(label="已核实")
    article = IdMultipleChoiceFilter(queryset=visible_articles, label="文章", help_text="文章 id")
    initiative = IdMultipleChoiceFilter(queryset=Initiative.objects.all(), label="做法/项目")
    label = django_filters.CharFilter(lookup_expr="icontains", max_length=100, label="文中指标", help_text="包含该词")
    status = django_filters.MultipleChoiceFilter(
        field_name="article__status", choices=Article.Status.choices, label="文章状态", help_text="仅工作人员"
    )

    class Meta:
        model = Figure
        fields = [
            "metric", "region", "region_exact", "region_level", "value_min", "value_max", "unit", "qualifier",
            "year", "year_min", "year_max", "is_target", "period_kind", "verified", "article", "initiative", "label",
            "status",
        ]

    def filter_metric(self, queryset, name, metrics):
        return queryset.filter(metric__in=chosen_ids(metrics)) if metrics else queryset

    def filter_region(self, queryset, name, region):
        return queryset.filter(region__in=subtree_ids(region)) if region else queryset

    def filter_region_exact(self, queryset, name, region):
        return queryset.filter(region__code=region.code) if region else queryset

    def filter_period_kind(self, queryset, name, kinds):
        if not kinds:
            return queryset
        return queryset.filter(period_kind__in=["" if kind == "none" else kind for kind in kinds])

    def filter_unit(self, queryset, name, value):
        return queryset.filter(Q(unit=value) | Q(base_unit=value)) if value else queryset

    #: Comparisons keep the figures below the chosen level, to roll them up into it (see FigureComparisonFilterSet).
    rolls_up = False

    def filter_region_level(self, queryset, name, levels):
        if not levels:
            return queryset
        if self.rolls_up:
            levels = levels_at_or_below(comparison_level(levels))
        return queryset.filter(region__level__in=levels)


LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWN, Level.VILLAGE]


def comparison_level(levels) -> str:
    """One level to compare at: the highest of those asked for (county of county+town)."""
    return min(levels, key=LEVEL_ORDER.index)


def levels_at_or_below(level: str) -> list[str]:
    return LEVEL_ORDER[LEVEL_ORDER.index(level):]


class FigureComparisonFilterSet(FigureFilterSet):
    """The figure filters for comparing places (``figures/summary``, the metric page): ``region_level``
    chooses the level compared, and figures of regions below it stay in, to be rolled up into their
    ancestor at that level by code prefix (a town's 网格数 counts for its county)."""

    rolls_up = True


class InitiativeFilterSet(BaseFilterSet):
    q = SearchFilter(method="search", label="名称检索", help_text="名称、别名或简介包含该词")
    name = django_filters.CharFilter(max_length=200, label="名称")
    region = RegionCodeFilter(method="filter_region", label="区划（含下级）")
    region_exact = RegionCodeFilter(method="filter_region_exact", label="区划（仅本级）")
    theme = SlugMultipleChoiceFilter(
        queryset=Theme.objects.all(), method="filter_theme", label="主题"
    )
    article = IdMultipleChoiceFilter(
        queryset=visible_articles, method="filter_article", label="文章", help_text="文章 id"
    )

    class Meta:
        model = Initiative
        fields = ["q", "name", "region", "region_exact", "theme", "article"]

    def search(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value) | json_list_contains("aliases", value))

    def filter_region(self, queryset, name, region):
        return queryset.filter(region__code__startswith=region.prefix) if region else queryset

    def filter_region_exact(self, queryset, name, region):
        return queryset.filter(region__code=region.code) if region else queryset

    def filter_theme(self, queryset, name, themes):
        if not themes:
            return queryset
        return queryset.filter(Exists(Initiative.themes.through.objects.filter(initiative=OuterRef("pk"), theme__in=chosen_ids(themes))))

    def filter_article(self, queryset, name, articles):
        if not articles:
            return queryset
        through = Initiative.articles.through.objects.filter(initiative=OuterRef("pk"), article__in=articles)
        return queryset.filter(Exists(through))


def json_list_contains(field: str, text: str) -> Q:
    """A JSON list of strings has an element containing ``text`` (portable: matches the stored JSON text).

    SQLite stores JSON with non-ASCII characters escaped (\\uXXXX), PostgreSQL as
    real characters, so both spellings are tried.
    """
    import json

    escaped = json.dumps(text)[1:-1]
    q = Q(**{f"{field}__icontains": text})
    return q | Q(**{f"{field}__icontains": escaped}) if escaped != text else q


class MetricFilterSet(BaseFilterSet):
    q = SearchFilter(method="search", label="检索", help_text="名称、标识或文中说法包含该词")
    quantity = django_filters.MultipleChoiceFilter(choices=Metric.Quantity.choices, label="量的类型")
    base_unit = django_filters.CharFilter(max_length=20, label="基本单位")

    class Meta:
        model = Metric
        fields = ["q", "quantity", "base_unit"]

    def search(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value) | json_list_contains("labels", value))


class ThemeFilterSet(BaseFilterSet):
    q = SearchFilter(method="search", label="检索")
    parent = django_filters.ModelChoiceFilter(queryset=Theme.objects.all(), to_field_name="slug", label="上级主题")

    class Meta:
        model = Theme
        fields = ["q", "parent"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value)) if value else queryset


class PublicationFilterSet(BaseFilterSet):
    q = SearchFilter(method="search", label="检索")
    kind = django_filters.MultipleChoiceFilter(choices=Publication.Kind.choices, label="类型")

    class Meta:
        model = Publication
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(publisher__icontains=value)) if value else queryset


class SourceFilterSet(BaseFilterSet):
    q = SearchFilter(method="search", label="检索", help_text="文件名或期号包含该词")
    publication = IdMultipleChoiceFilter(queryset=Publication.objects.all(), label="刊物")
    year_min = YearFilter(field_name="published_on", lookup_expr="year__gte", label="起始年份")
    year_max = YearFilter(field_name="published_on", lookup_expr="year__lte", label="截止年份")

    class Meta:
        model = Source
        fields = ["q", "publication", "year_min", "year_max"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(file_name__icontains=value) | Q(issue_label__icontains=value)) if value else queryset
