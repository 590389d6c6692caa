"""Per-database parts of the index: a GIN index on PostgreSQL, an FTS5 table on SQLite."""

from django.db import migrations

PG_FORWARD = [
    "CREATE INDEX IF NOT EXISTS search_articledocument_vector_gin ON search_articledocument USING gin (vector)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS search_articledocument_vector_gin"]

# Tokens are stored space-separated; unicode61 splits on the spaces and keeps each
# Chinese word whole. Columns a-d carry the weights A-D (see search.models).
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_articlefts USING fts5("
    "a, b, c, d, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_articlefts"]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_article_document")]

    operations = [
        migrations.RunPython(
            run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
