"""The data model's rules hold in the database itself, on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Article, ArticleRegion, Figure, Initiative, Source, Theme
from regions.models import Level, Region

pytestmark = pytest.mark.django_db


def rejects(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.fixture
def article(db):
    return Article.objects.create(title="七星街道网格智治", body="辖区内常住人口约15万，有工业企业762家。")


def figure(article, **overrides):
    values = dict(article=article, label="常住人口", value=Decimal("15"), unit="万人", qualifier="约",
                  qualifier_kind="approx", normalized_value=Decimal("150000"), base_unit="人",
                  quote="常住人口约15万", start=3, end=10)
    values.update(overrides)
    return Figure.objects.create(**values)


def test_region_code_is_twelve_digits_and_unique(zhejiang_tree):
    rejects(lambda: Region.objects.create(code="3306", name="绍兴市", level=Level.CITY,
                                          parent=zhejiang_tree["province"], edition="t"))
    rejects(lambda: Region.objects.create(code="330600000000", name="绍兴市", level=Level.CITY,
                                          parent=zhejiang_tree["province"], edition="t"))


def test_region_below_province_needs_a_parent(db):
    rejects(lambda: Region.objects.create(code="330600000000", name="绍兴市", level=Level.CITY, edition="t"))


def test_subtree_is_a_prefix_query(zhejiang_tree, django_assert_num_queries):
    city = zhejiang_tree["city"]
    with django_assert_num_queries(1):
        names = list(Region.objects.subtree(city).values_list("name", flat=True))
    assert names == ["绍兴市", "新昌县", "七星街道", "上礼泉村"]
    assert "绍兴市" not in Region.objects.subtree(city, include_self=False).values_list("name", flat=True)


def test_breadcrumb_from_code_prefixes(zhejiang_tree):
    assert zhejiang_tree["village"].path_name == "浙江省 › 绍兴市 › 新昌县 › 七星街道 › 上礼泉村"


def test_figure_offsets_must_be_ordered(article):
    rejects(lambda: figure(article, start=10, end=3))
    rejects(lambda: figure(article, start=5, end=5))


def test_range_needs_a_maximum_not_below_the_value(article):
    rejects(lambda: figure(article, qualifier_kind="range", value_max=None))
    rejects(lambda: figure(article, value=Decimal("5"), value_max=Decimal("3"), qualifier_kind="range"))
    ok = figure(article, value=Decimal("3"), value_max=Decimal("5"), qualifier_kind="range", unit="个")
    assert ok.value_max == 5


def test_figure_needs_a_quote_and_a_plausible_year(article):
    rejects(lambda: figure(article, quote=""))
    rejects(lambda: figure(article, year=1800))


def test_verified_figure_records_when(article):
    rejects(lambda: figure(article, verified=True, verified_at=None))
    assert figure(article, verified=True, verified_at=timezone.now()).verified


def test_published_article_must_have_been_reviewed(article, django_user_model):
    article.status = Article.Status.PUBLISHED
    rejects(article.save)
    reviewer = django_user_model.objects.create_user("reviewer")
    article.reviewed_by, article.reviewed_at = reviewer, timezone.now()
    article.save()
    assert Article.objects.get(pk=article.pk).status == "published"


def test_rejection_needs_a_reason(article):
    article.status = Article.Status.REJECTED
    rejects(article.save)


def test_article_lines_ordered_and_title_required(db):
    rejects(lambda: Article.objects.create(title="", body="x"))
    rejects(lambda: Article.objects.create(title="t", body="x", line_start=20, line_end=10))


def test_one_link_per_article_and_region(article, zhejiang_tree):
    ArticleRegion.objects.create(article=article, region=zhejiang_tree["town"], role="main")
    rejects(lambda: ArticleRegion.objects.create(article=article, region=zhejiang_tree["town"]))


def test_initiative_names_unique_per_region_even_without_one(zhejiang_tree):
    Initiative.objects.create(name="共富工坊")
    rejects(lambda: Initiative.objects.create(name="共富工坊"))
    Initiative.objects.create(name="一张网格管治理", region=zhejiang_tree["town"])
    rejects(lambda: Initiative.objects.create(name="一张网格管治理", region=zhejiang_tree["town"]))
    # The same name in another place is another initiative.
    assert Initiative.objects.create(name="一张网格管治理", region=zhejiang_tree["county"]).pk


def test_source_sha256_is_hex_and_unique(db):
    Source.objects.create(file_name="a.txt", sha256="a" * 64, encoding="utf-8")
    rejects(lambda: Source.objects.create(file_name="b.txt", sha256="a" * 64, encoding="utf-8"))
    rejects(lambda: Source.objects.create(file_name="c.txt", sha256="not-a-hash", encoding="utf-8"))


def test_themes_are_seeded_with_the_six_common_prosperity_domains(db):
    names = set(Theme.objects.values_list("name", flat=True))
    assert {"缩小地区差距", "缩小城乡差距", "缩小收入差距", "公共服务优质共享", "打造精神文明高地",
            "建设共同富裕现代化基本单元", "基层治理"} <= names


def test_history_records_who_changed_a_figure(article, django_user_model):
    f = figure(article)
    f.value = Decimal("16")
    f.save()
    assert [h.value for h in f.history.order_by("history_date")] == [Decimal("15"), Decimal("16")]
