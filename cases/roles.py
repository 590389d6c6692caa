"""The two editorial roles and their permissions.

编辑 (editors) curate drafts and send them to review; 审核 (reviewers) can do all
that and also publish or reject. The groups are created by the data migration
``cases.0004_editor_groups``; :func:`ensure_groups` is the same code, callable
again (tests that flush the database, a fresh role after a new model).
"""

EDITOR_GROUP = "编辑"
REVIEWER_GROUP = "审核"

#: app label → model → actions an editor may perform.
EDITOR_PERMISSIONS = {
    "cases": {
        "article": ["view", "add", "change"],
        "articleregion": ["view", "add", "change", "delete"],
        "figure": ["view", "add", "change", "delete"],
        "initiative": ["view", "add", "change", "delete"],
        "metric": ["view", "add", "change"],
        "theme": ["view"],
        "source": ["view"],
        "publication": ["view"],
        "uploadjob": ["view", "add"],  # the admin's upload page (cases/admin_upload.py)
    },
    "regions": {
        "region": ["view", "change"],  # the admin lets only notes through
        "regionalias": ["view", "add", "change", "delete"],
    },
}
#: Reviewers get everything editors have, plus these.
REVIEWER_EXTRA = {
    "cases": {"article": ["publish"], "theme": ["add", "change"]},
}


def _codenames(spec):
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                yield app_label, f"{action}_{model}"


def _create_model_permissions(apps):
    """Django makes model permissions after migrate; a flushed test database may lack them."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # a flush gives content types new ids
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)


def _has_model(apps, app_label, model):
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return False
    return True


def ensure_groups(apps=None):
    """Create or complete the 编辑 and 审核 groups; returns them (editor, reviewer)."""
    if apps is None:
        from django.apps import apps

        _create_model_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(spec):
        # a migration's historical apps lack models added later (their permissions come with them)
        spec = {app: {model: actions for model, actions in models.items() if _has_model(apps, app, model)}
                for app, models in spec.items()}
        wanted = set(_codenames(spec))
        found = list(
            Permission.objects.filter(
                content_type__app_label__in={a for a, _ in wanted}, codename__in={c for _, c in wanted}
            ).select_related("content_type")
        )
        found = [p for p in found if (p.content_type.app_label, p.codename) in wanted]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        if missing:
            raise RuntimeError(f"permissions missing, run migrate first: {sorted(missing)}")
        return found

    editor_perms = perms(EDITOR_PERMISSIONS)
    reviewer_perms = editor_perms + perms(REVIEWER_EXTRA)
    editor, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    reviewer, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    editor.permissions.add(*editor_perms)
    reviewer.permissions.add(*reviewer_perms)
    return editor, reviewer
