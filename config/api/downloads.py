"""Public CSV downloads kept per process while nothing they show has changed.

A county's figures as CSV (10,000 rows at a million figures) cost about half a second of
CPU each time, and they are the same bytes for every anonymous reader until someone writes.
As for the public pages (pages.cache), a download is kept under its full URL and the
``DataVersion('public-content')``, which database triggers bump in the same transaction as
any write to articles, figures, region links, initiatives, sources, publications, themes,
metrics or region names: a download of an older version is never served. Signed-in clients
(tokens, staff who see drafts) always get a fresh one.

The first request still streams while it is built; what it sent is kept only if the whole
body went out (a client that hangs up leaves nothing behind) and fits ``MAX_KEPT_CHARS``.
Downloads live in a cache of their own (``CACHES["downloads"]``) so that a few large
bodies cannot push the pages out of the default cache.
"""

import hashlib
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone

#: Models whose tables (and the related names their downloads show) bump the content version.
KEPT_MODELS = {"cases.article", "cases.figure", "cases.initiative", "cases.source", "cases.publication",
               "cases.theme", "cases.metric"}
MAX_KEPT_CHARS = 8 * 1024 * 1024
TIMEOUT = 3600  # only a bound on memory: a new version makes the kept bodies unreachable


def download_key(request, model) -> str | None:
    """The cache key of this download, or None when it must be built fresh."""
    if not settings.KEEP_DOWNLOADS or not request.user.is_anonymous or request.method not in ("GET", "HEAD"):
        return None
    if model._meta.label_lower not in KEPT_MODELS:
        return None
    from pages.cache import CONTENT_KEY
    from pages.summary import current_version

    # The date is in the file name (Content-Disposition), so a kept download is of today only.
    stamp = timezone.localdate().isoformat()
    # The absolute URL: the Link header of a partial download names the host it was asked on.
    path = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"download:{path}:{current_version(CONTENT_KEY)}:{stamp}"


def kept_response(key: str | None) -> HttpResponse | None:
    kept = caches["downloads"].get(key) if key else None
    if kept is None:
        return None
    content_type, headers, text = kept
    response = HttpResponse(text, content_type=content_type)
    for name, value in headers.items():
        response[name] = value
    return response


def keeping(pieces: Iterable[str], key: str | None, content_type: str, headers: dict) -> Iterator[str]:
    """Yield ``pieces`` and, once the last has gone out, keep the whole body under ``key``."""
    if key is None:
        yield from pieces
        return
    sent, size = [], 0
    for piece in pieces:
        if sent is not None:
            size += len(piece)
            if size > MAX_KEPT_CHARS:
                sent = None
            else:
                sent.append(piece)
        yield piece
    if sent is not None:
        caches["downloads"].set(key, (content_type, headers, "".join(sent)), TIMEOUT)
