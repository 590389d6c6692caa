"""Deleted figures: find them in the history and bring them back."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from .models import Figure, Initiative

RESTORE_REASON = "恢复已删除的数字"


def deleted_figures(article_id):
    """The deletion records of the article's figures that are still gone, newest first."""
    HistoricalFigure = Figure.history.model
    still_exists = Figure.objects.filter(pk=OuterRef("id"))
    return (
        HistoricalFigure.objects.filter(article_id=article_id, history_type="-")
        .exclude(Exists(still_exists))
        .select_related("history_user")
        .order_by("-history_date")
    )


def restore_figure(record, user) -> Figure:
    """Recreate the figure as it was when deleted, with its id; recorded in its history."""
    with transaction.atomic():
        if Figure.objects.filter(pk=record.id).exists():
            raise ValueError(_("这个数字已经存在，无需恢复。"))
        figure = record.instance
        if figure.initiative_id and not Initiative.objects.filter(pk=figure.initiative_id).exists():
            figure.initiative = None  # merged or deleted since
        figure._history_user = user
        figure._change_reason = RESTORE_REASON
        figure.save(force_insert=True)
    return figure
