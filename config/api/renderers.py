"""CSV output for every list: UTF-8 with a BOM (so Excel reads Chinese), streamed.

Hand-written rather than djangorestframework-csv: that package buffers the
whole response and is not maintained for current DRF. Here the columns come
from the serializer's declared fields (so an empty page still has a header and
``?fields=`` applies), nested brief objects become ``region.code``,
``region.name`` … columns and lists are joined with "; ".
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

BOM = "\ufeff"
LIST_SEPARATOR = "; "
# Cells starting with these are formulas in spreadsheets; prefix them with ' so they stay text.
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


#: Chinese titles of the keys of nested brief objects (region.code → 区划·代码).
SUB_LABELS = {"id": "编号", "url": "网址", "code": "代码", "name": "名称", "level": "级别", "title": "标题",
              "issue_label": "期号", "published_on": "出版日期", "slug": "标识", "base_unit": "基本单位"}
CHINESE_BOOLEANS = {True: "是", False: "否"}
#: Chinese titles of fields that are not model fields (or whose model title is not for people).
FIELD_LABELS = {"id": "编号", "url": "网址", "publication": "刊物", "figure_count": "数字个数", "snippet": "摘录",
                "article_count": "文章数", "citation": "引用", "children": "下级区划", "breadcrumb": "上级区划"}


@dataclass(frozen=True)
class Column:
    """One CSV column: its title, where its value is in a serialized row, and how it is written.

    ``path`` walks into nested dicts; ``getter`` (a function of the row) replaces it for
    columns a serializer field derives itself (an article's main region code). ``choices``
    maps stored values to their labels (the Chinese downloads write 主要, not main).
    """

    title: str
    path: tuple[str, ...] = ()
    getter: Callable[[dict], object] | None = None
    choices: dict | None = None

    def value(self, row: dict):
        if self.getter is not None:
            value = self.getter(row)
        elif len(self.path) == 1:
            value = row.get(self.path[0])
        else:
            value = row
            for key in self.path:
                value = value.get(key) if isinstance(value, dict) else None
        if self.choices is not None:
            if isinstance(value, list):
                return [self.choices.get(v, v) for v in value]
            if value is not None and not isinstance(value, dict):
                return self.choices.get(value, value)
        return value


def csv_columns(serializer, chinese: bool = False) -> list[Column]:
    """The columns of a serializer's fields; ``chinese``: titles and choice values as people read them.

    The API's own CSV keeps field names (``region.code``); the pages' downloads ask for
    ``lang=zh`` and get the models' Chinese labels (``区划·代码``), choice labels and 是/否.
    A field may declare its own columns with ``csv_columns(name, chinese)``.
    """
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        title = _chinese_label(serializer, name, field) if chinese else name
        own = getattr(field, "csv_columns", None)
        brief = getattr(field, "brief_fields", None)
        if callable(own):
            columns += own(name, chinese)
        elif brief and not isinstance(field, serializers.ManyRelatedField):
            columns += [Column(_sub_title(title, sub, chinese), (name, sub)) for sub in brief]
        elif isinstance(field, serializers.Serializer):
            columns += [Column(_sub_title(title, sub, chinese), (name, sub)) for sub, f in field.fields.items()
                        if not f.write_only]
        elif chinese and isinstance(field, serializers.ChoiceField):
            columns.append(Column(title, (name,), choices={k: str(v) for k, v in field.choices.items()}))
        elif chinese and isinstance(field, serializers.BooleanField):
            columns.append(Column(title, (name,), choices=CHINESE_BOOLEANS))
        else:
            columns.append(Column(title, (name,)))
    return columns


def _chinese_label(serializer, name: str, field) -> str:
    """The field's own label, else its model field's verbose name, else FIELD_LABELS, else the name."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    automatic = name.replace("_", " ").capitalize()  # what DRF makes up when nothing is declared
    if field.label and str(field.label) != automatic:
        return str(field.label)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    source = field.source if field.source and field.source != "*" else name
    if model is not None:
        try:
            model_field = model._meta.get_field(source.split(".")[0])
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None and getattr(model_field, "verbose_name", None):
            return str(model_field.verbose_name)
        if model_field is not None and model_field.related_model is not None:  # a reverse relation
            return str(model_field.related_model._meta.verbose_name_plural)
    return automatic


def _sub_title(title: str, sub: str, chinese: bool) -> str:
    return f"{title}·{SUB_LABELS.get(sub, sub)}" if chinese else f"{title}.{sub}"


def cell(value) -> str:
    kind = type(value)
    if kind is str:  # most cells: checked first, without the isinstance chain below
        return "'" + value if value and _is_formula(value) else value
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 175.000000 → 175, 1.500000 → 1.5
    if isinstance(value, dict):
        value = value.get("name") or value.get("code") or value.get("title") or value.get("id") or ""
        return cell(value)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(cell(v) for v in value)
    text = str(value)
    return "'" + text if text and _is_formula(text) else text


def _is_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or (text[0] == "-" and not _is_number(text))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def row_cells(row: dict, columns: list[Column]) -> list[str]:
    return [cell(column.value(row)) for column in columns]


#: Text handed to the server at a time: one write per row would cost a system call per row.
CSV_FLUSH_CHARS = 64 * 1024


def csv_lines(columns, rows: Iterable[dict]) -> Iterator[str]:
    """The CSV text in pieces of about ``CSV_FLUSH_CHARS``, starting with the BOM and the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([column.title for column in columns])
    yield BOM + flush()
    for row in rows:
        writer.writerow(row_cells(row, columns))
        if buffer.tell() >= CSV_FLUSH_CHARS:
            yield flush()
    if rest := flush():
        yield rest


class CSVRenderer(BaseRenderer):
    """``?format=csv``. Lists are streamed by the view; this renders a single object or page."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        keys = list(dict.fromkeys(k for row in rows for k in row)) if rows else []
        columns = [Column(k, (k,)) for k in keys]
        return "".join(csv_lines(columns, rows)).encode("utf-8")
