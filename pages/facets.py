"""Facet counts for a set of articles: how many results each filter value would leave.

Each function takes the *filtered* article queryset and runs one grouped query, so the
home page costs the same number of queries whether it lists 2 articles or 20,000.
Counts are drill-down counts: the number of results you get by clicking the value.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear, Substr

from cases.models import Article, ArticleRegion, Initiative, Publication, Theme
from regions.models import PREFIX_LENGTH, Level, Region

from . import lookups  # noqa: F401  (registers id__any_of)

#: The region tree shown as a facet: 市 › 县 › 乡镇.
TREE_LEVELS = (Level.CITY, Level.COUNTY, Level.TOWN)
#: The collection's home province; places elsewhere are named with their province.
HOME_PROVINCE_PREFIX = "33"
#: Gazetteer placeholders that stand for a province's own districts or counties, not a place:
#: 上海市 › 市辖区 › 松江区. A reader knows them by the province's name.
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    href: str = ""


@dataclass
class RegionNode:
    code: str
    name: str
    level: str
    count: int
    children: list["RegionNode"] = field(default_factory=list)


def pinned(articles: QuerySet) -> QuerySet:
    """The same articles, their ids fetched once: on PostgreSQL every facet query would otherwise
    run the whole filter again (a full-text match costs ~70 ms at 100,000 articles, eight times
    over). The ids travel as one array parameter (``= ANY``), whatever their number."""
    if connection.vendor != "postgresql":
        return articles
    ids = list(articles.order_by().values_list("pk", flat=True))
    return Article.objects.filter(pk__any_of=ids)


def _ids(articles: QuerySet):
    # A plain id subquery: the caller's queryset may carry ordering or a rank annotation.
    return articles.order_by().values("pk")


# Each facet is counted (one grouped query, plain values a summary can keep as JSON) and then
# labelled for readers (names looked up by id), so the home page can label counts it kept.

def count_kinds(articles: QuerySet) -> list[list]:
    rows = Article.objects.filter(pk__in=_ids(articles)).values("kind").annotate(n=Count("pk")).order_by()
    return [[r["kind"], r["n"]] for r in rows]


def label_kinds(counts) -> list[FacetValue]:
    labels = dict(Article.Kind.choices)
    return [FacetValue(kind, str(labels.get(kind, kind)), n) for kind, n in sorted(counts, key=lambda c: (-c[1], c[0]))]


def count_themes(articles: QuerySet) -> list[list]:
    through = Article.themes.through
    rows = through.objects.filter(article__in=_ids(articles)).values("theme_id").annotate(n=Count("article_id")).order_by()
    return [[r["theme_id"], r["n"]] for r in rows]


def label_themes(counts) -> list[FacetValue]:
    themes = {t.pk: t for t in Theme.objects.filter(pk__in=[i for i, _ in counts]).only("slug", "name", "sort_order")}
    rows = sorted(((themes[i], n) for i, n in counts if i in themes), key=lambda r: (-r[1], r[0].sort_order, r[0].name))
    return [FacetValue(theme.slug, theme.name, n) for theme, n in rows]


def count_publications(articles: QuerySet) -> list[list]:
    rows = (
        Article.objects.filter(pk__in=_ids(articles), source__publication__isnull=False)
        .values("source__publication_id").annotate(n=Count("pk")).order_by()
    )
    return [[r["source__publication_id"], r["n"]] for r in rows]


def label_publications(counts) -> list[FacetValue]:
    names = dict(Publication.objects.filter(pk__in=[i for i, _ in counts]).values_list("pk", "name"))
    rows = sorted(((i, n) for i, n in counts if i in names), key=lambda r: (-r[1], names[r[0]]))
    return [FacetValue(str(i), names[i], n) for i, n in rows]


def count_years(articles: QuerySet) -> list[list]:
    rows = (
        Article.objects.filter(pk__in=_ids(articles), published_on__isnull=False)
        .annotate(y=ExtractYear("published_on")).values("y").annotate(n=Count("pk")).order_by()
    )
    return [[r["y"], r["n"]] for r in rows]


def label_years(counts) -> list[FacetValue]:
    return [FacetValue(str(y), f"{y}年", n) for y, n in sorted(counts, reverse=True)]


def count_initiatives(articles: QuerySet) -> list[list]:
    through = Initiative.articles.through
    rows = (
        through.objects.filter(article__in=_ids(articles))
        .values("initiative_id").annotate(n=Count("article_id")).order_by()
    )
    return [[r["initiative_id"], r["n"]] for r in rows]


def label_initiatives(counts, limit: int = 20) -> list[FacetValue]:
    """The most-reported initiatives; two of one name (“1+3+N” in two counties) are told apart by place."""
    counts = sorted(counts, key=lambda c: -c[1])
    if len(counts) > limit:
        cutoff = counts[limit - 1][1]
        counts = [c for c in counts if c[1] >= cutoff]  # ties at the cut are ordered by name below
    found = {
        i.pk: i for i in Initiative.objects.filter(pk__in=[i for i, _ in counts]).select_related("region")
        .only("name", "region__name")
    }
    rows = sorted(((found[i], n) for i, n in counts if i in found), key=lambda r: (-r[1], r[0].name, r[0].pk))[:limit]
    names = [initiative.name for initiative, _ in rows]
    values = []
    for initiative, n in rows:
        label = initiative.name
        if names.count(label) > 1:
            label = f"{label}（{initiative.region.name if initiative.region else '未定地区'}）"
        values.append(FacetValue(str(initiative.pk), label, n))
    return values


def kind_facet(articles: QuerySet) -> list[FacetValue]:
    return label_kinds(count_kinds(articles))


def theme_facet(articles: QuerySet) -> list[FacetValue]:
    return label_themes(count_themes(articles))


def publication_facet(articles: QuerySet) -> list[FacetValue]:
    return label_publications(count_publications(articles))


def year_facet(articles: QuerySet) -> list[FacetValue]:
    return label_years(count_years(articles))


def initiative_facet(articles: QuerySet, limit: int = 20) -> list[FacetValue]:
    return label_initiatives(count_initiatives(articles), limit)


def region_counts(articles: QuerySet, levels=TREE_LEVELS, within: str = "") -> dict[str, int]:
    """Distinct articles per region prefix at each level (one query per level).

    An article linked to a village counts for its town, county and city; an article linked
    to two towns of one county counts once for the county. ``within`` limits to a subtree.
    """
    links = ArticleRegion.objects.filter(article__in=_ids(articles))
    if within:
        links = links.filter(region__code__startswith=within)
    counts: dict[str, int] = {}
    for level in levels:
        length = PREFIX_LENGTH[level]
        rows = (
            links.annotate(prefix=Substr("region__code", 1, length))
            .values("prefix")
            .annotate(n=Count("article_id", distinct=True))
            .order_by()
        )
        for row in rows:
            prefix = row["prefix"]
            # A link to a higher level (the province itself) has an all-zero tail here.
            if len(prefix) == length and prefix[PREFIX_LENGTH_BEFORE[level] :].strip("0"):
                counts[prefix.ljust(12, "0")] = row["n"]
    return counts


PREFIX_LENGTH_BEFORE = {
    Level.CITY: PREFIX_LENGTH[Level.PROVINCE],
    Level.COUNTY: PREFIX_LENGTH[Level.CITY],
    Level.TOWN: PREFIX_LENGTH[Level.COUNTY],
    Level.VILLAGE: PREFIX_LENGTH[Level.TOWN],
}


def build_tree(counts: dict[str, int], regions: dict[str, "Region"]) -> list[RegionNode]:
    """Nest counted regions by code prefix; regions missing from the gazetteer are skipped."""
    nodes = {
        code: RegionNode(code, regions[code].name, regions[code].level, n)
        for code, n in counts.items()
        if code in regions
    }
    roots: list[RegionNode] = []
    for code in sorted(nodes):
        node = nodes[code]
        parent = _nearest_ancestor(code, PREFIX_LENGTH[node.level], nodes)
        (nodes[parent].children if parent else roots).append(node)
    return _sorted(roots)


def _nearest_ancestor(code: str, length: int, nodes) -> str | None:
    for shorter in sorted((n for n in PREFIX_LENGTH.values() if n < length), reverse=True):
        candidate = code[:shorter].ljust(12, "0")
        if candidate in nodes:
            return candidate
    return None


def _sorted(nodes: list[RegionNode]) -> list[RegionNode]:
    nodes.sort(key=lambda n: (-n.count, n.code))
    for node in nodes:
        _sorted(node.children)
    return nodes


def region_tree(articles: QuerySet, levels=TREE_LEVELS, within: str = "") -> list[RegionNode]:
    """Where the articles are, as a tree of regions with article counts."""
    return label_regions(region_counts(articles, levels, within))


def label_regions(counts: dict[str, int]) -> list[RegionNode]:
    """Counted regions as a tree. Places outside Zhejiang come after it and carry their province
    (黑龙江省大庆市, and 上海市 rather than its placeholder 市辖区), so a reader can tell where they are.
    """
    provinces = {code[:2] + "0" * 10 for code in counts if not code.startswith(HOME_PROVINCE_PREFIX)}
    wanted = list(counts) + sorted(provinces)
    # Named rows (code, name, level), not model instances: a broad search counts thousands of places.
    regions = {row.code: row for row in Region.objects.filter(code__in=wanted).values_list(
        "code", "name", "level", named=True)}
    roots = build_tree(counts, regions)
    return name_places_outside_home(roots, regions)


def name_places_outside_home(roots: list[RegionNode], regions: dict[str, "Region"]) -> list[RegionNode]:
    home, outside = [], []
    for node in roots:
        if node.code.startswith(HOME_PROVINCE_PREFIX):
            home.append(node)
            continue
        province = regions.get(node.code[:2] + "0" * 10)
        if province is not None and node.level != Level.PROVINCE:
            node.name = province.name if node.name in PLACEHOLDER_NAMES else province.name + node.name
        outside.append(node)
    return home + outside


#: Each facet's counting and labelling functions, by query parameter.
COUNTERS = {
    "region": (region_counts, label_regions),
    "theme": (count_themes, label_themes),
    "kind": (count_kinds, label_kinds),
    "publication": (count_publications, label_publications),
    "year": (count_years, label_years),
    "initiative": (count_initiatives, label_initiatives),
}


def count_all(articles: QuerySet) -> dict:
    """Every facet's counts and the number of articles, as plain JSON values."""
    return {"total": articles.count(), **{name: count(articles) for name, (count, _label) in COUNTERS.items()}}


def all_facets(articles: QuerySet) -> dict:
    return {name: label(count(articles)) for name, (count, label) in COUNTERS.items()}
