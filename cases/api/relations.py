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


def attach_brief_relations(articles: list) -> list:
    """Set ``themes_list``, ``region_link_list`` and ``figure_count`` on each article; one query."""
    by_id = {article.pk: article for article in articles}
    for article in articles:
        article.themes_list, article.region_link_list, article.figure_count = [], [], 0
    if not by_id:
        return articles
    ids = list(by_id)
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
    themes_sort = {}
    for article_id, kind, key, name, level, role, number, sort_order in themes.union(regions, figures, all=True):
        article = by_id[article_id]
        if kind == "theme":
            article.themes_list.append(SimpleNamespace(slug=key, name=name))
            themes_sort[(article_id, key)] = (sort_order, name)
        elif kind == "region":
            region = SimpleNamespace(code=key, name=name, level=level)
            article.region_link_list.append(SimpleNamespace(region=region, role=role, mentions=number))
        else:
            article.figure_count = number
    for article in articles:  # the order prefetch_related would give (Theme.Meta.ordering)
        article.themes_list.sort(key=lambda t, pk=article.pk: themes_sort[(pk, t.slug)])
    return articles
