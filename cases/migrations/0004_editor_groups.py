"""Create the editorial groups 编辑 (editor) and 审核 (reviewer) with their permissions.

Permissions are normally created after all migrations (post_migrate), so they
are created here first for the apps involved; cases.roles holds the list.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from cases.roles import EDITOR_GROUP, REVIEWER_GROUP, ensure_groups


def create_groups(apps, schema_editor):
    for label in ("cases", "regions"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True  # create_permissions skips apps without models
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR_GROUP, REVIEWER_GROUP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("regions", "0001_initial"),
        ("cases", "0003_article_publish_permission"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
