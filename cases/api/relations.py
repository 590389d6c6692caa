"""An article page's brief relations — themes, regions with roles, figure counts — in one query.

``prefetch_related`` would take two queries and build a model instance per
theme, link and region; a list endpoint shows only a few attributes of each,
so one UNION ALL of ``values_list`` rows is enough. The rows are attached as
lightweight objects under the names the serializers read
(``themes_list``, ``region_link_list``, ``figure_count``).
"""

from types import SimpleNamespace

from django.db.models import CharField, Count, IntegerField, Value

from cases.models import Article, ArticleRegion, Figure


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def brief_relations(ids: list[int]) -> dict[int, tuple[list, list, int]]:
    """``{article id: (themes, region links, figure count)}`` for ``ids``, in one query.

    Themes are ``(slug, name)`` objects in Theme.Meta.ordering (as prefetch_related gives them),
    links ``(region, role, mentions)`` with ``region`` a ``(code, name, level)`` object.
    """
    relations = {pk: ([], [], 0) for pk in ids}
    if not relations:
        return relations
    ids = list(relations)
    themes = Article.themes.through.objects.filter(article_id__in=ids).order_by().values_list(
        "article_id", _text("theme"), "theme__slug", "theme__name", _text(""), _text(""),
        Value(0, output_field=IntegerField()), "theme__sort_order",
    )
    regions = ArticleRegion.objects.filter(article_id__in=ids).order_by().values_list(
        "article_id", _text("region"), "region__code", "region__name", "region__level", "role", "mentions",
        Value(0, output_field=IntegerField()),
    )
    figures = Figure.objects.filter(article_id__in=ids).order_by().values("article_id").annotate(
        n=Count("pk")).values_list(
        "article_id", _text("figures"), _text(""), _text(""), _text(""), _text(""), "n",
        Value(0, output_field=IntegerField()),
    )
    themes_sort, counts = {}, {}
    for article_id, kind, key, name, level, role, number, sort_order in themes.union(regions, figures, all=True):
        article_themes, links, _count = relations[article_id]
        if kind == "theme":
            article_themes.append(SimpleNamespace(slug=key, name=name))
            themes_sort[(article_id, key)] = (sort_order, name)
        elif kind == "region":
            region = SimpleNamespace(code=key, name=name, level=level)
            links.append(SimpleNamespace(region=region, role=role, mentions=number))
        else:
            counts[article_id] = number
    for pk, (article_themes, links, _count) in relations.items():
        article_themes.sort(key=lambda t, pk=pk: themes_sort[(pk, t.slug)])
        relations[pk] = (article_themes, links, counts.get(pk, 0))
    return relations


def attach_brief_relations(articles: list) -> list:
    """Set ``themes_list``, ``region_link_list`` and ``figure_count`` on each article; one query."""
    relations = brief_relations([article.pk for article in articles])
    for article in articles:
        article.themes_list, article.region_link_list, article.figure_count = relations[article.pk]
    return articles


def attach_brief_relations_to_rows(rows: list[dict]) -> list[dict]:
    """The same for ``.values()`` rows of articles (keys ``themes_list`` …; ``id`` must be a column)."""
    relations = brief_relations([row["id"] for row in rows])
    for row in rows:
        row["themes_list"], row["region_link_list"], row["figure_count"] = relations[row["id"]]
    return rows
