"""Step 2½: page furniture and the record around an article (who wrote it, who published it, when).

Web pages, WeChat posts, government portals and newspaper pages wrap an article in lines that are
not its text: breadcrumbs ("首页 > 新闻中心 > 乡镇动态"), share and print bars, "上一篇：…",
copyright and ICP footers, image placeholders ("（资料图片仅供参考）"), and *meta lines* that
carry the record: "发布时间：2025-03-18 来源：开化县融媒体中心 作者：记者 王晓东 通讯员 陈丽",
"索引号/发布机构/成文日期", "编辑 | 沈晓", "□ 陈思远", a masthead with the page's date
("嘉兴日报 2024年5月20日 星期一 第3版"). :func:`read_furniture` marks all of them as noise, so
they never become titles, bodies or figures, and returns what the meta lines say, by line number.

Pure functions on cleaned lines; nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from .normalise import CJK, Line, ends_sentence

# --- what a meta line says -------------------------------------------------------------------------


@dataclass
class Meta:
    """What one furniture line states about the article around it."""

    line: int
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    source: str = ""  # "来源：…", "发布机构：…": who published it
    masthead: str = ""  # the site or paper the page belongs to ("江山新闻网", "嘉兴日报")
    published_on: date | None = None
    date_written: bool = False  # 成文日期: when the text was signed, not when it was published
    column: str = ""  # the last breadcrumb ("人物"), a column head
    header: bool = False  # part of the document's header (applies to every article of a page)


NAME = rf"[{CJK}·]{{2,4}}"
NAMES = rf"{NAME}(?:[\s、，,]+{NAME}){{0,5}}"
SEPARATOR = r"\s*[:：|丨]\s*"
# the keys of meta lines, longest first so 责任编辑 wins over 编辑
AUTHOR_KEYS = ("作者", "记者", "通讯员", "执笔", "撰稿", "撰文", "采写", "文字", "文/图", "文图", "文", "特约记者", "本报记者", "本刊记者")
EDITOR_KEYS = ("责任编辑", "责编", "编辑", "审核", "审校", "校对", "终审", "初审", "美编", "版式设计", "摄影", "图片", "图", "统筹", "监制", "排版")
SOURCE_KEYS = ("来源", "信息来源", "稿件来源", "文章来源", "稿源", "发布机构", "发文机关", "发布单位", "供稿单位", "供稿", "作者单位")
DATE_KEYS = ("发布时间", "发布日期", "发表时间", "发表于", "发布于", "更新时间", "时间", "日期", "成文日期", "发文日期", "印发日期")
OTHER_KEYS = ("索引号", "主题分类", "文号", "发文字号", "体裁分类", "组配分类", "浏览次数", "阅读次数", "点击数", "字号", "字体", "有效性")
ALL_KEYS = sorted(AUTHOR_KEYS + EDITOR_KEYS + SOURCE_KEYS + DATE_KEYS + OTHER_KEYS, key=len, reverse=True)
KEY_VALUE = re.compile(rf"(?<![{CJK}])({'|'.join(re.escape(k) for k in ALL_KEYS)}){SEPARATOR}")
ROLE_WORDS = ("本报记者", "本刊记者", "特约记者", "融媒记者", "见习记者", "记者", "通讯员", "实习生", "文/图", "文图")
# "记者 王晓东 通讯员 陈丽", "浙江在线记者 张三" (an outlet before the role word)
ROLE_NAMES = re.compile(rf"^[（(]?(?:[{CJK}]{{2,8}}?(?=记者|通讯员))?(?:(?:{'|'.join(re.escape(w) for w in ROLE_WORDS)})\s*{NAMES}\s*)+[)）]?$")
BOX_BYLINE = re.compile(rf"^[□■◎●]\s*((?:[{CJK}]\s?){{2,4}}(?:\s+(?:[{CJK}]\s?){{2,4}}){{0,4}})$")
SLASH_BYLINE = re.compile(rf"^(?:文|文/图|图/文)\s*[/／]\s*({NAMES})$")
OFFICIAL_NAME = re.compile(rf"^(?:中共)?[{CJK}、]{{2,24}}(?:书记|省长|市长|县长|区长|镇长|乡长|部长|主任|厅长|局长|主席|院长|校长)\s+((?:[{CJK}]\s?){{2,4}})$")
# "本报评论员", "本刊评论员": the paper signs its editorial itself
EDITORIAL_BYLINE = re.compile(r"^(?:本报|本刊|特约)?评论员(?:\s+[\u4e00-\u9fff]{2,4})?$")
NEWS_LEAD = re.compile(rf"^(?:本报讯|本刊讯|讯|[{CJK}]{{2,8}}(?:讯|消息)|[{CJK}]{{2,12}}\d{{1,2}}月\d{{1,2}}日电)\s*[（(]((?:[^()（）]{{2,40}}))[)）]")

DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]")
PAGE_NO = re.compile(r"第\s*[\dA-Z]{1,3}\s*版|[A-Z]?\d{1,2}\s*版")
MASTHEAD = re.compile(rf"^[{CJK}A-Za-z]{{2,14}}(?:日报|晚报|时报|周报|商报|报|新闻网|新闻|网|客户端|发布|门户网站|融媒|杂志|在线|频道|之声|App|APP|人民政府|政府网站)$")

BREADCRUMB = re.compile(r"^(?:当前位置|您现在的位置|您的位置|现在位置|所在位置|位置)\s*[:：]|^首页\s*[>›»/]|\S\s*(?:>>|>|›|»)\s*\S")
FURNITURE = re.compile(
    r"打印本页|打印此页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|【\s*字体|字号\s*[:：]|分享到|点击蓝字|关注我们|推荐阅读"
    r"|阅读原文|扫一扫|返回顶部|收藏本页|浏览次数|阅读量|访问量|分享\s*收藏|点赞\s*在看|^在看$|^分享$|^收藏$|^点赞$"
    r"|版权所有|Copyright|©|ICP\s*备|公网安备|网站标识码|技术支持\s*[:：]|主办\s*[:：]|承办\s*[:：]|^上一篇|^下一篇|^上一条|^下一条"
    r"|^[（(]\s*完\s*[)）]$|^【\s*纠错\s*】|^原标题\s*[:：]|^图片$|^视频$|^\[?图片\]?$|\.(?:jpg|jpeg|png|gif|webp)\b"
    r"|^[（(]?\s*(?:资料图片|资料图|图片仅供参考|图片来源|图源|题图)[^）)]{0,20}[)）]?$",
    re.IGNORECASE,
)
ISSUE_LINE = re.compile(r"^(?:(?:19|20)\d{2}\s*年\s*)?第\s*\d{1,3}\s*期(?:\s*[（(]\s*总第\s*\d+\s*期\s*[)）])?$")
SERIES = re.compile(r"(?:简报|专报|快报|要报|内参|信息|动态|通讯)$")
NAV_BAR = re.compile(rf"^(?:[{CJK}]{{2,6}}\s+){{2,9}}[{CJK}]{{2,6}}$")  # a site's navigation bar
READ_MORE = re.compile(r"^(?:推荐阅读|相关阅读|延伸阅读|相关新闻|相关链接|往期回顾|往期推荐|更多阅读)\s*[:：]?$")
CONTRIBUTOR_NOTE = re.compile(r"^[（(]\s*(供稿单位|供稿|执笔|撰稿|来源|作者单位)\s*[:：]\s*([^()（）]+?)\s*[)）]$")


CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def _cn_small(text: str) -> int:
    """"十二" → 12, "二十三" → 23, "三十一" → 31."""
    if "十" not in text:
        return CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def parse_date(text: str) -> date | None:
    """"2024-04-15", "2024年4月15日", "2024/4/15", and the notices' "二〇二四年四月十五日"."""
    match = DATE.search(text)
    if not match:
        chinese = CN_DATE.search(text)
        if not chinese:
            return None
        try:
            year = int("".join(str(CN_DIGITS[c]) for c in chinese.group(1)))
            return date(year, _cn_small(chinese.group(2)), _cn_small(chinese.group(3)))
        except (KeyError, ValueError):
            return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def names_of(text: str) -> list[str]:
    """"记者 王晓东 通讯员 陈丽 俞佳" → ["王晓东", "陈丽", "俞佳"]; "浙江在线记者 张三" → ["张三"]."""
    outlet = re.match(rf"^[（(]?[{CJK}]{{2,8}}?(?=记者|通讯员)", text)
    if outlet:
        text = text[outlet.end():]
    for word in sorted(ROLE_WORDS, key=len, reverse=True):
        text = text.replace(word, " ")
    names = [t for t in re.split(r"[\s、，,/／]+", text) if t]
    return [n for n in names if re.fullmatch(NAME, n)] if all(re.fullmatch(NAME, n) for n in names) else []


def key_values(text: str) -> list[tuple[str, str]]:
    """"来源：A  作者：记者 B" → [("来源", "A"), ("作者", "记者 B")]; text before the first key is left out."""
    matches = list(KEY_VALUE.finditer(text))
    pairs = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[match.end():end].strip(" |丨　")
        pairs.append((match.group(1), value))
    return pairs


def _value_head(value: str) -> str:
    """The value before a wide gap: "开化县融媒体中心  作者" → "开化县融媒体中心"."""
    return re.split(r"\s{2,}|\s*[|丨]\s*|\s+(?=\d{4}[-年])", value.strip())[0].strip()


def meta_of(line: Line, at_top: bool) -> Meta | None:
    """What a furniture line says, or None when the line is the article's own text."""
    text = line.text.strip()
    if len(text) > 120 or not text:
        return None
    if re.fullmatch(r"[【\[][^【】\[\]]{2,60}[】\]]", text):
        text = text[1:-1].strip()  # "【责任编辑：刘洋】"
    text = re.sub(r"^(?:>\s*)+|^[*_]{1,2}(?=\S)|(?<=\S)[*_]{1,2}$", "", text).strip()  # markdown: "> 来源：…", "*编辑：…*"
    meta = Meta(line.number)
    if ISSUE_LINE.match(text):
        return meta  # "2024年第6期（总第38期）": the issue label reads it from the whole text
    if at_top and SERIES.search(text) and len(text) <= 8 and not ends_sentence(text):
        meta.column, meta.header = text, True  # "政策简报": the series, which tells the kind
        return meta
    note = CONTRIBUTOR_NOTE.match(text)
    if note:
        key, value = note.groups()
        if key in ("执笔", "撰稿"):
            meta.authors = names_of(value) or [value]
        elif key != "作者单位":
            meta.source = value
        return meta
    pairs = key_values(text)
    starts_with_key = bool(pairs) and KEY_VALUE.match(text) is not None
    before = text[: KEY_VALUE.search(text).start()].strip() if pairs else text
    if pairs and (starts_with_key or _header_rest(before) is not None):
        for key, value in pairs:
            head = _value_head(value)
            if key in AUTHOR_KEYS:
                meta.authors += names_of(head) or names_of(value.split("  ")[0]) or ([head] if re.fullmatch(NAME, head) else [])
            elif key in EDITOR_KEYS:
                meta.editors += names_of(head)
            elif key in SOURCE_KEYS and key != "作者单位":
                meta.source = meta.source or head
            elif key in DATE_KEYS and not meta.published_on:
                meta.published_on = parse_date(value)
                meta.date_written = key in ("成文日期", "发文日期", "印发日期")
        meta.published_on = meta.published_on or parse_date(before) or parse_date(text)
        if not meta.authors:
            # "来源：江山市融媒体中心  记者 毛丽娟": a byline after the last value
            byline = re.search(rf"(?:{'|'.join(ROLE_WORDS)})\s*{NAMES}(?:\s+(?:{'|'.join(ROLE_WORDS)})\s*{NAMES})*\s*$", text)
            if byline:
                meta.authors = names_of(byline.group(0))
                if meta.source.endswith(byline.group(0).strip()):
                    meta.source = meta.source[: -len(byline.group(0).strip())].strip()
        rest = _header_rest(before)
        if rest:
            meta.masthead = rest
        return meta
    if EDITORIAL_BYLINE.match(text):
        meta.authors = [text.split()[-1] if " " in text else text]
        return meta
    if ROLE_NAMES.match(text):
        meta.authors = names_of(text.strip("（）()"))
        return meta if meta.authors else None
    for pattern in (BOX_BYLINE, SLASH_BYLINE):
        match = pattern.match(text)
        if match:
            meta.authors = names_of(match.group(1)) or [re.sub(r"\s", "", match.group(1))]
            return meta
    if text.startswith(("文/图", "文/", "图/文")) and ROLE_NAMES.match(text.split("/", 1)[-1].lstrip("图 ")):
        meta.authors = names_of(text.split("/", 1)[-1].lstrip("图 "))
        return meta
    if BREADCRUMB.search(text) and not ends_sentence(text) and len(text) <= 60:
        parts = [p.strip() for p in re.split(r">>|>|›|»|/", re.sub(r"^.*?[:：]", "", text)) if p.strip()]
        if len(parts) >= 2 or text.startswith(("当前位置", "您现在的位置", "您的位置")):
            meta.column = parts[-1] if parts and len(parts[-1]) <= 8 else ""
            meta.masthead = parts[0] if parts and MASTHEAD.match(parts[0]) else ""
            return meta
    # a header line: masthead, date, weekday, page ("嘉兴日报  2024年5月20日 星期一  第3版  要闻")
    if CN_DATE.fullmatch(text):
        meta.published_on = parse_date(text)
        return meta
    if at_top or DATE.search(text):
        rest = _header_rest(text)
        stated = parse_date(text)
        if stated and (rest is not None):
            meta.published_on, meta.masthead, meta.header = stated, rest or "", True
            return meta
        if at_top and rest and MASTHEAD.match(rest) and len(text) <= 16:
            meta.masthead, meta.header = rest, True
            return meta
    return None


def _header_rest(text: str) -> str | None:
    """What is left of a header line once dates, times, weekdays and page numbers are taken out:
    "" when nothing is, the masthead when one name is, None when the line says more than that."""
    rest = DATE.sub(" ", text)
    rest = TIME.sub(" ", rest)
    rest = WEEKDAY.sub(" ", rest)
    rest = PAGE_NO.sub(" ", rest)
    rest = re.sub(r"[（()）|丨·]", " ", rest)
    tokens = [t for t in rest.split() if t]
    if not tokens:
        return ""
    if len(tokens) > 3 or any(len(t) > 16 for t in tokens) or any(re.search(r"[，。；！？,;]", t) for t in tokens):
        return None
    names = [t for t in tokens if MASTHEAD.match(t) or re.search(r"(?:院|局|中心|办公室|委员会|研究会|协会|集团|政府|办|部|厅|委)$", t)]
    if names:
        return names[0]
    # "德清发布 2024-06-12 18:00 浙江": an account name and a place; a page's column ("要闻")
    if all(len(t) <= 8 for t in tokens) and DATE.search(text):
        return tokens[0] if len(tokens[0]) >= 3 else ""
    return None


# Every meta or furniture line holds one of these; most lines of a text hold none (a fast path).
MAYBE = re.compile(
    r"[:：|丨>›»□■◎●【\[（(©/]|\d{4}|[〇○]|评论员|记者|通讯员|打印|关闭|分享|收藏|点赞|在看|关注|阅读|扫一扫|返回|浏览|访问|版权|Copyright|ICP|"
    r"上一|下一|图片|资料图|视频|^图|^文|期$|简报|专报|快报|要报|内参|信息$|动态$|通讯$|书记|长\s|主任\s|日报|报$|网$|客户端|发布|政府|融媒|杂志|在线|频道|之声|App|APP",
    re.IGNORECASE,
)


def is_furniture(text: str) -> bool:
    """A share bar, footer, placeholder or navigation line (short, never a sentence of the text)."""
    text = text.strip()
    return len(text) <= 80 and bool(FURNITURE.search(text)) and not (ends_sentence(text) and len(text) > 30)


def read_furniture(lines: list[Line]) -> tuple[list[Line], dict[int, Meta]]:
    """Mark furniture and meta lines as noise; return the lines and what the meta lines say."""
    marked: list[Line] = []
    metas: dict[int, Meta] = {}
    seen_text = 0  # lines of real text so far: the header is what comes before
    reading_more = False  # after "推荐阅读": links to other articles until real text resumes
    for line in lines:
        if line.noise or line.doubled:
            marked.append(line)
            continue
        text = line.text.strip()
        if seen_text >= 3 and not reading_more and not MAYBE.search(text):
            seen_text += len(text) >= 4
            marked.append(line)
            continue
        if READ_MORE.match(text):
            reading_more = True
            marked.append(replace(line, noise=True))
            continue
        if reading_more and not ends_sentence(text) and len(text) <= 40:
            marked.append(replace(line, noise=True))
            continue
        reading_more = False
        meta = meta_of(line, at_top=seen_text < 3)
        if meta is not None and meta.published_on and not meta.masthead and not meta.source and marked and not marked[-1].noise \
                and ORGANISATION.search(marked[-1].text.strip()) and len(marked[-1].text.strip()) <= 20:
            # "安吉县农业农村局" over "2024年4月12日": the signature of a notice
            signer = marked.pop()
            marked.append(replace(signer, noise=True))
            meta.source, meta.header = signer.text.strip(), False
        if meta is None and OFFICIAL_NAME.match(text) and seen_text <= 4:
            meta = Meta(line.number, authors=names_of(OFFICIAL_NAME.match(text).group(1)))
        if meta is not None:
            meta.header = meta.header or seen_text == 0
            metas[line.number] = meta
            marked.append(replace(line, noise=True))
            continue
        if is_furniture(text) or (seen_text < 3 and NAV_BAR.match(text) and (text.startswith("首页") or len(text.split()) >= 4)):
            marked.append(replace(line, noise=True))  # "首页 政务公开 新闻中心 办事服务 互动交流"
            continue
        if len(text) >= 4:
            seen_text += 1
        marked.append(line)
    return marked, metas


WIRE = re.compile(rf"^(新华社|中新社|人民日报|中国新闻社|浙江日报)[{CJK}]{{2,8}}\d{{1,2}}月\d{{1,2}}日电")


def lead_authors(text: str) -> list[str]:
    """Authors in a news lede: "本报讯（记者 郑一鸣 通讯员 沈婷）记者日前…" → ["郑一鸣", "沈婷"]."""
    match = NEWS_LEAD.match(text.strip())
    if not match:
        return []
    inner = match.group(1)
    if not any(word in inner for word in ROLE_WORDS):
        return []
    return names_of(inner)


ORGANISATION = re.compile(r"(?:院|局|中心|办公室|委员会|研究会|协会|集团|政府|办|部|厅|委|社)$")


def attach_meta(drafts: list, metas: dict[int, Meta]) -> None:
    """Give each article the record its furniture states: authors, column, publication, date.

    A meta line belongs to the article whose line range holds it, else to the next article
    (a header), else to the previous one (a footer: "来源 | …", "（执笔：…）"). What the document's
    header says (masthead, the page's date) holds for every article of the page.
    """
    if not drafts:
        return
    header = [m for m in metas.values() if m.line < drafts[0].line_start]
    own: dict[int, list[Meta]] = {}
    for meta in metas.values():
        index = next((i for i, d in enumerate(drafts) if d.line_start <= meta.line <= d.line_end), None)
        if index is None:
            later = [i for i, d in enumerate(drafts) if d.line_start > meta.line]
            index = later[0] if later else len(drafts) - 1
            if later and index > 0 and meta.line > drafts[index - 1].line_end:
                # between two articles: a footer of the one before unless it opens the next
                previous_gap = meta.line - drafts[index - 1].line_end
                next_gap = drafts[index].line_start - meta.line
                index = index - 1 if previous_gap < next_gap and not meta.authors else index
        own.setdefault(index, []).append(meta)
    for i, draft in enumerate(drafts):
        mine = own.get(i, [])
        shared = [m for m in header if m not in mine]
        stated = mine + shared
        first = next((line.text for line in draft.lines if not line.noise), "")
        if not draft.authors:
            draft.authors = next((m.authors for m in mine if m.authors), []) or lead_authors(first)
        draft.column = draft.column or next((m.column for m in stated if m.column), "")
        sources = [m.source for m in mine if m.source] + [m.source for m in shared if m.source]
        mastheads = [m.masthead for m in stated if m.masthead]
        organisations = [name for name in mastheads if ORGANISATION.search(name)]
        wire = WIRE.match(first.strip())  # "新华社杭州5月20日电": the agency that filed it
        draft.publication = (sources or organisations or mastheads or ([wire.group(1)] if wire else [""]))[0]
        draft.mastheads = mastheads
        dated = sorted((m for m in mine + shared if m.published_on), key=lambda m: (m.date_written, m not in mine))
        dates = [m.published_on for m in dated]
        draft.published_on = dates[0] if dates else None
        draft.editors = [name for m in mine for name in m.editors]
