"""Step 3: a document's cleaned lines → articles (title, byline, kind, line range, body lines).

Four layouts occur, told apart by their marks rather than by the file name:

* a magazine issue: each feature opens with a ■ byline ("■马跃明 袁 卫"); its title sits just
  before the byline, after it, or only in the issue's contents page ("12 标题/作者"), which is
  used to name articles by their authors. The text between bylined articles (news briefs,
  the speech, the commentary) is cut at headlines; the contents page and a year's index of
  articles are indexes, never articles;
* a report with numbered sections ending with "（作者系…书记）";
* a newspaper page of items, each ending with its authors in parentheses;
* a markdown page whose items open with # … #### headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .furniture import NEWS_LEAD, attach_meta
from .normalise import CJK, KNOWN_HEADS, Line, despace, ends_sentence, looks_like_heading, typical_width

NAME = rf"[{CJK}]{{2,4}}"
# "■马跃明 袁 卫", "■叶 慧 刘 婷", "■王通林": names only, letter-spaced or not.
BYLINE = re.compile(rf"^■\s*((?:[{CJK}]\s?){{2,4}}(?:\s+(?:[{CJK}]\s?){{1,4}}){{0,5}})$")
ENDING_AUTHORS = re.compile(rf"(?:^|(?<=[。！？”!?∞.\s]))\s*[（(]\s*((?:{NAME}[\s、，,]*){{1,4}})[)）]\s*$")
AUTHOR_NOTE = re.compile(r"[（(]\s*(?:作者系|作者为|作者单位|摘自|本文系|根据)[^（()）]*[)）]\s*$")
NOTE_OPEN = re.compile(r"^[（(]\s*(?:作者系|作者为|作者单位|摘自|本文系)")
CONTENTS_ENTRY = re.compile(r"^(?:>>)?\s*(P?\d{1,3})\s+(\S.*?)(?:/(.+))?$")
SUBTITLE_ENTRY = re.compile(r"^——(.+?)(?:/(.+))?$")
ROLE_WORDS = ("本刊记者", "特约记者", "本刊评论员", "记者", "通讯员")
MARKDOWN_HEADING = re.compile(r"^(#{1,4})\s*(.+?)\s*#*$")
PHOTO_CREDIT = re.compile(r"(?:\s\S{0,4}摄|[（(]图片由.+提供[)）]|[（(]\S*摄[)）])$")

OFFICIAL_LINE = re.compile(rf"^(?:中共)?\S{{2,20}}(?:书记|省长|市长|县长|区长|部长|主任|厅长)\s+((?:[{CJK}]\s?){{2,4}})$")
ROLE = re.compile(r"书记|厅长|部长|局长|主任|县长|市长|区长|镇长|乡长|主席|委员|常委|记者|研究员|教授|校长|院长")
MIN_BODY = 20  # shorter is a caption or an ad line, not an article ("big number" boxes have ~25)
LEDE_START = re.compile(r"^(?:近日|日前|近期|今年|去年|目前|截至|记者|本报讯|\d{1,2}月\d{1,2}日|\d{4}年)")
COMPOUND_SURNAMES = {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "端木", "南宫"}
CONJUNCTION_START = tuple("而但并且及或即则")

KIND_BY_COLUMN = {
    "今浙论坛": "commentary", "钱江漫笔": "commentary", "专栏": "commentary", "乡村札记": "commentary",
    "领导要论": "speech", "高层要论": "news", "本期关注": "feature",
}


@dataclass
class ArticleDraft:
    title: str
    line_start: int
    line_end: int
    lines: list[Line] = field(default_factory=list)  # the body's lines (no title, no byline)
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    column: str = ""
    kind: str = "other"
    signed_by_official: bool = False  # the byline is followed by an official role ("…厅党组书记、厅长")
    signed: bool = False  # opened by a ■ byline
    title_from_headline: bool = False  # the text printed a headline for it
    kicker: str = ""  # the line printed above the headline (引题)
    publication: str = ""  # stated by the furniture: "来源：…", a masthead (see furniture.attach_meta)
    published_on: date | None = None
    editors: list[str] = field(default_factory=list)  # 编辑/审核: not authors
    mastheads: list[str] = field(default_factory=list)  # the site or paper around it ("天台县人民政府")


@dataclass(frozen=True)
class ContentsEntry:
    page: str
    title: str
    subtitle: str
    authors: tuple[str, ...]
    line: int
    section: int = 0  # 0: before any "第N期" heading (the issue's own contents page); n: the n-th issue of an index


# --- small helpers ---------------------------------------------------------------------------

def split_names(text: str) -> list[str]:
    """"马跃明 袁 卫" → ["马跃明", "袁卫"]: single letter-spaced characters pair up into names."""
    text = text.strip().rstrip("等").strip()
    for role in ROLE_WORDS:
        text = text.replace(role, " ")
    tokens = [t for t in re.split(r"[\s、，,]+", text) if t]
    names: list[str] = []
    pending = ""
    for token in tokens:
        if len(token) == 1:
            pending += token
            if len(pending) == 2:
                names.append(pending)
                pending = ""
        else:
            if pending:
                names.append(pending + token if len(pending) == 1 and len(token) <= 2 else pending)
                pending = ""
                if names[-1].endswith(token):
                    continue
            names.append(token)
    if pending:
        names.append(pending)
    return names


def is_names_line(text: str) -> bool:
    """"杨斌英 李则名", "杨 旸 金丽佳": two to four names and nothing else."""
    compact = text.strip()
    if not re.fullmatch(rf"(?:[{CJK}]{{1,4}}\s+){{1,7}}[{CJK}]{{1,4}}", compact):
        return False
    names = split_names(compact)
    return 1 <= len(names) <= 4 and all(2 <= len(n) <= 4 for n in names)


def byline_names(line: Line) -> list[str] | None:
    match = BYLINE.match(line.text.strip())
    if not match:
        return None
    names = split_names(match.group(1))
    if not names or any(len(n) > 4 for n in names) or len(names) > 5:
        return None
    return names


def ending_authors(text: str) -> list[str] | None:
    """Authors in parentheses closing a newspaper item: "…样板。(孙亦男)", "(周静 蔡瑶)"."""
    match = ENDING_AUTHORS.search(text)
    if not match:
        return None
    names = []
    for name in split_names(match.group(1)):
        # "(李昕俞琳)": two two-character names written together
        if len(name) == 4 and name[:2] not in COMPOUND_SURNAMES:
            names.extend([name[:2], name[2:]])
        else:
            names.append(name)
    return names if names and all(2 <= len(n) <= 4 for n in names) else None


def compact(text: str) -> str:
    return "".join(text.split())  # every whitespace, \u3000 included, as re's \s+ (and faster)


def clean_title(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip(" ■")
    if re.fullmatch(rf"(?:[{CJK}] )+[{CJK}]", text):
        text = text.replace(" ", "")  # letter-spaced
    text = re.sub(r"^#+\s*", "", text)
    return text[:300]


def first_clause(lines: list[Line], limit: int = 40) -> str:
    """The first clause of the text, for an article the text gives no title.

    PDF text breaks lines every ~15 characters, so the clause is read across lines (a title
    "城乡社区是人民群众安居乐业的" cut at a line break is cut mid-word); one longer than ``limit``
    ends with "…" so nobody takes it for the printed title.
    """
    text = despace("".join(line.text.strip() for line in lines[:12] if not line.noise and not line.doubled))
    lead = NEWS_LEAD.match(text)
    text = text[lead.end():] if lead else text  # not "新华社杭州5月20日电（记者…）"
    for clause in re.split(r"[，。；：,;:！？!?\n]", text):
        clause = clause.strip("“”‘’\"' ")
        if len(clause) >= 6:
            return clause if len(clause) <= limit else cut_at_word(clause, limit - 1) + "…"
    return ""


def cut_at_word(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary (jieba's), not mid-word."""
    import jieba

    jieba.setLogLevel(60)  # no dictionary-loading chatter on stderr
    kept = ""
    for word in jieba.lcut(text, HMM=False):
        if len(kept) + len(word) > limit:
            break
        kept += word
    return kept or text[:limit]


# --- the contents page and the year's index ----------------------------------------------------------

ISSUE_HEADING = re.compile(r"^第\d{1,2}期$")
KNOWN_HEADS_TUPLE = tuple(KNOWN_HEADS)  # for str.startswith
ENTRY_PAGE = re.compile(r"P?\d{1,3}\s")  # "18 标题…": a contents line opens with its page
ENTRY_END = re.compile(rf"/\s*((?:[{CJK}]{{1,4}}\s?){{1,8}}(?:等)?)\s*$")


def contents_entries(lines: list[Line]) -> list[ContentsEntry]:
    """Entries of the issue's contents page ("18 标题/作者") and of a year's index.

    An entry may run over two lines ("扛起以…的使" + "命担当/王通林") and may carry a
    "——副标题/作者" line; the authors after the slash name the article.
    """
    entries: list[ContentsEntry] = []
    pending: list[str] = []
    pending_start = 0
    section = 0
    for line in lines:
        text = line.text.strip()
        text_compact = compact(text)
        if ISSUE_HEADING.match(text_compact):
            section += 1
            pending = []
            continue
        if line.noise or text.startswith(">>") or (" " in text and text_compact.startswith(KNOWN_HEADS_TUPLE)):
            pending = []  # a column head ("本期关注 …") opens a section of the contents
            continue
        if ENTRY_PAGE.match(text):
            pending = []
            pending_start = 0
        end = ENTRY_END.search(text)
        if not end:
            if len(text) <= 30 and not ends_sentence(text):
                if not pending:
                    pending_start = line.number
                pending = (pending + [text])[-2:]
            else:
                pending = []
            continue
        head = "".join(re.sub(r"^P?\d{1,3}\s+", "", part) for part in pending + [text[: end.start()]])
        pending = []
        head = re.sub(r"^(?:>>)?\s*P?\d{1,3}\s+", "", head)
        title, _, subtitle = head.partition("——")
        title = re.sub(r"^.*?\d{1,3}\s*(?=\S)", "", title) if re.match(r"^\d", title) else title
        authors = tuple(split_names(end.group(1)))
        if len(compact(title)) >= 4 and authors:
            entries.append(ContentsEntry("", despace(title).strip(), despace(subtitle).strip(), authors,
                                         pending_start or line.number, section))
        pending_start = 0
    return entries


def contents_span(lines: list[Line]) -> tuple[int, int] | None:
    """The contents page: a cluster of page-numbered entries near the start of an issue."""
    numbered = [line.number for line in lines[:700] if CONTENTS_ENTRY.match(line.text.strip()) and not line.doubled]
    clusters: list[list[int]] = []
    for number in numbered:
        if clusters and number - clusters[-1][-1] <= 14:
            clusters[-1].append(number)
        else:
            clusters.append([number])
    clusters = [c for c in clusters if len(c) >= 4]
    if not clusters:
        return None
    best = max(clusters, key=len)
    return best[0], best[-1]


def index_spans(lines: list[Line]) -> list[tuple[int, int]]:
    """A year's index of articles: a long run of "title/authors" lines."""
    ends = [i for i, line in enumerate(lines) if ENTRY_END.search(line.text.strip())]
    spans: list[tuple[int, int]] = []
    run: list[int] = []
    for i in ends:
        if run and i - run[-1] > 8:
            if len(run) >= 30:
                spans.append(_index_bounds(lines, run))
            run = []
        run.append(i)
    if len(run) >= 30:
        spans.append(_index_bounds(lines, run))
    return spans


def _index_bounds(lines: list[Line], run: list[int]) -> tuple[int, int]:
    first = run[0]
    while first > 0 and first > run[0] - 6 and not ends_sentence(lines[first - 1].text):
        first -= 1
    return lines[first].number, lines[run[-1]].number


# --- layout detection --------------------------------------------------------------------------

def detect_layout(lines: list[Line]) -> str:
    if sum(1 for line in lines if MARKDOWN_HEADING.match(line.text) and line.text.startswith("#")) >= 2:
        return "markdown"
    if sum(1 for line in lines if byline_names(line)) >= 2:
        return "magazine"
    if any(AUTHOR_NOTE.search(line.text) and "作者" in line.text for line in lines) and typical_width(lines) < 30:
        return "report"
    return "page"


def split_document(lines: list[Line], metas: dict | None = None) -> list[ArticleDraft]:
    """Split a document's cleaned lines into articles, whatever its layout.

    ``metas``: what the furniture lines say (furniture.read_furniture), attached to the articles.
    """
    layout = detect_layout(lines)
    if layout == "markdown":
        drafts = split_markdown(lines)
    elif layout == "magazine":
        drafts = split_magazine(lines)
    elif layout == "report":
        drafts = split_report(lines)
    else:
        drafts = split_page(lines, meta_lines=set(metas or ()))
    for draft in drafts:
        _trim_tail(draft)
    drafts = [d for d in drafts if _body_length(d) >= MIN_BODY]
    for draft in drafts:
        prefix = COLUMN_PREFIX.match(draft.title)
        if prefix:
            draft.column = draft.column or prefix.group(1)
            draft.title = draft.title[prefix.end():]
        if NUMBER_HEADLINE.match(compact(draft.subtitle)) and len(compact(draft.title)) <= 6:
            # "数字浙江" (a section's vertical head) over "3个": the head is the column, the box its own item
            draft.column, draft.title, draft.subtitle = draft.column or draft.title, draft.subtitle, ""
        if NUMBER_HEADLINE.match(compact(draft.title)):
            draft.title = big_number_title(compact(draft.title), draft.lines)
    attach_meta(drafts, metas or {})
    for draft in drafts:
        if not draft.title:
            vertical = next((line.text for line in draft.lines if line.vertical and len(line.text) >= 5), "")
            draft.title = vertical or first_clause(draft.lines) or "（无标题）"
        draft.kind = draft.kind if draft.kind != "other" else guess_kind(draft, layout)
    return drafts


def big_number_title(number: str, lines: list[Line]) -> str:
    """A "big number" box ("22家" over a sentence): "22家" alone names nothing, so the title is
    the clause that reports it ("浙江省拥有国家级…22家"), else the number and the first clause."""
    text = despace("".join(line.text for line in lines if not line.noise and not line.doubled))
    core = number.lstrip("超近约")
    clauses = re.split(r"[，。；：！？,;:!?]", text)
    for i, clause in enumerate(clauses):
        if core in clause and 6 <= len(clause) <= 40:
            if i and len(clause) < 12 and len(clauses[i - 1]) + len(clause) < 40:
                return f"{clauses[i - 1]}，{clause}"  # "同比增长4.0%" says what grew only with the clause before
            return clause
    clause = first_clause(lines, 24)
    return f"{number}：{clause}" if clause else number


def _trim_tail(draft: ArticleDraft) -> None:
    """Drop short trailing lines after the last finished sentence (captions, ads, mastheads)."""
    lines = draft.lines
    notes = closing_notes(lines)
    last = max(
        (i for i, line in enumerate(lines)
         if not PHOTO_CREDIT.search(line.text.strip())
         and (ends_sentence(line.text) or ending_authors(line.text) or i in notes)),
        default=None,
    )
    if last is None or last == len(lines) - 1:
        return
    tail = lines[last + 1:]
    if all(len(compact(line.text)) <= 25 or line.noise or PHOTO_CREDIT.search(line.text.strip()) for line in tail):
        draft.lines = lines[: last + 1]
        draft.line_end = lines[last].number


def _body_length(draft: ArticleDraft) -> int:
    return sum(len(line.text) for line in draft.lines if not line.noise and not line.doubled)


POLICY_TITLE = re.compile(r"^关于.{2,60}的(?:通知|意见|决定|通告|公告|批复|函)$|(?:实施意见|实施方案|工作方案|行动方案|管理办法|扶持办法|实施办法|实施细则|暂行规定|若干措施|若干政策|的通知|对策建议|政策建议|政策解读|》解读|》的解读)$")
CASE_SECTIONS = re.compile(r"基本情况|主要做法|取得成效|工作成效|经验启示|经验做法|创新做法|案例背景|实施成效|特色做法")


def kind_from_form(draft: ArticleDraft) -> str | None:
    """The genre a text's own form declares: a column, a headline's shape, its opening words."""
    title = compact(draft.title + draft.subtitle)
    head = compact(draft.column + draft.kicker)
    opening = compact("".join(line.text for line in draft.lines[:3] if not line.noise))[:40]
    sections = {m.group(0) for line in draft.lines[:200] for m in [CASE_SECTIONS.match(compact(line.text).lstrip("一二三四五六七八九十、（）()1234567890.．"))] if m}
    reported = re.match(r"^[\u4e00-\u9fff]{0,12}?(?:印发|发布|出台|公布|推出|实施)", title) and "关于" not in title[:16]
    if (POLICY_TITLE.search(title) and not reported) or re.search(r"政策|简报|专报|决策参考|文件", head):
        return "policy"  # "浙江印发…管理办法" is news about a policy; the notice itself is the policy
    if re.search(r"讲话|致辞|发言|主旨演讲", title) or opening.startswith(("同志们", "各位代表", "各位来宾")):
        return "speech"
    if re.search(r"评|论坛|观察|声音|札记|漫笔|专栏|言论|社论|观点", head):
        return "commentary"
    if re.search(r"人物|榜样|身边|风采|匠人|群英", head):
        return "profile"
    if re.search(r"案例", head) or len(sections) >= 2:
        return "case"
    if re.search(r"(?:工作总结|工作报告|工作汇报|情况汇报|工作情况)$", title):
        return "case"  # a place's own account of its work
    interview = sum(1 for line in draft.lines[:40] if re.match(r"^(?:记者|问)[：:]", line.text.strip())) >= 2
    if draft.kicker or interview or re.search(r"访谈|专访|对话", head + title) or re.search(r"纪实|侧记|探访|走进|蹲点|调查|见闻|特写", title):
        return "feature"
    return None


def guess_kind(draft: ArticleDraft, layout: str) -> str:
    title = draft.title + draft.subtitle
    if draft.column in KIND_BY_COLUMN:
        return KIND_BY_COLUMN[draft.column]
    if "综述" in title:
        return "overview"
    if re.search(r"特写|群像|记$|人物|故事", title):
        return "profile" if re.search(r"群像|人物|故事", title) else "feature"
    if "评论员" in " ".join(draft.authors) or "论坛" in draft.column:
        return "commentary"
    form = kind_from_form(draft)
    if form:
        return form
    if any("讲话" in line.text for line in draft.lines[-4:]):
        return "speech"
    if layout in ("markdown", "page"):
        return "news"
    if draft.signed_by_official:
        return "commentary"  # a signed article by a party or government official
    if not draft.authors and _body_length(draft) < 1500:
        return "news"  # an unsigned brief of a magazine's news pages
    return "case"


# --- markdown ------------------------------------------------------------------------------------

def split_markdown(lines: list[Line]) -> list[ArticleDraft]:
    drafts: list[ArticleDraft] = []
    current: ArticleDraft | None = None
    for line in lines:
        heading = MARKDOWN_HEADING.match(line.text) if line.text.startswith("#") else None
        if heading:
            current = ArticleDraft(clean_title(heading.group(2)), line.number, line.number)
            drafts.append(current)
            continue
        if current is None or (current.authors and current.lines):
            # text before the first heading, or after an item that already ended with its authors
            current = ArticleDraft("", line.number, line.number)
            drafts.append(current)
        current.lines.append(line)
        current.line_end = line.number
        authors = ending_authors(line.text)
        if authors:
            current.authors = authors
    return drafts


# --- newspaper page and news sections --------------------------------------------------------------

def split_page(lines: list[Line], narrow_width: int | None = None, meta_lines: set[int] = frozenset()) -> list[ArticleDraft]:
    """Items opened by a headline (a short line after a finished sentence) and/or closed by authors.

    ``meta_lines``: lines of page furniture that state a record (furniture.read_furniture). An
    article whose headline is followed by its own date or source line is a web page's one article:
    its later short lines ("做强胡柚产业") are subheadings, unless a lede or a meta line follows them.
    """
    drafts: list[ArticleDraft] = []
    current: ArticleDraft | None = None
    previous_done = True  # the previous body line finished a sentence or an item
    closed = False  # the current item ended with its authors in parentheses or an author's note
    notes = closing_notes(lines)
    for index, line in enumerate(lines):
        if current is None and line.doubled and looks_like_heading(line.text, 40) and not PHOTO_CREDIT.search(line.text):
            current = ArticleDraft(clean_title(line.text), line.number, line.number, title_from_headline=True)
            drafts.append(current)  # a title printed twice opens the piece
            continue
        if line.noise or line.doubled or PHOTO_CREDIT.search(line.text.strip()):
            if current:
                current.lines.append(line)
            continue
        text = line.text.strip()
        if current is not None and not current.lines and text.startswith("——") and len(compact(text)) <= 42:
            # "——嵊州市甘霖镇探索片区组团发展纪实": the subtitle; two lines above it were kicker + headline
            if current.subtitle:
                current.kicker, current.title = current.title, current.subtitle
            current.subtitle = clean_title(text.lstrip("—- "))
            current.line_end = line.number
            continue
        if current is not None and (SECTION_HEADING.match(text) or current.lines and _attachment_title(current, text)):
            current.lines.append(line)  # "一、基本情况", the title of an attached measure: same article
            current.line_end = line.number
            previous_done = True
            continue
        if previous_done and current is not None and current.lines and not closed and meta_lines \
                and _is_headline(lines, index, narrow_width) and _subheading(lines, index, current, meta_lines):
            current.lines.append(line)
            current.line_end = line.number
            continue
        if previous_done and _is_headline(lines, index, narrow_width):
            if current is not None and not current.lines and not current.subtitle and not current.authors and is_column_head(current.title):
                current.column, current.title = current.title, clean_title(text)  # "三衢时评" over the headline
                current.line_start = current.line_end = line.number
                continue
            if current is not None and not current.lines and not current.subtitle and not current.authors:
                if text.startswith(("暨", "和", "与", "及")):
                    current.title = clean_title(current.title + text)  # one headline over two lines
                else:
                    current.subtitle = clean_title(text)  # a second headline line: the subtitle
                current.line_end = line.number
                continue
            current = ArticleDraft(clean_title(text), line.number, line.number, title_from_headline=True)
            drafts.append(current)
            closed = False
            continue
        if current is not None and not current.lines and is_names_line(text):
            current.authors = split_names(text)
            current.line_end = line.number
            continue
        if current is None or closed:
            current = ArticleDraft("", line.number, line.number)
            drafts.append(current)
            closed = False
            if not ends_sentence(text) and len(compact(text)) <= 40 and _shorter_than_next(lines, index):
                current.title = clean_title(text)
                continue
        current.lines.append(line)
        current.line_end = line.number
        authors = ending_authors(text)
        if authors:
            current.authors = authors
            closed = True
        elif index in notes:
            closed = True  # "（作者系…书记）" ends a signed piece
        previous_done = ends_sentence(text) or bool(authors) or text.endswith(("）", ")"))
    return drafts


SECTION_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[、.．]\D|第[一二三四五六七八九十百\d]{1,4}[条章节部分])")
COLUMN_HEAD = re.compile(r"(?:时评|评论|短评|述评|论坛|观察|视点|聚焦|案例|典型案例|人物|简报|快评|声音|札记|漫笔|专栏|调查|纪实|特稿|关注|一线|速览|简讯|快讯|短讯|要闻|访谈|专访)$")
# "访谈｜许村镇党委书记：…": a column written before the headline
COLUMN_PREFIX = re.compile(r"^([\u4e00-\u9fff]{2,6})\s*[｜|丨]\s*(?=\S{4,})")


def is_column_head(text: str) -> bool:
    """A column or genre head printed over a headline: "三衢时评", "典型案例", "人物"."""
    text = compact(text)
    return 2 <= len(text) <= 8 and bool(COLUMN_HEAD.search(text)) and not ends_sentence(text)


def _attachment_title(draft: ArticleDraft, text: str) -> bool:
    """A notice prints the measure it issues: "现将《X》印发给你们" … then "X" as a heading."""
    body = "".join(line.text for line in draft.lines[:12])
    return len(compact(text)) >= 6 and f"《{compact(text)}》" in compact(body)


def _subheading(lines: list[Line], index: int, current: ArticleDraft, meta_lines: set[int]) -> bool:
    """A short line inside a web page's one article, not the headline of another item."""
    if len(compact(lines[index].text)) > 20:
        return False
    opened_by_meta = any(current.line_start < n <= current.line_start + 4 for n in meta_lines)
    if not opened_by_meta:
        return False
    for line in lines[index + 1: index + 4]:
        if line.number in meta_lines:
            return False  # the next item's date or source line
        if line.noise or line.doubled:
            continue
        return not (NEWS_LEAD.match(line.text.strip()) or re.match(r"^(?:本报讯|本刊讯|记者|\d{1,2}月\d{1,2}日[，,])", line.text.strip()))
    return True


def _shorter_than_next(lines: list[Line], index: int) -> bool:
    after = [len(line.text) for line in lines[index + 1: index + 4] if not line.noise]
    return bool(after) and len(lines[index].text) <= 0.6 * max(after)


NUMBER_HEADLINE = re.compile(r"^(?:超|近|约)?\d+(?:\.\d+)?(?:万亿|万|亿)?[\u4e00-\u9fff%]{0,3}(?:以上)?$")


def _is_headline(lines: list[Line], index: int, narrow_width: int | None = None) -> bool:
    """A short, unpunctuated line clearly shorter than the body lines that follow it."""
    text = lines[index].text.strip()
    if text.endswith(("：", ":")) or SECTION_HEADING.match(text):
        return False  # "同志们：", "一、基本情况": a salutation or a section of the same article
    if POLICY_TITLE.search(compact(text)) and len(compact(text)) <= 80 and not ends_sentence(text):
        return True  # "…关于印发《…》的通知": long, but a headline by its form
    if len(compact(text)) > 40 or is_names_line(text) or AUTHOR_NOTE.search(text) or text.startswith(CONJUNCTION_START):
        return False
    after = [line for line in lines[index + 1: index + 7] if not line.noise and not line.doubled]
    following = [len(line.text) for line in after]
    if not following:
        return False
    if is_names_line(after[0].text) and not ends_sentence(text):
        return True  # a headline with its authors underneath
    if NUMBER_HEADLINE.match(compact(text)):
        return True  # a "big number" box: 7800万, 1.05万亿元, 超95%
    if ends_sentence(text) or len(compact(text)) < 4:
        return False
    if LEDE_START.match(after[0].text.strip()) and not text.endswith(("，", "、", "：")):
        return True  # the news lede follows: "近日，…", "12月21日，…"
    local_width = sorted(following)[len(following) // 2]
    if narrow_width and local_width < 1.3 * narrow_width and not lines[index].page_start:
        return False  # in a narrow column, a short line is a subheading of the same article
    compact_text = compact(text)
    if compact_text.count("、") == 1 and "，" not in compact_text:
        compact_text = compact_text.replace("、", "")  # "刘捷任浙江省副省长、代理省长"
    return looks_like_heading(compact_text, 10_000) and len(text) <= 0.75 * local_width


# --- reports -----------------------------------------------------------------------------------------

def split_report(lines: list[Line]) -> list[ArticleDraft]:
    """Reports that end with "（作者系…）": each such note closes one article."""
    drafts: list[ArticleDraft] = []
    current: ArticleDraft | None = None
    for index, line in enumerate(lines):
        if current is None:
            current = ArticleDraft("", line.number, line.number)
            drafts.append(current)
            text = line.text.strip()
            if looks_like_heading(text, 40) and len(compact(text)) >= 6 and _shorter_than_next(lines, index):
                current.title = clean_title(text)  # a report with a title line
                continue
        current.lines.append(line)
        current.line_end = line.number
        if AUTHOR_NOTE.search(line.text):
            note = re.search(r"作者系(.+?)[)）]", line.text)
            if note:
                current.subtitle = ""
                current.column = ""
                current.authors = []
            current = None
    return drafts


# --- magazine issues -------------------------------------------------------------------------------

def split_magazine(lines: list[Line]) -> list[ArticleDraft]:
    entries = contents_entries(lines)
    skip: list[tuple[int, int]] = index_spans(lines)
    span = contents_span(lines)
    if span:
        skip.append(span)

    def skipped(number: int) -> bool:
        return any(a <= number <= b for a, b in skip)

    usable = [line for line in lines if not skipped(line.number)]
    width = typical_width(usable)
    starts: list[tuple[int, int, list[str] | None]] = []  # (first line, byline, names); no names: a hard break
    for i, line in enumerate(usable):
        names = byline_names(line)
        if names:
            starts.append((_title_start(usable, i), i, names))
        elif _hard_break(usable, i):
            starts.append((i, i, None))
    starts.sort()

    def gap(chunk: list[Line]) -> list[ArticleDraft]:
        """Unsigned text, cut where a skipped contents page/index lay or a column head opens a page."""
        pieces: list[list[Line]] = [[]]
        for line in chunk:
            after_skip = pieces[-1] and any(pieces[-1][-1].number < a <= line.number for a, _ in skip)
            if after_skip or (line.noise and line.page_start and pieces[-1]):
                pieces.append([])
            pieces[-1].append(line)
        return [draft for piece in pieces for draft in _split_gap(piece, width)]

    drafts: list[ArticleDraft] = []
    boundaries = [s for s, _, _ in starts] + [len(usable)]
    # the stretches between bylined articles are news briefs, speeches, commentaries …
    gap_start = 0
    for k, (start, byline_index, names) in enumerate(starts):
        if start < gap_start:
            continue
        drafts.extend(gap(usable[gap_start:start]))
        if names is None:  # a vertical title or a sponsored page opens an unsigned article
            drafts.append(_titled_block(usable[start:boundaries[k + 1]]))
            gap_start = boundaries[k + 1]
            continue
        end = _article_end(usable, byline_index, boundaries[k + 1])
        for j in range(byline_index + 40, end):
            if _title_at_end(usable, j):
                end = j
                break
        for j in range(byline_index + 1, end):
            if any(usable[j - 1].number < a <= usable[j].number for a, _ in skip):
                end = j  # the article stops where a skipped index or contents page begins
                break
        drafts.append(_bylined_article(usable[start:end], byline_index - start, names))
        gap_start = end
    drafts.extend(gap(usable[gap_start:]))
    _name_from_entries([d for d in drafts if d.authors and d.signed], entries)
    _name_unsigned([d for d in drafts if not d.signed], entries)
    return drafts


def _name_from_entries(drafts: list[ArticleDraft], entries: list[ContentsEntry]) -> None:
    """Name bylined articles from the contents page / the year's index by their authors.

    An author set may sign several articles of an issue and many of a year's index; the k-th
    article signed by it takes the k-th of the last matching entries (the index ends with the
    issue at hand).
    """
    by_authors: dict[frozenset[str], list[ContentsEntry]] = {}
    for entry in entries:
        by_authors.setdefault(frozenset(entry.authors), []).append(entry)
    signed: dict[frozenset[str], list[ArticleDraft]] = {}
    for draft in drafts:
        signed.setdefault(frozenset(draft.authors), []).append(draft)
    last_section = max((entry.section for entry in entries), default=0)
    for key, group in signed.items():
        candidates = by_authors.get(key) or _partial_matches(key, entries)
        # the issue's own entries: the last issue of a year's index (printed in that issue),
        # else the contents page, else anything the authors signed
        titles: list[ContentsEntry] = []
        for pool in ([e for e in candidates if e.section == last_section and last_section],
                     [e for e in candidates if e.section == 0], candidates):
            titles = _distinct(pool)
            if len(titles) >= len(group):
                break
        if not titles:
            continue
        chosen = titles[-len(group):] if len(titles) >= len(group) else titles + [titles[-1]] * (len(group) - len(titles))
        for draft, entry in zip(group, chosen, strict=True):
            draft.title = clean_title(entry.title)
            draft.subtitle = draft.subtitle or clean_title(entry.subtitle)


def _distinct(entries: list[ContentsEntry]) -> list[ContentsEntry]:
    titles: list[ContentsEntry] = []
    seen: set[str] = set()
    for entry in entries:
        key = compact(entry.title)
        if key not in seen:
            seen.add(key)
            titles.append(entry)
    return titles


def _name_unsigned(drafts: list[ArticleDraft], entries: list[ContentsEntry]) -> None:
    """Unsigned articles: an official's name line inside ("中共浙江省委书记 王 浩") names the
    author, who names the article through the contents; a headline cut in two lines is joined
    back when the contents page has it whole."""
    for draft in drafts:
        if draft.authors:
            continue
        for line in draft.lines[:120]:
            match = OFFICIAL_LINE.match(line.text.strip())
            if match:
                draft.authors = split_names(match.group(1))
                break
        whole = compact(draft.title + draft.subtitle)
        title = compact(draft.title)
        authors = set(draft.authors)
        for entry in entries:
            entry_title = compact(entry.title)
            starts_alike = len(title) >= 6 and entry_title.startswith(title)
            if whole and (entry_title == whole or (starts_alike and not authors.isdisjoint(entry.authors))):
                draft.title, draft.subtitle = clean_title(entry.title), clean_title(entry.subtitle)
                draft.authors = draft.authors or list(entry.authors)
                break
    _name_from_entries([d for d in drafts if d.authors and not d.title_from_headline], entries)


def _partial_matches(authors: frozenset[str], entries: list[ContentsEntry]) -> list[ContentsEntry]:
    """Features written by a team list all the names once; each part is signed by one of them."""
    return [entry for entry in entries if authors and authors <= set(entry.authors) and len(entry.authors) > len(authors)]


PLACE_HEAD = re.compile(rf"^[{CJK}]{{1,6}}(?:区|县|市)$")


def _hard_break(lines: list[Line], i: int) -> bool:
    """A title set vertically (four characters or more), or a sponsored page opened by a place
    name printed twice ("海曙区海曙区") after a finished sentence."""
    line = lines[i]
    if line.vertical and len(line.text) >= 5:
        # an article's title, when its author is set vertically beside it (a vertical
        # section heading inside an article has no author)
        following = lines[i + 1: i + 3]
        return any(x.vertical and 2 <= len(x.text) <= 4 for x in following)
    if line.doubled and PLACE_HEAD.match(line.text) and i + 1 < len(lines) and lines[i + 1].doubled:
        previous = next((x for x in reversed(lines[:i]) if not x.noise), None)
        return previous is None or ends_sentence(previous.text) or previous.doubled or len(previous.text) <= 8
    return False


def _title_at_end(lines: list[Line], i: int) -> bool:
    """A page that opens after "…。" + a short title line: the title closed the previous
    article (columns print it last), and this page is another article."""
    if not lines[i].page_start or i < 2:
        return False
    title, before = lines[i - 1], lines[i - 2]
    return (
        looks_like_heading(title.text, 30) and not title.noise and not title.doubled
        and ends_sentence(before.text) and not byline_names(lines[i])
    )


def _titled_block(lines: list[Line]) -> ArticleDraft:
    """An unsigned article whose title is its first line(s): a vertical title (with its author
    set vertically too) or a sponsored page's place and title printed twice."""
    head = lines[0]
    title, rest, authors = head.text, lines[1:], []
    if head.doubled and rest and rest[0].doubled:
        title, rest = f"{head.text}：{rest[0].text}", rest[1:]
    if rest and rest[0].vertical and 2 <= len(rest[0].text) <= 4:
        authors, rest = [rest[0].text], rest[1:]
    return ArticleDraft(clean_title(title), head.number, lines[-1].number, rest, authors=authors)


def _title_start(lines: list[Line], byline_index: int) -> int:
    """Walk back from the byline over its title lines (short, unfinished, at most six)."""
    i = byline_index
    while i > 0 and byline_index - i < 6:
        previous = lines[i - 1]
        text = previous.text.strip()
        if previous.caption or ends_sentence(text) or text.endswith(("）", ")")) or byline_names(previous):
            break
        if not (previous.noise or previous.doubled or len(compact(text)) <= 30):
            break
        i -= 1
    return i


def closing_notes(lines: list[Line]) -> set[int]:
    """Indices of lines that close an author or source note, which may run over several lines:
    "（作者系七星街道党工委书记）", "（摘自王浩同志 2024 年 12 月" … "部署会上的讲话）"."""
    closing: set[int] = set()
    opened: int | None = None
    for i, line in enumerate(lines):
        text = line.text.strip()
        if AUTHOR_NOTE.search(text):
            closing.add(i)
            opened = None
        elif NOTE_OPEN.match(text):
            opened = i
        if opened is not None and i - opened <= 6 and text.endswith(("）", ")")):
            closing.add(i)
            opened = None
    return closing


def _article_end(lines: list[Line], byline_index: int, next_start: int) -> int:
    """An article runs to the next one, but stops after a closing note (（作者系…）, （摘自…）)."""
    notes = closing_notes(lines[byline_index:next_start])
    for j in sorted(notes):
        if byline_index + j + 1 < next_start:
            return byline_index + j + 1
    return next_start


def _bylined_article(lines: list[Line], byline_at: int, names: list[str]) -> ArticleDraft:
    head = lines[:byline_at]
    rest = lines[byline_at + 1:]
    # role lines right after the byline: "本刊记者", "浙江省民政厅党组书记、厅长"
    role_count = 0
    for line in rest[:4]:
        text = compact(line.text)
        if text in ROLE_WORDS or (len(text) <= 22 and ROLE.search(text) and not ends_sentence(text)):
            role_count += 1  # "浙江省委农办主任，省农业农村" / "厅党组书记、厅长，省乡村振兴局" / "局长"
        elif role_count and len(text) <= 6 and not ends_sentence(text):
            role_count += 1  # the role's last words, wrapped
            break
        else:
            break
    body_lines = [line for line in rest[role_count:]]
    heading_texts = [compact(line.text) for line in head if not line.noise and compact(line.text)]
    column = next((compact(line.text) for line in head if line.noise and line.page_start and compact(line.text)), "")
    title, subtitle = "", ""
    for text in heading_texts:
        if text.startswith("——"):
            subtitle = text[2:].split("/")[0]
        else:
            title += text
    roles = " ".join(line.text for line in rest[:role_count])
    draft = ArticleDraft(
        clean_title(title), lines[0].number, lines[-1].number, body_lines,
        subtitle=clean_title(subtitle), authors=names, column=column,
        signed_by_official=bool(ROLE.search(roles)) and "记者" not in roles, signed=True,
    )
    return draft


def _split_gap(lines: list[Line], narrow_width: int | None = None) -> list[ArticleDraft]:
    """Unsigned stretches of an issue: cut at closing notes, then at headlines as on a news page."""
    if not lines:
        return []
    drafts: list[ArticleDraft] = []
    chunk: list[Line] = []
    notes = closing_notes(lines)
    for i, line in enumerate(lines):
        chunk.append(line)
        if i in notes:
            drafts.extend(split_page(chunk, narrow_width))
            chunk = []
    if chunk:
        drafts.extend(split_page(chunk, narrow_width))
    return drafts
