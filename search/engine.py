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
