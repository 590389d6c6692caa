"""Facet counts for a set of articles: how many results each filter value would leave.

Each function takes the *filtered* article queryset and runs one grouped query, so the
home page costs the same number of queries whether it lists 2 articles or 20,000.
Counts are drill-down counts: the number of results you get by clicking the value.
"""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear, Substr

from cases.models import Article, ArticleRegion, Initiative
from regions.models import PREFIX_LENGTH, Level, Region

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


def _ids(articles: QuerySet):
    # A plain id subquery: the caller's queryset may carry ordering or a rank annotation.
    return articles.order_by().values("pk")


def kind_facet(articles: QuerySet) -> list[FacetValue]:
    labels = dict(Article.Kind.choices)
    rows = Article.objects.filter(pk__in=_ids(articles)).values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    return [FacetValue(r["kind"], str(labels.get(r["kind"], r["kind"])), r["n"]) for r in rows]


def theme_facet(articles: QuerySet) -> list[FacetValue]:
    through = Article.themes.through
    rows = (
        through.objects.filter(article__in=_ids(articles))
        .values("theme__slug", "theme__name", "theme__sort_order")
        .annotate(n=Count("article_id"))
        .order_by("-n", "theme__sort_order", "theme__name")
    )
    return [FacetValue(r["theme__slug"], r["theme__name"], r["n"]) for r in rows]


def publication_facet(articles: QuerySet) -> list[FacetValue]:
    rows = (
        Article.objects.filter(pk__in=_ids(articles), source__publication__isnull=False)
        .values("source__publication_id", "source__publication__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "source__publication__name")
    )
    return [FacetValue(str(r["source__publication_id"]), r["source__publication__name"], r["n"]) for r in rows]


def year_facet(articles: QuerySet) -> list[FacetValue]:
    rows = (
        Article.objects.filter(pk__in=_ids(articles), published_on__isnull=False)
        .annotate(y=ExtractYear("published_on"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by("-y")
    )
    return [FacetValue(str(r["y"]), f"{r['y']}年", r["n"]) for r in rows]


def initiative_facet(articles: QuerySet, limit: int = 20) -> list[FacetValue]:
    """The most-reported initiatives; two of one name (“1+3+N” in two counties) are told apart by place."""
    through = Initiative.articles.through
    rows = list(
        through.objects.filter(article__in=_ids(articles))
        .values("initiative_id", "initiative__name", "initiative__region__name")
        .annotate(n=Count("article_id"))
        .order_by("-n", "initiative__name", "initiative_id")[:limit]
    )
    names = [r["initiative__name"] for r in rows]
    values = []
    for r in rows:
        label, place = r["initiative__name"], r["initiative__region__name"]
        if names.count(label) > 1:
            label = f"{label}（{place or '未定地区'}）"
        values.append(FacetValue(str(r["initiative_id"]), label, r["n"]))
    return values


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


def build_tree(counts: dict[str, int], regions: dict[str, Region]) -> list[RegionNode]:
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
    """Where the articles are, as a tree of regions with article counts.

    Places outside Zhejiang come after it and carry their province (黑龙江省大庆市, and
    上海市 rather than its placeholder 市辖区), so a reader can tell where they are.
    """
    counts = region_counts(articles, levels, within)
    provinces = {code[:2] + "0" * 10 for code in counts if not code.startswith(HOME_PROVINCE_PREFIX)}
    wanted = list(counts) + sorted(provinces)
    regions = {r.code: r for r in Region.objects.filter(code__in=wanted).only("code", "name", "level")}
    roots = build_tree(counts, regions)
    return name_places_outside_home(roots, regions)


def name_places_outside_home(roots: list[RegionNode], regions: dict[str, Region]) -> list[RegionNode]:
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


def all_facets(articles: QuerySet) -> dict:
    return {
        "region": region_tree(articles),
        "theme": theme_facet(articles),
        "kind": kind_facet(articles),
        "publication": publication_facet(articles),
        "year": year_facet(articles),
        "initiative": initiative_facet(articles),
    }
