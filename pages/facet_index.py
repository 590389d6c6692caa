"""Exact facet counts for any filtered set of public articles, without a grouped query per facet.

Counting facets in SQL costs one aggregate over the matching rows per facet: at 100,000
articles a broad search (网格, tens of thousands of matches) spends ~100 ms on each of eight.
Instead each process keeps, per facet value, the ids of the public articles that have it, as
a bitmap (a Python int, one bit per article id) or, for rare values, a set. A request fetches
the ids of its results once; a count is then ``(bitmap & results).bit_count()``, a few
microseconds.

The index is built from the database at the current ``DataVersion`` (pages.summary) and
rebuilt when a write has bumped it, so counts are as exact as the SQL ones, for published
articles only: staff, who also see drafts, are counted in SQL (pages.facets).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models.functions import ExtractYear

from cases.models import Article, ArticleRegion, Initiative
from regions.models import PREFIX_LENGTH, Level

from .facets import PREFIX_LENGTH_BEFORE, TREE_LEVELS

#: Region prefixes kept: every level, so a region page of any level counts from the index.
INDEX_LEVELS = (Level.PROVINCE, *TREE_LEVELS, Level.VILLAGE)
#: A value held by fewer than 1 in SPARSE articles is kept as a set (a bitmap would be mostly zeros).
SPARSE = 400


@dataclass
class IdSet:
    """A set of article ids in both forms a count needs."""

    ids: frozenset
    bitmap: int

    @classmethod
    def of(cls, ids) -> IdSet:
        ids = frozenset(ids)
        return cls(ids, _bitmap(ids))

    def __len__(self):
        return len(self.ids)


def _bitmap(ids) -> int:
    if not ids:
        return 0
    buffer = bytearray((max(ids) >> 3) + 1)
    for i in ids:
        buffer[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buffer, "little")


def _ids_of(bitmap: int) -> set:
    data = bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")
    return {i * 8 + bit for i, byte in enumerate(data) if byte for bit in range(8) if byte >> bit & 1}


@dataclass
class FacetIndex:
    version: int
    #: facet name → value → bitmap (int) or frozenset of ids
    values: dict[str, dict] = field(default_factory=dict)
    #: every public article's id
    public: frozenset = frozenset()

    def public_among(self, ids) -> IdSet:
        """Those of ``ids`` (any articles, drafts too) that the public may see."""
        return IdSet.of(self.public.intersection(ids))

    def in_region(self, code: str, level: str) -> IdSet:
        """The public articles linked to the region ``code`` or anything in it."""
        members = self.values["region"].get((code, level))
        if isinstance(members, int):
            return IdSet(frozenset(_ids_of(members)), members)
        return IdSet.of(members or ())

    def having(self, name: str, values, among: IdSet) -> IdSet:
        """The articles of ``among`` with any of ``values`` of facet ``name`` (the FilterSet's OR)."""
        kept = set()
        for value in values:
            members = self.values[name].get(value)
            if isinstance(members, int):
                kept |= _ids_of(members & among.bitmap)
            elif members:
                kept |= members & among.ids
        return IdSet.of(kept)

    def count(self, name: str, results: IdSet, *, levels=TREE_LEVELS, within: str = ""):
        """Counts in the shape of pages.facets' SQL counters: a list of [value, n], or for
        regions a dict {code: n} (levels and ``within`` as in ``facets.region_counts``)."""
        counted = {}
        for value, members in self.values[name].items():
            if name == "region" and (value[1] not in levels or not value[0].startswith(within)):
                continue
            n = (members & results.bitmap).bit_count() if isinstance(members, int) else len(members & results.ids)
            if n:
                counted[value] = n
        if name == "region":
            return {code: n for (code, _level), n in counted.items()}
        return [[value, n] for value, n in counted.items()]


def build(version: int) -> FacetIndex:
    """Read every public article's facet values (one query per facet)."""
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    pairs: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    public = []
    for pk, kind, publication, year in published.annotate(y=ExtractYear("published_on")).values_list(
        "pk", "kind", "source__publication_id", "y"
    ):
        public.append(pk)
        pairs["kind"][kind].append(pk)
        if publication is not None:
            pairs["publication"][publication].append(pk)
        if year is not None:
            pairs["year"][year].append(pk)
    ids = published.values("pk")
    for article_id, theme_id in Article.themes.through.objects.filter(article__in=ids).values_list("article_id", "theme_id"):
        pairs["theme"][theme_id].append(article_id)
    through = Initiative.articles.through
    for article_id, initiative_id in through.objects.filter(article__in=ids).values_list("article_id", "initiative_id"):
        pairs["initiative"][initiative_id].append(article_id)
    links = ArticleRegion.objects.filter(article__in=ids).values_list("article_id", "region__code")
    for article_id, code in links.iterator(chunk_size=20_000):
        for level in INDEX_LEVELS:
            length = PREFIX_LENGTH[level]
            prefix = code[:length]
            if prefix[PREFIX_LENGTH_BEFORE.get(level, 0):].strip("0"):  # as facets.region_counts
                pairs["region"][(prefix.ljust(12, "0"), level)].append(article_id)
    total = max(1, published.count())
    index = FacetIndex(version, public=frozenset(public))
    for name in ("region", "theme", "kind", "publication", "year", "initiative"):
        index.values[name] = {
            value: frozenset(members) if len(members) * SPARSE < total else _bitmap(set(members))
            for value, members in pairs[name].items()
        }
    return index


_lock = threading.Lock()
_current: FacetIndex | None = None


def index_at(version: int) -> FacetIndex:
    """This process's index at ``version``, built (once) if it is older."""
    global _current
    index = _current
    if index is not None and index.version == version:
        return index
    with _lock:
        if _current is None or _current.version != version:
            _current = build(version)
        return _current
