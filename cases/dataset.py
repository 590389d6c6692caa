"""The published dataset as files: export, verify, import.

A release is a folder that researchers can read without this software and that
``manage.py import_dataset`` loads back with nothing lost:

- ``<table>.json`` and ``<table>.csv`` for every table below (the same rows;
  CSV is UTF-8 with a byte-order mark so spreadsheet programs read the Chinese);
- ``codebook.json`` and ``CODEBOOK.md``, generated from the models' verbose
  names, help texts and choices;
- ``manifest.json``: dataset version, schema version, row counts, and the
  sha256 and size of every file; ``SHA256SUMS`` (``sha256sum -c`` format)
  covers every file including the manifest.

Only published articles are exported, and only their facts: titles, dates,
regions, initiatives, figures with their quotes and offsets. Article bodies,
editors' accounts and internal notes are never part of a release (see
``OMITTED``). Rows refer to each other by natural keys where one exists
(region code, theme and metric slug, publication name, source sha256) and by
the release's own ids otherwise (articles, initiatives, figures), so a release
loads into a database that already holds the gazetteer or seeded themes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from cases.models import Article, ArticleRegion, Figure, Initiative, Metric, Publication, Source, Theme
from regions.models import PREFIX_LENGTH, Region, RegionAlias

#: Bumped when the files' layout or meaning changes; importers refuse a different major version.
SCHEMA_VERSION = "1.0"
DATASET_NAME = "zj-cases"
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
BATCH_SIZE = 2000

#: What a release deliberately leaves out, and why (written into the manifest and codebook).
OMITTED = {
    "article.body": "第三方原文，不随数据集发布；引文与偏移量保留 (third-party text: never released; quotes and offsets are)",
    "article.body_line_map, line map": "依赖正文 (depends on the body)",
    "reviewer, editor and verifier accounts": "编辑账户属内部信息；导入时由 --reviewer 指定的账户代替 (internal; replaced on import)",
    "article.review_note, region.notes": "内部编辑备注 (internal editorial notes)",
    "created_at, updated_at, imported_at": "本库内部时间戳 (this database's bookkeeping)",
    "unpublished articles and their figures": "草稿、待审核、已退回的内容不公开 (drafts are never public)",
}


class DatasetError(Exception):
    """A release that cannot be written or read; the message is shown to the user."""


@dataclass(frozen=True)
class Column:
    """One column of a release table.

    ``field`` is the model field it fills; ``ref`` names the table whose key the
    column holds (a region code, a theme slug, an article id of this release).
    """

    name: str
    field: str
    ref: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    #: Model attnames that identify a row in a database that already has some data.
    natural_key: tuple[str, ...]
    description: str
    #: The column other tables use to refer to this table's rows.
    ref_column: str = "id"
    keeps_id: bool = field(default=False)
    #: How a row's natural-key values (a dict by attname) become its identity; default: all of them.
    key_of: Callable[[dict], tuple] | None = None

    def identity(self, values: dict) -> tuple:
        return self.key_of(values) if self.key_of else tuple(values[name] for name in self.natural_key)


def _article_identity(values: dict) -> tuple:
    """An article is its place in its source; editors may retitle it. Articles without a source: by title."""
    if values["source_id"] is not None:
        return (values["source_id"], values["position"])
    return (None, values["position"], values["title"])


def C(name, field=None, ref=None):  # noqa: N802 - a short constructor keeps the table specs readable
    return Column(name, field or name, ref)


ARTICLE_THROUGH = Article.themes.through
INITIATIVE_THEMES = Initiative.themes.through
INITIATIVE_ARTICLES = Initiative.articles.through

TABLES: tuple[Table, ...] = (
    Table("regions", Region, (
        C("code"), C("name"), C("short_name"), C("level"), C("parent", ref="regions"),
        C("urban_rural_code"), C("is_current"), C("edition"),
    ), ("code",), "文章、数字、做法涉及的行政区划及其全部上级 (regions used, with all their ancestors)", "code"),
    Table("region_aliases", RegionAlias, (
        C("region", ref="regions"), C("name"), C("kind"), C("valid_until"), C("note"), C("is_editorial"),
    ), ("region_id", "name"), "上述区划的简称、曾用名、异写 (other names of those regions)"),
    Table("publications", Publication, (
        C("name"), C("kind"), C("publisher"), C("url"),
    ), ("name",), "刊物 (publications)", "name"),
    Table("sources", Source, (
        C("sha256"), C("publication", ref="publications"), C("file_name"), C("encoding"), C("file_format"),
        C("size_bytes"), C("line_count"), C("page_count"), C("issue_label"), C("published_on"),
    ), ("sha256",), "来源文件（一期刊物、一个版面）(source documents)", "sha256"),
    Table("themes", Theme, (
        C("slug"), C("name"), C("description"), C("keywords"), C("parent", ref="themes"), C("sort_order"),
    ), ("slug",), "主题词表 (themes, a controlled vocabulary)", "slug"),
    Table("metrics", Metric, (
        C("slug"), C("name"), C("quantity"), C("base_unit"), C("labels"), C("description"),
    ), ("slug",), "规范指标 (canonical metrics)", "slug"),
    Table("articles", Article, (
        C("id"), C("source", ref="sources"), C("position"), C("line_start"), C("line_end"), C("page"),
        C("title"), C("subtitle"), C("authors"), C("column"), C("kind"), C("published_on"), C("summary"),
        C("status"), C("origin"), C("reviewed_at"), C("version"),
    ), ("source_id", "position", "title"), "已发布的文章（不含正文）(published articles, without their text)",
        keeps_id=True, key_of=_article_identity),
    Table("article_regions", ArticleRegion, (
        C("article", ref="articles"), C("region", ref="regions"), C("role"), C("mentions"),
    ), ("article_id", "region_id"), "文章涉及的区划及其角色 (regions each article is about or mentions)"),
    Table("article_themes", ARTICLE_THROUGH, (
        C("article", ref="articles"), C("theme", ref="themes"),
    ), ("article_id", "theme_id"), "文章的主题 (themes of each article)"),
    Table("initiatives", Initiative, (
        C("id"), C("name"), C("aliases"), C("description"), C("region", ref="regions"), C("origin"),
    ), ("name", "region_id"), "做法/项目 (named initiatives and practices)", keeps_id=True),
    Table("initiative_themes", INITIATIVE_THEMES, (
        C("initiative", ref="initiatives"), C("theme", ref="themes"),
    ), ("initiative_id", "theme_id"), "做法的主题 (themes of each initiative)"),
    Table("initiative_articles", INITIATIVE_ARTICLES, (
        C("initiative", ref="initiatives"), C("article", ref="articles"),
    ), ("initiative_id", "article_id"), "报道做法的文章 (articles describing each initiative)"),
    Table("figures", Figure, (
        C("id"), C("article", ref="articles"), C("region", ref="regions"), C("initiative", ref="initiatives"),
        C("metric", ref="metrics"), C("label"), C("value"), C("value_max"), C("unit"), C("qualifier"),
        C("qualifier_kind"), C("normalized_value"), C("normalized_value_max"), C("base_unit"), C("year"),
        C("period"), C("period_kind"), C("is_target"), C("quote"), C("start"), C("end"), C("page"), C("verified"),
        C("verified_at"), C("origin"),
    ), ("article_id", "start", "end", "label"), "文章报告的数字，附原文引文及其在正文中的偏移 (figures with quote and offsets)",
        keeps_id=True),
)
TABLE_BY_NAME = {t.name: t for t in TABLES}


# --- values as written to files -----------------------------------------------------------

def to_json_value(value):
    """A database value as a JSON value that loses nothing (decimals as exact strings)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 150000, 0.5: exact, no exponent, no trailing zeros
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- export ---------------------------------------------------------------------------------

def _lookup(table: Table, column: Column) -> str:
    """The ``values()`` path that yields what the column holds (the referenced row's key)."""
    if column.ref is None:
        return column.field
    target = TABLE_BY_NAME[column.ref]
    return f"{column.field}_id" if target.ref_column == "id" else f"{column.field}__{target.ref_column}"


def published_querysets() -> dict[str, models.QuerySet]:
    """Which rows of each table belong to the published dataset."""
    articles = Article.objects.filter(status=Article.Status.PUBLISHED)
    article_ids = articles.values("pk")
    figures = Figure.objects.filter(article__in=article_ids)
    initiatives = Initiative.objects.filter(
        models.Q(pk__in=INITIATIVE_ARTICLES.objects.filter(article__in=article_ids).values("initiative_id"))
        | models.Q(pk__in=figures.exclude(initiative=None).values("initiative_id"))
    )
    initiative_ids = initiatives.values("pk")
    used_codes = set(ArticleRegion.objects.filter(article__in=article_ids).values_list("region__code", flat=True))
    used_codes |= set(figures.exclude(region=None).values_list("region__code", flat=True))
    used_codes |= set(Initiative.objects.filter(pk__in=initiative_ids).exclude(region=None)
                      .values_list("region__code", flat=True))
    with_ancestors = {code[:n].ljust(12, "0") for code in used_codes for n in PREFIX_LENGTH.values()} | used_codes
    regions = Region.objects.filter(code__in=with_ancestors)
    sources = Source.objects.filter(pk__in=articles.exclude(source=None).values("source_id"))
    themes = Theme.objects.all()
    return {
        "regions": regions,
        "region_aliases": RegionAlias.objects.filter(region__in=regions.values("pk")),
        "publications": Publication.objects.all(),
        "sources": sources,
        "themes": themes,
        "metrics": Metric.objects.all(),
        "articles": articles,
        "article_regions": ArticleRegion.objects.filter(article__in=article_ids),
        "article_themes": ARTICLE_THROUGH.objects.filter(article__in=article_ids),
        "initiatives": initiatives,
        "initiative_themes": INITIATIVE_THEMES.objects.filter(initiative__in=initiative_ids),
        "initiative_articles": INITIATIVE_ARTICLES.objects.filter(initiative__in=initiative_ids,
                                                                   article__in=article_ids),
        "figures": figures,
    }


def table_rows(table: Table, queryset: models.QuerySet) -> Iterable[dict]:
    """The table's rows as JSON-ready dicts, in a stable order (so releases diff cleanly)."""
    lookups = [_lookup(table, c) for c in table.columns]
    order = ["id"] if table.keeps_id else lookups
    for values in queryset.order_by(*order).values_list(*lookups).iterator(chunk_size=BATCH_SIZE):
        yield {c.name: to_json_value(v) for c, v in zip(table.columns, values, strict=True)}


def export_dataset(out_dir: Path, dataset_version: str, *, overwrite: bool = False,
                   progress: Callable[[str], None] = lambda message: None) -> dict:
    """Write the published dataset to ``out_dir``; return the manifest."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not overwrite:
        raise DatasetError(f"{out_dir} 不是空目录；加 --overwrite 覆盖 (directory not empty; use --overwrite)")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():
        if old.is_file() and (old.suffix in {".json", ".csv", ".md"} or old.name == CHECKSUMS):
            old.unlink()

    counts = {}
    # One snapshot: rows added while exporting must not leave a figure without its article.
    nested = connection.in_atomic_block  # then the caller's transaction is the snapshot
    with transaction.atomic():
        if connection.vendor == "postgresql" and not nested:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        querysets = published_querysets()
        for table in TABLES:
            rows = list(table_rows(table, querysets[table.name]))
            counts[table.name] = len(rows)
            _write_json(out_dir / f"{table.name}.json", rows)
            _write_csv(out_dir / f"{table.name}.csv", [c.name for c in table.columns], rows)
            progress(f"{table.name}: {len(rows)}")

    codebook = build_codebook(counts)
    _write_json(out_dir / "codebook.json", codebook)
    (out_dir / "CODEBOOK.md").write_text(codebook_markdown(codebook, dataset_version), encoding="utf-8")
    _write_json(out_dir / DATAPACKAGE, datapackage(codebook, dataset_version))

    files = sorted(p for p in out_dir.iterdir() if p.is_file() and p.name not in {MANIFEST, CHECKSUMS})
    manifest = {
        "dataset": DATASET_NAME,
        "dataset_version": dataset_version,
        "schema_version": SCHEMA_VERSION,
        "created_at": timezone.now().astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "generator": "python manage.py export_dataset",
        "migrations": _latest_migrations(),
        "tables": {t.name: {"rows": counts[t.name], "files": [f"{t.name}.json", f"{t.name}.csv"]} for t in TABLES},
        "files": {p.name: {"sha256": sha256_file(p), "bytes": p.stat().st_size} for p in files},
        "omitted": OMITTED,
    }
    _write_json(out_dir / MANIFEST, manifest)
    sums = [(p.name, sha256_file(p)) for p in [*files, out_dir / MANIFEST]]
    (out_dir / CHECKSUMS).write_text("".join(f"{digest}  {name}\n" for name, digest in sums), encoding="ascii")
    return manifest


DATAPACKAGE = "datapackage.json"
#: Our codebook types as Frictionless Table Schema types.
_FRICTIONLESS_TYPES = {"text": "string", "integer": "integer", "decimal": "number", "boolean": "boolean",
                       "date": "date", "datetime": "datetime"}


def datapackage(codebook: dict, dataset_version: str) -> dict:
    """A Frictionless Data Package descriptor of the CSV files (https://datapackage.org/).

    Generated from the same codebook as CODEBOOK.md, so the two never disagree: each table is a
    resource with its Table Schema (types, required, choices as enum, primary and foreign keys),
    and the package names its version and licence. ``frictionless validate datapackage.json``
    checks every file against it (tests/test_release.py does).
    """
    columns_of = {t["name"]: {c["name"]: c for c in t["columns"]} for t in codebook["tables"]}

    def field(column: dict) -> dict:
        kind = column["type"]
        if kind == "reference":
            table, key = column["references"].split(".")
            kind = columns_of[table][key]["type"]
        entry = {"name": column["name"], "title": column["label"], "type": _FRICTIONLESS_TYPES.get(kind, "string")}
        if column["description"]:
            entry["description"] = column["description"]
        constraints = {}
        if column["required"] and kind != "text":  # an empty text is a value, not a missing one
            constraints["required"] = True
        if column.get("choices") and kind == "text":
            constraints["enum"] = list(column["choices"]) + ([] if column["required"] else [""])
        if constraints:
            entry["constraints"] = constraints
        if entry["type"] == "boolean":
            entry.update(trueValues=["true"], falseValues=["false"])
        return entry

    resources = []
    for table in codebook["tables"]:
        schema = {"fields": [field(c) for c in table["columns"]], "missingValues": [""]}
        if table["key"] and all(k in columns_of[table["name"]] for k in table["key"]):
            schema["primaryKey"] = list(table["key"])
        foreign = [{"fields": c["name"], "reference": {"resource": c["references"].split(".")[0],
                                                        "fields": c["references"].split(".")[1]}}
                   for c in table["columns"] if c.get("references")]
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append({
            "name": table["name"].replace("_", "-"), "path": f"{table['name']}.csv", "title": table["description"],
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "profile": "tabular-data-resource",
            "schema": schema,
        })
    for resource in resources:  # foreign keys name resources as the package does
        for key in resource["schema"].get("foreignKeys", []):
            key["reference"]["resource"] = key["reference"]["resource"].replace("_", "-")
    return {
        "profile": "tabular-data-package",
        "name": DATASET_NAME,
        "title": "浙江基层治理与共同富裕案例库 (Zhejiang local governance and common prosperity cases)",
        "version": dataset_version,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "description": "已发布的案例文章（不含正文）、数字及其原文引文与偏移、区划、做法、主题。见 CODEBOOK.md。",
        "resources": resources,
    }


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([to_csv_cell(row[name]) for name in header])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")


def _latest_migrations() -> dict[str, str]:
    if not MigrationRecorder(connection).has_table():
        return {}
    applied = MigrationRecorder.Migration.objects.filter(app__in=["regions", "cases"]).order_by("app", "name")
    return {m.app: m.name for m in applied}  # names sort in order: the last one wins


# --- codebook -------------------------------------------------------------------------------

def build_codebook(counts: dict[str, int]) -> dict:
    """Describe every table and column from the models themselves (verbose names, help, choices)."""
    tables = []
    for table in TABLES:
        columns = []
        for column in table.columns:
            model_field = table.model._meta.get_field(column.field)
            entry = {
                "name": column.name,
                "label": str(getattr(model_field, "verbose_name", column.name)),
                "type": _column_type(model_field, column),
                "required": not (model_field.null or getattr(model_field, "blank", False)),
                "description": str(getattr(model_field, "help_text", "") or ""),
            }
            if column.ref:
                entry["references"] = f"{column.ref}.{TABLE_BY_NAME[column.ref].ref_column}"
            if getattr(model_field, "choices", None):
                entry["choices"] = {str(value): str(label) for value, label in model_field.choices}
            columns.append(entry)
        tables.append({
            "name": table.name,
            "description": table.description,
            "rows": counts.get(table.name),
            "key": list(table.natural_key) if not table.keeps_id else ["id"],
            "columns": columns,
        })
    return {"schema_version": SCHEMA_VERSION, "tables": tables, "omitted": OMITTED,
            "formats": {"json": "UTF-8; decimals as exact strings; times ISO 8601 in UTC",
                        "csv": "UTF-8 with BOM; empty cell = null; lists as JSON; true/false"}}


def _column_type(model_field, column: Column) -> str:
    if column.ref:
        return "reference"
    return {
        "CharField": "text", "TextField": "text", "SlugField": "text", "URLField": "text",
        "DecimalField": "decimal", "PositiveIntegerField": "integer", "PositiveSmallIntegerField": "integer",
        "IntegerField": "integer", "BigAutoField": "integer", "AutoField": "integer",
        "BooleanField": "boolean", "DateField": "date", "DateTimeField": "datetime", "JSONField": "json list",
    }.get(model_field.get_internal_type(), model_field.get_internal_type())


def codebook_markdown(codebook: dict, dataset_version: str) -> str:
    lines = [f"# 数据说明 Codebook — {DATASET_NAME} {dataset_version} (schema {codebook['schema_version']})", ""]
    lines += [f"- {name}: {text}" for name, text in codebook["formats"].items()]
    lines += ["", "## 未包含 Not included", ""]
    lines += [f"- **{what}**: {why}" for what, why in codebook["omitted"].items()]
    for table in codebook["tables"]:
        lines += ["", f"## {table['name']}", "", f"{table['description']} — {table['rows']} rows", "",
                  "| column | 名称 | type | description |", "|---|---|---|---|"]
        for col in table["columns"]:
            extra = []
            if col.get("references"):
                extra.append(f"→ {col['references']}")
            if col.get("choices"):
                extra.append("; ".join(f"`{k}` {v}" for k, v in col["choices"].items()))
            desc = " ".join(filter(None, [col["description"], *extra])).replace("|", "\\|")
            lines.append(f"| `{col['name']}` | {col['label']} | {col['type']} | {desc} |")
    return "\n".join(lines) + "\n"


# --- verify and import ------------------------------------------------------------------------

def verify_release(release_dir: Path) -> dict:
    """Check every checksum and the schema version before anything is read; return the manifest."""
    release_dir = Path(release_dir)
    sums_path = release_dir / CHECKSUMS
    if not sums_path.is_file():
        raise DatasetError(f"{release_dir} 中没有 {CHECKSUMS}，不是数据集发布目录 (not a release: no {CHECKSUMS})")
    listed = {}
    for line in sums_path.read_text(encoding="ascii").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    if MANIFEST not in listed:
        raise DatasetError(f"{CHECKSUMS} 未覆盖 {MANIFEST} (the checksums do not cover the manifest)")
    for name, digest in listed.items():
        path = release_dir / name
        if "/" in name or not path.is_file():
            raise DatasetError(f"缺少文件 {name} (missing file)")
        if sha256_file(path) != digest:
            raise DatasetError(f"校验和不符：{name} 已损坏或被改动 (checksum mismatch: {name})")
    manifest = json.loads((release_dir / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("dataset") != DATASET_NAME:
        raise DatasetError(f"不是 {DATASET_NAME} 数据集 (not a {DATASET_NAME} release)")
    major = str(manifest.get("schema_version", "")).split(".")[0]
    if major != SCHEMA_VERSION.split(".")[0]:
        raise DatasetError(
            f"数据格式版本 {manifest.get('schema_version')} 与本程序的 {SCHEMA_VERSION} 不兼容 (schema version mismatch)"
        )
    for name, meta in manifest["files"].items():
        if listed.get(name) != meta["sha256"]:
            raise DatasetError(f"清单与校验文件不一致：{name} (manifest and {CHECKSUMS} disagree)")
    for table in TABLES:
        if f"{table.name}.json" not in manifest["files"]:
            raise DatasetError(f"缺少数据表 {table.name} (table missing from the release)")
    return manifest


def database_has_cases() -> bool:
    return any(m.objects.exists() for m in (Article, Figure, Initiative, Source))


def import_dataset(release_dir: Path, *, reviewer_username: str = "release", allow_non_empty: bool = False,
                   progress: Callable[[str], None] = lambda message: None) -> dict[str, int]:
    """Load a verified release in one transaction; return how many rows each table gained.

    Rows that already exist (by natural key) are left as they are, never overwritten,
    so re-running an import changes nothing.
    """
    release_dir = Path(release_dir)
    manifest = verify_release(release_dir)
    created: dict[str, int] = {}
    with transaction.atomic():
        if database_has_cases() and not allow_non_empty:
            raise DatasetError(
                "数据库中已有案例数据；导入只用于空库。确需合并请加 --allow-non-empty（已有记录不会被覆盖）"
                " (the database already holds cases; use --allow-non-empty to merge without overwriting)"
            )
        reviewer = _release_reviewer(reviewer_username)
        refs: dict[str, dict] = {}
        for table in TABLES:
            rows = json.loads((release_dir / f"{table.name}.json").read_text(encoding="utf-8"))
            if len(rows) != manifest["tables"][table.name]["rows"]:
                raise DatasetError(f"{table.name}: 行数与清单不符 (row count differs from the manifest)")
            created[table.name] = _import_table(table, rows, refs, reviewer)
            progress(f"{table.name}: {len(rows)} rows, {created[table.name]} new")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in TABLES]):
                    cursor.execute(sql)
    return created


def _release_reviewer(username: str):
    """The account recorded as reviewer of imported published articles (no password, cannot log in)."""
    User = get_user_model()
    user, made = User.objects.get_or_create(username=username, defaults={"is_active": False})
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _import_table(table: Table, rows: list[dict], refs: dict[str, dict], reviewer) -> int:
    model = table.model
    fields = {c.name: model._meta.get_field(c.field) for c in table.columns}
    existing = {table.identity(values): values["pk"]
                for values in model.objects.values(*table.natural_key, "pk").iterator()}
    taken_ids = set(model.objects.values_list("pk", flat=True)) if table.keeps_id else set()
    ref_map = refs.setdefault(table.name, {})
    if table.model is Region:  # parents before children
        rows = sorted(rows, key=lambda r: (PREFIX_LENGTH[r["level"]], r["code"]))
    elif table.model is Theme:
        rows = _parents_first(rows, "slug", "parent")

    pending: list[tuple[object, models.Model]] = []
    new = 0

    def flush():
        if pending:
            model.objects.bulk_create([obj for _, obj in pending], batch_size=BATCH_SIZE)
            for ref_value, obj in pending:
                ref_map[ref_value] = obj.pk
            pending.clear()

    for row in rows:
        kwargs = {}
        for column in table.columns:
            model_field = fields[column.name]
            if column.name not in row:  # a column newer than the file (period_kind): its default
                row[column.name] = model_field.get_default() if column.ref is None else None
            value = row[column.name]
            if column.name == "id":
                continue
            if column.ref is not None:
                if value is not None:
                    if column.ref == table.name and value not in refs[column.ref]:
                        flush()  # a self-reference (a region's parent) may point at a pending row
                    try:
                        value = refs[column.ref][value]
                    except KeyError:
                        raise DatasetError(
                            f"{table.name}.{column.name} = {value!r} 指向不存在的 {column.ref} 记录 (dangling reference)"
                        ) from None
                kwargs[model_field.attname] = value
            else:
                kwargs[model_field.attname] = model_field.to_python(value) if value is not None else None
        if model is Article:
            kwargs["body"] = ""
            if kwargs["status"] == Article.Status.PUBLISHED:
                kwargs["reviewed_by_id"] = reviewer.pk
        key = table.identity(kwargs)
        ref_value = row[table.ref_column] if table.ref_column in row else None
        if key in existing:
            if ref_value is not None:
                ref_map[ref_value] = existing[key]
            continue
        obj = model(**kwargs)
        if table.keeps_id and row["id"] not in taken_ids:
            obj.pk = row["id"]  # an empty database gets the release's ids back
        taken_ids.add(obj.pk)
        existing[key] = None
        pending.append((ref_value, obj))
        new += 1
        if len(pending) >= BATCH_SIZE:
            flush()
    flush()
    return new


def _parents_first(rows: list[dict], key: str, parent: str) -> list[dict]:
    done, ordered, remaining = set(), [], list(rows)
    while remaining:
        ready = [r for r in remaining if r[parent] is None or r[parent] in done or
                 r[parent] not in {x[key] for x in rows}]
        if not ready:
            raise DatasetError(f"循环的上级关系 (a cycle in {parent})")
        ordered += ready
        done |= {r[key] for r in ready}
        remaining = [r for r in remaining if r[key] not in done]
    return ordered
