"""Chinese full-text search: the one entry point for the API, the pages and the admin.

- :func:`search_articles` filters an Article queryset by a query and annotates
  ``rank`` (callers order by ``-rank``).
- :func:`make_snippet` cuts the best passage of a text and marks the terms.
- :func:`search_all` is the one search box: articles, initiatives, regions, metrics.

Query syntax (what a researcher expects)::

    网格 治理            both words (several words mean all of them)
    "一张网格管治理"      a phrase, exactly as written
    网格 -疫情           exclude a word or phrase
    新昌县 / 绍兴         a place name also finds articles linked to the place
                         or any region under it (by code prefix)

Words are cut with jieba (:mod:`search.segment`) exactly as the index was. A
term that is a single character, or that the dictionary cannot cut into words
of two or more characters (a two-character word it does not know), is checked
as a substring of the text, so short queries find what a plain substring search
would; a phrase is looked up by its words in the index and then checked as a
substring. PostgreSQL matches a tsquery against the stored tsvector (GIN index)
and ranks with ``ts_rank``; SQLite does the same with FTS5 and ``bm25``.
"""

from __future__ import annotations

import html
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import DatabaseError, connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Least

from . import grams as char_grams
from .segment import is_reliable_token, normalize_text, query_search_tokens, query_tokens, region_token

MAX_QUERY_LENGTH = 200
MAX_CLAUSES = 12
FTS_TABLE = "search_articlefts"
GRAMS_TABLE = "search_articlegrams"
#: Column weights for SQLite's bm25 (A title/initiatives … D body), like ts_rank's {1.0, 0.4, 0.2, 0.1}.
BM25_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
#: ts_rank normalisation: 1 divides by 1 + log(document length) so long texts do not win by size.
TS_RANK_NORMALIZATION = 1
#: ts_rank_cd (cover density) grows with every occurrence; plain ts_rank saturates after the first few.
TS_RANK_FUNCTION = "ts_rank_cd"
#: Added to the rank per positive term that appears in the title as written.
TITLE_BONUS = {"postgresql": 0.5, "sqlite": 10.0}
#: Share of that bonus for a term of several words found as written in the text (title, body …).
PHRASE_SHARE = 0.5

QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "「": '"', "」": '"', "＂": '"'})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CLAUSE = re.compile(r'(?P<neg>[-－]?)"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+)')


class QueryError(ValueError):
    """A query that cannot be run; its message is shown to the user (the API answers 400)."""


@dataclass(frozen=True)
class Clause:
    """One term of a query: a word or a phrase, wanted or excluded."""

    text: str  # normalised as the index's plain text is
    tokens: tuple[str, ...]  # precise words, each must be in a matching document
    rank_tokens: tuple[str, ...]  # words and sub-words (cut_for_search), for ranking
    phrase: bool = False
    exclude: bool = False
    place_prefixes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def index_tokens(self) -> tuple[str, ...]:
        return tuple(t for t in self.tokens if is_reliable_token(t))

    @property
    def needs_substring(self) -> bool:
        """Whether the index alone cannot decide: phrases, and terms with single characters."""
        return self.phrase or len(self.index_tokens) < len(self.tokens) or not self.tokens

    @property
    def substrings(self) -> tuple[str, ...]:
        """What the text must contain besides the index words: a phrase whole; in a term of words
        and single characters (景宁茶产业 → 景宁 茶 产业), each run of single characters, so the
        words are matched as parts; a term of single characters only, whole."""
        if self.phrase or not self.index_tokens:
            return (self.text,)
        runs, current = [], ""
        for token in self.tokens:
            if is_reliable_token(token):
                runs.append(current)
                current = ""
            else:
                current += token
        runs.append(current)
        runs = [r for r in runs if r]
        if any(r not in self.text for r in runs):  # punctuation between them: keep the term whole
            return (self.text,)
        return tuple(runs)

    @property
    def plain_index_match(self) -> bool:
        """Decided by the index alone (no substring check, no place)."""
        return not self.needs_substring and not self.place_prefixes


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]

    @property
    def wanted(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.exclude)

    @property
    def excluded(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.exclude)

    @property
    def highlight_terms(self) -> list[str]:
        """What a snippet marks: each wanted term as written, and its words."""
        terms = set()
        for clause in self.wanted:
            terms.add(clause.text)
            if not clause.phrase:
                terms.update(t for t in clause.rank_tokens if len(t) >= 2)
        return sorted((t for t in terms if t), key=len, reverse=True)


def parse_query(q: str) -> ParsedQuery:
    """Split a query into clauses and cut each into words; raise QueryError when it cannot be run."""
    if q is None or not str(q).strip():
        raise QueryError("检索词不能为空 (empty query)")
    q = _CONTROL.sub(" ", str(q)).translate(QUOTES).strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(f"检索词过长：最多 {MAX_QUERY_LENGTH} 个字符 (query too long)")
    if q.count('"') % 2:
        raise QueryError("引号不成对：短语要用一对引号括起来，如 \"共富工坊\" (unbalanced quotes)")
    clauses = []
    for match in _CLAUSE.finditer(q):
        if match.group("word") is not None:
            word = match.group("word")
            exclude = word[0] in "-－"
            raw, phrase = (word[1:] if exclude else word), False
            if exclude and not raw:
                raise QueryError("“-”后面缺少要排除的词，如 网格 -疫情 (nothing after '-')")
        else:
            raw, phrase, exclude = match.group("phrase"), True, bool(match.group("neg"))
            if not raw.strip():
                raise QueryError("引号中没有检索词 (empty phrase)")
        text = normalize_text(raw)
        if not re.search(r"\w", text):
            continue  # punctuation only: nothing to look for
        clauses.append(Clause(
            text=text, tokens=tuple(query_tokens(text)), rank_tokens=tuple(query_search_tokens(text)),
            phrase=phrase, exclude=exclude,
        ))
    if not clauses:
        raise QueryError("检索词中没有可查找的文字 (nothing to search for)")
    if len(clauses) > MAX_CLAUSES:
        raise QueryError(f"检索词太多：最多 {MAX_CLAUSES} 个 (too many terms)")
    if all(c.exclude for c in clauses):
        raise QueryError("至少要有一个要查找的词，不能只有排除词 (only exclusions)")
    return ParsedQuery(tuple(clauses))


def with_places(parsed: ParsedQuery) -> ParsedQuery:
    """Attach region code prefixes to clauses that name a place (full, short or former name).

    A word that names a place inside a longer term (新昌网格 → 新昌 网格) becomes a term of
    its own, so it too finds the articles linked to the place and everything under it.
    """
    from regions.models import Region, RegionAlias, code_prefix

    texts = {c.text for c in parsed.clauses}
    texts |= {t for c in parsed.clauses if _splittable(c) for t in c.tokens}
    found: dict[str, set[str]] = {}
    # One query of two indexed lookups, rather than an OR across a join, which scans every region.
    named = Region.objects.filter(Q(name__in=texts) | Q(short_name__in=texts)).order_by().values_list(
        "code", "level", "name", "short_name")
    aliased = RegionAlias.objects.filter(name__in=texts).order_by().values_list(
        "region__code", "region__level", "name", "name")
    for code, level, *names in named.union(aliased, all=True):
        for name in names:
            text = normalize_text(name or "")
            if text in texts:
                found.setdefault(text, set()).add(code_prefix(code, level))
    if not found:
        return parsed
    clauses = []
    for c in parsed.clauses:
        if c.text not in found and _splittable(c) and any(t in found for t in c.tokens):
            runs: list[list[str]] = []  # each place word alone, the words between them together
            for t in c.tokens:
                if t in found or not runs or runs[-1][-1] in found:
                    runs.append([t])
                else:
                    runs[-1].append(t)
            for run in runs:
                text = "".join(run)
                clauses.append(Clause(text, tuple(run), tuple(query_search_tokens(text)),
                                      place_prefixes=tuple(sorted(found.get(text, ()))) if len(run) == 1 else ()))
        else:
            clauses.append(Clause(c.text, c.tokens, c.rank_tokens, c.phrase, c.exclude,
                                  tuple(sorted(found.get(c.text, ())))))
    return ParsedQuery(tuple(clauses))


def _splittable(clause: Clause) -> bool:
    """A wanted term of several whole words (not a phrase): it means all of them, so it may be cut up."""
    return not clause.phrase and not clause.exclude and len(clause.tokens) > 1 and bool(clause.index_tokens)


# --- backends -------------------------------------------------------------------


class Matches(Func):
    """``vector @@ query`` as a boolean expression."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _pg_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _fts_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class PostgresBackend:
    """tsquery literals cast with ``::tsquery``: no parser, so no dependence on the locale."""

    vendor = "postgresql"

    @staticmethod
    def tsquery(groups: list[tuple[str, ...]], exclude: list[tuple[str, ...]] = ()) -> str:
        wanted = " & ".join(_pg_lexeme(t) for g in groups for t in g)
        unwanted = " & ".join("!(" + " & ".join(_pg_lexeme(t) for t in g) + ")" for g in exclude)
        return " & ".join(p for p in (wanted, unwanted) if p)

    def _query(self, literal):
        return RawSQL("%s::tsquery", [literal])

    def match_q(self, groups, exclude=(), path="search_document__") -> Q:
        return Q(Matches(F(f"{path}vector"), self._query(self.tsquery(groups, exclude))))

    def match_any_q(self, groups, path="search_document__") -> Q:
        """Any one of the groups (all words of a group): a single index lookup."""
        literal = " | ".join("(" + " & ".join(_pg_lexeme(t) for t in g) + ")" for g in groups)
        return Q(Matches(F(f"{path}vector"), self._query(literal)))

    def grams_q(self, query: char_grams.GramQuery, path="search_document__") -> Q:
        """The document holds these grams (see :mod:`search.grams`): a GIN index lookup."""
        terms = [_pg_lexeme(g) for g in query.grams] + [_pg_lexeme(p) + ":*" for p in query.prefixes]
        return Q(Matches(F(f"{path}grams"), self._query(" & ".join(terms))))

    def rank(self, tokens: list[str]):
        literal = " | ".join(_pg_lexeme(t) for t in sorted(set(tokens)))
        if not literal:
            return Value(0.0, output_field=FloatField())
        return Coalesce(
            Func(F("search_document__vector"), self._query(literal), Value(TS_RANK_NORMALIZATION),
                 function=TS_RANK_FUNCTION, output_field=FloatField()),
            Value(0.0, output_field=FloatField()),
        )


class SqliteBackend:
    """FTS5 MATCH expressions over the same tokens; rank from bm25 (negated: higher is better)."""

    vendor = "sqlite"

    @staticmethod
    def fts_query(groups, exclude=()) -> str:
        wanted = " AND ".join(_fts_string(t) for g in groups for t in g)
        if exclude:
            unwanted = " OR ".join("(" + " AND ".join(_fts_string(t) for t in g) + ")" for g in exclude)
            return f"({wanted}) NOT ({unwanted})"
        return wanted

    # ``path`` is unused: the FTS rowid is the article id, which is also the document's pk.
    def match_q(self, groups, exclude=(), path="search_document__") -> Q:
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        return Q(pk__in=RawSQL(sql, [self.fts_query(groups, exclude)]))

    def match_any_q(self, groups, path="search_document__") -> Q:
        expression = " OR ".join("(" + " AND ".join(_fts_string(t) for t in g) + ")" for g in groups)
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        return Q(pk__in=RawSQL(sql, [expression]))

    def grams_q(self, query: char_grams.GramQuery, path="search_document__") -> Q:
        """The document holds these grams: the FTS5 gram table's rowids (article ids, like ``pk``)."""
        sql = f"SELECT rowid FROM {GRAMS_TABLE} WHERE {GRAMS_TABLE} MATCH %s"
        terms = [_fts_string(g) for g in query.grams] + [_fts_string(p) + "*" for p in query.prefixes]
        return Q(pk__in=RawSQL(sql, [" AND ".join(terms)]))

    def rank(self, tokens: list[str]):
        expression = " OR ".join(_fts_string(t) for t in sorted(set(tokens)))
        if not expression:
            return Value(0.0, output_field=FloatField())
        from cases.models import Article

        article_id = f'{connection.ops.quote_name(Article._meta.db_table)}.{connection.ops.quote_name("id")}'
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        sql = (f"COALESCE((SELECT -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "
               f"WHERE {FTS_TABLE} MATCH %s AND rowid = {article_id}), 0.0)")
        return RawSQL(sql, [expression], output_field=FloatField())


def get_backend():
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"search: no full-text backend for {connection.vendor}")


# --- articles --------------------------------------------------------------------


def clause_q(clause: Clause, backend, path: str = "search_document__", checked: bool = True) -> Q:
    """The condition one clause puts on an article (without its sign).

    A place is found by its name or by the index term of its code prefix (``rc3306``:
    linked to a region under it, see ``search.segment.region_tokens``), one index lookup.
    ``path`` leads from the queryset's model to its ArticleDocument ("" on ArticleDocument).
    """
    places = [(region_token(p),) for p in clause.place_prefixes]
    if places and not clause.needs_substring:
        return backend.match_any_q([clause.index_tokens, *places] if clause.index_tokens else places, path)
    condition = None
    if clause.index_tokens:
        condition = backend.match_q([clause.index_tokens], path=path)
    if clause.needs_substring:
        substring = Q()
        for part in clause.substrings:
            substring &= substring_q(part, backend, path, checked)
        condition = substring if condition is None else condition & substring
    if places:
        condition |= backend.match_any_q(places, path)
    return condition


def substring_q(part: str, backend, path: str = "search_document__", checked: bool = True) -> Q:
    """The text contains ``part`` as written: by its grams alone when they decide (up to three
    characters), else documents holding its grams, then checked (``checked=False``: not checked,
    the documents that may contain it).

    ``path`` leads from the queryset's model to its ArticleDocument ("" on ArticleDocument).
    """
    grams = char_grams.query_grams(part)
    if not grams:
        return Q(**{f"{path}plain_text__contains": part})
    if grams.exact or not checked:
        return backend.grams_q(grams, path)
    return backend.grams_q(grams, path) & Q(**{f"{path}plain_text__contains": part})


def place_links(clause: Clause, **lookups) -> Exists:
    """Whether the article links (``**lookups``: with that role) to a region under the clause's place.

    For the rank bonus, computed only for the rows being ranked: EXISTS, an index lookup per article."""
    from cases.models import ArticleRegion

    in_place = Q()
    for prefix in clause.place_prefixes:
        in_place |= Q(region__code__startswith=prefix)
    return Exists(ArticleRegion.objects.filter(in_place, article=OuterRef("pk"), **lookups))


def articles_filter(parsed: ParsedQuery, backend, path: str = "search_document__", checked: bool = True) -> Q:
    """All wanted clauses, none of the excluded; plain index clauses folded into one index query.

    It reads the search document only (``path`` leads to it), so it also filters ArticleDocument.
    ``checked=False`` leaves out reading the text for the wanted substrings that the grams do not
    decide: the documents that may match, a superset (exclusions stay exact).
    """
    plain_wanted = [c.index_tokens for c in parsed.wanted if c.plain_index_match]
    plain_excluded = [c.index_tokens for c in parsed.excluded if c.plain_index_match]
    condition = Q()
    if plain_wanted:
        condition &= backend.match_q(plain_wanted, plain_excluded, path=path)
    else:
        for tokens in plain_excluded:
            condition &= ~backend.match_q([tokens], path=path)
    for clause in parsed.clauses:
        if clause.plain_index_match:
            continue
        condition &= ~clause_q(clause, backend, path) if clause.exclude else clause_q(clause, backend, path, checked)
    return condition


def matching_article_ids(q: str) -> list[int]:
    """The ids of every article, drafts too, whose search document matches ``q``.

    The documents alone, without joining the articles: for counting facets over all the
    matches, where the caller keeps only those it may show (pages.facet_index). Joining
    the articles to check their status cost a scan of every article per search.
    """
    from .models import ArticleDocument

    parsed = with_places(parse_query(q))
    condition = articles_filter(parsed, get_backend(), path="")
    return list(ArticleDocument.objects.filter(condition).values_list("article_id", flat=True))


def place_mentions(clause: Clause):
    """How often the article names a region under the clause's place (its most named one; 0 if none)."""
    from cases.models import ArticleRegion

    in_place = Q()
    for prefix in clause.place_prefixes:
        in_place |= Q(region__code__startswith=prefix)
    most = ArticleRegion.objects.filter(in_place, article=OuterRef("pk")).order_by("-mentions").values("mentions")[:1]
    return Coalesce(Subquery(most, output_field=FloatField()), Value(0.0), output_field=FloatField())


#: Mentions of a place beyond which an article counts as much about it as one can be without it being the subject.
FULL_MENTIONS = 4.0


def title_contains(text: str) -> Q:
    """The title contains ``text`` ignoring case; a plain LIKE when ``text`` has no case to ignore
    (Chinese, digits), as case-folding every title costs more than the rest of a ranking."""
    if text.upper() == text.lower():
        return Q(title__contains=text)
    return Q(title__icontains=text)


def rank_expression(parsed: ParsedQuery, backend, text: bool = True):
    """Text rank, plus bonuses: per wanted term in the title, per term found as written (a phrase,
    not only its words apart), and per place by how much the article is about it (its main subject
    gets the whole bonus; an article that names it gets a share that grows with how often).

    ``text=False`` leaves out what reads the document (the text rank, the phrase check): the
    title and place bonuses only, cheap enough to order thousands of matches.
    """
    from cases.models import ArticleRegion

    tokens = [t for c in parsed.wanted for t in c.rank_tokens if is_reliable_token(t)]
    rank = backend.rank(tokens) if text else Value(0.0, output_field=FloatField())
    bonus = TITLE_BONUS[backend.vendor]
    for clause in parsed.wanted:
        rank = rank + Case(When(title_contains(clause.text), then=Value(bonus)), default=Value(0.0),
                           output_field=FloatField())
        if text and not clause.phrase and len(clause.tokens) > 1 and clause.index_tokens:
            # Words the dictionary cut apart (疫情防控 → 疫情 防控) count more where they stand together.
            rank = rank + Case(When(search_document__plain_text__contains=clause.text, then=Value(bonus * PHRASE_SHARE)),
                               default=Value(0.0), output_field=FloatField())
        if clause.place_prefixes:
            share = Least(place_mentions(clause), Value(FULL_MENTIONS)) / Value(FULL_MENTIONS)
            rank = rank + Case(
                When(place_links(clause, role=ArticleRegion.Role.MAIN), then=Value(bonus)),
                default=Value(bonus / 2) * share, output_field=FloatField(),
            )
    return rank


def search_articles(queryset: QuerySet, q: str) -> QuerySet:
    """Articles of ``queryset`` matching ``q``, annotated with ``rank`` (order by ``-rank``).

    Raises :class:`QueryError` with a message for the user when ``q`` cannot be run.
    """
    parsed = with_places(parse_query(q))
    backend = get_backend()
    return queryset.filter(articles_filter(parsed, backend)).annotate(rank=rank_expression(parsed, backend))


#: Candidates ranked in full (the articles most about the query, see candidate_ids): five pages'
#: worth, within these bounds. The pool depends on the page size only, so paging stays consistent.
MIN_CANDIDATES, MAX_CANDIDATES = 50, 200
#: Up to this many matches are all ranked (cheap enough); more go through the candidates.
EXACT_RANK_LIMIT = 400
#: First pass over each requirement's best postings only (an index-only scan each); if that
#: fills less than a page, a second, deeper pass. Never all of them: a common word holds tens of
#: thousands of postings at 100k articles (社区: 88,654), and summing them all cost 50–100 ms per
#: query; what the deeper pass misses is ordered with the other matches (ranked_slice).
CANDIDATE_DEPTH = 2000
DEEP_CANDIDATE_DEPTH = 6000


def ranked_articles(queryset: QuerySet, q: str, limit: int = 10, offset: int = 0) -> list:
    """One page of :func:`search_articles` ordered by rank, fast even when a word matches half the collection."""
    parsed = with_places(parse_query(q))
    backend = get_backend()
    results = queryset.filter(articles_filter(parsed, backend)).annotate(rank=rank_expression(parsed, backend))
    return ranked_slice(results.order_by("-rank", "id"), parsed, offset, limit)


def ranked_slice(results: QuerySet, parsed: ParsedQuery | str, offset: int, limit: int, total: int | None = None) -> list:
    """``results[offset:offset + limit]`` for a queryset from :func:`search_articles` ordered by ``-rank``.

    Ranking a match costs reading its whole document, so on PostgreSQL the order is:
    first the candidates (:func:`candidate_ids`, the articles most about the query,
    from precomputed word scores) that match, by rank; then every other match, for pages
    that reach past the candidates: by rank if at most ``EXACT_RANK_LIMIT`` are left, else
    by the title and place bonuses only (``rank_expression(text=False)``), then id. A common word
    matching half the collection thus costs a few hundred ranked documents, not
    fifty thousand. The order is the same for every page, so paging neither skips
    nor repeats an article. When the caller knows that at most ``EXACT_RANK_LIMIT``
    articles match (``total``, as a paginator does), and elsewhere (SQLite), every
    match is ranked.
    """
    if isinstance(parsed, str):
        parsed = with_places(parse_query(parsed))
    if connection.vendor != "postgresql" or limit <= 0:
        return list(results[offset : offset + limit])
    # Few matches (when the caller has counted them: counting costs a scan of its own): rank them all.
    if total is not None and total <= EXACT_RANK_LIMIT:
        return list(results[offset : offset + limit])
    ids = candidate_ids(parsed, pool=min(MAX_CANDIDATES, max(MIN_CANDIDATES, 5 * limit)), enough=limit)
    if ids is None:  # no words: the rank is the title and place bonuses, unless sub-words rank the text
        walked = None
        ties = [o for o in results.query.order_by if o != "-rank"]
        if not _ranks_text(parsed) and all(isinstance(o, str) for o in ties):
            walked = _by_bonus_reading_few_texts(results, parsed, offset, limit, ties=(*ties, "id"))
        if walked is None:
            return list(results[offset : offset + limit])
        with listed_rows_only():
            return _rows_in_order(results, walked)
    # The matching candidates' ids by rank (a short literal id list: PostgreSQL checks each by primary
    # key), then the page's rows (ranked again, a handful), in that order.
    # (The ids on both tables: else a misestimated word index scan may be joined to the list in a loop.)
    with listed_rows_only():
        first = list(results.filter(pk__in=ids, search_document__article_id__in=ids).values_list("pk", flat=True)) \
            if ids else []
        page = _rows_in_order(results, first[offset : offset + limit])
    if len(page) == limit:
        return page
    # The other matches (each lacks a precomputed score for some word: none is much about the
    # whole query): ranked in full if they are few; else by the bonuses alone, then id, as ranking
    # them by text would read every one of them, thousands for common words.
    rest_offset = max(0, offset - len(first))
    rest = results.exclude(pk__in=first)
    wanted = slice(rest_offset, rest_offset + limit - len(page))
    few = list(rest.order_by().values_list("pk", flat=True)[: EXACT_RANK_LIMIT + 1])
    if len(few) <= EXACT_RANK_LIMIT:
        if not few:
            return page
        with listed_rows_only():
            return page + list(results.filter(pk__in=few)[wanted])
    rest_ids = _by_bonus_reading_few_texts(results, parsed, wanted.start, wanted.stop - wanted.start, exclude=first)
    if rest_ids is None:
        rest = rest.annotate(rest_rank=rank_expression(parsed, get_backend(), text=False))
        rest_ids = list(rest.order_by("-rest_rank", "id").values_list("pk", flat=True)[wanted])
    with listed_rows_only():
        return page + _rows_in_order(results, rest_ids)


#: Documents whose text :func:`_by_bonus_reading_few_texts` reads at most, and how many at a time.
TEXT_WALK_LIMIT, TEXT_WALK_BATCH = 1000, 100


def _ranks_text(parsed: ParsedQuery) -> bool:
    """Whether the rank reads the document beyond the bonuses (some wanted sub-word is an index term)."""
    return any(is_reliable_token(t) for c in parsed.wanted for t in c.rank_tokens)


def _reads_text(parsed: ParsedQuery) -> bool:
    """Whether matching reads documents' text: a wanted substring longer than its grams decide."""
    return any(c.needs_substring and not char_grams.query_grams(part).exact
               for c in parsed.wanted for part in c.substrings)


def _by_bonus_reading_few_texts(results: QuerySet, parsed: ParsedQuery, start: int, count: int,
                                exclude=(), ties=("id",)) -> list[int] | None:
    """Ids of ``results`` (less ``exclude``) ordered by the title and place bonuses, then by
    ``ties``: ``[start:start + count]``, reading the text of few documents; None if that would
    take long.

    A substring of four or more characters (红色根脉强基工程's 根脉强基) is only suggested by its
    grams: each document holding them must have its text read (~20 µs each; 3,000 documents,
    60 ms), and ordering every match reads them all. Instead the documents the index alone
    admits are ordered by the bonuses (no text read), and the full query checks them in that
    order, a batch at a time, until the page is full. The order is the same: the bonuses do
    not depend on the text. None (the caller orders every match) when the query reads no text,
    or the page is not found within ``TEXT_WALK_LIMIT`` documents (other filters of the caller
    leave few of them, or a deep page).
    """
    if connection.vendor != "postgresql" or not _reads_text(parsed):
        return None
    from cases.models import Article

    backend = get_backend()
    admitted = Article.objects.filter(articles_filter(parsed, backend, checked=False)).exclude(pk__in=list(exclude))
    ordered = list(admitted.annotate(walk_rank=rank_expression(parsed, backend, text=False))
                   .order_by("-walk_rank", *ties).values_list("pk", flat=True)[: TEXT_WALK_LIMIT + 1])
    complete = len(ordered) <= TEXT_WALK_LIMIT
    found: list[int] = []
    with listed_rows_only():
        for at in range(0, min(len(ordered), TEXT_WALK_LIMIT), TEXT_WALK_BATCH):
            batch = ordered[at : at + TEXT_WALK_BATCH]
            matching = set(results.filter(pk__in=batch).order_by().values_list("pk", flat=True))
            found += [pk for pk in batch if pk in matching]
            if len(found) >= start + count:
                return found[start : start + count]
    return found[start : start + count] if complete else None


def _rows_in_order(results: QuerySet, ids: list[int]) -> list:
    by_id = {a.pk: a for a in results.filter(pk__in=ids)} if ids else {}
    return [by_id[pk] for pk in ids if pk in by_id]


@contextmanager
def listed_rows_only():
    """For queries of a short list of known ids (PostgreSQL): check those rows, never a whole index.

    The planner's estimate for ``@@`` on several words and grams is poor, so with an id list
    it may still combine GIN bitmaps over the whole collection and check thousands of texts.
    GIN serves bitmap scans only: without them it fetches the listed rows by primary key.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_bitmapscan'), set_config('enable_bitmapscan', 'off', false)")
        before = cursor.fetchone()[0]
        try:
            yield
        finally:
            try:
                cursor.execute("SELECT set_config('enable_bitmapscan', %s, false)", [before])
            except DatabaseError:  # an aborted transaction: rolling it back undoes the setting too
                pass


def ordered_by_rank(queryset: QuerySet) -> bool:
    """Whether a queryset is ordered by relevance first (its pages then come from :func:`ranked_slice`)."""
    return bool(queryset.query.order_by) and queryset.query.order_by[0] == "-rank"


def candidate_ids(parsed: ParsedQuery, pool: int = MAX_CANDIDATES, enough: int | None = None) -> list[int] | None:
    """Ids of the (at most ``pool``) articles most about the whole query, or None if it has no words.

    The first pass reads each word's best postings only. If it found fewer than ``enough``
    (default: the whole pool) and cut some list short, a second pass: when some requirement's
    lists were all read in full (a rarer word: 讲话, 余村), every candidate (an article with a
    score for each requirement) is among its articles, so the other words' scores are looked up
    for those articles only, and the result is the same as reading every list; else the lists are read deeper (``DEEP_CANDIDATE_DEPTH``). A caller asks
    for a page's worth, never for its offset, so that every page of a query sees the same candidates.
    """
    enough = pool if enough is None else min(enough, pool)
    first = candidate_sql(parsed, depth=CANDIDATE_DEPTH, limit=pool)
    if first is None:
        return None
    rows = _fetch(first)
    ids = [article_id for article_id, _counts in rows if article_id is not None]
    counts = rows[0][1]
    if len(ids) >= enough or all(n < CANDIDATE_DEPTH for n in counts):  # enough, or no list was cut
        return ids
    anchor = _complete_requirement(parsed, counts)
    if anchor is not None:
        second = candidate_sql(parsed, limit=pool, anchor=anchor)
    else:
        second = candidate_sql(parsed, depth=DEEP_CANDIDATE_DEPTH, limit=pool)
    return [article_id for article_id, _counts in _fetch(second) if article_id is not None]


def _fetch(statement) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        return cursor.fetchall()


def _complete_requirement(parsed: ParsedQuery, counts: list[int]) -> int | None:
    """The requirement whose posting lists were all read in full at ``CANDIDATE_DEPTH`` and are
    the shortest together; None if every requirement has a list that was cut short."""
    best = None
    for requirement, parts in enumerate(_requirements(parsed)):
        lengths = [counts[part] for part, _term in parts]
        if all(n < CANDIDATE_DEPTH for n in lengths) and (best is None or sum(lengths) < best[1]):
            best = (requirement, sum(lengths))
    return None if best is None else best[0]


def _requirements(parsed: ParsedQuery) -> list[list[tuple[int, str]]]:
    """The query's requirements, each a list of (part, term): an article meets a requirement by
    holding a word score for one of its terms. Each wanted word is a requirement; a wanted place
    is one, met by its name (its longest word) or a link to a region under it (its ``rc…`` code
    prefix terms, which TermImpact holds like words). A clause of single characters sets none:
    its grams and the text decide, not the word scores."""
    requirements, part = [], 0
    for clause in parsed.wanted:
        terms = sorted({t[:64] for t in clause.index_tokens})
        if clause.place_prefixes:
            groups = [sorted(terms, key=len, reverse=True)[:1] + [region_token(p) for p in clause.place_prefixes]]
        else:
            groups = [[term] for term in terms]
        for group in groups:
            requirements.append([(part + i, term) for i, term in enumerate(group)])
            part += len(group)
    return requirements


def candidate_sql(parsed: ParsedQuery, depth: int = CANDIDATE_DEPTH, limit: int = MAX_CANDIDATES,
                  anchor: int | None = None):
    """SQL and params for the articles most about the whole query, best first; None if it has no words.

    Each requirement (:func:`_requirements`) is met by the article's TermImpact row for one of
    its terms. Candidates meet every requirement, ordered by the sum of their scores; the
    caller's full query still filters them. ``depth`` keeps only the best postings of each term.
    With ``anchor`` (a requirement whose lists are short), all postings of every term, but of
    the anchor's articles only (an index lookup per article and term). Rows are
    ``(article_id, counts)``, counts the number of postings read per part (a list was cut short
    if it reached ``depth``); at least one row comes back (article_id NULL when nothing qualifies).
    """
    from .models import TermImpact

    table = TermImpact._meta.db_table
    requirements = _requirements(parsed)
    if not requirements or len(requirements) > 62 or (anchor is not None and anchor >= len(requirements)):
        return None
    parts, params = [], []
    anchored = ""
    if anchor is not None:
        anchor_terms = [term for _part, term in requirements[anchor]]
        anchored = (f"anchor AS MATERIALIZED (SELECT DISTINCT article_id FROM {table} "
                    f"WHERE term IN ({', '.join(['%s'] * len(anchor_terms))})), ")
        params += anchor_terms
    for requirement, group in enumerate(requirements):
        for part, term in group:
            if anchor is None:
                parts.append(f"(SELECT article_id, {requirement} AS requirement, {part} AS part, impact "
                             f"FROM {table} WHERE term = %s ORDER BY impact DESC LIMIT {int(depth)})")
            else:
                # LATERAL … OFFSET 0: an index lookup per anchor article (the planner, misjudging the
                # anchor's size, would otherwise hash every posting of a common word).
                parts.append(f"(SELECT a.article_id, {requirement} AS requirement, {part} AS part, t.impact "
                             f"FROM anchor a CROSS JOIN LATERAL (SELECT impact FROM {table} "
                             f"WHERE article_id = a.article_id AND term = %s OFFSET 0) AS t)")
            params.append(term)
    # Requirements met, as bits (a hash aggregate; COUNT(DISTINCT …) would sort every posting).
    every = (1 << len(requirements)) - 1
    candidates = (f"SELECT article_id, SUM(impact) AS score FROM postings GROUP BY article_id "
                  f"HAVING BIT_OR(CAST(1 AS bigint) << requirement) = {every}")
    counts = ", ".join(f"COUNT(*) FILTER (WHERE part = {part})" for group in requirements for part, _ in group)
    sql = (
        f"WITH {anchored}postings AS MATERIALIZED ({' UNION ALL '.join(parts)}) "
        f"SELECT c.article_id, t.counts FROM (SELECT ARRAY[{counts}] AS counts FROM postings) AS t "
        f"LEFT JOIN ({candidates}) AS c ON true "
        f"ORDER BY c.score DESC, c.article_id LIMIT {int(limit)}"
    )
    return sql, params


def substring_search(queryset: QuerySet, q: str) -> QuerySet:
    """The old plain ``icontains`` scan (every whitespace-separated term): the benchmarks' baseline."""
    q = (q or "").strip()
    if not q:
        raise QueryError("检索词不能为空 (empty query)")
    for term in q.replace('"', " ").split():
        queryset = queryset.filter(
            Q(title__icontains=term) | Q(subtitle__icontains=term) | Q(summary__icontains=term)
            | Q(body__icontains=term)
        )
    return queryset


# --- snippets --------------------------------------------------------------------

_ANY_SPACE = re.compile(r"\s+")
_CJK_BREAK = re.compile(
    r"(?<=[\u3400-\u9fff\U00020000-\U0003ffff，。、；：？！“”‘’（）《》])\s+(?=[\u3400-\u9fff\U00020000-\U0003ffff，。、；：？！“”‘’（）《》])")


def display_text(text: str) -> str:
    """The original text made readable in one line: PDF line breaks between Chinese characters removed."""
    return _ANY_SPACE.sub(" ", _CJK_BREAK.sub("", text or "")).strip()


def make_snippet(text: str, q: str, width: int = 120) -> str:
    """The passage of ``text`` (about ``width`` characters) with the most query terms, terms in <mark>.

    The text is the original (not segmented); everything but the marks is HTML-escaped.
    A query that cannot be parsed gives the text's opening, escaped.
    """
    text = display_text(text)
    width = max(int(width), 10)
    try:
        terms = parse_query(q).highlight_terms
    except QueryError:
        terms = []
    spans = _find_terms(text, terms)
    if not spans:
        return html.escape(text[:width]) + ("…" if len(text) > width else "")
    start = _best_window(text, spans, width)
    end = min(len(text), start + width)
    out, cursor = [], start
    for s, e, _term in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(text[cursor:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cursor = e
    out.append(html.escape(text[cursor:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")


def _find_terms(text: str, terms: list[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences of the terms, longest first, in text order."""
    if not terms:
        return []
    folded = normalize_fold(text)
    pattern = re.compile("|".join(re.escape(normalize_fold(t)) for t in terms if t))
    return [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(folded)]


def normalize_fold(text: str) -> str:
    """Case-fold without changing length, so offsets stay valid in the original."""
    lowered = text.lower()
    # Whole-string lower() is the same as per character unless a character lowers to two (the
    # length changes; none lowers to nothing) or a capital sigma takes its final form (ς).
    if len(lowered) == len(text) and "Σ" not in text:
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _best_window(text: str, spans, width: int) -> int:
    """Start of the window holding the most distinct terms (then the most hits; earliest wins)."""
    best, best_score = 0, (-1, -1)
    for i, (s, _e, _t) in enumerate(spans):
        window_start = max(0, s - width // 4)
        window_end = window_start + width
        inside = [sp for sp in spans[i:] if sp[1] <= window_end] + [sp for sp in spans[:i] if sp[0] >= window_start]
        score = (len({t for _, _, t in inside}), len(inside))
        if score > best_score:
            best, best_score = window_start, score
    return min(best, max(0, len(text) - width))


# --- one search box ----------------------------------------------------------------


def visible_articles(user):
    from cases.models import Article

    manager = Article.objects
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    if user is not None and getattr(user, "is_staff", False) and getattr(user, "is_active", False):
        return manager.all()
    return manager.filter(status=Article.Status.PUBLISHED)


def search_all(q: str, user, limit: int = 10) -> dict:
    """The one search box: ranked articles, initiatives, regions and metrics for ``q``.

    Articles respect visibility (published only, unless ``user`` is staff). Each
    list holds JSON-ready dicts; article hits carry a highlighted ``snippet``.
    """
    parsed = parse_query(q)
    limit = max(1, min(int(limit), 50))
    articles = ranked_articles(
        visible_articles(user).only("id", "title", "subtitle", "summary", "body", "published_on", "kind", "status"),
        q, limit=limit,
    )
    return {
        "articles": [
            {
                "id": a.pk, "title": a.title, "subtitle": a.subtitle, "kind": a.kind,
                "published_on": a.published_on.isoformat() if a.published_on else None,
                "rank": round(float(a.rank or 0.0), 6),
                "snippet": make_snippet(_snippet_source(a, parsed), q),
            }
            for a in articles
        ],
        **search_records(q, user, limit, parsed),
    }


def search_records(q: str, user, limit: int = 10, parsed: ParsedQuery | None = None) -> dict:
    """The initiatives, regions and metrics of :func:`search_all`, without ranking articles
    (a results page lists its articles itself and shows these beside them)."""
    parsed = parsed or parse_query(q)
    limit = max(1, min(int(limit), 50))
    return {
        "initiatives": search_initiatives(parsed, limit, user),
        "regions": search_regions(parsed, limit),
        "metrics": search_metrics(parsed, limit),
    }


def _snippet_source(article, parsed: ParsedQuery) -> str:
    body = article.body or ""
    terms = [normalize_fold(t) for t in parsed.highlight_terms]
    folded = normalize_fold(display_text(body))
    if any(t in folded for t in terms):
        return body
    return article.summary or body


def _term_score(texts: list[str], clauses: tuple[Clause, ...], primary: str) -> float:
    """Score a record named ``primary`` (also known by ``texts``): exact name › name contains › other text."""
    score = 0.0
    name = normalize_text(primary)
    others = [normalize_text(t) for t in texts if t]
    for clause in clauses:
        if clause.text == name:
            score += 3.0
        elif clause.text in name:
            score += 2.0 - min(len(name), 40) / 100  # shorter names closer to the query first
        elif any(clause.text in t for t in others):
            score += 1.0
        else:
            return 0.0  # every wanted term must match
    return score


def _excluded(texts: list[str], clauses: tuple[Clause, ...]) -> bool:
    normalized = [normalize_text(t) for t in texts if t]
    return any(c.text in t for c in clauses for t in normalized)


def _candidates(model, lookups: list[str], parsed: ParsedQuery):
    """Rows with any wanted term in one of the text columns (JSON lists are checked in Python)."""
    condition = Q()
    for clause in parsed.wanted:
        for lookup in lookups:
            condition |= Q(**{f"{lookup}__icontains": clause.text})
    return condition


def search_initiatives(parsed: ParsedQuery, limit: int, user=None) -> list[dict]:
    """Initiatives by name, alias or description. As in the API, the public sees those named by a
    visible article or added by an editor, never one known only from drafts."""
    from cases.models import Initiative

    rows = Initiative.objects.visible_to(user).filter(
        _candidates(Initiative, ["name", "description"], parsed) | Q(pk__in=_json_list_hits(
            Initiative.objects.exclude(aliases=[]).values_list("pk", "aliases"), parsed))
    ).select_related("region")[:500]
    hits = []
    for ini in rows:
        aliases = [a for a in (ini.aliases or []) if isinstance(a, str)]
        texts = [*aliases, ini.description]
        score = _term_score(texts, parsed.wanted, ini.name)
        if score <= 0 or _excluded([ini.name, *texts], parsed.excluded):
            continue
        hits.append((score, ini))
    hits.sort(key=lambda h: (-h[0], h[1].name, h[1].pk))
    return [
        {"id": ini.pk, "name": ini.name, "aliases": [a for a in (ini.aliases or []) if isinstance(a, str)],
         "region": ini.region.code if ini.region else None, "region_name": ini.region.name if ini.region else None,
         "rank": round(score, 6), "snippet": make_snippet(ini.description, " ".join(c.text for c in parsed.wanted))
         if ini.description else ""}
        for score, ini in hits[:limit]
    ]


def search_regions(parsed: ParsedQuery, limit: int) -> list[dict]:
    from regions.models import Region, RegionAlias

    level_order = {"province": 0, "city": 1, "county": 2, "town": 3, "village": 4}
    alias_ids = RegionAlias.objects.filter(_candidates(RegionAlias, ["name"], parsed)).values("region_id")
    rows = Region.objects.filter(_candidates(Region, ["name", "short_name"], parsed) | Q(pk__in=alias_ids))
    rows = rows.prefetch_related("aliases")[:500]
    hits = []
    for region in rows:
        aliases = [a.name for a in region.aliases.all()]
        score = _term_score([region.short_name, *aliases], parsed.wanted, region.name)
        if region.short_name and any(c.text == normalize_text(region.short_name) for c in parsed.wanted):
            score += 1.0
        if score <= 0 or _excluded([region.name, region.short_name, *aliases], parsed.excluded):
            continue
        hits.append((score + (0.5 if region.is_current else 0.0), region))
    hits.sort(key=lambda h: (-h[0], level_order.get(h[1].level, 9), h[1].code))
    return [
        {"code": r.code, "name": r.name, "short_name": r.short_name, "level": r.level,
         "is_current": r.is_current, "aliases": [a.name for a in r.aliases.all()], "rank": round(score, 6)}
        for score, r in hits[:limit]
    ]


def search_metrics(parsed: ParsedQuery, limit: int) -> list[dict]:
    from cases.models import Metric

    rows = Metric.objects.filter(
        _candidates(Metric, ["name", "description"], parsed)
        | Q(pk__in=_json_list_hits(Metric.objects.exclude(labels=[]).values_list("pk", "labels"), parsed))
    )[:500]
    hits = []
    for metric in rows:
        labels = [a for a in (metric.labels or []) if isinstance(a, str)]
        score = _term_score([*labels, metric.description], parsed.wanted, metric.name)
        if score <= 0 or _excluded([metric.name, *labels], parsed.excluded):
            continue
        hits.append((score, metric))
    hits.sort(key=lambda h: (-h[0], h[1].name))
    return [
        {"id": m.pk, "name": m.name, "slug": m.slug, "base_unit": m.base_unit, "labels": m.labels,
         "rank": round(score, 6)}
        for score, m in hits[:limit]
    ]


def _json_list_hits(rows, parsed: ParsedQuery) -> list[int]:
    """Ids whose JSON list of names holds a wanted term (JSON text may be \\u-escaped, so check in Python)."""
    hits = []
    for pk, names in rows:
        normalized = [normalize_text(n) for n in (names or []) if isinstance(n, str)]
        if any(c.text in n for c in parsed.wanted for n in normalized):
            hits.append(pk)
    return hits
