"""CSV output for every list: UTF-8 with a BOM (so Excel reads Chinese), streamed.

Hand-written rather than djangorestframework-csv: that package buffers the
whole response and is not maintained for current DRF. Here the columns come
from the serializer's declared fields (so an empty page still has a header and
``?fields=`` applies), nested brief objects become ``region.code``,
``region.name`` … columns and lists are joined with "; ".
"""

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

BOM = "\ufeff"
LIST_SEPARATOR = "; "
# Cells starting with these are formulas in spreadsheets; prefix them with ' so they stay text.
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


def csv_columns(serializer) -> list[tuple[str, tuple[str, ...]]]:
    """``[(column title, path into the serialized row), …]`` from a serializer's fields."""
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        brief = getattr(field, "brief_fields", None)
        if brief and not isinstance(field, serializers.ManyRelatedField):
            columns += [(f"{name}.{sub}", (name, sub)) for sub in brief]
        elif isinstance(field, serializers.Serializer):
            columns += [(f"{name}.{sub}", (name, sub)) for sub, f in field.fields.items() if not f.write_only]
        else:
            columns.append((name, (name,)))
    return columns


def cell(value) -> str:
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
    if text.startswith(FORMULA_STARTS) or (text.startswith("-") and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def row_cells(row: dict, columns) -> list[str]:
    out = []
    for _title, path in columns:
        value = row
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        out.append(cell(value))
    return out


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

    writer.writerow([title for title, _ in columns])
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
        columns = [(k, (k,)) for k in keys]
        return "".join(csv_lines(columns, rows)).encode("utf-8")
