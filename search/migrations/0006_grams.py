"""Character grams (bigrams, trigrams) for substring matches (see search.grams): a column and GIN index on
PostgreSQL, an FTS5 table on SQLite, filled from the documents' plain text (no segmentation
needed, so no reindex)."""

from django.db import migrations

import search.models
from search.grams import text_grams

PG_FORWARD = [
    "CREATE INDEX IF NOT EXISTS search_articledocument_grams_gin ON search_articledocument USING gin (grams)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS search_articledocument_grams_gin"]
# detail=none: a gram is looked up whole or by prefix, never as a phrase, so no positions are kept.
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_articlegrams USING fts5(grams, tokenize = 'ascii', detail = 'none')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_articlegrams"]
CHUNK = 2000


def tsvector(grams):
    """A tsvector literal without positions (as search.indexing writes it; frozen here)."""
    return " ".join("'" + g.replace("\\", "\\\\").replace("'", "''") + "'" for g in grams)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)
    document = apps.get_model("search", "ArticleDocument")
    table = document._meta.db_table
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(f"SELECT article_id, plain_text FROM {table} WHERE article_id > %s "
                           f"ORDER BY article_id LIMIT {CHUNK}", [last])
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            if vendor == "postgresql":
                cursor.executemany(f"UPDATE {table} SET grams = %s::tsvector WHERE article_id = %s",
                                   [(tsvector(text_grams(text)), pk) for pk, text in rows])
            elif vendor == "sqlite":
                cursor.executemany("INSERT INTO search_articlegrams (rowid, grams) VALUES (%s, %s)",
                                   [(pk, " ".join(text_grams(text))) for pk, text in rows])
    if vendor == "postgresql":  # built once filled: faster than growing it row by row
        for sql in PG_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_match_cost")]

    operations = [
        migrations.AddField(
            model_name="articledocument",
            name="grams",
            field=search.models.TokenVectorField(blank=True, editable=False, null=True, verbose_name="字符二元组"),
        ),
        migrations.RunPython(forward, backward),
    ]
