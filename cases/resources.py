"""CSV/XLSX import and export of figures, initiatives and metrics (django-import-export).

Rows are matched by ``id``, so export → edit in Excel → re-import changes
exactly the edited rows: unchanged rows are skipped and leave no history.
Related records are written by stable keys editors can read: regions by their
12-digit code, metrics and themes by slug.
"""

import json

from django.utils import timezone
from import_export import fields, resources, widgets

from regions.models import Region

from .figure_edits import apply_editor_changes
from .models import Article, Figure, Initiative, Metric, Theme
from .workflow import EDITABLE_STATUSES

IMPORT_REASON = "表格导入"


class ReadableJSONWidget(widgets.JSONWidget):
    """JSON lists as Chinese text (not \\u escapes); an empty cell is an empty list."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or []

    def render(self, value, obj=None, **kwargs):
        return json.dumps(value, ensure_ascii=False) if value else ""


class HistoryResource(resources.ModelResource):
    """Records who imported and why in each row's history."""

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = IMPORT_REASON
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user


class FigureResource(HistoryResource):
    region = fields.Field("region", "region", widgets.ForeignKeyWidget(Region, "code"))
    metric = fields.Field("metric", "metric", widgets.ForeignKeyWidget(Metric, "slug"))
    region_name = fields.Field("region__name", "region_name", readonly=True)
    article_title = fields.Field("article__title", "article_title", readonly=True)

    class Meta:
        model = Figure
        fields = ["id", "article", "article_title", "label", "qualifier", "value", "value_max", "unit",
                  "qualifier_kind", "normalized_value", "normalized_value_max", "base_unit", "year", "period",
                  "is_target", "region", "region_name", "metric", "initiative", "quote", "start", "end", "verified"]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("article", "region", "metric")

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        status = Article.objects.filter(pk=instance.article_id).values_list("status", flat=True).first()
        if status is not None and status not in EDITABLE_STATUSES:
            raise ValueError(
                f"数字 {instance.pk or '(新)'} 所属文章已送审或发布，不能通过导入修改；请先退回为草稿。"
            )

    def after_save_instance(self, instance, row, **kwargs):
        # A figure edit is an edit of its article (re-ingest keeps it; its editor may not publish it).
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            Article.objects.filter(pk=instance.article_id).update(edited_by=user, edited_at=timezone.now())

    def import_instance(self, instance, row, **kwargs):
        tracked = [f.attribute for f in self.get_import_fields()]
        before = {name: getattr(instance, name, None) for name in tracked}
        super().import_instance(instance, row, **kwargs)
        changed = [name for name in tracked if getattr(instance, name, None) != before[name]]
        user = kwargs.get("user")
        apply_editor_changes(instance, changed, user if user and user.is_authenticated else None,
                             is_new=instance.pk is None)


class InitiativeResource(HistoryResource):
    aliases = fields.Field("aliases", "aliases", ReadableJSONWidget())
    region = fields.Field("region", "region", widgets.ForeignKeyWidget(Region, "code"))
    themes = fields.Field("themes", "themes", widgets.ManyToManyWidget(Theme, field="slug", separator="|"))

    class Meta:
        model = Initiative
        fields = ["id", "name", "aliases", "description", "region", "themes", "origin"]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("region").prefetch_related("themes")


class MetricResource(HistoryResource):
    labels = fields.Field("labels", "labels", ReadableJSONWidget())

    class Meta:
        model = Metric
        fields = ["id", "name", "slug", "quantity", "base_unit", "labels", "description"]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
