"""Step 5: places per article and the place each figure is about.

``regions.recognizer.find_places`` finds and resolves the places (七星街道 in an article about
新昌 is 新昌县's); this module decides which of them the article is *about* (main) and which it
merely mentions, and attributes every figure to the nearest place named before it in the same
sentence, else in the same paragraph, else to the article's main region.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ZHEJIANG = "330000000000"
SENTENCE_END = re.compile(r"[。！？!?；;\n]")


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    level: str
    role: str  # "main" or "mentioned"
    mentions: int = 1


def find_places(text: str, context: Iterable[str] = ()) -> list:
    """The gazetteer's recogniser (imported late: it builds its automaton from the database)."""
    from regions.recognizer import find_places as recognise

    return recognise(text, context=tuple(context))


def resolved(mentions: Sequence) -> list:
    return [m for m in mentions if getattr(m, "code", None)]


def region_roles(title_mentions: Sequence, body_mentions: Sequence, lead_chars: int = 300) -> list[RegionRef]:
    """Main regions: named in the title, else the most talked-about place near the start.

    A region is main when the title names it, or when it is the most mentioned place
    (ties broken by an early mention and a lower level: a town over its county).
    """
    title = resolved(title_mentions)
    body = resolved(body_mentions)
    counts = Counter(m.code for m in body) + Counter(m.code for m in title)
    info = {m.code: m for m in list(body) + list(title)}
    if not counts:
        return []
    title_codes = {m.code for m in title}
    first_seen = {}
    for m in body:
        first_seen.setdefault(m.code, m.start)
    depth = {code: _depth(code) for code in counts}

    def score(code: str) -> tuple:
        early = 1 if first_seen.get(code, 10**9) < lead_chars else 0
        return (counts[code] + 3 * early, depth[code], -first_seen.get(code, 10**9))

    main = set(title_codes)
    if not main:
        main.add(max(counts, key=score))
    # a title naming both a county and its town is about the town; keep both as main
    refs = [
        RegionRef(code, info[code].name or info[code].surface, info[code].level or "", "main" if code in main else "mentioned", counts[code])
        for code in counts
    ]
    refs.sort(key=lambda r: (r.role != "main", -r.mentions, r.code))
    return refs


def _depth(code: str) -> int:
    """0 province … 4 village, from the NBS code's structure."""
    if code[2:] == "0" * 10:
        return 0
    if code[4:] == "0" * 8:
        return 1
    if code[6:] == "0" * 6:
        return 2
    if code[9:] == "000":
        return 3
    return 4


def attribute(body: str, offset: int, mentions: Sequence, fallback: RegionRef | None):
    """The place a figure at ``offset`` is about: nearest earlier mention in its sentence,
    else in its paragraph, else the article's main region (``fallback``)."""
    places = [m for m in resolved(mentions) if m.end <= offset]
    sentence_start = _last_match_end(SENTENCE_END, body, offset)
    paragraph_start = body.rfind("\n", 0, offset) + 1
    for start in (sentence_start, paragraph_start):
        near = [m for m in places if m.start >= start]
        if near:
            best = max(near, key=lambda m: m.start)
            return best.code, best.name or best.surface
    if fallback is not None:
        return fallback.code, fallback.name
    return None


def _last_match_end(pattern: re.Pattern, text: str, before: int) -> int:
    start = 0
    for match in pattern.finditer(text, 0, before):
        start = match.end()
    return start


def initiative_key(name: str) -> str:
    """Compare initiative names without quotes, brackets and spaces: “1+3+N” ≡ 1+3+N."""
    return re.sub(r"[\s“”\"'‘’「」『』《》()（）]", "", name)


def merge_initiatives(names: Iterable[str]) -> list[str]:
    """One entry per initiative within an article, in order of first mention."""
    seen: dict[str, str] = {}
    for name in names:
        key = initiative_key(name)
        if key and key not in seen:
            seen[key] = name.strip("“”\"")
    return list(seen.values())
