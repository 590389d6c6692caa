"""Triggers that bump ``DataVersion('public-facets')`` on every write that can change the facets.

Triggers rather than Django signals: the ingest and the release loader write with
``bulk_create``, which sends no signals, and a count that misses one write is a wrong count.
PostgreSQL fires once per statement; SQLite (row triggers only) once per row.
"""

from django.db import migrations

KEY = "public-facets"
#: table → the columns whose change can move a count (None: any insert/update/delete).
WATCHED = {
    "cases_article": ("status", "kind", "published_on", "source_id"),
    "cases_articleregion": ("article_id", "region_id"),
    "cases_article_themes": ("article_id", "theme_id"),
    "cases_initiative_articles": ("article_id", "initiative_id"),
    "cases_source": ("publication_id",),
}
BUMP = f"UPDATE pages_dataversion SET version = version + 1 WHERE key = '{KEY}'"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = []
    if vendor == "postgresql":
        statements.append(
            "CREATE OR REPLACE FUNCTION pages_bump_facet_version() RETURNS trigger AS $$ "
            f"BEGIN {BUMP}; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        for table, columns in WATCHED.items():
            statements.append(
                f"CREATE TRIGGER pages_facets_{table} AFTER INSERT OR DELETE OR TRUNCATE "
                f"OR UPDATE OF {', '.join(columns)} ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION pages_bump_facet_version()"
            )
    elif vendor == "sqlite":
        for table, columns in WATCHED.items():
            for event in ("INSERT", "DELETE", f"UPDATE OF {', '.join(columns)}"):
                name = f"pages_facets_{table}_{event.split()[0].lower()}"
                statements.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {BUMP}; END")
    else:
        return  # another database: pages.summary then counts live on every request
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for table in WATCHED:
            if vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS pages_facets_{table} ON {table}")
            elif vendor == "sqlite":
                for event in ("insert", "delete", "update"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS pages_facets_{table}_{event}")
        if vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS pages_bump_facet_version()")


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_facet_summary"),
        ("cases", "0006_figure_period"),
    ]

    operations = [migrations.RunPython(create, drop)]
