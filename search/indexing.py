"""Building and writing search documents (see :mod:`search.models`).

:func:`article_texts` and :func:`build_document` are pure (an article and what
it links to in, texts and tokens out); :func:`index_articles` is the one place
that reads the database and writes the index, in bulk, for both backends.
Signals (:mod:`search.signals`) call :func:`schedule`, which indexes at once or,
inside :func:`batch`, once per article when the batch ends.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Prefetch

from cases.models import Article, ArticleRegion, Figure

from .models import ArticleDocument
from .segment import index_tokens, normalize_text

WEIGHTS = ("A", "B", "C", "D")
#: Positions kept per lexeme: term frequency beyond this adds nothing to ranking.
MAX_POSITIONS_PER_LEXEME = 32
MAX_POSITION = 16383  # PostgreSQL's limit
FTS_TABLE = "search_articlefts"


@dataclass
class WeightedTexts:
    """The texts of an article by weight: A title and initiative names … D body."""

    a: list[str] = field(default_factory=list)
    b: list[str] = field(default_factory=list)
    c: list[str] = field(default_factory=list)
    d: list[str] = field(default_factory=list)

    def by_weight(self):
        return zip(WEIGHTS, (self.a, self.b, self.c, self.d), strict=True)


def article_texts(article: Article) -> WeightedTexts:
    """Everything an article is found by, grouped by weight.

    Expects ``region_links`` (with region and aliases), ``initiatives`` and
    ``figures`` (with metric) prefetched, as :func:`index_articles` does.
    """
    texts = WeightedTexts()
    texts.a.append(article.title)
    texts.b += [article.subtitle, article.summary]
    authors = article.authors if isinstance(article.authors, list) else []
    texts.c += [str(a) for a in authors]
    for link in article.region_links.all():
        region = link.region
        texts.b += [region.name, region.short_name]
        texts.b += [alias.name for alias in region.aliases.all()]
    for initiative in article.initiatives.all():
        texts.a.append(initiative.name)
        texts.a += [str(a) for a in (initiative.aliases or []) if isinstance(a, str)]
        texts.c.append(initiative.description)
    for figure in article.figures.all():
        texts.c.append(figure.label)
        if figure.metric is not None:
            texts.c.append(figure.metric.name)
    texts.d.append(article.body)
    texts.a = [t for t in texts.a if t]
    texts.b = [t for t in texts.b if t]
    texts.c = [t for t in texts.c if t]
    texts.d = [t for t in texts.d if t]
    return texts


def escape_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(tokens_by_weight: Iterable[tuple[str, list[str]]]) -> str:
    """A tsvector in PostgreSQL's input syntax: ``'七星街道':1A,7A '网格':2D …``."""
    positions: dict[str, list[str]] = defaultdict(list)
    pos = 0
    for weight, tokens in tokens_by_weight:
        for token in tokens:
            pos = min(pos + 1, MAX_POSITION)
            kept = positions[token]
            if len(kept) < MAX_POSITIONS_PER_LEXEME:
                kept.append(f"{pos}{weight}")
    return " ".join(f"{escape_lexeme(token)}:{','.join(p)}" for token, p in positions.items())


def build_document(article: Article) -> ArticleDocument:
    texts = article_texts(article)
    tokens = {weight: [t for text in parts for t in index_tokens(text)] for weight, parts in texts.by_weight()}
    plain = "\n".join(normalize_text(t) for _, parts in texts.by_weight() for t in parts)
    return ArticleDocument(
        article_id=article.pk,
        tokens_a=" ".join(tokens["A"]),
        tokens_b=" ".join(tokens["B"]),
        tokens_c=" ".join(tokens["C"]),
        tokens_d=" ".join(tokens["D"]),
        plain_text=plain,
        vector=tsvector_literal(tokens.items()) if connection.vendor == "postgresql" else None,
    )


def articles_for_indexing(ids: Iterable[int]):
    return Article.objects.filter(pk__in=list(ids)).only(
        "id", "title", "subtitle", "authors", "summary", "body"
    ).prefetch_related(
        Prefetch("region_links", queryset=ArticleRegion.objects.select_related("region").prefetch_related(
            "region__aliases")),
        "initiatives",
        Prefetch("figures", queryset=Figure.objects.select_related("metric").only(
            "id", "article_id", "label", "metric__name")),
    )


def write_documents(documents: list[ArticleDocument]) -> None:
    if not documents:
        return
    with transaction.atomic():
        ArticleDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["tokens_a", "tokens_b", "tokens_c", "tokens_d", "plain_text", "vector", "indexed_at"],
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                ids = [d.article_id for d in documents]
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(ids))})", ids)
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, a, b, c, d) VALUES (%s, %s, %s, %s, %s)",
                    [(d.article_id, d.tokens_a, d.tokens_b, d.tokens_c, d.tokens_d) for d in documents],
                )


def delete_documents(ids: list[int]) -> None:
    ArticleDocument.objects.filter(article_id__in=ids).delete()
    delete_fts_rows(ids)


def delete_fts_rows(ids: list[int]) -> None:
    if connection.vendor == "sqlite" and ids:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(ids))})", ids)


def index_articles(ids: Iterable[int], chunk_size: int = 500) -> int:
    """(Re)index these articles; ids of deleted articles lose their documents. Returns the count."""
    ids = sorted({int(i) for i in ids if i is not None})
    done = 0
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        documents = [build_document(article) for article in articles_for_indexing(chunk)]
        write_documents(documents)
        found = {d.article_id for d in documents}
        missing = [i for i in chunk if i not in found]
        if missing:
            delete_documents(missing)
        done += len(documents)
    return done


# --- keeping the index current -------------------------------------------------

_state = threading.local()


def _pending() -> set[int] | None:
    return getattr(_state, "pending", None)


def _deleting() -> set[int]:
    if not hasattr(_state, "deleting"):
        _state.deleting = set()
    return _state.deleting


@contextmanager
def batch():
    """Defer reindexing inside the block; index each touched article once at the end.

    For bulk writers (the ingest pipeline, imports): ``with search.indexing.batch(): ...``
    """
    outer = _pending()
    if outer is not None:  # nested: the outermost batch indexes
        yield
        return
    _state.pending = set()
    try:
        yield
        ids = _state.pending
    finally:
        _state.pending = None
    index_articles(ids)


def schedule(ids: Iterable[int]) -> None:
    """Reindex these articles now, or at the end of the current :func:`batch`."""
    ids = {i for i in ids if i is not None} - _deleting()
    if not ids:
        return
    pending = _pending()
    if pending is not None:
        pending.update(ids)
    else:
        index_articles(ids)


def rebuild_all(chunk_size: int = 1000, progress=None) -> int:
    """Reindex every article (after a dictionary change, a restore, a bulk load)."""
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), chunk_size):
        done += index_articles(ids[start : start + chunk_size], chunk_size=chunk_size)
        if progress:
            progress(done, len(ids))
    stale = ArticleDocument.objects.exclude(article_id__in=Article.objects.values("pk"))
    stale_ids = list(stale.values_list("article_id", flat=True))
    if stale_ids:
        delete_documents(stale_ids)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT article_id FROM search_articledocument)")
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
    return done
