"""Test support: the real gazetteer in a test database, quickly (used by the `gazetteer` fixture).

The first test that asks for it runs the real loader (a few seconds); its rows are kept in
memory and later tests insert the same rows with one executemany per table, inside their own
transaction, so every test starts from the pristine gazetteer and a test's edits never leak.
The recogniser built from that data is cached for the session too; a test that edits aliases
calls regions.recognizer.reset_gazetteer() to see its change.
"""

from django.core.management.color import no_style
from django.db import connection

from . import recognizer
from .loader import LoadReport, load_regions
from .models import Region, RegionAlias

_rows: dict | None = None
_pristine: recognizer.Gazetteer | None = None


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def _insert(model, rows) -> None:
    columns = _columns(model)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(map(quote, columns)), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one round trip instead of 30,000.
            copy_sql = "COPY {} ({}) FROM STDIN".format(quote(model._meta.db_table), ", ".join(map(quote, columns)))
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, rows)


def load_gazetteer_for_tests() -> LoadReport:
    global _rows, _pristine
    if _rows is None or Region.objects.exists():
        report = load_regions()
        _rows = {model: list(model.objects.order_by("pk").values_list(*_columns(model))) for model in (Region, RegionAlias)}
    else:
        for model, rows in _rows.items():
            _insert(model, rows)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Region, RegionAlias]):
                cursor.execute(sql)
        report = LoadReport(created=len(_rows[Region]), aliases_created=len(_rows[RegionAlias]))
    if _pristine is None:
        recognizer.reset_gazetteer()
        _pristine = recognizer.get_gazetteer()
    else:
        recognizer._gazetteer = _pristine
    return report


def forget_gazetteer() -> None:
    """After a test: the next user of find_places must not see that test's database."""
    recognizer.reset_gazetteer()
