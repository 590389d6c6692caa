"""Keep search documents current whenever an article or what it links to changes.

The admin, the API and the ingest pipeline all write through the ORM, so model
signals see every change (``QuerySet.update()`` and ``bulk_create`` do not send
signals: callers using them run ``index_articles`` or ``rebuild_search_index``).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from cases.models import Article, ArticleRegion, Figure, Initiative, Metric
from regions.models import Region, RegionAlias

from . import indexing
from .models import ArticleDocument
from .segment import add_words

INDEXED_ARTICLE_FIELDS = {"title", "subtitle", "authors", "summary", "body"}


def learn_words(words):
    """Add new names to the dictionary; reindex the articles that contain them, so they stay whole.

    One scan of the documents' text per call; inside ``indexing.batch()`` the scan runs once,
    for every new word of the batch, when the batch ends.
    """
    new = add_words(words)
    if new:
        indexing.schedule_word_scan(new)


@receiver(post_save, sender=Article, dispatch_uid="search_article_saved")
def article_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not INDEXED_ARTICLE_FIELDS & set(update_fields)):
        return
    indexing.schedule([instance.pk])


@receiver(pre_delete, sender=Article, dispatch_uid="search_article_deleting")
def article_deleting(sender, instance, **kwargs):
    # Figures and region links are deleted first in the cascade; don't reindex a dying article.
    indexing._deleting().add(instance.pk)


@receiver(post_delete, sender=Article, dispatch_uid="search_article_deleted")
def article_deleted(sender, instance, **kwargs):
    indexing._deleting().discard(instance.pk)
    pending = indexing._pending()
    if pending is not None:
        pending.discard(instance.pk)


@receiver(post_delete, sender=ArticleDocument, dispatch_uid="search_document_deleted")
def document_deleted(sender, instance, **kwargs):
    indexing.delete_fts_rows([instance.article_id])


@receiver(post_save, sender=ArticleRegion, dispatch_uid="search_article_region_saved")
@receiver(post_delete, sender=ArticleRegion, dispatch_uid="search_article_region_deleted")
@receiver(post_save, sender=Figure, dispatch_uid="search_figure_saved")
@receiver(post_delete, sender=Figure, dispatch_uid="search_figure_deleted")
def article_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.schedule([instance.article_id])


@receiver(post_save, sender=Initiative, dispatch_uid="search_initiative_saved")
def initiative_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if not created:
        indexing.schedule(instance.articles.values_list("pk", flat=True))
    learn_words([instance.name, *[a for a in (instance.aliases or []) if isinstance(a, str)]])


@receiver(pre_delete, sender=Initiative, dispatch_uid="search_initiative_deleting")
def initiative_deleting(sender, instance, **kwargs):
    instance._search_article_ids = list(instance.articles.values_list("pk", flat=True))


@receiver(post_delete, sender=Initiative, dispatch_uid="search_initiative_deleted")
def initiative_deleted(sender, instance, **kwargs):
    indexing.schedule(getattr(instance, "_search_article_ids", []))


@receiver(m2m_changed, sender=Initiative.articles.through, dispatch_uid="search_initiative_articles")
def initiative_articles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        instance._search_cleared = (
            [instance.pk] if reverse else list(instance.articles.values_list("pk", flat=True))
        )
    elif action == "post_clear":
        indexing.schedule(getattr(instance, "_search_cleared", []))
    elif action in ("post_add", "post_remove"):
        indexing.schedule([instance.pk] if reverse else (pk_set or []))


@receiver(post_save, sender=Metric, dispatch_uid="search_metric_saved")
def metric_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        learn_words([instance.name, *[a for a in (instance.labels or []) if isinstance(a, str)]])
        indexing.schedule(Figure.objects.filter(metric=instance).values_list("article_id", flat=True).distinct())


@receiver(post_save, sender=Region, dispatch_uid="search_region_saved")
def region_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        add_words([instance.name, instance.short_name])
        indexing.schedule(ArticleRegion.objects.filter(region=instance).values_list("article_id", flat=True))


@receiver(post_save, sender=RegionAlias, dispatch_uid="search_region_alias_saved")
@receiver(post_delete, sender=RegionAlias, dispatch_uid="search_region_alias_deleted")
def region_alias_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        add_words([instance.name])
        indexing.schedule(
            ArticleRegion.objects.filter(region_id=instance.region_id).values_list("article_id", flat=True))
