"""What the public pages keep between requests: the facet counts of the whole public collection.

The home page's facets over every published article are the same for every reader until an
article, a region link, a theme or an initiative link changes; counting them takes seconds at
100,000 articles. ``FacetSummary`` keeps them, stamped with the ``DataVersion`` they were
counted at. Database triggers (migration 0001) bump the version in the same transaction as any
write to those tables, bulk inserts and raw SQL included, so a summary is never read stale:
a reader whose version differs counts afresh (see ``pages.summary``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A counter bumped by triggers on every write that can change the public facets."""

    key = models.CharField(_("键"), max_length=40, primary_key=True)
    version = models.BigIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("数据版本")
        verbose_name_plural = _("数据版本")

    def __str__(self):
        return f"{self.key} v{self.version}"


class FacetSummary(models.Model):
    """Facet counts of the public collection at one ``DataVersion``."""

    key = models.CharField(_("键"), max_length=40, primary_key=True)
    version = models.BigIntegerField(_("版本"))
    counts = models.JSONField(_("计数"))
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("筛选计数汇总")
        verbose_name_plural = _("筛选计数汇总")

    def __str__(self):
        return f"{self.key} v{self.version}"
