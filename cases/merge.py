"""Merging duplicate initiatives into one survivor."""

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from .models import Figure, Initiative


def merge_initiatives(survivor: Initiative, duplicates, user) -> Initiative:
    """Fold ``duplicates`` into ``survivor`` and delete them, all or nothing.

    The survivor gains the duplicates' articles, figures and themes; their names
    and aliases become its aliases. Every step is recorded in the history with
    a change reason naming the initiatives involved.
    """
    duplicates = [d for d in duplicates if d.pk != survivor.pk]
    if not duplicates:
        raise ValueError(_("至少选择两个做法/项目才能合并。"))
    names = "、".join(d.name for d in duplicates)
    with transaction.atomic():
        survivor = Initiative.objects.select_for_update().get(pk=survivor.pk)
        dup_ids = [d.pk for d in duplicates]
        aliases = list(survivor.aliases)
        for dup in Initiative.objects.filter(pk__in=dup_ids).order_by("pk"):
            for name in [dup.name, *dup.aliases]:
                if name and name != survivor.name and name not in aliases:
                    aliases.append(name)
        survivor.articles.add(*Initiative.articles.through.objects.filter(
            initiative_id__in=dup_ids).values_list("article_id", flat=True).distinct())
        survivor.themes.add(*Initiative.themes.through.objects.filter(
            initiative_id__in=dup_ids).values_list("theme_id", flat=True).distinct())
        figures = list(Figure.objects.filter(initiative_id__in=dup_ids))
        for figure in figures:
            figure.initiative = survivor
        reason = _("合并做法/项目：%(names)s → %(survivor)s") % {"names": names, "survivor": survivor.name}
        if figures:
            bulk_update_with_history(figures, Figure, ["initiative"], default_user=user,
                                     default_change_reason=reason)
        for dup in Initiative.objects.filter(pk__in=dup_ids):
            dup._history_user = user
            dup._change_reason = reason
            dup.delete()
        survivor.aliases = aliases
        survivor._history_user = user
        survivor._change_reason = reason
        survivor.save()
    return survivor
