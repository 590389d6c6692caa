"""Full-text search over articles.

The public entry point is :func:`search_articles`; the API, the pages and the
admin call it and nothing else, so the engine behind it can change.

This first version is a plain substring match over title, subtitle, summary
and body (every whitespace-separated term must match); the search issue
replaces it with jieba-segmented PostgreSQL full-text search and SQLite FTS5.
"""

from django.db.models import Q, QuerySet

MAX_QUERY_LENGTH = 200


class QueryError(ValueError):
    """A query that cannot be run (empty, too long); its message is shown to the user."""


def parse_terms(q: str) -> list[str]:
    q = (q or "").strip()
    if not q:
        raise QueryError("检索词不能为空 (empty query)")
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(f"检索词过长：最多 {MAX_QUERY_LENGTH} 个字符 (query too long)")
    return q.split()


def search_articles(queryset: QuerySet, q: str) -> QuerySet:
    """Articles of ``queryset`` that match every term of ``q``."""
    for term in parse_terms(q):
        queryset = queryset.filter(
            Q(title__icontains=term)
            | Q(subtitle__icontains=term)
            | Q(summary__icontains=term)
            | Q(body__icontains=term)
        )
    return queryset


def make_snippet(text: str, q: str, width: int = 120) -> str:
    """About ``width`` characters of ``text`` around the first query term, HTML-escaped, terms in <mark>.

    A plain version (whitespace-separated terms); the search issue's engine may
    segment the query with jieba instead. Without a match, the text's start.
    """
    import html
    import re

    text = " ".join((text or "").split())
    terms = sorted({t for t in (q or "").split() if t}, key=len, reverse=True)
    lowered = text.lower()
    hits = [i for i in (lowered.find(t.lower()) for t in terms) if i >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    fragment = text[start:end]
    if not terms:
        escaped = html.escape(fragment)
    else:
        pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
        pieces, pos = [], 0
        for match in pattern.finditer(fragment):
            pieces.append(html.escape(fragment[pos:match.start()]))
            pieces.append(f"<mark>{html.escape(match.group())}</mark>")
            pos = match.end()
        pieces.append(html.escape(fragment[pos:]))
        escaped = "".join(pieces)
    return ("…" if start > 0 else "") + escaped + ("…" if end < len(text) else "")
