"""Load the committed gazetteer files into Region and RegionAlias, in bulk and idempotently.

The files (regions/data/*.tsv.gz) hold facts from the source packages; short names are
derived here by regions.names so that a rule change needs no data rebuild. A re-run compares
before writing, so a second run writes nothing. Editors' work is never touched: Region.notes
is not a loaded field, editorial aliases are neither updated nor deleted, and regions that
disappeared from the source are marked is_current=False instead of being deleted.
"""

import csv
import gzip
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from .models import PREFIX_LENGTH, Level, Region, RegionAlias
from .names import short_name

DATA_DIR = Path(__file__).resolve().parent / "data"
LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWN, Level.VILLAGE]
REGION_FIELDS = ["name", "short_name", "level", "parent_id", "is_current", "edition"]


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    aliases_created: int = 0
    aliases_updated: int = 0
    aliases_removed: int = 0
    editorial_kept: int = 0
    by_level: dict = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(
            (self.created, self.updated, self.retired, self.aliases_created, self.aliases_updated, self.aliases_removed)
        )

    def summary(self) -> str:
        if not self.changed:
            return f"区划数据已是最新，无改动（{self.unchanged} 个区划）。"
        return (
            f"区划：新增 {self.created}，更新 {self.updated}，停用 {self.retired}，未变 {self.unchanged}；"
            f"别名：新增 {self.aliases_created}，更新 {self.aliases_updated}，删除 {self.aliases_removed}"
            f"（编辑添加的 {self.editorial_kept} 个保持不变）。"
        )


def read_tsv_gz(path: Path) -> list[dict]:
    stat = path.stat()
    return _read_tsv_gz(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _read_tsv_gz(path: Path, mtime_ns: int, size: int) -> list[dict]:
    # Cached by file identity: tests load the same files many times in one process.
    with gzip.open(path, "rb") as fh:
        return list(csv.DictReader(io.StringIO(fh.read().decode("utf-8")), delimiter="\t"))


def read_edition(data_dir: Path = DATA_DIR) -> str:
    return json.loads((data_dir / "sources.json").read_text(encoding="utf-8"))["edition"]


def wanted_regions(rows: list[dict], edition: str) -> dict[str, dict]:
    """code → the field values the source says the region should have (parent as a code)."""
    wanted = {}
    for row in rows:
        if len(row["code"]) != 12 or row["level"] not in PREFIX_LENGTH:
            raise ValueError(f"bad gazetteer row: {row}")
        wanted[row["code"]] = {
            "name": row["name"],
            "short_name": short_name(row["name"], row["level"]),
            "level": row["level"],
            "parent_code": row["parent_code"] or None,
            "is_current": True,
            "edition": edition,
        }
    return wanted


@transaction.atomic
def load_regions(data_dir: Path = DATA_DIR) -> LoadReport:
    edition = read_edition(data_dir)
    wanted = wanted_regions(read_tsv_gz(data_dir / "divisions.tsv.gz"), edition)
    report = LoadReport()

    existing = {
        code: dict(zip(["id", *REGION_FIELDS], rest, strict=True))
        for code, *rest in Region.objects.values_list("code", "id", *REGION_FIELDS)
    }
    id_by_code = {code: row["id"] for code, row in existing.items()}

    # Create level by level so parents exist (and have ids) before their children.
    for level in LEVEL_ORDER:
        new = [
            Region(
                code=code,
                parent_id=id_by_code[values["parent_code"]] if values["parent_code"] else None,
                **{k: v for k, v in values.items() if k != "parent_code"},
            )
            for code, values in wanted.items()
            if values["level"] == level and code not in existing
        ]
        if new:
            Region.objects.bulk_create(new, batch_size=2000)
            report.created += len(new)
            id_by_code.update(
                Region.objects.filter(level=level, code__in=[r.code for r in new]).values_list("code", "id")
            )

    to_update = []
    for code, values in wanted.items():
        old = existing.get(code)
        if old is None:
            continue
        target = {k: v for k, v in values.items() if k != "parent_code"}
        target["parent_id"] = id_by_code[values["parent_code"]] if values["parent_code"] else None
        if any(old[k] != target[k] for k in REGION_FIELDS):
            to_update.append(Region(id=old["id"], code=code, **target))
        else:
            report.unchanged += 1
    if to_update:
        Region.objects.bulk_update(to_update, REGION_FIELDS, batch_size=2000)
        report.updated = len(to_update)

    gone = [row["id"] for code, row in existing.items() if code not in wanted and row["is_current"]]
    if gone:
        report.retired = Region.objects.filter(id__in=gone).update(is_current=False)

    _load_aliases(read_tsv_gz(data_dir / "aliases.tsv.gz"), id_by_code, report)
    return report


def _load_aliases(rows: list[dict], id_by_code: dict[str, int], report: LoadReport) -> None:
    wanted = {}
    for row in rows:
        wanted[(id_by_code[row["code"]], row["name"])] = {
            "kind": row["kind"],
            "valid_until": int(row["valid_until"]) if row["valid_until"] else None,
            "note": row["note"],
        }
    existing = {}
    editorial = set()
    for pk, region_id, name, kind, valid_until, note, is_editorial in RegionAlias.objects.values_list(
        "id", "region_id", "name", "kind", "valid_until", "note", "is_editorial"
    ):
        if is_editorial:
            editorial.add((region_id, name))
        else:
            existing[(region_id, name)] = {"id": pk, "kind": kind, "valid_until": valid_until, "note": note}
    report.editorial_kept = len(editorial)

    new, changed = [], []
    for key, values in wanted.items():
        if key in editorial:
            continue  # an editor's alias with the same name wins
        old = existing.get(key)
        if old is None:
            new.append(RegionAlias(region_id=key[0], name=key[1], is_editorial=False, **values))
        elif any(old[k] != v for k, v in values.items()):
            changed.append(RegionAlias(id=old["id"], region_id=key[0], name=key[1], **values))
    if new:
        RegionAlias.objects.bulk_create(new, batch_size=2000)
        report.aliases_created = len(new)
    if changed:
        RegionAlias.objects.bulk_update(changed, ["kind", "valid_until", "note"], batch_size=2000)
        report.aliases_updated = len(changed)
    stale = [old["id"] for key, old in existing.items() if key not in wanted]
    if stale:
        report.aliases_removed, _ = RegionAlias.objects.filter(id__in=stale, is_editorial=False).delete()
