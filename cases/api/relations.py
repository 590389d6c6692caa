"""An article page's brief relations — themes, regions with roles, figure counts — in one query.

``prefetch_related`` would take two queries and build a model instance per
theme, link and region; a list endpoint shows only a few attributes of each,
so one UNION ALL of plain rows is enough. The rows are attached as
lightweight objects under the names the serializers read
(``themes_list``, ``region_link_list``, ``figure_count``).
"""

from functools import lru_cache
from types import SimpleNamespace

from django.db import connections, router

from cases.models import Article, ArticleRegion, Figure, Theme
from regions.models import Region


@lru_cache(maxsize=4)
def _relations_sql(alias: str) -> str:
    """One UNION ALL over themes, region links and figure counts; ``{ids}`` is the id list's placeholders.

    Written as SQL rather than three ORM querysets: compiling their union cost more than
    running it (a few ms per page, for 50 articles' 250 rows).
    """
    quote = connections[alias].ops.quote_name
    through, theme = Article.themes.through._meta, Theme._meta
    article_themes = quote(through.db_table)
    theme_id = quote(through.get_field("theme").column)
    return (
        f"SELECT t.article_id, 'theme', th.slug, th.name, '', '', 0, th.sort_order "
        f"FROM {article_themes} t JOIN {quote(theme.db_table)} th ON th.id = t.{theme_id} "
        f"WHERE t.article_id IN ({{ids}}) "
        f"UNION ALL SELECT l.article_id, 'region', r.code, r.name, r.level, l.role, l.mentions, 0 "
        f"FROM {quote(ArticleRegion._meta.db_table)} l JOIN {quote(Region._meta.db_table)} r ON r.id = l.region_id "
        f"WHERE l.article_id IN ({{ids}}) "
        f"UNION ALL SELECT f.article_id, 'figures', '', '', '', '', COUNT(*), 0 "
        f"FROM {quote(Figure._meta.db_table)} f WHERE f.article_id IN ({{ids}}) GROUP BY f.article_id"
    )


def brief_relations(ids: list[int]) -> dict[int, tuple[list, list, int]]:
    """``{article id: (themes, region links, figure count)}`` for ``ids``, in one query.

    Themes are ``(slug, name)`` objects in Theme.Meta.ordering (as prefetch_related gives them),
    links ``(region, role, mentions)`` with ``region`` a ``(code, name, level)`` object.
    """
    themes = {pk: [] for pk in ids}
    links = {pk: [] for pk in themes}
    counts = dict.fromkeys(themes, 0)
    if not themes:
        return {}
    ids = list(themes)
    alias = router.db_for_read(Article)  # a replica, when one is configured, as for the ORM
    with connections[alias].cursor() as cursor:
        cursor.execute(_relations_sql(alias).format(ids=", ".join(["%s"] * len(ids))), ids * 3)
        rows = cursor.fetchall()
    themes_sort = {}
    for article_id, kind, key, name, level, role, number, sort_order in rows:
        if kind == "theme":
            themes[article_id].append(SimpleNamespace(slug=key, name=name))
            themes_sort[(article_id, key)] = (sort_order, name)
        elif kind == "region":
            region = SimpleNamespace(code=key, name=name, level=level)
            links[article_id].append(SimpleNamespace(region=region, role=role, mentions=number))
        else:
            counts[article_id] = number
    for pk, article_themes in themes.items():  # the order prefetch_related gives (Theme.Meta.ordering)
        article_themes.sort(key=lambda t, pk=pk: themes_sort[(pk, t.slug)])
    return {pk: (themes[pk], links[pk], counts[pk]) for pk in ids}


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
