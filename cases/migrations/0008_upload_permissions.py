"""Give 编辑 and 审核 the upload page (view/add upload jobs): cases.roles lists it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from cases.roles import ensure_groups


def grant(apps, schema_editor):
    app_config = apps.get_app_config("cases")
    app_config.models_module = True  # create_permissions skips apps without models
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    ensure_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_uploads_and_pages")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
