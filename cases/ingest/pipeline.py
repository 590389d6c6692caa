"""The pure part of the pipeline: bytes → a DocumentResult, without writing anything.

``process_bytes`` chains read → normalise → split → extract → resolve; ``save.save_document``
writes its result. ``as_json`` gives the stable shape printed by ``ingest --dry-run --format json``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from . import resolve
from .figures import FigureCandidate, extract_figures
from .formats import read_document
from .furniture import NEWS_LEAD, read_furniture
from .initiatives import extract_initiatives
from .normalise import Body, clean_lines, join_lines, typical_width
from .read import DecodedText
from .split import ArticleDraft, split_document
from .themes import assign_themes

KNOWN_PUBLICATIONS = ("今日浙江", "浙江日报", "浙江新闻", "人民日报", "浙江共产党员", "政策瞭望", "杭州日报", "宁波日报")
ISSUE_LABEL = re.compile(r"(20\d{2}|19\d{2})\s*年\s*第\s*(\d{1,3})\s*期")
ISSUE_HEADING = re.compile(r"^\s*第\s*(\d{1,2})\s*期\s*$", re.MULTILINE)
YEAR = re.compile(r"(20\d{2})\s*年")


@dataclass
class FigureResult(FigureCandidate):
    """An extracted figure plus the place it is about, found in the resolve step."""

    region: tuple[str, str] | None = None  # (code, name)
    page: int | None = None  # the source page the number is printed on (paged formats: PDF)


@dataclass
class ArticleResult:
    draft: ArticleDraft
    body: Body
    position: int
    regions: list[resolve.RegionRef] = field(default_factory=list)
    initiatives: list[str] = field(default_factory=list)
    figures: list[FigureResult] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    publication: str | None = None  # stated by the article ("来源：…"), else the document's
    published_on: date | None = None
    page_start: int | None = None  # pages of a paged source (PDF) the article spans
    page_end: int | None = None

    @property
    def pages(self) -> str:
        """"3" or "3–4" (Article.page); "" when the source has no pages."""
        if self.page_start is None:
            return ""
        if self.page_end is None or self.page_end == self.page_start:
            return str(self.page_start)
        return f"{self.page_start}–{self.page_end}"


@dataclass
class DocumentResult:
    file: str
    decoded: DecodedText
    line_count: int
    publication: str | None
    issue_label: str
    articles: list[ArticleResult]
    warnings: list[str] = field(default_factory=list)


def guess_publication(text: str) -> str | None:
    """The publication named most often in the text (今日浙江, 浙江日报 …), if any."""
    counts = {name: text.count(name) for name in KNOWN_PUBLICATIONS}
    best = max(counts, key=counts.get)
    return best if counts[best] else None


def guess_issue_label(text: str) -> str:
    """"2024年第24期": as the text states it, else from a year's index printed in the issue.

    The year's index comes with the year's last issue: its last "第N期" heading is this issue,
    and the year is the one the text names most often.
    """
    match = ISSUE_LABEL.search(text)
    if match:
        return f"{match.group(1)}年第{int(match.group(2))}期"
    headings = [int(n) for n in ISSUE_HEADING.findall(text)]
    years = Counter(YEAR.findall(text))
    if len(headings) >= 6 and years:
        return f"{years.most_common(1)[0][0]}年第{headings[-1]}期"
    return ""


def issue_date(issue_label: str) -> date | None:
    """The first day of an issue's half-month: "2024年第24期" of a fortnightly → 2024-12-16.

    Zhejiang's magazines (今日浙江, 浙江共产党员 …) come out twice a month; a number above 24
    is not a fortnightly's, and the month alone is then unknown.
    """
    match = ISSUE_LABEL.search(issue_label or "")
    if not match:
        return None
    year, number = int(match.group(1)), int(match.group(2))
    if not 1 <= number <= 24:
        return None
    return date(year, (number + 1) // 2, 1 if number % 2 else 16)


def process_bytes(data: bytes, name: str, publication: str | None = None, issue_label: str | None = None,
                  with_places: bool = True, themes: Sequence[tuple[str, Sequence[str]]] = (),
                  published_on: date | None = None) -> DocumentResult:
    """Read, normalise, split, extract and resolve one document. Raises read.RefusedFile.

    ``themes`` is the controlled vocabulary as (slug, keywords) pairs; ``with_places`` asks the
    gazetteer's recogniser for regions (it reads the region tables once per process).
    """
    decoded = read_document(data, Path(name).name, max_bytes=None)
    return process_text(decoded, name, publication, issue_label, with_places, themes, published_on)


def process_text(decoded: DecodedText, name: str, publication: str | None = None, issue_label: str | None = None,
                 with_places: bool = True, themes: Sequence[tuple[str, Sequence[str]]] = (),
                 published_on: date | None = None) -> DocumentResult:
    """As process_bytes, on decoded text. An article's date is the one its page states, else
    ``published_on`` (the editor's), else the issue's (2024年第24期 → 2024-12-16)."""
    text = decoded.text
    lines, metas = read_furniture(clean_lines(text))
    width = typical_width(lines)
    warnings: list[str] = []
    articles = []
    document_publication = publication or guess_publication(text)
    issue_label = issue_label if issue_label is not None else guess_issue_label(text)
    by_number = {line.number: line for line in lines}
    for position, draft in enumerate(split_document(lines, metas), start=1):
        body = join_lines(draft.lines, width)
        article = ArticleResult(draft, body, position, publication=draft.publication or document_publication,
                                published_on=draft.published_on or published_on or issue_date(issue_label))
        headline = by_number.get(draft.line_start)
        figures = extract_figures(body.text)
        if headline is not None and draft.title_from_headline and _headline_has_own_figures(draft.title, figures):
            # "小区加装290台电梯" over a body that never repeats it: the headline is evidence too
            draft.lines = [replace(headline, noise=False)] + draft.lines
            article.body = join_lines(draft.lines, width)
            figures = None
        extract(article, themes, figures)
        paginate(article, decoded)
        articles.append(article)
    if with_places:
        if gazetteer_is_empty():
            warnings.append("区划表为空，未标注区划：请先运行 python manage.py load_regions。")
        else:
            for article in articles:
                place(article, document_publication)
    return DocumentResult(
        file=name,
        decoded=decoded,
        line_count=text.count("\n") + (0 if text.endswith("\n") else 1),
        publication=document_publication or next((a.publication for a in articles if a.publication), None),
        issue_label=issue_label,
        articles=articles,
        warnings=warnings,
    )


def extract(article: ArticleResult, themes: Sequence[tuple[str, Sequence[str]]] = (),
            figures: Sequence[FigureCandidate] | None = None) -> None:
    """Figures, initiatives and themes of one article body (``figures``: already extracted from it)."""

    body = article.body.text
    article.figures = [_figure(candidate) for candidate in (extract_figures(body) if figures is None else figures)]
    names = [getattr(c, "name", c) for c in extract_initiatives(body)]
    article.initiatives = resolve.merge_initiatives(names)
    if themes:
        text = f"{article.draft.title}\n{article.draft.subtitle}\n{body}"
        slugs = [f.metric_slug for f in article.figures]
        article.themes = assign_themes(text, article.initiatives, slugs, themes)


def paginate(article: ArticleResult, decoded: DecodedText) -> None:
    """Pages of the article and of each figure, when the source is paged (PDF)."""
    if not decoded.page_starts:
        return
    article.page_start = decoded.page_of(article.draft.line_start)
    article.page_end = decoded.page_of(article.draft.line_end)
    for figure in article.figures:
        at = figure.number_start if figure.number_start and figure.start <= figure.number_start < figure.end else figure.start
        figure.page = decoded.page_of(article.body.line_at(at))


def _headline_has_own_figures(title: str, body_figures: Sequence[FigureCandidate]) -> bool:
    """The headline reports a figure the body does not (same value and unit)."""
    if not any(ch.isdigit() for ch in title):
        return False  # cheap: Chinese numerals in headlines are slogans ("三个村"), not evidence
    in_title = extract_figures(title)
    if not in_title:
        return False
    in_body = {(f.normalized_value, f.base_unit) for f in body_figures}
    return any((f.normalized_value, f.base_unit) not in in_body for f in in_title)


def theme_vocabulary() -> list[tuple[str, list[str]]]:
    """The controlled vocabulary from the database, as assign_themes wants it."""
    from cases.models import Theme

    return [(slug, list(keywords or []) + [name]) for slug, name, keywords in Theme.objects.values_list("slug", "name", "keywords")]


def _figure(candidate: FigureCandidate) -> FigureResult:
    return FigureResult(**{f.name: getattr(candidate, f.name) for f in fields(FigureCandidate)})


def gazetteer_is_empty() -> bool:
    from regions.models import Region

    return not Region.objects.exists()


def place(article: ArticleResult, publication: str | None = None) -> None:
    """Regions of the article (main/mentioned) and the place of each figure."""
    # No province-wide context: with 浙江 as an anchor every Zhejiang short name (建设, 大门)
    # would count as supported. The title's places are the article's own context.
    heading = f"{article.draft.title} {article.draft.subtitle}".strip()
    title_mentions = resolve.find_places(heading, ())
    context = [m.code for m in resolve.resolved(title_mentions)]
    text = article.body.text
    lead = NEWS_LEAD.match(text)
    if lead:  # "新华社杭州5月20日电（记者…）": where it was filed, not what it is about
        text = " " * lead.end() + text[lead.end():]
    body_mentions = resolve.plausible(resolve.find_places(text, context), context, text)
    body_mentions += resolve.find_listed_places(text, body_mentions)
    # "我市/本县" in a 嘉兴市统计局 release is 嘉兴市, in the headline too
    home = resolve.home_places([article.publication or "", publication or ""], title_mentions + body_mentions)
    body_mentions = sorted(body_mentions + resolve.find_home_places(text, home), key=lambda m: m.start)
    title_mentions = title_mentions + resolve.find_home_places(heading, home)
    article.regions = resolve.region_roles(title_mentions, body_mentions) or resolve.default_regions()
    # a county's portal ("天台县人民政府") carries a town's news: the county is named by the page
    outlets = [article.publication or "", publication or "", *article.draft.mastheads]
    article.regions += resolve.enclosing_outlet_places(outlets, article.regions)
    # "▲图为马金镇霞田村的民宿": a photo caption's places are mentions (never a figure's place)
    captions = " 。".join(line.caption for line in article.draft.lines if line.caption)
    if captions:
        known = {r.code for r in article.regions}
        context_codes = context + [r.code for r in article.regions if r.role == "main"]
        for m in resolve.plausible(resolve.find_places(captions, context_codes), context_codes, captions):
            if m.code not in known:
                known.add(m.code)
                article.regions.append(resolve.RegionRef(m.code, m.name or m.surface, m.level or "", "mentioned", 1))
    for figure in article.figures:
        at = figure.number_start if figure.number_start and figure.start <= figure.number_start < figure.end else figure.start
        figure.region = resolve.attribute(article.body.text, at, body_mentions, article.regions)


# --- the stable JSON shape of `ingest --dry-run --format json` ---------------------------------------

def _number(value: Decimal | None):
    if value is None:
        return None
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def article_json(article: ArticleResult) -> dict:
    draft = article.draft
    return {
        "title": draft.title,
        "subtitle": draft.subtitle,
        "authors": list(draft.authors),
        "column": draft.column,
        "kind": draft.kind,
        "publication": article.publication,
        "published_on": article.published_on.isoformat() if article.published_on else None,
        "line_start": draft.line_start,
        "line_end": draft.line_end,
        "page": article.pages or None,
        "regions": [{"code": r.code, "name": r.name, "level": r.level, "role": r.role} for r in article.regions],
        "initiatives": [{"name": name} for name in article.initiatives],
        "figures": [
            {
                "label": f.label, "value": _number(f.value), "unit": f.unit, "qualifier": f.qualifier,
                "value_max": _number(f.value_max), "normalized_value": _number(f.normalized_value),
                "base_unit": f.base_unit, "year": f.year, "is_target": f.is_target,
                "region": {"code": f.region[0], "name": f.region[1]} if f.region else None,
                "quote": f.quote, "start": f.start, "end": f.end, "page": f.page,
            }
            for f in article.figures
        ],
    }


def source_json(document: DocumentResult) -> dict:
    return {
        "file": document.file,
        "encoding": document.decoded.encoding,
        "format": document.decoded.file_format,
        "pages": len(document.decoded.page_starts) or None,
        "publication": document.publication,
        "issue_label": document.issue_label,
        "articles": [article_json(article) for article in document.articles],
    }
