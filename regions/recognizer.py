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

import bisect
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import ahocorasick

from .models import PREFIX_LENGTH, AliasKind, Level, Region, RegionAlias
from .names import PLACEHOLDER_NAMES, short_name

#: At or above this confidence a mention counts as "resolved with high confidence".
HIGH_CONFIDENCE = 0.8

#: Short names that are much more often something else: a lake, a historical capital, a
#: common word. They are matched only through their full names (西湖区, 长安镇, 江山市).
SHORT_NAME_STOPLIST = frozenset(
    """新乡 路桥 西湖 长安 南湖 江山 江北 城关 城东 城西 城南 城北 城中 城区 新城 东城 西城 南城 北城 中山 和平 光明 人民 新华
    东方 白云 青山 红旗 胜利 解放 前进 东风 新村 未来 共同 文明 幸福 开发 经济 高新 东区 西区 南区 北区 中区 新区
    市中 郊区 矿区 朝阳 振兴 团结 友谊 永安 太平 普陀 鼓楼 公安 合作 共和 通道 大方 安全 民主 红星 新兴 大同 双桥
    城阳 高新区 白沙 新市 东湖 南山 北山 东山 西山 金山 青田 石门 长江 黄山 江南 江东 江西 河西 河东 桥头 和美""".split()
)

#: Short names of Zhejiang counties that are also everyday words (天台 a rooftop).
ZHEJIANG_SHORTS_NEEDING_SUPPORT = frozenset({"天台", "开化", "常山", "三门"})

#: Full names that are also policy terms in this corpus (社会主义新农村, 共富村): need support.
COMMON_FULL_NAMES = frozenset("新农村 城中村 共富村 和美村 和美社区 乡村 未来社区 幸福村 文明村 先锋村".split())

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


class _Place(NamedTuple):
    # A tuple, not a dataclass: 30,000 of them stay out of the garbage collector's way.
    code: str
    name: str
    level: str
    is_current: bool


@dataclass
class _Match:
    start: int
    end: int
    surface: str
    entries: tuple  # ((code, kind, required support), ...)
    candidates: tuple = ()
    need: dict = field(default_factory=dict)  # code → support that reading requires
    after_da: bool = False  # written right after 大 (大李祖村)
    follows: bool = False  # written right after the previous match (or after it + 的)
    code: str | None = None
    confidence: float = 0.0
    decided: bool = False


def prefix(code: str, level: str) -> str:
    return code[: PREFIX_LENGTH[level]]


_CJK = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
#: Whitespace between two Chinese characters: PDF line breaks (七星街\n\n道) and stray spaces
#: (春建 乡). Place names never contain whitespace, so it is skipped when matching.
_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def squeeze(text: str):
    """The text without whitespace between Chinese characters, and a function mapping a
    (start, end) span in it back to the original text."""
    gaps = list(_GAP.finditer(text))
    if not gaps:
        return text, lambda start, end: (start, end)
    pieces, breaks, shifts, removed, last = [], [], [], 0, 0
    for gap in gaps:
        pieces.append(text[last : gap.start()])
        removed += gap.end() - gap.start()
        breaks.append(gap.end() - removed)  # squeezed offset from which this shift applies
        shifts.append(removed)
        last = gap.end()
    pieces.append(text[last:])

    def to_original(start: int, end: int) -> tuple[int, int]:
        def shift(i):
            k = bisect.bisect_right(breaks, i) - 1
            return shifts[k] if k >= 0 else 0

        return start + shift(start), end - 1 + shift(end - 1) + 1

    return "".join(pieces), to_original


def near(starts: list[int], position: int) -> bool:
    """Whether any of the sorted offsets is within NEAR characters of position."""
    i = bisect.bisect_left(starts, position - NEAR)
    return i < len(starts) and starts[i] <= position + NEAR


def ancestor_codes(code: str, level: str) -> list[str]:
    own = PREFIX_LENGTH[level]
    return [code[:n].ljust(12, "0") for n in (2, 4, 6, 9) if n < own]


@lru_cache(maxsize=1)
def _jieba_words() -> tuple[dict[str, int], frozenset[str]]:
    """jieba's own (default) dictionary for words of 2–4 characters: word → frequency, and the
    words tagged as ordinary words rather than names. Read from the file, not from a running
    jieba, so user dictionaries loaded elsewhere in the process cannot change the results; flat
    and shared strings keep it to ~35 MiB and away from the garbage collector."""
    import jieba

    frequency, common = {}, set()
    with jieba.get_dict_file() as fh:
        for line in fh:
            parts = line.decode("utf-8").split()
            if len(parts) >= 3 and 2 <= len(parts[0]) <= 4:
                frequency[parts[0]] = int(parts[1])
                if parts[2] not in PROPER_NOUN_TAGS:
                    common.add(parts[0])
    return frequency, frozenset(common)


def is_common_word(word: str) -> bool:
    """True when jieba knows the word as an ordinary word, not a name (天台, 路桥, 平安, 创新)."""
    return word in _jieba_words()[1]


def is_embedded(text: str, start: int, end: int, own: str) -> bool:
    """True when a word of jieba's dictionary straddles the match's edge: 云上城市 (城市, not
    上城), 弘扬中华 (not 扬中), 示范县 (not 范县), 钱塘江 (not 钱塘), 习近平山区 (not 平山区),
    阿里巴巴 (not 阿里). Two-character words count only when common and commoner than the
    name itself (山岛 does not hide 舟山)."""
    words = _jieba_words()[0]
    own_freq = words.get(own, 0)
    for length in (2, 3, 4):
        starts = [*range(max(0, start - length + 1), start), *range(max(start, end - length + 1), end)]
        for s in starts:
            word = text[s : s + length]
            if len(word) < length or word == own or (s >= start and s + length <= end):
                continue
            freq = words.get(word)
            if freq is None:
                continue
            if length > 2 or (freq >= EMBEDDED_WORD_MIN_FREQUENCY and freq > own_freq):
                return True
    return False


#: jieba's tags for names (places, people, organisations, other proper nouns).
PROPER_NOUN_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt"})

#: Support a reading must have before it counts (see Gazetteer.required_support).
NONE, ANYWHERE, NEARBY, ADJACENT = 0, 1, 2, 3
#: "Nearby": an anchor within this many characters (a paragraph or two of running text).
NEAR = 150
#: A neighbouring two-character word at least this frequent in jieba's dictionary makes a
#: short name look embedded in another word.
EMBEDDED_WORD_MIN_FREQUENCY = 200


class _Anchors:
    """Places named with high confidence so far, indexed so that "which anchors are related to
    this candidate" costs a few dictionary look-ups, not a pass over all of them."""

    def __init__(self, places: dict[str, _Place]):
        self.places = places
        self.by_code: dict[str, list[int]] = defaultdict(list)  # code → sorted start offsets
        self.by_prefix: dict[str, set[str]] = defaultdict(set)  # prefix → anchor codes under it

    def add(self, m: _Match) -> None:
        code = m.code
        if code not in self.by_code:
            own = PREFIX_LENGTH[self.places[code].level]
            for n in (2, 4, 6, 9, 12):
                if n <= own:
                    self.by_prefix[code[:n]].add(code)
        bisect.insort(self.by_code[code], m.start)

    def related(self, code: str):
        """(anchor code, where it is named) for anchors that are ``code``, its ancestors or descendants."""
        level = self.places[code].level
        for ancestor in ancestor_codes(code, level):
            if ancestor in self.by_code:
                yield ancestor, self.by_code[ancestor]
        for anchor in self.by_prefix.get(prefix(code, level), ()):
            yield anchor, self.by_code[anchor]


class Gazetteer:
    """Every region and name, an automaton over the names, and the logic to resolve matches."""

    def __init__(self, places: dict[str, _Place], names: dict[str, list[tuple[str, str]]]):
        self.places = places
        self.automaton = ahocorasick.Automaton()
        for key, entries in names.items():
            entries = tuple(
                (code, kind, self.required_support(key, code, kind)) for code, kind in dict.fromkeys(entries)
            )
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

    def required_support(self, key: str, code: str, kind: str) -> int:
        """How much evidence reading ``key`` as region ``code`` needs before it counts.

        NONE for full names of divisions (新昌县, 七星街道, 上礼泉村) and short names of
        Zhejiang's cities and counties (新昌, 海宁); NEARBY — a related city, county or town
        named within NEAR characters — for short names of towns and villages (硖石, 余村) and
        of counties elsewhere in China (七星 for 桂林's 七星区); ADJACENT — its ancestor written
        right before it (海宁硖石) — for anything that is also an ordinary word (建设, 平安,
        自然村, 新农村), two-character village names (张村) and units that are not 乡/镇/街道
        (开发区).
        """
        if kind == "editorial":
            return NONE
        place = self.places[code]
        common = key in COMMON_FULL_NAMES or is_common_word(key)
        if kind == "short":
            if place.level in (Level.TOWN, Level.VILLAGE):
                return ADJACENT if common else NEARBY
            if place.level == Level.COUNTY and not code.startswith("33"):
                return ADJACENT if common else NEARBY
            # Zhejiang's own cities and counties: jieba's tags for them are unreliable (武义 n,
            # 安吉 nr); the stop list and the embedded-word check guard them instead.
            return NEARBY if key in ZHEJIANG_SHORTS_NEEDING_SUPPORT or not code.startswith("33") and common else NONE
        if place.level == Level.VILLAGE:
            # 25,000 village names include phrases (创新社区, 城中村, 建农村): a village counts
            # when a related county, town or village is named nearby (沙头镇珍源村).
            stem, suffix_word = (key[:-2], "") if key.endswith("社区") else (key[:-1], key[-2:])
            if suffix_word == "村村":
                suffix_word = ""  # 余村村 is 余村 + 村, not 村村 (every village)
            if len(key) <= 2 or common or is_common_word(stem) or is_common_word(suffix_word):
                return ADJACENT  # 创新社区, 建农村 (农村), 小渔村 (渔村)
            return NEARBY
        if place.level == Level.TOWN and not key.endswith(("镇", "乡", "街道")):
            return ADJACENT  # 开发区, 红山农场
        if place.level == Level.COUNTY and not code.startswith("33") and (
            short_name(key, "county") in SHORT_NAME_STOPLIST or is_common_word(short_name(key, "county"))
        ):
            return NEARBY  # 洛阳's 老城区 is usually just an old town district
        return ADJACENT if common and len(key) <= 3 else NONE

    # -- scanning -----------------------------------------------------------------------------

    def raw_matches(self, text: str) -> list[_Match]:
        return [_Match(end - len(key) + 1, end + 1, key, entries) for end, (key, entries) in self.automaton.iter(text)]

    def longest_matches(self, text: str) -> list[_Match]:
        """All names in the text, longest first, then leftmost; none overlaps one already taken."""
        if self.automaton.kind == ahocorasick.EMPTY:
            return []  # no regions loaded yet
        found = [(end + 1 - len(key), end + 1, key, entries) for end, (key, entries) in self.automaton.iter(text)]
        found.sort(key=lambda f: (f[0] - f[1], f[0]))
        occupied = bytearray(len(text) + 1)
        taken = []
        for start, end, key, entries in found:
            if not any(occupied[start:end]):
                taken.append(_Match(start, end, key, entries))
                occupied[start:end] = b"\x01" * (end - start)
        taken.sort(key=lambda m: m.start)
        return taken

    def find(self, text: str, context: Iterable[str] = ()) -> list[PlaceMention]:
        original = text
        text, to_original = squeeze(text)
        matches = self.longest_matches(text)
        for m in matches:
            m.candidates = tuple(dict.fromkeys(code for code, _, _ in m.entries))
            embedded = None
            need = {}
            for code, kind, required in m.entries:
                foreign = not code.startswith("33") and self.places[code].level != Level.PROVINCE
                if (kind == "short" or len(m.surface) == 2 or foreign) and required < ADJACENT:
                    if embedded is None:
                        embedded = is_embedded(text, m.start, m.end, m.surface)
                    if embedded:
                        required = ADJACENT
                need[code] = min(need.get(code, ADJACENT), required)
            m.need = need
            m.after_da = m.start > 0 and text[m.start - 1] == "大"
        for previous, m in zip(matches, matches[1:], strict=False):
            # 新昌七星街道, 百丈街道的潜龙社区: written as one address.
            m.follows = previous.end == m.start or (previous.end == m.start - 1 and text[previous.end] == "的")
        context_codes = {c for c in context if c in self.places}

        # Each confident decision becomes an anchor for the next round, so 新昌 → 七星街道 →
        # 上礼泉村 resolve in turn. Fallbacks (Zhejiang first, or unresolved) run only once
        # nothing more can be learnt from evidence.
        anchors = _Anchors(self.places)
        for stage in (0, 1, 2):
            for _ in range(6):
                if not self._round(matches, anchors, context_codes, stage) or stage == 2:
                    break
        return [self._mention(m, original, to_original) for m in matches if m.decided]

    def _round(self, matches: list[_Match], anchors: _Anchors, context_codes: set[str], stage: int) -> bool:
        """One pass over the undecided matches. Stage 0 decides on evidence only; stage 1 also
        takes the one reading that needs no support when the others have none (新昌 → 新昌县,
        not 常山县新昌乡); stage 2 applies the fallbacks (Zhejiang first, or unresolved)."""
        progress = False
        for i, m in enumerate(matches):
            if m.decided:
                continue
            before = matches[i - 1] if i and m.follows else None
            if before is not None and not before.decided and stage < 2 and not self._nests(before, m):
                continue  # 安吉大余村: decide 安吉 first, it bears on 大余村
            if self._decide(m, before, anchors, context_codes, stage):
                progress = True
                if m.code and m.confidence >= HIGH_CONFIDENCE:
                    anchors.add(m)
        return progress

    def related(self, a: str, b: str) -> bool:
        """a is b, or one is the other's ancestor."""
        pa, pb = self.places[a], self.places[b]
        return b.startswith(prefix(a, pa.level)) or a.startswith(prefix(b, pb.level))

    def _support(self, code: str, m: _Match, before: _Match | None, anchors, context_codes) -> int:
        """ADJACENT: its ancestor is written right before it (新昌七星街道); NEARBY: a related
        city, county, town or village is named within NEAR characters; ANYWHERE: a related place
        elsewhere in the text, or a related ``context`` code; NONE."""
        level = self.places[code].level
        if before is not None:
            ancestors = ancestor_codes(code, level)
            # Still undecided or unresolved (横街镇 is in two counties), it can still say which
            # 水家村 this is — and 水家村, once resolved, says which 横街镇.
            written = [before.code] if before.code else before.candidates
            for c in written:
                # 上海市普陀区 is an address; 浙江建设 is not 建设街道.
                if c in ancestors and (self.places[c].level != Level.PROVINCE or level in (Level.CITY, Level.COUNTY)):
                    return ADJACENT
        support = NONE
        # Only decided matches are anchors and ``m`` is undecided: every anchor is another mention.
        for anchor_code, starts in anchors.related(code):
            if self._can_vouch(anchor_code, code) and near(starts, m.start):
                return NEARBY
            if level == Level.VILLAGE and self.places[anchor_code].level in (Level.TOWN, Level.VILLAGE):
                return NEARBY  # an article about 七星街道 vouches for its 上礼泉村 anywhere in it
            support = ANYWHERE
        for c in context_codes:
            if self.related(c, code):
                # The article's own county or town vouches like a mention nearby would.
                return NEARBY if self._can_vouch(c, code) and self.places[c].level != Level.CITY else ANYWHERE
        return support

    def _nests(self, before: _Match, m: _Match) -> bool:
        """Some reading of ``m`` lies inside some reading of the place written just before it."""
        return any(
            c in ancestor_codes(code, self.places[code].level) for code in m.candidates for c in before.candidates
        )

    def _can_vouch(self, anchor: str, code: str) -> bool:
        """Whether naming ``anchor`` nearby supports reading a name as ``code``: a province never
        does; for a town or village only its county, town or a neighbouring village do (衢州 says
        little about whether 除险保安 hides 江山市's 保安乡, 台州 nothing about which 马村)."""
        anchor_level = self.places[anchor].level
        if anchor_level == Level.PROVINCE:
            return False
        return not (self.places[code].level in (Level.TOWN, Level.VILLAGE) and anchor_level == Level.CITY)

    def _conflicts_with(self, code: str, before: _Match | None) -> bool:
        """安吉大余村: the place written just before is a county/city/town this one is not in."""
        if before is None or not before.code or before.confidence < HIGH_CONFIDENCE:
            return False
        if self.places[before.code].level in (Level.PROVINCE, Level.VILLAGE):
            return False
        return not self.related(before.code, code)

    def _decide(self, m: _Match, before, anchors, context_codes, stage: int) -> bool:
        scored = {c: self._support(c, m, before, anchors, context_codes) for c in m.candidates}
        eligible = [c for c in m.candidates if scored[c] >= m.need[c]]
        if not eligible:
            full_village_name = len(m.surface) >= 3 and all(
                kind == "name" and self.places[c].level == Level.VILLAGE for c, kind, _ in m.entries
            )
            if stage == 2 and full_village_name and all(m.need[c] <= NEARBY for c in m.candidates):
                # 凤凰社区 with nothing to say which: surely a place, but unresolved.
                return self._set(m, None, 0.3 if len(m.candidates) == 1 else round(0.3 / len(m.candidates), 2), m.candidates)
            return False  # a guarded name nothing supports (yet): not reported as a place
        if self._is_cluster(m, anchors, context_codes):
            return self._set(m, None, 0.2, m.candidates)
        best = max(scored[c] for c in eligible)
        top = [c for c in eligible if scored[c] == best]
        if len(top) > 1 and best in (ANYWHERE, NEARBY):
            # The most specific anchor wins: under 新昌县 rather than anywhere in 绍兴市.
            top = self._narrow(top, anchors, context_codes)
        if len(top) > 1 and self._one_chain(top):
            # 柯桥: 柯桥区 and its 柯桥街道 — the bare name usually means the larger one.
            top = [min(top, key=lambda c: PREFIX_LENGTH[self.places[c].level])]
            if stage < 1:
                return False
            return self._set(m, top[0], 0.85 if best >= NEARBY else 0.8)
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
        if best == NONE and len(m.candidates) > 1 and stage < 1:
            return False  # the other readings may still find support
        confidence = {ADJACENT: 0.97, NEARBY: 0.93, ANYWHERE: 0.9, NONE: 0.9}[best]
        if best == NONE:
            if self.places[code].level in (Level.TOWN, Level.VILLAGE):
                confidence = 0.82  # a unique name, but nothing else in the text confirms it
            if len(m.candidates) > 1:
                confidence = 0.85  # the other readings are guarded and unsupported
        kinds = {kind for c, kind, _ in m.entries if c == code}
        if "former" in kinds and not kinds & {"name", "short", "editorial"}:
            confidence = min(confidence, 0.85)
        return self._set(m, code, confidence)

    def _one_chain(self, codes: list[str]) -> bool:
        """All on one line of descent (柯桥区 › 柯桥街道)."""
        ordered = sorted(codes, key=lambda c: PREFIX_LENGTH[self.places[c].level])
        return all(self.related(a, b) for a, b in zip(ordered, ordered[1:], strict=False))

    def _narrow(self, top: list[str], anchors: _Anchors, context_codes) -> list[str]:
        """Among tied candidates keep those related to the most specific anchor (新昌县 rather
        than 绍兴市) named in the text or given as context."""

        def depth(code):
            related = [a for a, _ in anchors.related(code)] + [c for c in context_codes if self.related(c, code)]
            return max((PREFIX_LENGTH[self.places[a].level] for a in related), default=-1)

        depths = {c: depth(c) for c in top}
        deepest = max(depths.values())
        return [c for c in top if depths[c] == deepest]

    def _is_cluster(self, m: _Match, anchors, context_codes) -> bool:
        """大余村, 大李祖村 (李祖村 after 大): the cluster of villages around one village.

        大 + a village name is a cluster when it is not itself a supported place: 安吉大余村 is
        the area around 安吉's 余村, not 天台县's village 大余村.
        """
        if m.after_da and any(self.places[c].level == Level.VILLAGE for c in m.candidates):
            return True
        if not m.surface.startswith("大") or len(m.surface) < 3:
            return False
        found = self.automaton.get(m.surface[1:], None)
        if not found or not any(self.places[c].level == Level.VILLAGE for c, _, _ in found[1]):
            return False
        def locally_related(code):
            near = [a for a, _ in anchors.related(code)] + [c for c in context_codes if self.related(c, code)]
            return any(self.places[a].level not in (Level.PROVINCE, Level.CITY) for a in near)

        inner = [c for c, _, _ in found[1] if self.places[c].level == Level.VILLAGE]
        if not any(locally_related(c) for c in inner):
            return False  # nothing says which 余村 the 大 is around
        return not any(locally_related(c) for c in m.candidates)

    @staticmethod
    def _set(m: _Match, code, confidence, candidates=()) -> bool:
        m.code, m.confidence, m.decided = code, confidence, True
        if code is None:
            m.candidates = tuple(candidates)
        return True

    def _mention(self, m: _Match, original: str, to_original) -> PlaceMention:
        start, end = to_original(m.start, m.end)
        place = self.places.get(m.code) if m.code else None
        return PlaceMention(
            code=m.code,
            name=place.name if place else None,
            level=place.level if place else None,
            start=start,
            end=end,
            surface=original[start:end],
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
