"""Building and writing search documents (see :mod:`search.models`).

:func:`article_texts` and :func:`build_document` are pure (an article and what
it links to in, texts and tokens out); :func:`index_articles` is the one place
that reads the database and writes the index, in bulk, for both backends.
Signals (:mod:`search.signals`) call :func:`schedule`, which indexes at once or,
inside :func:`batch`, once per article when the batch ends.
"""

from __future__ import annotations

import io
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Prefetch

from cases.models import Article, ArticleRegion, Figure
from regions.models import PREFIX_LENGTH

from . import grams as char_grams
from .models import ArticleDocument, TermImpact
from .segment import index_tokens, normalize_text, region_tokens

WEIGHTS = ("A", "B", "C", "D")
#: Positions kept per lexeme: term frequency beyond this adds nothing to ranking.
MAX_POSITIONS_PER_LEXEME = 16
MAX_POSITION = 16383  # PostgreSQL's limit
FTS_TABLE = "search_articlefts"
GRAMS_TABLE = "search_articlegrams"
#: Field weights for term impacts (like ts_rank's A 1.0, B 0.4, C 0.2, D 0.1).
IMPACT_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
#: Body words kept per article in TermImpact (every title/initiative/place/label word is kept).
MAX_BODY_TERMS = 40
AVERAGE_BODY_TOKENS = 1500


@dataclass
class WeightedTexts:
    """The texts of an article by weight: A title and initiative names … D body."""

    a: list[str] = field(default_factory=list)
    b: list[str] = field(default_factory=list)
    c: list[str] = field(default_factory=list)
    d: list[str] = field(default_factory=list)
    #: Index terms of the linked regions and everything above them (``rc3306`` …), weighted as B.
    places: list[str] = field(default_factory=list)

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
    texts.places = sorted({token for link in article.region_links.all()
                           for token in region_tokens(link.region.code, PREFIX_LENGTH[link.region.level])})
    texts.a = [t for t in texts.a if t]
    texts.b = [t for t in texts.b if t]
    texts.c = [t for t in texts.c if t]
    texts.d = [t for t in texts.d if t]
    return texts


def escape_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(tokens_by_weight: Iterable[tuple[str, list[str]]]) -> str:
    """A tsvector in PostgreSQL's input syntax: ``'七星街道':1A,7A '网格':2D …``."""
    positions: dict[str, list[str]] = {}
    pos = 0
    for weight, tokens in tokens_by_weight:
        for token in tokens:
            pos += 1
            kept = positions.get(token)
            if kept is None:
                positions[token] = [f"{min(pos, MAX_POSITION)}{weight}"]
            elif len(kept) < MAX_POSITIONS_PER_LEXEME:
                kept.append(f"{min(pos, MAX_POSITION)}{weight}")
    return " ".join(f"{escape_lexeme(token)}:{','.join(p)}" for token, p in positions.items())


def term_impacts(tokens_by_weight: dict[str, list[str]]) -> dict[str, float]:
    """Per word, how strongly the article is about it (BM25-like saturation, no idf).

    Words of the weighted fields (A-C) are all kept; of the body only the strongest
    ``MAX_BODY_TERMS``. Single characters are left out (queries check them as substrings).
    """
    scores: dict[str, float] = defaultdict(float)
    for weight in ("A", "B", "C"):
        for token, tf in Counter(tokens_by_weight.get(weight, [])).items():
            if len(token) >= 2:
                scores[token] += IMPACT_WEIGHTS[weight] * 2.2 * tf / (tf + 1.2)
    body = tokens_by_weight.get("D", [])
    norm = 0.25 + 0.75 * len(body) / AVERAGE_BODY_TOKENS
    body_scores = {
        token: IMPACT_WEIGHTS["D"] * 2.2 * tf / (tf + 1.2 * norm)
        for token, tf in Counter(body).items() if len(token) >= 2
    }
    for token in sorted(body_scores, key=lambda t: (-body_scores[t], t))[:MAX_BODY_TERMS]:
        scores[token] += body_scores[token]
    return {t[:64]: round(v, 5) for t, v in scores.items()}


def build_document(article: Article) -> ArticleDocument:
    texts = article_texts(article)
    tokens = {weight: [t for text in parts for t in index_tokens(text)] for weight, parts in texts.by_weight()}
    tokens["B"] += texts.places  # never segmented: they are terms already
    plain = "\n".join(normalize_text(t) for _, parts in texts.by_weight() for t in parts)
    # PostgreSQL keeps the tokens in the tsvector only; SQLite's FTS5 table is filled from these columns.
    keep_tokens = connection.vendor != "postgresql"
    document = ArticleDocument(
        article_id=article.pk,
        tokens_a=" ".join(tokens["A"]) if keep_tokens else "",
        tokens_b=" ".join(tokens["B"]) if keep_tokens else "",
        tokens_c=" ".join(tokens["C"]) if keep_tokens else "",
        tokens_d=" ".join(tokens["D"]) if keep_tokens else "",
        plain_text=plain,
        vector=tsvector_literal(tokens.items()) if connection.vendor == "postgresql" else None,
    )
    if connection.vendor == "postgresql":
        document.impacts = term_impacts(tokens)
    return document


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
    """Write these documents (and their grams, derived here from ``plain_text``; word scores on PostgreSQL)."""
    if not documents:
        return
    grams = {d.article_id: char_grams.text_grams(d.plain_text) for d in documents}
    if connection.vendor == "postgresql":
        for d in documents:
            d.grams = " ".join(escape_lexeme(g) for g in grams[d.article_id])  # a tsvector without positions
    with transaction.atomic():
        ArticleDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["tokens_a", "tokens_b", "tokens_c", "tokens_d", "plain_text", "vector", "grams",
                           "indexed_at"],
        )
        if connection.vendor == "postgresql":
            write_impacts(documents)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                ids = [d.article_id for d in documents]
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(ids))})", ids)
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, a, b, c, d) VALUES (%s, %s, %s, %s, %s)",
                    [(d.article_id, d.tokens_a, d.tokens_b, d.tokens_c, d.tokens_d) for d in documents],
                )
                cursor.execute(f"DELETE FROM {GRAMS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(ids))})", ids)
                cursor.executemany(f"INSERT INTO {GRAMS_TABLE} (rowid, grams) VALUES (%s, %s)",
                                   [(d.article_id, " ".join(grams[d.article_id])) for d in documents])


def write_impacts(documents: list[ArticleDocument]) -> None:
    """Replace the TermImpact rows of these articles (COPY: millions of rows on a big rebuild)."""
    TermImpact.objects.filter(article_id__in=[d.article_id for d in documents]).delete()
    buffer = io.StringIO()
    for d in documents:
        for term, impact in getattr(d, "impacts", {}).items():
            clean = term.replace("\\", "").replace("\t", "").replace("\n", "")
            if clean:
                buffer.write(f"{d.article_id}\t{clean}\t{impact}\n")
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {TermImpact._meta.db_table} (article_id, term, impact) FROM STDIN") as copy:
            copy.write(buffer.getvalue())


def delete_documents(ids: list[int]) -> None:
    ArticleDocument.objects.filter(article_id__in=ids).delete()
    delete_fts_rows(ids)


def delete_fts_rows(ids: list[int]) -> None:
    if connection.vendor == "sqlite" and ids:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(ids))})", ids)
            cursor.execute(f"DELETE FROM {GRAMS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(ids))})", ids)


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


def articles_containing(words: Iterable[str]) -> list[int]:
    """Ids of indexed articles whose text contains any of these words (by their grams, then checked)."""
    from django.db.models import Q

    from .engine import get_backend, substring_q
    from .segment import normalize_text

    backend = get_backend()
    condition = Q()
    for word in words:
        condition |= substring_q(normalize_text(word), backend, path="")
    if not condition:
        return []
    return list(ArticleDocument.objects.filter(condition).values_list("article_id", flat=True))


def schedule_word_scan(words: list[str]) -> None:
    """Reindex the articles containing newly learnt words (at the end of the current batch, if any)."""
    pending_words = getattr(_state, "words", None)
    if _pending() is not None and pending_words is not None:
        pending_words.update(words)
    else:
        schedule(articles_containing(words))


@contextmanager
def batch():
    """Defer reindexing inside the block; index each touched article once at the end.

    For bulk writers (the ingest pipeline, imports): ``with search.indexing.batch(): ...``
    """
    outer = _pending()
    if outer is not None:  # nested: the outermost batch indexes
        yield
        return
    _state.pending, _state.words = set(), set()
    try:
        yield
        ids, words = _state.pending, _state.words
    finally:
        _state.pending, _state.words = None, None
    if words:
        ids |= set(articles_containing(words))
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


def _index_chunk(ids: list[int]) -> int:
    return index_articles(ids)


def _worker_start() -> None:
    from django.db import connections

    connections.close_all()  # each worker opens its own connection


#: The documents' GIN index, as search/migrations/0007_match_index.py creates it.
MATCH_INDEX = "search_articledocument_match_gin"
MATCH_INDEX_SQL = f"CREATE INDEX IF NOT EXISTS {MATCH_INDEX} ON search_articledocument USING gin (vector, grams)"
#: From this many articles a rebuild drops the GIN index first and builds it again at the end.
REBUILD_WITHOUT_INDEX_FROM = 5000
#: Memory for building the GIN index (PostgreSQL's default, 64 MB, makes the build several times slower).
INDEX_BUILD_MEMORY = "512MB"


@contextmanager
def without_match_index(active: bool):
    """Rewrite every document without the GIN index, then build it once (PostgreSQL).

    Each document adds ~2,500 entries to the index. Inserted row by row they went to the
    index's pending list faster than it was merged: at 100,000 articles with two workers the
    list reached 3 GB and one insert spent half an hour merging it. Building the index over
    the finished table took 8–12 minutes. Searches meanwhile read every document: slow, but
    their results are the same. The index is built again even if the rebuild fails.
    """
    if not active:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {MATCH_INDEX}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('maintenance_work_mem', %s, false)", [INDEX_BUILD_MEMORY])
            try:
                cursor.execute(MATCH_INDEX_SQL)
            finally:  # the connection is reused: the build's memory setting does not outlive it
                cursor.execute("RESET maintenance_work_mem")


def rebuild_all(chunk_size: int = 1000, progress=None, jobs: int = 1) -> int:
    """Reindex every article (after a dictionary change, a restore, a bulk load).

    ``jobs`` > 1 indexes chunks in that many worker processes (PostgreSQL only; the
    tokenizer is built once here and inherited by the workers). On PostgreSQL, outside a
    transaction, a rebuild of ``REBUILD_WITHOUT_INDEX_FROM`` articles or more rebuilds the
    GIN index at the end (:func:`without_match_index`).
    """
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    bulk = connection.vendor == "postgresql" and connection.get_autocommit() and len(ids) >= REBUILD_WITHOUT_INDEX_FROM
    with without_match_index(bulk):
        done = _rebuild(ids, chunk_size, progress, jobs)
    if connection.vendor == "postgresql" and connection.get_autocommit():
        # A rebuild replaces every row: reclaim the old ones and mark the pages all-visible now,
        # or the word-score lookups (index-only scans) visit the table until autovacuum comes by.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {ArticleDocument._meta.db_table}")
            cursor.execute(f"VACUUM ANALYZE {TermImpact._meta.db_table}")
    return done


def _rebuild(ids: list[int], chunk_size: int, progress, jobs: int) -> int:
    from .segment import get_tokenizer

    chunks = [ids[start : start + chunk_size] for start in range(0, len(ids), chunk_size)]
    done = 0
    if jobs > 1 and connection.vendor == "postgresql" and len(chunks) > 1:
        import multiprocessing

        from django.db import connections

        get_tokenizer()
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start) as pool:
            for count in pool.imap_unordered(_index_chunk, chunks):
                done += count
                if progress:
                    progress(done, len(ids))
    else:
        for chunk in chunks:
            done += index_articles(chunk, chunk_size=chunk_size)
            if progress:
                progress(done, len(ids))
    stale = ArticleDocument.objects.exclude(article_id__in=Article.objects.values("pk"))
    stale_ids = list(stale.values_list("article_id", flat=True))
    if stale_ids:
        delete_documents(stale_ids)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in (FTS_TABLE, GRAMS_TABLE):
                cursor.execute(f"DELETE FROM {table} WHERE rowid NOT IN (SELECT article_id FROM search_articledocument)")
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    return done
