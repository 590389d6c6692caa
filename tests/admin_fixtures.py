"""Fixtures for the admin tests: editors, reviewers, cities and a draft with figures.

The article text is written for the tests (no corpus text): a clause per figure.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.models import Article, ArticleRegion, Figure, Initiative, Metric, Publication, Source
from cases.roles import EDITOR_GROUP, REVIEWER_GROUP, ensure_groups
from regions.models import Level, Region

PASSWORD = "pw-for-tests-only-7Q"  # noqa: S105 - test accounts in a throwaway database

BODY = (
    "新昌县七星街道推行“网格智治”，全街道划分175个网格，常住人口约15万。\n"
    "2023年，当地农村居民人均可支配收入40311元，比上年增长7.5%。\n"
    "七星街道还建成共富工坊12家，带动就业超过800人。"
)


def make_user(username, group_name=None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=True, **extra)
    if group_name:
        ensure_groups()
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return make_user("editor1", EDITOR_GROUP)


@pytest.fixture
def editor2(db):
    return make_user("editor2", EDITOR_GROUP)


@pytest.fixture
def reviewer(db):
    return make_user("reviewer1", REVIEWER_GROUP)


@pytest.fixture
def cities(zhejiang_tree):
    """Two cities with counties: 绍兴市 › 新昌县 (fixture tree), 杭州市 › 上城区, 西湖区."""
    zj = zhejiang_tree["province"]
    hz = Region.objects.create(code="330100000000", name="杭州市", short_name="杭州", level=Level.CITY,
                               parent=zj, edition="test")
    sc = Region.objects.create(code="330102000000", name="上城区", short_name="上城", level=Level.COUNTY,
                               parent=hz, edition="test")
    xh = Region.objects.create(code="330106000000", name="西湖区", short_name="西湖", level=Level.COUNTY,
                               parent=hz, edition="test")
    _forget_places()  # the place recogniser must see this tree, not an earlier test's regions
    yield {**zhejiang_tree, "hangzhou": hz, "shangcheng": sc, "xihu": xh}
    _forget_places()


def _forget_places():
    try:
        from regions.recognizer import reset_gazetteer
    except ImportError:  # the gazetteer branch is not merged
        return
    reset_gazetteer()


def quote_span(body, quote):
    start = body.index(quote)
    return start, start + len(quote)


def add_figure(article, quote, label, value, unit="", **extra):
    start, end = quote_span(article.body, quote)
    try:
        from cases.ingest.units import normalize
    except ImportError:  # the figures branch is not merged
        pass
    else:
        normalized, base_unit = normalize(Decimal(value), unit)
        extra = {"normalized_value": normalized, "base_unit": base_unit, **extra}
    return Figure.objects.create(article=article, quote=quote, start=start, end=end, label=label,
                                 value=Decimal(value), unit=unit, **extra)


def make_article(title="七星街道网格智治", body=BODY, region=None, **extra):
    publication = Publication.objects.get_or_create(name="今日浙江")[0]
    source = Source.objects.get_or_create(
        sha256="a" * 64, defaults={"publication": publication, "file_name": "test.txt", "encoding": "utf-8"}
    )[0]
    article = Article.objects.create(title=title, body=body, source=source, **extra)
    if region is not None:
        ArticleRegion.objects.create(article=article, region=region, role=ArticleRegion.Role.MAIN)
    return article


@pytest.fixture
def draft(cities):
    """A machine draft about 七星街道 with three figures and one initiative."""
    article = make_article(region=cities["town"], authors=["张三", "李四"])
    add_figure(article, "划分175个网格", "网格", "175", "个")
    add_figure(article, "常住人口约15万", "常住人口", "15", "万", qualifier="约", qualifier_kind="approx")
    add_figure(article, "人均可支配收入40311元", "农村居民人均可支配收入", "40311", "元", year=2023)
    initiative = Initiative.objects.create(name="网格智治")
    initiative.articles.add(article)
    Metric.objects.get_or_create(slug="resident-population",
                                 defaults={"name": "常住人口", "base_unit": "人", "quantity": "population"})
    return article


def _field_data(form, prefix_name, name, field, data):
    value = form[name].value()
    key = form.add_prefix(name) if prefix_name else name
    if field.show_hidden_initial:  # fields with callable defaults (authors=list) send their initial too
        data[form.add_initial_prefix(name)] = "" if value is None else str(value)
    if isinstance(value, bool):
        if value:
            data[key] = "on"
        return
    if isinstance(value, list | tuple):
        data[key] = [str(v) for v in value]
        return
    data[key] = "" if value is None else str(value)


def change_form_data(response):
    """The POST data a browser would send for an admin change page, unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        _field_data(form, False, name, field, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = str(value)
        for inline_form in formset.forms:
            for name, field in inline_form.fields.items():
                _field_data(inline_form, True, name, field, data)
    return data


def figure_row(data, figure_id):
    """The form prefix ('figures-N') of the figure with this id in change_form_data."""
    for key, value in data.items():
        if key.startswith("figures-") and key.endswith("-id") and value == str(figure_id):
            return key[: -len("-id")]
    raise KeyError(figure_id)
