"""load_regions: the real NBS 2023 gazetteer, loaded in bulk, idempotent, editors' work kept."""

import pytest
from django.core.management import call_command

from regions.loader import load_regions
from regions.models import AliasKind, Level, Region, RegionAlias

ZHEJIANG = "330000000000"


def zhejiang(level):
    return Region.objects.filter(code__startswith="33", level=level).count()


def test_counts_match_the_published_zhejiang_figures(gazetteer):
    assert Region.objects.filter(level=Level.PROVINCE).count() == 31
    assert zhejiang(Level.CITY) == 11
    assert zhejiang(Level.COUNTY) == 90
    # 1,387 statistical town units (about 1,360 乡镇街道 plus farms and development zones).
    assert zhejiang(Level.TOWN) == 1387
    assert 20000 <= zhejiang(Level.VILLAGE) <= 26000
    # All China to county level, but towns and villages only for Zhejiang.
    assert Region.objects.filter(level=Level.COUNTY).count() > 2800
    assert not Region.objects.filter(level=Level.TOWN).exclude(code__startswith="33").exists()


def test_every_region_hangs_on_its_code_prefix(gazetteer):
    qixing = Region.objects.get(name="七星街道", code__startswith="330624")
    assert qixing.parent.name == "新昌县"
    assert qixing.path_name == "浙江省 › 绍兴市 › 新昌县 › 七星街道"
    assert Region.objects.filter(parent__isnull=True).count() == 31
    orphans = Region.objects.exclude(level=Level.PROVINCE).filter(parent__isnull=True)
    assert not orphans.exists()


def test_subtree_of_shaoxing_has_qixing_and_shangliquan(gazetteer):
    shaoxing = Region.objects.get(code="330600000000")
    names = set(Region.objects.subtree(shaoxing).values_list("name", flat=True))
    assert {"新昌县", "七星街道", "上礼泉村", "城南乡"} <= names
    assert "硖石街道" not in names  # 海宁, 嘉兴市
    village = Region.objects.get(name="上礼泉村")
    assert village.code == "330624003222"
    assert [r.name for r in village.ancestors()] == ["浙江省", "绍兴市", "新昌县", "七星街道"]


def test_names_are_place_names_not_committee_names(gazetteer):
    # The NBS lists 村委会/居委会; researchers search for the village.
    assert Region.objects.filter(code="330523108204").get().name == "余村村"  # 安吉 天荒坪镇
    assert not Region.objects.filter(level=Level.VILLAGE, name__endswith="委会").exists()
    assert Region.objects.get(code="330481001009").name == "西山社区"


def test_short_names(gazetteer):
    expected = {"新昌县": "新昌", "海宁市": "海宁", "硖石街道": "硖石", "景宁畲族自治县": "景宁", "浙江省": "浙江", "绍兴市": "绍兴"}
    found = dict(Region.objects.filter(code__startswith="33", name__in=expected).values_list("name", "short_name"))
    assert found == expected


def test_former_and_variant_names_are_aliases(gazetteer):
    def alias(name):
        return RegionAlias.objects.select_related("region").get(name=name)

    assert alias("江干区").region.name == "上城区"
    assert alias("江干区").kind == AliasKind.FORMER
    assert alias("下城区").region.name == "拱墅区"
    assert alias("绍兴县").region.name == "柯桥区"
    assert alias("萧山市").region.name == "萧山区"
    assert alias("干𬒗镇").region.name == "干览镇"
    assert alias("干𬒗镇").kind == AliasKind.VARIANT
    assert alias("景宁县").region.name == "景宁畲族自治县"


def test_second_run_changes_nothing_and_says_so(gazetteer, capsys):
    before = list(Region.objects.values_list("id", "code", "name", "short_name", "parent_id", "is_current"))
    aliases_before = list(RegionAlias.objects.values_list("id", "name", "kind", "note"))
    call_command("load_regions")
    out = capsys.readouterr().out
    assert "无改动" in out
    assert list(Region.objects.values_list("id", "code", "name", "short_name", "parent_id", "is_current")) == before
    assert list(RegionAlias.objects.values_list("id", "name", "kind", "note")) == aliases_before


def test_reload_keeps_editors_aliases_and_notes(gazetteer):
    xinchang = Region.objects.get(code="330624000000")
    xinchang.notes = "编辑备注：天姥山所在地"
    xinchang.save()
    RegionAlias.objects.create(region=xinchang, name="天姥新昌", kind=AliasKind.OTHER, is_editorial=True)
    # An editor also re-notes a loaded alias by the same name: it becomes theirs.
    jianggan = RegionAlias.objects.get(name="江干区")
    jianggan.note = "编辑核对：2021年区划调整"
    jianggan.is_editorial = True
    jianggan.save()

    report = load_regions()

    assert not report.changed
    xinchang.refresh_from_db()
    assert xinchang.notes == "编辑备注：天姥山所在地"
    assert RegionAlias.objects.filter(name="天姥新昌", is_editorial=True).exists()
    assert RegionAlias.objects.get(name="江干区").note == "编辑核对：2021年区划调整"


def test_vanished_regions_are_retired_not_deleted(gazetteer):
    zj = Region.objects.get(code=ZHEJIANG)
    ghost = Region.objects.create(
        code="330624999000", name="旧乡", level=Level.TOWN, parent=Region.objects.get(code="330624000000"),
        edition="NBS-2009", notes="已撤并",
    )
    report = load_regions()
    ghost.refresh_from_db()
    assert report.retired == 1
    assert ghost.is_current is False
    assert ghost.notes == "已撤并"
    zj.refresh_from_db()
    assert zj.is_current


def test_changed_source_names_are_updated(gazetteer):
    Region.objects.filter(code="330624003000").update(name="七星镇", short_name="")
    report = load_regions()
    assert report.updated == 1
    assert Region.objects.get(code="330624003000").name == "七星街道"
    assert Region.objects.get(code="330624003000").short_name == "七星"


def test_missing_data_file_is_a_clear_error(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="missing"):
        call_command("load_regions", data_dir=tmp_path)
    assert not Region.objects.exists()


def test_malformed_data_is_a_clear_error_and_writes_nothing(db, tmp_path):
    import gzip
    import shutil

    from django.core.management.base import CommandError

    from regions.loader import DATA_DIR

    shutil.copy(DATA_DIR / "sources.json", tmp_path)
    shutil.copy(DATA_DIR / "aliases.tsv.gz", tmp_path)
    rows = "code\tname\tlevel\tparent_code\n330000000000\t浙江省\tprovince\t\n3306\t绍兴市\tcity\t330000000000\n"
    with gzip.open(tmp_path / "divisions.tsv.gz", "wt", encoding="utf-8") as fh:
        fh.write(rows)
    with pytest.raises(CommandError, match="malformed"):
        call_command("load_regions", data_dir=tmp_path)
    assert not Region.objects.exists()
