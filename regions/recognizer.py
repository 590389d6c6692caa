"""Find places in Chinese text and resolve each to one NBS-coded Region, or say it cannot.

    >>> find_places("新昌县七星街道上礼泉村")
    [PlaceMention(code='330624000000', name='新昌县', ...), PlaceMention(code='330624003000', ...), ...]

How it works, in the order the code runs:

1. One Aho-Corasick automaton (pyahocorasick) over every full name, short name (新昌, 硖石,
   余村) and alias (former names such as 江干区, MCA spellings such as 干𬒗镇, editors' aliases),
   built once per process from the Region and RegionAlias tables (:func:`get_gazetteer`).
2. All matches, then the longest non-overlapping ones: 海宁硖石街道西山社区 gives 海宁, 硖石街道 and
   西山社区; 七星街道 wins over 七星.
3. Evidence: places that name one region only (新昌县, 绍兴市) are anchors, as are the
   ``context`` codes. A candidate is supported when an anchor is its ancestor or descendant;
   most strongly when the ancestor is written right before it (新昌七星街道).
4. Decision per mention: the candidates with the strongest support win; a tie is broken in
   favour of Zhejiang with a medium confidence only; otherwise the mention stays unresolved
   (code None, the candidates listed). Never a guess with high confidence.

Guards against words that merely look like places:
- one-character names are never matched (沛县 only as 沛县);
- short names that are also common words or landmarks (西湖 the lake, 长安, 江山) are not
  matched as short names at all; only their full names (西湖区) are;
- short names of towns and villages (硖石, 余村), two-character village names (张村) and names
  jieba knows as ordinary words (新农村, 天台, 路桥) need support from the text or ``context``;
- a place written right after a county it does not belong to is not that place (安吉大余村 is
  the cluster of villages around 余村 in 安吉, not 天台县's 大余村); 大 + a supported village
  name is such a cluster too.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from .models import PREFIX_LENGTH, AliasKind, Level, Region, RegionAlias
from .names import PLACEHOLDER_NAMES

#: At or above this confidence a mention counts as "resolved with high confidence".
HIGH_CONFIDENCE = 0.8

#: Short names that are much more often something else: a lake, a historical capital, a
#: common word. They are matched only through their full names (西湖区, 长安镇, 江山市).
SHORT_NAME_STOPLIST = frozenset(
    """西湖 长安 南湖 江山 江北 城关 城东 城西 城南 城北 城中 城区 新城 东城 西城 南城 北城 中山 和平 光明 人民 新华
    东方 白云 青山 红旗 胜利 解放 前进 东风 新村 未来 共同 文明 幸福 开发 经济 高新 东区 西区 南区 北区 中区 新区
    市中 郊区 矿区 朝阳 振兴 团结 友谊 永安 太平 普陀 鼓楼 公安 合作 共和 通道 大方 安全 民主 红星 新兴 大同 双桥
    城阳 高新区 白沙 新市 东湖 南山 北山 东山 西山 金山 青田 石门 长江 黄山 江南 江东 江西 河西 河东 桥头 和美""".split()
)

#: Full names that are also policy terms in this corpus (社会主义新农村, 共富村): need support.
COMMON_FULL_NAMES = frozenset("新农村 共富村 和美村 和美社区 乡村 未来社区 幸福村 文明村 先锋村".split())

_STRONG_KINDS = {"name", "former", "variant", "other", "editorial"}


@dataclass(frozen=True)
class PlaceMention:
    code: str | None
    name: str | None
    level: str | None
    start: int
    end: int
    surface: str
    confidence: float
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Place:
    code: str
    name: str
    level: str
    is_current: bool


@dataclass
class _Match:
    start: int
    end: int
    surface: str
    entries: tuple  # ((code, kind, needs_support), ...)
    candidates: tuple = ()
    needs_support: bool = False
    free: set = field(default_factory=set)  # candidates that need no supporting evidence
    after_da: bool = False  # written right after 大 (大李祖村)
    code: str | None = None
    confidence: float = 0.0
    decided: bool = False


def prefix(code: str, level: str) -> str:
    return code[: PREFIX_LENGTH[level]]


def ancestor_codes(code: str, level: str) -> list[str]:
    own = PREFIX_LENGTH[level]
    return [code[:n].ljust(12, "0") for n in (2, 4, 6, 9) if n < own]


@lru_cache(maxsize=1)
def _jieba_words() -> dict[str, tuple[int, str]]:
    """jieba's own dictionary (word → (frequency, part of speech)) for words of 2–3 characters."""
    import jieba

    words = {}
    with jieba.get_dict_file() as fh:
        for line in fh:
            parts = line.decode("utf-8").split()
            if len(parts) >= 3 and 2 <= len(parts[0]) <= 3:
                words[parts[0]] = (int(parts[1]), parts[2])
    return words


def is_common_word(word: str) -> bool:
    """True when jieba knows the word as something other than a proper name (天台, 路桥, 开化)."""
    entry = _jieba_words().get(word)
    return entry is not None and entry[1] not in {"ns", "nr", "nrt", "nz", "nt"}


class Gazetteer:
    """Every region and name, an automaton over the names, and the logic to resolve matches."""

    def __init__(self, places: dict[str, _Place], names: dict[str, list[tuple[str, str]]]):
        self.places = places
        self.children_prefixes = {}
        self.automaton = ahocorasick.Automaton()
        for key, entries in names.items():
            entries = tuple((code, kind, self._needs_support(key, code, kind)) for code, kind in dict.fromkeys(entries))
            self.automaton.add_word(key, (key, entries))
        if len(self.automaton):
            self.automaton.make_automaton()

    @classmethod
    def from_database(cls) -> Gazetteer:
        places = {
            code: _Place(code, name, level, is_current)
            for code, name, level, is_current in Region.objects.values_list("code", "name", "level", "is_current")
        }
        names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, name, short, level, is_current in Region.objects.values_list(
            "code", "name", "short_name", "level", "is_current"
        ):
            if name not in PLACEHOLDER_NAMES and len(name) >= 2:
                names[name].append((code, "name" if is_current else "former"))
            if short and len(short) >= 2 and short not in SHORT_NAME_STOPLIST and short != name:
                if level != Level.VILLAGE or short.endswith("村"):
                    names[short].append((code, "short"))
        for code, name, kind, is_editorial in RegionAlias.objects.values_list(
            "region__code", "name", "kind", "is_editorial"
        ):
            if len(name) < 2:
                continue
            if is_editorial:
                names[name].append((code, "editorial"))
            elif kind == AliasKind.SHORT:
                if name not in SHORT_NAME_STOPLIST:
                    names[name].append((code, "short"))
            else:
                names[name].append((code, kind))
        return cls(places, names)

    def _needs_support(self, key: str, code: str, kind: str) -> bool:
        """Whether reading ``key`` as region ``code`` needs other evidence in the text.

        Short names of towns and villages (硖石, 余村), short names of counties outside
        Zhejiang (七星 for 桂林's 七星区), two-character village names (张村) and names that are
        also ordinary words (新农村, 天台, 路桥) count only when the text or context supports them.
        """
        if kind == "editorial":
            return False
        level = self.places[code].level
        if kind == "short" and (level in (Level.TOWN, Level.VILLAGE) or (level == Level.COUNTY and not code.startswith("33"))):
            return True
        if level == Level.VILLAGE and len(key) <= 2:
            return True
        return key in COMMON_FULL_NAMES or (len(key) <= 3 and is_common_word(key))

    # -- scanning -----------------------------------------------------------------------------

    def raw_matches(self, text: str) -> list[_Match]:
        out = []
        for end, (key, entries) in self.automaton.iter(text):
            start = end - len(key) + 1
            out.append(_Match(start, end + 1, key, entries, needs_support=all(e[2] for e in entries)))
        return out

    @staticmethod
    def longest_matches(matches: list[_Match]) -> list[_Match]:
        """Longest first, then leftmost; a match never overlaps one already taken."""
        taken: list[_Match] = []
        occupied = bytearray(max((m.end for m in matches), default=0))
        for m in sorted(matches, key=lambda m: (-(m.end - m.start), m.start)):
            if not any(occupied[m.start : m.end]):
                taken.append(m)
                occupied[m.start : m.end] = b"\x01" * (m.end - m.start)
        return sorted(taken, key=lambda m: m.start)

    def find(self, text: str, context: Iterable[str] = ()) -> list[PlaceMention]:
        matches = self.longest_matches(self.raw_matches(text))
        for m in matches:
            m.candidates = tuple(dict.fromkeys(code for code, _, _ in m.entries))
            m.free = {code for code, _, needs in m.entries if not needs}
            m.after_da = m.start > 0 and text[m.start - 1] == "大"
        context_codes = {c for c in context if c in self.places}

        # Each confident decision becomes an anchor for the next round, so 新昌 → 七星街道 →
        # 上礼泉村 resolve in turn. Fallbacks (Zhejiang first, or unresolved) run only once
        # nothing more can be learnt from evidence.
        for stage in (0, 1, 2):
            for _ in range(6):
                if not self._round(matches, context_codes, stage) or stage == 2:
                    break
        return [self._mention(m) for m in matches if m.decided]

    def _round(self, matches: list[_Match], context_codes: set[str], stage: int) -> bool:
        """One pass over the undecided matches. Stage 0 decides on evidence only; stage 1 also
        takes the one reading that needs no support when the others have none (新昌 → 新昌县,
        not 常山县新昌乡); stage 2 applies the fallbacks (Zhejiang first, or unresolved)."""
        progress = False
        for i, m in enumerate(matches):
            if m.decided:
                continue
            before = matches[i - 1] if i and matches[i - 1].end == m.start and matches[i - 1].decided else None
            if self._decide(m, before, self._anchors(matches), context_codes, stage):
                progress = True
        return progress

    def _anchors(self, matches: list[_Match]) -> dict[str, list[_Match]]:
        """Codes named with high confidence, and where."""
        anchors: dict[str, list[_Match]] = defaultdict(list)
        for m in matches:
            if m.decided and m.code and m.confidence >= HIGH_CONFIDENCE:
                anchors[m.code].append(m)
        return anchors

    def related(self, a: str, b: str) -> bool:
        """a is b, or one is the other's ancestor."""
        pa, pb = self.places[a], self.places[b]
        return b.startswith(prefix(a, pa.level)) or a.startswith(prefix(b, pb.level))

    def _support(self, code: str, m: _Match, before: _Match | None, anchors, context_codes) -> int:
        """3: its ancestor is written right before it (新昌七星街道); 2: a related place is named
        elsewhere in the text; 1: related to a ``context`` code; 0: nothing."""
        if before is not None and before.code in ancestor_codes(code, self.places[code].level):
            return 3
        for anchor_code, where in anchors.items():
            if self.related(anchor_code, code) and any(w is not m for w in where):
                return 2
        if any(self.related(c, code) for c in context_codes):
            return 1
        return 0

    def _conflicts_with(self, code: str, before: _Match | None) -> bool:
        """安吉大余村: the place written just before is a county/city/town this one is not in."""
        if before is None or not before.code:
            return False
        if self.places[before.code].level in (Level.PROVINCE, Level.VILLAGE):
            return False
        return not self.related(before.code, code)

    def _decide(self, m: _Match, before, anchors, context_codes, stage: int) -> bool:
        scored = {c: self._support(c, m, before, anchors, context_codes) for c in m.candidates}
        eligible = [c for c in m.candidates if c in m.free or scored[c] > 0]
        if not eligible:
            return False  # a guarded name nothing supports: not reported as a place
        if self._is_cluster(m, anchors, context_codes):
            return self._set(m, None, 0.2, m.candidates)
        best = max(scored[c] for c in eligible)
        top = [c for c in eligible if scored[c] == best]
        if len(top) > 1 and best in (1, 2):
            # The most specific anchor wins: under 新昌县 rather than anywhere in 绍兴市.
            top = self._narrow(top, anchors, context_codes)
        if len(top) > 1:
            if stage < 2:
                return False  # a later decision may still support one of them
            zhejiang = [c for c in top if c.startswith("33")]
            if len(zhejiang) == 1:
                return self._set(m, zhejiang[0], 0.6)
            return self._set(m, None, round(1 / len(top), 2), top)
        code = top[0]
        if self._conflicts_with(code, before):
            return self._set(m, None, 0.2, m.candidates)
        if best == 0 and len(m.candidates) > 1 and stage < 1:
            return False  # the other readings may still find support
        confidence = {3: 0.97, 2: 0.92, 1: 0.88, 0: 0.9}[best]
        if best == 0:
            if self.places[code].level in (Level.TOWN, Level.VILLAGE):
                confidence = 0.82  # a unique name, but nothing else in the text confirms it
            if len(m.candidates) > 1:
                confidence = 0.85  # the other readings are guarded and unsupported
        kinds = {kind for c, kind, _ in m.entries if c == code}
        if "former" in kinds and not kinds & {"name", "short", "editorial"}:
            confidence = min(confidence, 0.85)
        return self._set(m, code, confidence)

    def _narrow(self, top: list[str], anchors, context_codes) -> list[str]:
        """Among tied candidates keep those under the deepest related anchor."""
        best_depth, best = -1, top
        for anchor in list(anchors) + list(context_codes):
            depth = PREFIX_LENGTH[self.places[anchor].level]
            under = [c for c in top if self.related(anchor, c)]
            if under and depth > best_depth:
                best_depth, best = depth, under
            elif under and depth == best_depth:
                best = sorted(set(best) | set(under))
        return best

    def _is_cluster(self, m: _Match, anchors, context_codes) -> bool:
        """大余村, 大李祖村 (李祖村 after 大): the cluster of villages around one village.

        大 + a village name is a cluster when it is not itself a supported place: 安吉大余村 is
        the area around 安吉's 余村, not 天台县's village 大余村.
        """
        related_codes = set(anchors) | context_codes
        if m.after_da and any(self.places[c].level == Level.VILLAGE for c in m.candidates):
            return True
        if not m.surface.startswith("大") or len(m.surface) < 3:
            return False
        found = self.automaton.get(m.surface[1:], None)
        if not found or not any(self.places[c].level == Level.VILLAGE for c, _, _ in found[1]):
            return False
        return not any(self.related(a, c) for a in related_codes for c in m.candidates)

    @staticmethod
    def _set(m: _Match, code, confidence, candidates=()) -> bool:
        m.code, m.confidence, m.decided = code, confidence, True
        if code is None:
            m.candidates = tuple(candidates)
        return True

    def _mention(self, m: _Match) -> PlaceMention:
        if not m.decided:  # ambiguous and nothing decided it
            return PlaceMention(None, None, None, m.start, m.end, m.surface, 0.0, tuple(m.candidates))
        place = self.places.get(m.code) if m.code else None
        return PlaceMention(
            code=m.code,
            name=place.name if place else None,
            level=place.level if place else None,
            start=m.start,
            end=m.end,
            surface=m.surface,
            confidence=m.confidence,
            candidates=tuple(m.candidates) if m.code is None or len(m.candidates) > 1 else (),
        )


_gazetteer: Gazetteer | None = None
_lock = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built from the database on first use."""
    global _gazetteer
    if _gazetteer is None:
        with _lock:
            if _gazetteer is None:
                _gazetteer = Gazetteer.from_database()
    return _gazetteer


def reset_gazetteer() -> None:
    """Forget the cached gazetteer (after load_regions or an alias edit); rebuilt on next use."""
    global _gazetteer
    with _lock:
        _gazetteer = None


def find_places(text: str, context: Iterable[str] = ()) -> list[PlaceMention]:
    """The places mentioned in ``text``, in order, each resolved to a 12-digit code or left
    unresolved (code None, ``candidates`` listed). ``context``: codes known to be relevant."""
    if not text:
        return []
    return get_gazetteer().find(text, context)
