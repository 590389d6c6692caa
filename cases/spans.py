"""Marking the extracted spans in an article's body for the review page.

Figures, places and initiatives may overlap, so the body is cut at every span
boundary into segments; each segment is one ``<span>`` carrying the kinds and
figure ids that cover it and its offset in the body (``data-o``), which lets
the page's script turn a text selection back into exact body offsets.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FIGURE, PLACE, INITIATIVE = "figure", "place", "initiative"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    ref: str = ""  # the figure id, region code or initiative id
    title: str = ""


def find_all(text: str, needle: str):
    """Start offsets of the non-overlapping occurrences of ``needle`` in ``text``."""
    if not needle:
        return
    i = text.find(needle)
    while i != -1:
        yield i
        i = text.find(needle, i + len(needle))


def name_spans(text: str, names: dict[str, tuple[str, str]], kind: str) -> list[Span]:
    """Spans for every occurrence of the given names; longer names win where they overlap.

    ``names`` maps a surface form to (ref, title).
    """
    taken = [False] * len(text)
    spans = []
    for name in sorted(names, key=len, reverse=True):
        ref, title = names[name]
        for start in find_all(text, name):
            end = start + len(name)
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            spans.append(Span(start, end, kind, ref, title))
    return sorted(spans, key=lambda s: (s.start, s.end))


def render_marked_body(text: str, spans: list[Span]) -> SafeString:
    """The body as HTML segments, each marked with the spans covering it."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    parts = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= a and b <= s.end]
        attrs = [f'data-o="{a}"']
        if covering:
            kinds = sorted({s.kind for s in covering})
            attrs.append('class="{}"'.format(" ".join(f"mark-{k}" for k in kinds)))
            figure_ids = [s.ref for s in covering if s.kind == FIGURE]
            if figure_ids:
                attrs.append(f'data-figures="{escape(" ".join(figure_ids))}"')
            titles = [s.title for s in covering if s.title]
            if titles:
                attrs.append(f'title="{escape(" · ".join(titles))}"')
        parts.append(f"<span {' '.join(attrs)}>{escape(text[a:b])}</span>")
    return mark_safe("".join(parts))
