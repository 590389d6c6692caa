"""The public collection's facet counts, kept between requests and never read stale.

``public_counts()`` returns the counts of every facet over what an anonymous reader sees
(see ``pages.facets.count_all``). They are stored in ``FacetSummary`` stamped with the
current ``DataVersion``; the triggers of migration pages/0002 bump that version in the
same transaction as any write that can change a count, so a stored summary whose version
is not the current one is simply counted again. A publish is seen by the very next request.
"""

import time

from django.db import IntegrityError, router, transaction
from django.db.models import Subquery

from cases.models import Article

from .facets import count_all
from .models import DataVersion, FacetSummary

#: The DataVersion row the triggers bump (pages/migrations/0002_facet_triggers.py).
VERSION_KEY = "public-facets"
SUMMARY_KEY = "public"


def _primary() -> str:
    """The database the summary is written to (the primary, when reads go to a replica)."""
    return router.db_for_write(DataVersion)


def current_version(key: str = VERSION_KEY) -> int:
    """The DataVersion ``key`` ("public-facets", "public-content"), created on first use.

    Read where the request reads its content (a replica, if any), so a version always
    describes the data read beside it; created on the primary.
    """
    version = DataVersion.objects.filter(key=key).values_list("version", flat=True).first()
    if version is not None:
        return version
    # First use (or a flushed database): start from the clock, so a summary left from an
    # earlier counter can never carry the same version.
    primary = _primary()
    try:
        with transaction.atomic(using=primary):
            return DataVersion.objects.using(primary).create(key=key, version=time.time_ns() // 1000).version
    except IntegrityError:
        # Another request created it first; read it back where it was written (a replica lags).
        return DataVersion.objects.using(primary).values_list("version", flat=True).get(key=key)


def public_counts() -> dict:
    """Facet counts and total of the published articles, at the current data version."""
    current = DataVersion.objects.filter(key=VERSION_KEY).values("version")
    kept = FacetSummary.objects.filter(key=SUMMARY_KEY, version=Subquery(current)).values_list("counts", flat=True).first()
    if kept is not None:
        return kept  # one query: the summary, if it is of the current version
    version = current_version()
    counts = count_all(Article.objects.visible_to(None))
    primary = _primary()
    # Still current on the primary after counting: keep it. A write meanwhile (or a replica
    # that lags behind the primary) means these counts are not of the primary's version.
    if DataVersion.objects.using(primary).filter(key=VERSION_KEY, version=version).exists():
        try:
            with transaction.atomic(using=primary):
                FacetSummary.objects.using(primary).update_or_create(key=SUMMARY_KEY, defaults={"version": version, "counts": counts})
        except IntegrityError:
            pass  # a concurrent request stored its own count of the same version
    return counts


def public_total() -> int:
    """The number of published articles, read out of the kept summary (not its whole JSON)."""
    current = DataVersion.objects.filter(key=VERSION_KEY).values("version")
    total = (
        FacetSummary.objects.filter(key=SUMMARY_KEY, version=Subquery(current))
        .values_list("counts__total", flat=True).first()
    )
    return int(total) if total is not None else public_counts()["total"]
