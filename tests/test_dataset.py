"""Releasing the published dataset as files and loading it back with nothing lost."""

import csv
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from cases.dataset import CHECKSUMS, MANIFEST, TABLES, import_dataset, sha256_file
from cases.models import Article, ArticleRegion, Figure, Initiative, Metric, Publication, Source, Theme
from regions.models import AliasKind, Region, RegionAlias

BODY = "七星街道常住人口约15万，现有工业企业762家，划分网格175个、微网格827个。"


@pytest.fixture
def published_cases(zhejiang_tree):
    """Two published articles (figures, initiative, regions, themes) and one draft that must stay private."""
    editor = User.objects.create(username="wang.reviewer")
    reviewed = datetime(2024, 6, 1, 8, 30, tzinfo=UTC)
    RegionAlias.objects.create(region=zhejiang_tree["town"], name="七星", kind=AliasKind.SHORT)
    source = Source.objects.create(publication=Publication.objects.get_or_create(name="今日浙江")[0],
                                   file_name="002.txt", sha256="a" * 64, encoding="utf-8", size_bytes=9000,
                                   line_count=800, issue_label="2024年第24期", published_on=date(2024, 12, 16))
    metric, _ = Metric.objects.get_or_create(name="常住人口", defaults=dict(
        slug="resident-population", quantity="population", base_unit="人", labels=["常住人口"]))
    theme = Theme.objects.first() or Theme.objects.create(name="基层治理", slug="grassroots-governance")
    grid = Article.objects.create(
        source=source, position=1, line_start=1, line_end=417, title="党建引领网格智治", authors=["张三"],
        kind="case", published_on=date(2024, 12, 16), body=BODY, summary="七星街道的网格治理。",
        status="published", reviewed_by=editor, reviewed_at=reviewed, review_note="内部意见", version=3)
    other = Article.objects.create(source=source, position=2, title="城南乡共同富裕", body="城南乡……",
                                   status="published", reviewed_by=editor, reviewed_at=reviewed)
    draft = Article.objects.create(source=source, position=3, title="未审核的草稿", body="草稿正文")
    grid.themes.add(theme)
    ArticleRegion.objects.create(article=grid, region=zhejiang_tree["town"], role="main", mentions=4)
    ArticleRegion.objects.create(article=other, region=zhejiang_tree["village"], role="mentioned")
    ArticleRegion.objects.create(article=draft, region=zhejiang_tree["county"], role="main")
    initiative = Initiative.objects.create(name="一张网格管治理", aliases=["党建+网格", "1+3+N"],
                                           region=zhejiang_tree["town"])
    initiative.articles.add(grid, draft)
    initiative.themes.add(theme)
    Initiative.objects.create(name="只在草稿里的做法").articles.add(draft)
    Figure.objects.create(article=grid, region=zhejiang_tree["town"], initiative=initiative, metric=metric,
                          label="常住人口", value=Decimal("15"), unit="万人", qualifier="约", qualifier_kind="approx",
                          normalized_value=Decimal("150000"), base_unit="人", quote="常住人口约15万",
                          start=4, end=12, verified=True, verified_by=editor, verified_at=reviewed)
    Figure.objects.create(article=grid, label="网格", value=Decimal("175"), unit="个", quote="划分网格175个",
                          start=27, end=35, year=2023)
    Figure.objects.create(article=grid, label="增长", value=Decimal("3.5"), value_max=Decimal("5.25"), unit="%",
                          qualifier_kind="range", quote="3.5%至5.25%", start=40, end=49, is_target=True)
    Figure.objects.create(article=draft, label="草稿数字", value=1, quote="草稿", start=0, end=2)
    return {"grid": grid, "other": other, "draft": draft}


def read_release(path: Path) -> dict[str, str]:
    """Every data file's bytes (the manifest differs only by its creation time)."""
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.name not in {MANIFEST, CHECKSUMS}}


def wipe_cases_and_regions():
    Figure.objects.all().delete()
    Initiative.objects.all().delete()
    ArticleRegion.objects.all().delete()
    Article.objects.all().delete()
    Source.objects.all().delete()
    Publication.objects.all().delete()
    Metric.objects.all().delete()
    Theme.objects.filter(parent__isnull=False).delete()
    Theme.objects.all().delete()
    RegionAlias.objects.all().delete()
    for level in ["village", "town", "county", "city", "province"]:
        Region.objects.filter(level=level).delete()


@pytest.mark.django_db
def test_round_trip_restores_every_row(published_cases, tmp_path):
    call_command("export_dataset", tmp_path / "a", "--dataset-version", "2024.12")
    wipe_cases_and_regions()
    call_command("import_dataset", tmp_path / "a")
    call_command("export_dataset", tmp_path / "b", "--dataset-version", "2024.12")
    first, second = read_release(tmp_path / "a"), read_release(tmp_path / "b")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs after the round trip"
    # The restored records are the same ones, with the same ids and values.
    grid = Article.objects.get(pk=published_cases["grid"].pk)
    assert grid.title == "党建引领网格智治" and grid.version == 3 and grid.status == "published"
    assert grid.reviewed_by.username == "release" and not grid.reviewed_by.has_usable_password()
    population = grid.figures.get(label="常住人口")
    assert population.normalized_value == Decimal("150000") and population.region.name == "七星街道"
    assert population.initiative.aliases == ["党建+网格", "1+3+N"]
    assert Region.objects.get(code="330624003000").parent.code == "330624000000"
    assert Region.objects.count() == 5  # the regions used and all their ancestors


@pytest.mark.django_db
def test_release_holds_published_facts_only(published_cases, tmp_path):
    manifest = call_export(tmp_path)
    everything = "".join(p.read_text(encoding="utf-8-sig") for p in tmp_path.iterdir())
    assert "未审核的草稿" not in everything and "草稿数字" not in everything and "只在草稿里的做法" not in everything
    assert BODY not in everything and "内部意见" not in everything and "wang.reviewer" not in everything
    assert "常住人口约15万" in everything  # quotes are kept
    assert manifest["tables"]["articles"]["rows"] == 2 and manifest["tables"]["figures"]["rows"] == 3
    assert manifest["tables"]["initiatives"]["rows"] == 1
    # The draft-only county link is not released, but the county is there as an ancestor.
    links = json.loads((tmp_path / "article_regions.json").read_text(encoding="utf-8"))
    assert {link["region"] for link in links} == {"330624003000", "330624003222"}


def call_export(path: Path) -> dict:
    call_command("export_dataset", path, "--dataset-version", "2024.12")
    return json.loads((path / MANIFEST).read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_release_is_versioned_checksummed_and_described(published_cases, tmp_path):
    manifest = call_export(tmp_path)
    assert manifest["dataset_version"] == "2024.12" and manifest["schema_version"] == "1.0"
    for name, meta in manifest["files"].items():
        assert sha256_file(tmp_path / name) == meta["sha256"]
    sums = (tmp_path / CHECKSUMS).read_text().splitlines()
    assert any(line.endswith(f"  {MANIFEST}") for line in sums)
    # CSV and JSON carry the same rows; CSV opens in a spreadsheet (BOM) and keeps decimals exact.
    figures_json = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    with open(tmp_path / "figures.csv", encoding="utf-8-sig", newline="") as f:
        figures_csv = list(csv.DictReader(f))
    assert [r["quote"] for r in figures_csv] == [r["quote"] for r in figures_json]
    assert figures_json[2]["value_max"] == "5.25" and figures_csv[0]["normalized_value"] == "150000"
    assert figures_csv[1]["region"] == "" and figures_json[1]["region"] is None
    assert (tmp_path / "figures.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # The codebook comes from the models' help texts and choices.
    codebook = json.loads((tmp_path / "codebook.json").read_text(encoding="utf-8"))
    figure_columns = {c["name"]: c for c in next(t for t in codebook["tables"] if t["name"] == "figures")["columns"]}
    assert figure_columns["normalized_value"]["description"] == str(Figure._meta.get_field("normalized_value").help_text)
    assert figure_columns["qualifier_kind"]["choices"]["approx"] == "约数"
    assert figure_columns["region"]["references"] == "regions.code"
    assert {t["name"] for t in codebook["tables"]} == {t.name for t in TABLES}
    assert "normalized_value" in (tmp_path / "CODEBOOK.md").read_text(encoding="utf-8")


def test_release_is_a_frictionless_data_package_that_validates(published_cases, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    manifest = call_export(tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == manifest["dataset_version"] and package["licenses"][0]["name"] == "CC-BY-4.0"
    assert [r["path"] for r in package["resources"]] == [f"{t.name}.csv" for t in TABLES]
    figures = next(r for r in package["resources"] if r["name"] == "figures")
    assert {"fields": "article", "reference": {"resource": "articles", "fields": "id"}} in figures["schema"]["foreignKeys"]
    fields = {f["name"]: f for f in figures["schema"]["fields"]}
    assert fields["normalized_value"]["type"] == "number" and fields["page"]["type"] == "integer"
    assert "approx" in fields["qualifier_kind"]["constraints"]["enum"]
    assert "datapackage.json" in manifest["files"]
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_the_shipped_release_validates_as_a_data_package():
    frictionless = pytest.importorskip("frictionless")
    shipped = Path(__file__).resolve().parent.parent / "data" / "release" / "datapackage.json"
    report = frictionless.validate(str(shipped))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


@pytest.mark.django_db
def test_a_damaged_release_is_refused_before_anything_is_written(published_cases, tmp_path):
    call_export(tmp_path)
    wipe_cases_and_regions()
    figures = tmp_path / "figures.json"
    figures.write_text(figures.read_text(encoding="utf-8").replace("150000", "160000"), encoding="utf-8")
    with pytest.raises(CommandError, match="校验和不符：figures.json"):
        call_command("import_dataset", tmp_path)
    assert not Region.objects.exists() and not Article.objects.exists()


@pytest.mark.django_db
def test_an_import_that_fails_half_way_writes_nothing(published_cases, tmp_path):
    call_export(tmp_path)
    wipe_cases_and_regions()
    # A consistent-looking release (checksums regenerated) whose last table points at a missing article.
    figures = tmp_path / "figures.json"
    rows = json.loads(figures.read_text(encoding="utf-8"))
    rows[-1]["article"] = 999999
    figures.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["figures.json"]["sha256"] = sha256_file(figures)
    (tmp_path / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (tmp_path / CHECKSUMS).write_text("".join(
        f"{sha256_file(p)}  {p.name}\n" for p in sorted(tmp_path.iterdir()) if p.name != CHECKSUMS))
    with pytest.raises(CommandError, match="指向不存在的 articles"):
        call_command("import_dataset", tmp_path)
    assert not Region.objects.exists() and not Article.objects.exists() and not Theme.objects.exists()


@pytest.mark.django_db
def test_import_refuses_a_database_with_cases_and_merges_only_when_told(published_cases, tmp_path):
    call_export(tmp_path)
    grid = published_cases["grid"]
    grid.title = "编辑改过的标题"
    grid.save()
    counts = {m: m.objects.count() for m in (Article, Figure, Initiative, Region)}
    with pytest.raises(CommandError, match="已有案例数据"):
        call_command("import_dataset", tmp_path)
    # Merging finds every released row already there by its natural key (an article by its place in
    # its source, so the editor's new title is recognised and left untouched): nothing is added.
    merged = import_dataset(tmp_path, allow_non_empty=True)
    grid.refresh_from_db()
    assert grid.title == "编辑改过的标题"
    assert {m: m.objects.count() for m in counts} == counts
    assert merged["figures"] == merged["articles"] == 0
    again = import_dataset(tmp_path, allow_non_empty=True)
    assert set(again.values()) == {0}  # re-running changes nothing


@pytest.mark.django_db
def test_export_refuses_to_mix_into_a_folder_with_other_files(published_cases, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("export_dataset", tmp_path)


def test_import_of_a_folder_that_is_not_a_release_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="不是数据集发布目录"):
        call_command("import_dataset", tmp_path)


@pytest.mark.django_db
def test_load_cases_loads_the_shipped_release_when_there_is_no_corpus(published_cases, tmp_path, capsys):
    call_export(tmp_path / "release")
    wipe_cases_and_regions()
    call_command("load_cases", "--corpus", tmp_path / "no-corpus", "--release", tmp_path / "release")
    assert "已载入随项目发布的数据集" in capsys.readouterr().out
    assert Article.objects.filter(status="published").count() == 2
    call_command("load_cases", "--corpus", tmp_path / "no-corpus", "--release", tmp_path / "release")
    assert "已有案例" in capsys.readouterr().out and Article.objects.count() == 2
