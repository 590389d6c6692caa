"""Step 2: PDF text → clean lines → an article body with a map back to the file's lines.

PDF text arrives broken every ~15 characters with blank lines between, with running column
heads and page numbers inserted mid-sentence, titles and captions printed twice, letter-spaced
names, full-width digits and spaces inside numbers. Two functions do the work:

* :func:`clean_lines` looks at one line at a time (and at the document for repeated heads)
  and never changes line numbers;
* :func:`join_lines` glues an article's lines into a body — no separator between broken lines
  of a sentence ("3.2|亿元" → "3.2亿元"), a newline between paragraphs — and returns the map
  ``[[body_offset, file_line], …]`` stored in ``Article.body_line_map``.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．％＋－／ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
    "0123456789.%+-/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
)
# Column heads and page furniture seen in Zhejiang magazines; the document adds its own
# (contents-page ">>" entries, letter-spaced heads, short lines printed more than once).
KNOWN_HEADS = {
    "本期关注", "领导要论", "高层要论", "今浙论坛", "钱江漫笔", "乡村札记", "专栏", "本刊评论员",
    "不忘初心牢记使命", "富强浙江", "法治浙江", "文化浙江", "平安浙江", "美丽浙江", "清廉浙江",
    "党的建设", "数字浙江", "和美乡村", "基层治理", "今日浙江",
}
TERMINAL = "。！？!?；;…"
CLOSERS = "”’」』）)】"
PUNCT_INSIDE = re.compile(r"[，,。；;！!？?、]")
PAGE_NUMBER = re.compile(r"^(?:P?\d{1,3}|[①-⑳]+|第\d+页|-\s*\d+\s*-)$")
LETTER_SPACED = re.compile(r"^(?:[\u4e00-\u9fff] ){2,}[\u4e00-\u9fff]$")
CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A space between two characters is dropped unless both sides are Latin letters/digits of a
# word ("AI Agent"); two digits stay apart too, so "2000 3000" never becomes one number.
_PUNCT = "，。、；：“”‘’（）《》！？—·\"',;:()!?"
_SPACE_BETWEEN = re.compile(
    rf"(?<=[{CJK}\d%.{_PUNCT}\-]) +(?=[{CJK}\d%{_PUNCT}])|(?<=[{CJK}{_PUNCT}]) +(?=[A-Za-z])|(?<=[A-Za-z]) +(?=[{CJK}{_PUNCT}])"
)
_DIGIT_SPACE_DIGIT = re.compile(r"(?<=\d) +(?=\d)")


@dataclass(frozen=True)
class Line:
    """One non-blank line of the file, cleaned; ``number`` is 1-based and never changes."""

    number: int
    text: str
    raw: str
    page_start: bool = False  # the PDF text opens a page or column with a space
    doubled: bool = False  # printed twice (titles, captions, pull quotes)
    noise: bool = False  # running head, page number, photo caption: never part of a body
    caption: str = ""  # a ▲ photo caption cut from the line
    vertical: bool = False  # a title set one character per line, merged into this line


def to_halfwidth(text: str) -> str:
    """Full-width digits, Latin letters, %, ., +, - and / → ASCII (same length); Chinese punctuation stays."""
    return text.translate(FULLWIDTH)


def undouble(text: str) -> str | None:
    """Return the text once if it was printed twice, else None.

    Handles a whole line printed twice ("醉在西湖传说醉在西湖传说") and runs printed twice
    ("舟山市普陀区舟山市普陀区44条…" → "舟山市普陀区4条…", which would otherwise be a fake 44).
    """
    compact = text.strip()
    n = len(compact)
    if n < 4:
        return None
    if n % 2 == 0 and compact[: n // 2] == compact[n // 2:]:
        return compact[: n // 2]
    return _undouble_runs(compact)


def _undouble_runs(text: str) -> str | None:
    n = len(text)
    # cheap test first: a doubled line starts with a doubled run (most lines fail here); a run
    # text[:k] == text[k:2k] needs text[k] == text[0], so only those k are compared
    first, limit, k = text[0], min(n // 2, 40), 0
    while True:
        k = text.find(first, k + 1, limit + 1)
        if k < 0:
            return None
        if text[:k] == text[k:2 * k]:
            break
    # best[i]: the undoubled rest from i, or None; a run is text[i:i+k] == text[i+k:i+2k].
    best: list[str | None] = [None] * (n + 1)
    best[n] = ""
    long_runs = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        if text[i] == " " and best[i + 1] is not None:
            best[i], long_runs[i] = " " + best[i + 1], long_runs[i + 1]
            continue
        for k in range(min((n - i) // 2, 40), 0, -1):
            j = i + 2 * k
            if best[j] is not None and text[i:i + k] == text[i + k:j]:
                best[i] = text[i:i + k] + best[j]
                long_runs[i] = long_runs[j] + (k >= 2)
                break
    if best[0] is None or long_runs[0] == 0 or n < 6:
        return None
    return best[0]


def despace(text: str) -> str:
    """Drop the spaces PDF extraction puts inside Chinese text and numbers.

    "191.41 亿 元" → "191.41亿元", "约 2.3 万人" → "约2.3万人", "袁 卫" → "袁卫"; spaces between
    Latin words stay.
    """
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    text = _DIGIT_SPACE_DIGIT.sub("\x00", text)  # keep two numbers apart
    previous = None
    while previous != text:
        previous = text
        text = _SPACE_BETWEEN.sub("", text)
    return text.replace("\x00", " ")


def column_heads(lines: Iterable[str]) -> set[str]:
    """Column names the document declares (">>领导要论", "富 强 浙 江") or repeats as lines."""
    heads = set(KNOWN_HEADS)
    counts: Counter[str] = Counter()
    for raw in lines:
        stripped = raw.strip()
        if stripped.startswith(">>"):
            heads.add(stripped[2:].replace(" ", ""))
        elif LETTER_SPACED.match(stripped):
            heads.add(stripped.replace(" ", ""))
        compact = stripped.replace(" ", "")
        # running heads are short words; titles and bylines ("/沈华军") repeat too but are no heads
        if 2 <= len(compact) <= 8 and not PUNCT_INSIDE.search(compact) and not re.search(r"[\d/“”\"]", compact):
            counts[compact] += 1
    heads.update(name for name, count in counts.items() if count >= 3 and not name.startswith("■"))
    return heads


def clean_lines(text: str) -> list[Line]:
    """The file's non-blank lines, each cleaned on its own; numbers stay the file's."""
    raw_lines = text.split("\n")
    heads = column_heads(raw_lines)
    result = []
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            continue
        page_start = raw.startswith((" ", "\u3000"))
        line = to_halfwidth(raw.strip().lstrip("\ufeff"))
        caption = ""
        if "▲" in line:
            line, _, caption = line.partition("▲")
            caption = caption.strip()
        doubled = False
        once = undouble(line)
        if once is not None:
            line, doubled = once, True
        compact = line.replace(" ", "")
        noise = (
            not compact
            or compact in heads
            or bool(PAGE_NUMBER.match(compact))
            or bool(LETTER_SPACED.match(line.strip()))
        )
        result.append(Line(number, line.strip(), raw, page_start, doubled, noise, caption))
    return merge_vertical(result)


def merge_vertical(lines: list[Line], shortest: int = 3) -> list[Line]:
    """Titles set one character per line ("不", "将", "今", "日" …) become one line."""
    merged: list[Line] = []
    run: list[Line] = []

    def flush():
        if len(run) >= shortest:
            first = run[0]
            merged.append(Line(first.number, "".join(x.text for x in run), first.raw, first.page_start, vertical=True))
        else:
            merged.extend(run)
        run.clear()

    for line in lines:
        if len(line.text) == 1 and "\u4e00" <= line.text <= "\u9fff":
            if run and line.number - run[-1].number > 1:
                flush()
            run.append(line)
        else:
            flush()
            merged.append(line)
    flush()
    return merged


def typical_width(lines: list[Line]) -> int:
    """The usual length of a full line: ~15 in magazine PDF text, much more in web pages."""
    lengths = [len(line.text) for line in lines if not line.noise and len(line.text) > 3]
    if not lengths:
        return 40
    return int(statistics.median(lengths))


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip(CLOSERS + " ")
    return bool(stripped) and stripped[-1] in TERMINAL


def looks_like_heading(text: str, width: int) -> bool:
    """A short line with no inner punctuation, in a column of longer lines: a subheading."""
    compact = text.replace(" ", "")
    return 2 <= len(compact) <= max(4, int(width * 0.6)) and not PUNCT_INSIDE.search(compact) and not ends_sentence(compact)


@dataclass
class Body:
    text: str
    line_map: list[list[int]] = field(default_factory=list)  # [[offset, file line], …]

    def line_at(self, offset: int) -> int | None:
        """The file line holding the body character at ``offset``."""
        found = None
        for start, number in self.line_map:
            if start > offset:
                break
            found = number
        return found


def join_lines(lines: list[Line], width: int | None = None) -> Body:
    """Glue an article's lines into its body (noise and doubled lines left out)."""
    width = width or typical_width(lines)
    parts: list[str] = []
    line_map: list[list[int]] = []
    offset = 0
    previous = ""
    for line in lines:
        if line.noise or line.doubled:
            continue
        text = despace(line.text)
        if not text:
            continue
        if parts:
            paragraph_break = (
                ends_sentence(previous) and len(previous) < width * 0.9
                or looks_like_heading(previous, width)
                or looks_like_heading(text, width) and not _continues(previous)
                or width > 40 and ends_sentence(previous)
            )
            if paragraph_break:
                parts.append("\n")
                offset += 1
        line_map.append([offset, line.number])
        parts.append(text)
        offset += len(text)
        previous = text
    return Body("".join(parts), line_map)


def _continues(previous: str) -> bool:
    """The previous line stops mid-number or mid-phrase, so the next line must follow on."""
    return bool(previous) and (previous[-1].isdigit() or previous[-1] in "，、：“（《—")


def normalise_lines(raw_lines: list[str]) -> str:
    """Body text of a run of raw file lines (for tools that label line ranges)."""
    return join_lines(clean_lines("\n".join(line.rstrip("\r\n") for line in raw_lines))).text
