"""API test fixtures: a small published/draft world, users with explicit permissions, tokens."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.models import Article, ArticleRegion, Figure, Initiative, Metric, Publication, Source, Theme
from regions.models import AliasKind, Level, Region, RegionAlias


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counters live in the cache; each test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def make_user(username, *perms, staff=False):
    user = User.objects.create_user(username, password=None, is_staff=staff)
    for perm in perms:
        app, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def users(db):
    """The permission matrix: editor (编辑) writes, reviewer (审核) reads and changes, staff sees all."""
    editor_perms = [f"cases.{a}_{m}" for a in ("add", "change", "view") for m in ("article", "figure", "initiative")]
    editor_perms += ["regions.add_regionalias", "regions.change_regionalias", "regions.view_regionalias"]
    return {
        "editor": make_user("editor", *editor_perms),
        "reviewer": make_user("reviewer", "cases.change_article", "cases.view_article", "cases.view_figure"),
        "staff": make_user("staff", *editor_perms, "cases.delete_article", "cases.delete_figure",
                           "cases.delete_initiative", "regions.delete_regionalias", staff=True),
        "nobody": make_user("nobody"),
    }


def add_region(code, name, short, level, parent):
    return Region.objects.create(code=code, name=name, short_name=short, level=level, parent=parent, edition="test")


@pytest.fixture
def world(zhejiang_tree, db):
    """Two published articles (绍兴 and 杭州), a draft and a rejected one, with figures on each."""
    t = zhejiang_tree
    hz = add_region("330100000000", "杭州市", "杭州", Level.CITY, t["province"])
    sc = add_region("330102000000", "上城区", "上城", Level.COUNTY, hz)
    RegionAlias.objects.create(region=sc, name="江干区", kind=AliasKind.FORMER, valid_until=2021)
    reviewer = User.objects.create_user("chief-reviewer")
    now = timezone.now()
    pub = Publication.objects.get_or_create(name="今日浙江")[0]
    source = Source.objects.create(publication=pub, file_name="2024-24.txt", sha256="a" * 64, encoding="utf-8",
                                   issue_label="2024年第24期", published_on=datetime.date(2024, 12, 20))
    # The migrations seed canonical metrics (cases/ingest/metrics.py); this world has its own small
    # vocabulary so that lists can be asserted exactly.
    Metric.objects.all().delete()
    grid = Metric.objects.update_or_create(name="网格数", defaults=dict(
        slug="grid-count", quantity="count", base_unit="个", labels=["网格"]))[0]
    people = Metric.objects.update_or_create(name="常住人口", defaults=dict(
        slug="resident-population", quantity="population", base_unit="人", labels=["常住人口"]))[0]
    governance = Theme.objects.get_or_create(slug="grassroots-governance", defaults={"name": "基层治理"})[0]
    culture = Theme.objects.get_or_create(slug="test-culture", defaults={"name": "测试文化"})[0]

    def article(title, body, status, date, region, role="main", **extra):
        a = Article.objects.create(
            title=title, body=body, status=status, published_on=date, source=source, position=Article.objects.count() + 1,
            reviewed_by=reviewer if status == "published" else None,
            reviewed_at=now if status == "published" else None,
            review_note="证据不足" if status == "rejected" else "", **extra,
        )
        ArticleRegion.objects.create(article=a, region=region, role=role)
        return a

    body_xc = "新昌县七星街道推行网格智治，全街道划分175个网格，常住人口约15万。"
    xinchang = article("七星街道的网格智治", body_xc, "published", datetime.date(2024, 6, 1), t["town"],
                       kind="case", summary="网格智治的做法")
    xinchang.themes.add(governance)
    ArticleRegion.objects.create(article=xinchang, region=hz, role="mentioned")
    body_hz = "上城区建设未来社区，共建成32个未来社区。"
    shangcheng = article("上城区的未来社区", body_hz, "published", datetime.date(2022, 3, 1), sc, kind="feature")
    shangcheng.themes.add(culture)
    draft = article("草稿：秘密的做法", "草稿正文，网格 12个。", "draft", datetime.date(2024, 1, 1), t["town"])
    rejected = article("退回的文章", "退回正文，网格 8个。", "rejected", datetime.date(2023, 1, 1), t["county"])

    grid_initiative = Initiative.objects.create(name="网格智治", region=t["county"])
    grid_initiative.articles.add(xinchang)
    grid_initiative.themes.add(governance)
    secret_initiative = Initiative.objects.create(name="秘密做法")
    secret_initiative.articles.add(draft)

    def figure(a, label, value, unit, normalized, metric, region, quote, year=None, **extra):
        start = a.body.index(quote)
        return Figure.objects.create(
            article=a, label=label, value=Decimal(value), unit=unit, normalized_value=Decimal(normalized),
            base_unit=metric.base_unit, metric=metric, region=region, quote=quote, start=start,
            end=start + len(quote), year=year, **extra,
        )

    figs = {
        "grid": figure(xinchang, "网格", "175", "个", "175", grid, t["town"], "175个网格", year=2024,
                       verified=True, verified_at=now),
        "people": figure(xinchang, "常住人口", "15", "万", "150000", people, t["town"], "常住人口约15万",
                         year=2023, qualifier="约", qualifier_kind="approx"),
        "hz_grid": figure(shangcheng, "未来社区", "32", "个", "32", grid, sc, "32个未来社区", year=2022, is_target=True),
        "draft_grid": figure(draft, "网格", "12", "个", "12", grid, t["town"], "网格 12个", year=2024),
        "rejected_grid": figure(rejected, "网格", "8", "个", "8", grid, t["county"], "网格 8个", year=2023),
    }
    return {
        **t, "hangzhou": hz, "shangcheng": sc, "publication": pub, "source": source, "grid": grid, "people": people,
        "governance": governance, "culture": culture, "xinchang": xinchang, "shangcheng_article": shangcheng,
        "draft": draft, "rejected": rejected, "initiative": grid_initiative, "secret_initiative": secret_initiative,
        "figures": figs,
    }
