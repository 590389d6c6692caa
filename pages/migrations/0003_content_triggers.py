"""Triggers that bump ``DataVersion('public-content')`` on any write to what the public pages show.

Broader than 'public-facets' (0002): any insert, update or delete of an article, a figure, a region
link, an initiative, a source, a publication, a theme, a metric or their links, and a region's
rename. Pages cached under this version (pages.cache) can then never be served stale.
"""

from django.db import migrations

KEY = "public-content"
TABLES = (
    "cases_article", "cases_figure", "cases_articleregion", "cases_article_themes", "cases_initiative",
    "cases_initiative_articles", "cases_initiative_themes", "cases_source", "cases_publication", "cases_theme",
    "cases_metric",
)
BUMP = f"UPDATE pages_dataversion SET version = version + 1 WHERE key = '{KEY}'"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = []
    if vendor == "postgresql":
        statements.append(
            "CREATE OR REPLACE FUNCTION pages_bump_content_version() RETURNS trigger AS $$ "
            f"BEGIN {BUMP}; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        for table in TABLES:
            statements.append(
                f"CREATE TRIGGER pages_content_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION pages_bump_content_version()"
            )
        statements.append(
            "CREATE TRIGGER pages_content_regions_region AFTER UPDATE OF name, short_name ON regions_region "
            "FOR EACH STATEMENT EXECUTE FUNCTION pages_bump_content_version()"
        )
    elif vendor == "sqlite":
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER pages_content_{table}_{event.lower()} AFTER {event} ON {table} BEGIN {BUMP}; END"
                )
        statements.append(
            "CREATE TRIGGER pages_content_regions_region_update AFTER UPDATE OF name, short_name ON regions_region "
            f"BEGIN {BUMP}; END"
        )
    else:
        return  # another database: pages.cache then never caches
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for table in (*TABLES, "regions_region"):
            if vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS pages_content_{table} ON {table}")
            elif vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS pages_content_{table}_{event}")
        if vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS pages_bump_content_version()")


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_facet_triggers"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
