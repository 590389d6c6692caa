"""Whole public pages kept per process while nothing they show has changed.

A metric page reads every figure of its metric and a region page sorts its figures: hundreds of
milliseconds at a million figures, for a page that is the same for every anonymous reader until
someone writes. ``@cached_for_the_public`` keeps the rendered page under its full URL and the
``DataVersion('public-content')``, which database triggers (migration pages/0003) bump in the same
transaction as any write to articles, figures, links, initiatives, sources, publications, themes,
metrics or region names; a page of an older version is never served. Staff and signed-in
readers always get a fresh page.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

from .summary import current_version

CONTENT_KEY = "public-content"
#: Only a bound on memory: a page is replaced as soon as the content changes.
TIMEOUT = 3600


def cached_for_the_public(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_anonymous or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = current_version(CONTENT_KEY)
        key = f"page:{hashlib.sha256(request.get_full_path().encode()).hexdigest()}:{version}"
        kept = cache.get(key)
        if kept is not None:
            status, content_type, content = kept
            return HttpResponse(content, status=status, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.status_code, response["Content-Type"], response.content), TIMEOUT)
        return response

    return wrapper
