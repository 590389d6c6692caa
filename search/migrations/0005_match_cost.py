"""Tell PostgreSQL's planner what matching a search vector really costs.

``vector @@ query`` is costed like a cheap operator, so for a common word the planner
prefers reading every document in a sequential scan over the GIN index, and each
document's vector must be de-TOASTed to be matched: ~10× slower (a count of 共同富裕
over 10,000 articles: 104 ms scanned, 12 ms through the index). Raising the function's
cost is the usual remedy. It needs ownership of the catalog function (a superuser);
without it the migration only leaves a notice, and search is correct either way.
"""

from django.db import migrations

FORWARD = """
DO $$
BEGIN
    ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) COST 100;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'search: could not raise the cost of ts_match_vq (not a superuser); the planner may scan documents';
END $$;
"""
BACKWARD = """
DO $$
BEGIN
    ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) COST 1;
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END $$;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_term_impact_covering_index")]

    operations = [migrations.RunPython(forward, backward)]
