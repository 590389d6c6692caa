"""The shipped release is built by our pipeline, checked, and holds no passages of the articles."""

import json

import pytest
from django.contrib.auth.models import User

from cases.models import Article, ArticleRegion, Figure, Initiative
from cases.release import COPY_WINDOW, CopyIndex, check_and_publish, figure_passes, scan_release

BODY = ("七星街道常住人口约15万，现有工业企业762家、商贸业11477家，划分网格175个、微网格827个。"
        "街道以党建引领网格智治，把每一户居民都纳入网格服务之中，做到小事不出网格、大事不出街道、难事不出县域，"
        "基层治理的效能因此有了明显的提升。")


def test_copy_index_finds_runs_of_the_text_whatever_the_whitespace():
    index = CopyIndex([BODY])
    assert index.copies("摘要：" + BODY[10:10 + COPY_WINDOW].replace("，", "，\n "))
    assert not index.copies(BODY[:COPY_WINDOW - 1])  # a short quote is fine
    assert not index.copies("完全不同的一段文字" * 10)


def test_a_figure_passes_only_with_its_short_quote_at_its_offsets():
    good = Figure(quote="常住人口约15万", start=4, end=12)
    assert figure_passes(good, BODY)
    assert not figure_passes(Figure(quote="常住人口约15万", start=5, end=13), BODY)
    assert not figure_passes(Figure(quote="常住人口约15万", start=4, end=9999), BODY)
    assert not figure_passes(Figure(quote=BODY[:70], start=0, end=70), BODY)


@pytest.mark.django_db
def test_check_and_publish_drops_bad_figures_clears_copied_text_and_publishes_through_the_workflow(
        zhejiang_tree, tmp_path):
    good = Article.objects.create(title="党建引领网格智治", body=BODY, summary=BODY[:80])
    Figure.objects.create(article=good, label="常住人口", value=15, unit="万人", quote="常住人口约15万", start=4, end=12)
    Figure.objects.create(article=good, label="网格", value=175, quote="划分网格175个", start=0, end=8)  # wrong place
    initiative = Initiative.objects.create(name="一张网格管治理", description=BODY[40:140])
    initiative.articles.add(good)
    by_region = Article.objects.create(title="城南乡", body="城南乡的做法。")
    ArticleRegion.objects.create(article=by_region, region=zhejiang_tree["town"], role="main")
    empty = Article.objects.create(title="目录", body="目录页")

    stats = check_and_publish(say=lambda message: None)

    assert stats["published"] == 2 and stats["figures_dropped"] == 1 and stats["figures_kept"] == 1
    good.refresh_from_db()
    assert good.status == "published" and good.reviewed_by.username == "release-check"
    assert not good.reviewed_by.has_usable_password()
    assert good.summary == "" and good.figures.get().label == "常住人口"
    assert "自动核对" in good.history.first().history_change_reason
    assert Initiative.objects.get().description == ""
    assert Article.objects.get(pk=by_region.pk).status == "published"
    assert Article.objects.get(pk=empty.pk).status == "draft"

    from django.core.management import call_command

    call_command("export_dataset", tmp_path)
    assert scan_release(tmp_path, CopyIndex([BODY])) == []
    assert "常住人口约15万" in (tmp_path / "figures.json").read_text(encoding="utf-8")
    assert not User.objects.get(username="release-check").is_staff


@pytest.mark.django_db
def test_scan_release_flags_a_copied_passage(zhejiang_tree, tmp_path):
    from django.core.management import call_command

    reviewer = User.objects.create(username="r")
    Article.objects.create(title="x", body=BODY, summary=BODY[:90], status="published", reviewed_by=reviewer,
                           reviewed_at="2024-01-01T00:00Z")
    call_command("export_dataset", tmp_path)
    found = scan_release(tmp_path, CopyIndex([BODY]))
    assert len(found) == 1 and found[0].startswith("articles.summary")
    assert json.loads((tmp_path / "articles.json").read_text(encoding="utf-8"))[0]["summary"] == BODY[:90]
