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
INSTITUTION = re.compile(r"(?:县|市|区|镇|乡|街道)?(?:委|政府|党委|党工委|人大|政协|纪委|经济开发区|开发区|高新区|工业园|产业园|园区|集团|公司|[^，。]{0,4}局)")


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    level: str
    role: str  # "main" or "mentioned"
    mentions: int = 1
    in_title: bool = False


def find_places(text: str, context: Iterable[str] = ()) -> list:
    """The gazetteer's recogniser (imported late: it builds its automaton from the database)."""
    from regions.recognizer import find_places as recognise

    return recognise(text, context=tuple(context))


# "衢江支流", "马金溪两岸": a river named after a place is no division
WATER_AFTER = re.compile(r"(?:江|溪|河|湖|港)?(?:支流|沿线|流域|两岸|江畔|溪畔|水系|干流|上游|中游|下游|之畔|岸边|沿岸|入海口)")
# "霞田、石柱、高岭、金溪4个村": villages (or communities) listed by their short names
VILLAGE_LIST = re.compile(
    r"((?:[\u4e00-\u9fff]{2,4}、){1,15}[\u4e00-\u9fff]{2,4})(?:等)?(?:\d{1,3}|[一二三四五六七八九十两]{1,3})个(?:行政)?(村|社区)"
)
# "我市", "本区": the place the publication or the article is about
HOME = re.compile(r"(?:我|本)(市|县|区)(?!委|政府|人大|政协|级)")  # not 全市: a comparison ("占全县的60%")


def find_listed_places(text: str, mentions: Sequence) -> list:
    """Villages listed by short name, resolved under the town (or county) named before the list.

    Only the gazetteer's own children of that place count, so 石柱 becomes 马金镇's 石柱村 and
    never one of the other eight 石柱村 in Zhejiang.
    """
    from regions.recognizer import PlaceMention, get_gazetteer

    parents = [m for m in resolved(mentions) if _depth(m.code) in (2, 3)]
    if not parents:
        return []
    children = _children_index(get_gazetteer())
    found = []
    for match in VILLAGE_LIST.finditer(text):
        before = [m for m in parents if m.end <= match.start()] or parents
        parent = max(before, key=lambda m: (m.end <= match.start(), m.end if m.end <= match.start() else -m.start))
        suffix = match.group(2)
        position = match.start(1)
        for item in match.group(1).split("、"):
            start = position
            position += len(item) + 1
            for k in (len(item), 3, 2):
                name = item[-k:]
                if len(name) < 2:
                    continue
                code = _child_named(children, parent.code, name + suffix) or _child_named(children, parent.code, name)
                if code:
                    place = get_gazetteer().places[code]
                    begin = start + len(item) - len(name)
                    found.append(PlaceMention(code, place.name, place.level, begin, begin + len(name), name, 0.9))
                    break
    return found


def _children_index(gazetteer) -> dict[str, dict[str, str]]:
    """{town or county prefix: {village name: code}}, built once per gazetteer."""
    index = getattr(gazetteer, "_children_by_prefix", None)
    if index is None:
        index = {}
        for code, place in gazetteer.places.items():
            if place.is_current and _depth(code) >= 3:
                index.setdefault(code[:9], {})[place.name] = code
                index.setdefault(code[:6], {}).setdefault(place.name, code)
        gazetteer._children_by_prefix = index
    return index


def _child_named(children: dict[str, dict[str, str]], parent: str, name: str) -> str | None:
    own = children.get(parent[:9] if _depth(parent) == 3 else parent[:6], {})
    return own.get(name)


def find_home_places(text: str, home: dict[str, tuple[str, str, str]]) -> list:
    """"我市/全市/本县…" as mentions of the publication's (or the article's) city, county or district.

    ``home`` maps 市/县/区 to (code, name, level).
    """
    from regions.recognizer import PlaceMention

    found = []
    for match in HOME.finditer(text):
        place = home.get(match.group(1))
        if place:
            found.append(PlaceMention(place[0], place[1], place[2], match.start(), match.end(), match.group(), 0.8))
    return found


def home_places(names: Sequence[str], mentions: Sequence = ()) -> dict[str, tuple[str, str, str]]:
    """What 市/县/区 mean in "我市/我县/我区": the place in the publication's name (嘉兴市统计局,
    江山市融媒体中心, 衢州日报), else the first such place the article itself names."""
    home: dict[str, tuple[str, str, str]] = {}
    candidates = [m for name in names if name for m in resolved(find_places(name))] + list(resolved(mentions))
    for m in candidates:
        depth = _depth(m.code)
        if depth not in (1, 2):
            continue
        full = m.name or m.surface
        kind = full[-1] if full[-1] in "市县区" else ""
        if kind and kind not in home:
            home[kind] = (m.code, full, m.level or "")
    return home


def enclosing_outlet_places(outlets: Sequence[str], regions: Sequence[RegionRef]) -> list[RegionRef]:
    """Places in the names of the page's outlets (天台县人民政府, 江山市融媒体中心) that enclose the
    article's subject, as mentioned regions the text itself leaves unsaid."""
    subject = subject_region(regions)
    if subject is None or subject.code == ZHEJIANG:
        return []
    have = {r.code for r in regions}
    extra: list[RegionRef] = []
    for name in outlets:
        if not name:
            continue
        for m in resolved(find_places(name)):
            if m.code not in have and _depth(m.code) >= 1 and is_within(subject.code, m.code):
                extra.append(RegionRef(m.code, m.name or m.surface, m.level or "", "mentioned", 0))
                have.add(m.code)
    return extra


def resolved(mentions: Sequence) -> list:
    return [m for m in mentions if getattr(m, "code", None)]


def plausible(mentions: Sequence, context: Iterable[str] = (), text: str | None = None) -> list:
    """Resolved mentions that the article itself supports.

    A town or village written by its short name (建设 for 建设街道, 大门 for 大门镇) is kept only
    when the article also names its county or city (or the title did): support from the
    province alone is what every Zhejiang place has, and these short names are common words.
    """
    found = resolved(mentions)
    anchors = {m.code for m in found if _depth(m.code) in (1, 2)} | {c for c in context if _depth(c) in (1, 2)}
    kept = []
    for m in found:
        if text is not None and (m.name or "") != m.surface and WATER_AFTER.match(text, m.end):
            continue  # 衢江支流: the river, not 衢江区
        short = (m.name or "") != m.surface and _depth(m.code) >= 3
        if short and not any(m.code.startswith(_prefix(a)) for a in anchors):
            continue
        kept.append(m)
    return kept


def _prefix(code: str) -> str:
    return code[: {0: 2, 1: 4, 2: 6, 3: 9}.get(_depth(code), 12)]


def region_roles(title_mentions: Sequence, body_mentions: Sequence, lead_chars: int = 300) -> list[RegionRef]:
    """Main regions: named in the title, and the most talked-about place of the body.

    The body's most mentioned place (an early mention and a lower level break ties) is main;
    so is a place the title names. 临安 in the title and 潜川镇 all through the body: both main.
    """
    title = resolved(title_mentions)
    body = resolved(body_mentions)
    counts = Counter(m.code for m in body) + Counter(m.code for m in title)
    info = {m.code: m for m in list(body) + list(title)}
    if not counts:
        return []
    first_seen: dict[str, int] = {}
    for m in body:
        first_seen.setdefault(m.code, m.start)

    def score(code: str) -> tuple:
        early = 1 if first_seen.get(code, 10**9) < lead_chars else 0
        return (Counter(m.code for m in body)[code] + 2 * early, _depth(code), -first_seen.get(code, 10**9))

    main = {m.code for m in title}
    title_codes = set(main)
    body_codes = [code for code in counts if code in first_seen]
    if body_codes:
        top = max(body_codes, key=score)
        if not main or any(is_within(top, code) for code in main):
            main.add(top)
    refs = [
        RegionRef(code, info[code].name or info[code].surface, info[code].level or "",
                  "main" if code in main else "mentioned", counts[code], code in title_codes)
        for code in counts
    ]
    refs.sort(key=lambda r: (r.role != "main", -r.mentions, r.code))
    return refs


def subject_region(refs: Sequence[RegionRef]) -> RegionRef | None:
    """The place the article is chiefly about: the most specific main region."""
    mains = [r for r in refs if r.role == "main"]
    if not mains:
        return None
    # "一座老桥串起三个村——嵊州市甘霖镇…": the headline's place, though a village of it is talked of more
    titled = [r for r in mains if r.in_title and _depth(r.code) >= 2]
    return max(titled or mains, key=lambda r: (_depth(r.code), r.mentions))


def is_within(code: str, ancestor: str) -> bool:
    """``code`` is ``ancestor`` or lies inside it."""
    return code == ancestor or (_depth(code) > _depth(ancestor) and code.startswith(_prefix(ancestor)))


def default_regions() -> list[RegionRef]:
    """An article that names no place at all, in this Zhejiang case library, is about the province
    (the news briefs and "big number" boxes of a provincial magazine)."""
    return [RegionRef(ZHEJIANG, "浙江省", "province", "main", 0)]


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


def attribute(body: str, offset: int, mentions: Sequence, regions: Sequence[RegionRef]):
    """The place a figure at ``offset`` is about, as ``(code, name)`` or None.

    The nearest place named before it in its sentence, else in its paragraph, that lies in
    one of the article's main regions (so 开化县 in "赴衢州开化县举办…活动60余场" does not take
    an 上城区 figure); an ancestor of the article's subject named after the subject itself
    ("七星街道…占全县人口三分之一") is a comparison, not the place. Otherwise the subject.
    """
    mains = [r.code for r in regions if r.role == "main"]
    subject = subject_region(regions)
    places = [m for m in resolved(mentions) if m.end <= offset and any(is_within(m.code, c) for c in mains)]
    sentence_start = _last_match_end(SENTENCE_END, body, offset)
    paragraph_start = body.rfind("\n", 0, offset) + 1
    for window, start in (("sentence", sentence_start), ("paragraph", paragraph_start)):
        if window == "paragraph":
            # "55年来，黄箭坂村一直…": the sentence names its place right after the figure
            sentence_end = SENTENCE_END.search(body, offset)
            stop = sentence_end.start() if sentence_end else len(body)
            after = [m for m in resolved(mentions) if offset < m.start <= min(stop, offset + 12)
                     and any(is_within(m.code, c) for c in mains) and _depth(m.code) >= 3]
            if after:
                first = min(after, key=lambda m: m.start)
                return first.code, first.name or first.surface
        near = sorted((m for m in places if m.start >= start), key=lambda m: -m.start)
        for m in near:
            if subject and m.code != subject.code and is_within(subject.code, m.code):
                # 新昌县 in an article about 七星街道: a comparison ("占全县…"), an institution
                # ("新昌县委…") or background, unless the sentence itself is about it.
                if window == "paragraph" or INSTITUTION.match(body, m.end) or any(
                    n.start < m.start and is_within(n.code, subject.code) for n in near
                ):
                    continue
            return m.code, m.name or m.surface
    if subject is not None:
        return subject.code, subject.name
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
