"""Metrics respect the counted noun, figures carry their period, and existing figures are re-matched."""

import json
import shutil

import pytest
from django.core.management import call_command

from cases.dataset import CHECKSUMS, MANIFEST, sha256_file
from cases.ingest.figures import extract_figures
from cases.ingest.metrics import match_metric
from cases.ingest.periods import period_kind
from cases.models import Figure, Metric

from . import pages_data


@pytest.mark.parametrize(("label", "unit", "slug"), [
    ("网格党支部和党小组", "个", None),      # counts 党支部, not grids
    ("量进驻的“红心”网格驿站", "个", None),  # counts 驿站
    ("社区服务综合体", "个", None),
    ("基础网格", "个", "grids"),
    ("网格", "个", "grids"),
    ("在职党员即刻响应", "人", "party-members"),  # a verb after the noun: still party members
    ("网格员", "人", "grid-workers"),
    ("乌石村游客量", "人次", "tourist-visits"),
    ("营业收入", "元", "operating-revenue"),   # revenue is not output value
    ("去年营收", "元", "operating-revenue"),
    ("总产值", "元", "output-value"),
    ("柯城区实现规上工业产值", "元", "output-value"),
])
def test_the_counted_noun_decides_the_metric(label, unit, slug):
    assert match_metric(label, unit) == slug


@pytest.mark.parametrize(("sentence", "kind"), [
    ("2024年前三季度，全县实现产值120亿元。", "months"),
    ("今年上半年，接待游客30万人次。", "half"),
    ("一季度新增企业50家。", "quarter"),
    ("2019年以来，累计投入资金3亿元。", "cumulative"),
    ("2021—2023年共建成网格120个。", "span"),
    ("力争到2027年建成网格200个。", "target"),
    ("2023年全县生产总值500亿元。", "year"),
    ("全镇划分175个网格。", ""),
])
def test_extracted_figures_carry_their_period(sentence, kind):
    figures = extract_figures(sentence)
    assert figures, sentence
    assert figures[-1].period_kind == kind


def test_period_kind_from_the_quote_alone():
    assert period_kind("前三季度营收超35亿元") == "months"
    assert period_kind("累计服务群众5万人次") == "cumulative"


@pytest.mark.django_db
def test_rematch_fixes_old_matches_and_keeps_editors_choices(zhejiang_tree, django_user_model):
    world = pages_data.build(zhejiang_tree, n_articles=1)
    article = world["articles"][0]
    article.body += "\n2024年前三季度，网格党支部和党小组149个。"
    article.save(update_fields=["body"])
    grids = world["grids"]  # 网格数 (the test data calls it grid-count)
    wrong = pages_data.add_figure(article, "网格党支部和党小组149个", "网格党支部和党小组", 149, "个", normalized=149,
                                  base_unit="个", metric=grids, region=world["town"])
    edited = pages_data.add_figure(article, "网格党支部和党小组149个", "网格党支部和党小组", 149, "个", normalized=149,
                                   base_unit="个", metric=grids, region=world["town"])
    Figure.objects.filter(pk=edited.pk).update(edited_by=django_user_model.objects.create_user("editor"))
    call_command("rematch_figures")
    wrong.refresh_from_db()
    edited.refresh_from_db()
    assert wrong.metric is None and wrong.period_kind == "months"  # read from its sentence in the body
    assert edited.metric == grids  # an editor's figure stands
    assert Metric.objects.get(slug="operating-revenue").name == "营业收入"
    assert "营业收入" not in Metric.objects.get(slug="output-value").labels


@pytest.mark.django_db
def test_a_release_without_period_kind_still_loads_and_gets_periods(tmp_path, settings):
    """Files written before figures had period_kind (the shipped release) load; the kinds are filled in."""
    release = tmp_path / "release"
    shutil.copytree(settings.BASE_DIR / "data" / "release", release)
    rows = json.loads((release / "figures.json").read_text(encoding="utf-8"))
    for row in rows:
        row.pop("period_kind", None)
    (release / "figures.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    manifest = json.loads((release / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["figures.json"]["sha256"] = sha256_file(release / "figures.json")
    (release / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    sums = [f"{sha256_file(release / name)}  {name}" for name in manifest["files"]] + [
        f"{sha256_file(release / MANIFEST)}  {MANIFEST}"]
    (release / CHECKSUMS).write_text("\n".join(sums) + "\n", encoding="ascii")
    call_command("load_cases", corpus=tmp_path / "no-corpus", release=release)
    assert Figure.objects.count() == len(rows)
    assert Figure.objects.filter(period_kind="months").exists()  # the 前三季度 figures
    assert not Figure.objects.filter(metric__slug="grids", label__contains="党支部").exists()
