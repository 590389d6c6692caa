"""Test data for the public pages: a few regions, published and draft case studies, figures.

The texts are short sentences written for the tests (not corpus text); each figure's quote
and offsets are computed from the body so they always agree.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import Article, ArticleRegion, Figure, Initiative, Metric, Publication, Source, Theme
from regions.models import Level, Region


def add_regions(tree):
    """Next to 新昌县 › 七星街道 (from ``zhejiang_tree``): 嵊州市 › 甘霖镇 and 杭州市 › 西湖区."""

    def make(code, name, level, parent):
        return Region.objects.create(code=code, name=name, level=level, parent=parent, edition="test")

    shengzhou = make("330683000000", "嵊州市", Level.COUNTY, tree["city"])
    ganlin = make("330683104000", "甘霖镇", Level.TOWN, shengzhou)
    hangzhou = make("330100000000", "杭州市", Level.CITY, tree["province"])
    xihu = make("330106000000", "西湖区", Level.COUNTY, hangzhou)
    return {**tree, "shengzhou": shengzhou, "ganlin": ganlin, "hangzhou": hangzhou, "xihu": xihu}


def add_figure(article, quote, label, value, unit, *, normalized, base_unit, metric=None, region=None,
               year=None, qualifier="", qualifier_kind="exact", initiative=None, is_target=False):
    start = article.body.index(quote)
    return Figure.objects.create(
        article=article, quote=quote, start=start, end=start + len(quote), label=label,
        value=Decimal(str(value)), unit=unit, qualifier=qualifier, qualifier_kind=qualifier_kind,
        normalized_value=Decimal(str(normalized)), base_unit=base_unit, metric=metric, region=region,
        year=year, initiative=initiative, is_target=is_target,
    )


def build(tree, n_articles=2):
    """``n_articles`` published case studies spread over three towns/counties, plus one draft.

    Returns a dict with the regions, the articles, metrics, initiatives and the draft.
    """
    places = add_regions(tree)
    reviewer = get_user_model().objects.create_user("reviewer", password=None, is_staff=True)
    now = timezone.now()
    # get_or_create: the seeded rows are gone after a transactional (live server) test flushes
    magazine, _ = Publication.objects.get_or_create(name="今日浙江")
    newspaper, _ = Publication.objects.get_or_create(name="浙江日报", defaults={"kind": Publication.Kind.NEWSPAPER})
    sources = [
        Source.objects.create(publication=magazine, file_name="jrzj-2024-01.txt", sha256="a" * 64,
                              encoding="utf-8", issue_label="2024年第1期"),
        Source.objects.create(publication=newspaper, file_name="zjrb-2023-06-01.txt", sha256="b" * 64,
                              encoding="gb18030", issue_label="2023年6月1日"),
    ]
    # update_or_create: the migrations seed canonical metrics with these names (cases/ingest/metrics.py).
    grids = Metric.objects.update_or_create(name="网格数", defaults=dict(
        slug="grid-count", quantity=Metric.Quantity.COUNT, base_unit="个"))[0]
    population = Metric.objects.update_or_create(name="常住人口", defaults=dict(
        slug="resident-population", quantity=Metric.Quantity.POPULATION, base_unit="人"))[0]
    grid_governance, _ = Theme.objects.get_or_create(slug="grid-governance", defaults={"name": "网格化治理"})
    income, _ = Theme.objects.get_or_create(slug="income-gap", defaults={"name": "缩小收入差距"})
    wangge = Initiative.objects.create(name="网格智治", region=places["town"])
    gongfang = Initiative.objects.create(name="共富工坊", region=places["shengzhou"])
    spots = [places["town"], places["ganlin"], places["xihu"]]

    articles = []
    for i in range(n_articles):
        place = spots[i % len(spots)]
        grid_count = 100 + 25 * i
        people = 5 + i
        year = 2022 + (i // len(spots)) % 3
        body = (
            f"{place.name}推进网格智治。\n"
            f"{year}年，全域划分{grid_count}个网格，常住人口约{people}万人。\n"
            f"第{i + 1}篇：共富工坊带动村民就近就业。"
        )
        article = Article.objects.create(
            source=sources[i % 2], position=i + 1, title=f"{place.name}的网格智治（{i + 1}）", body=body,
            kind=Article.Kind.CASE if i % 2 == 0 else Article.Kind.FEATURE,
            published_on=f"{year}-06-01", status=Article.Status.PUBLISHED, reviewed_by=reviewer, reviewed_at=now,
        )
        ArticleRegion.objects.create(article=article, region=place, role=ArticleRegion.Role.MAIN)
        if place != places["xihu"]:
            ArticleRegion.objects.create(article=article, region=places["county"], role=ArticleRegion.Role.MENTIONED)
        article.themes.add(grid_governance)
        wangge.articles.add(article)
        if i % 2:
            article.themes.add(income)
            gongfang.articles.add(article)
        add_figure(article, f"全域划分{grid_count}个网格", "网格", grid_count, "个", normalized=grid_count,
                   base_unit="个", metric=grids, region=place, year=year, initiative=wangge)
        add_figure(article, f"常住人口约{people}万人", "常住人口", people, "万人", normalized=people * 10000,
                   base_unit="人", metric=population, region=place, year=year, qualifier="约",
                   qualifier_kind="approx")
        articles.append(article)

    draft = Article.objects.create(
        source=sources[0], position=99, title="未审核的草稿文章", body="草稿里写着全域划分999个网格。",
        kind=Article.Kind.CASE, published_on="2024-01-01",
    )
    ArticleRegion.objects.create(article=draft, region=places["town"], role=ArticleRegion.Role.MAIN)
    add_figure(draft, "全域划分999个网格", "网格", 999, "个", normalized=999, base_unit="个", metric=grids,
               region=places["town"], year=2024)
    secret = Initiative.objects.create(name="只在草稿里的做法")
    secret.articles.add(draft)
    return {
        **places, "articles": articles, "draft": draft, "grids": grids, "population": population,
        "wangge": wangge, "gongfang": gongfang, "secret_initiative": secret, "reviewer": reviewer,
    }
