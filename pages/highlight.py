"""Split an article body into plain text and figure quotes, for highlighting in the page.

A pure function on a string and offsets: the template marks each quote and gives it the
anchor ``q-<figure id>`` that the figures table links to.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    text: str
    figure_ids: tuple[int, ...] = ()

    @property
    def is_quote(self) -> bool:
        return bool(self.figure_ids)


def quote_segments(body: str, spans) -> list[Segment]:
    """``spans`` is an iterable of (figure_id, start, end) offsets into ``body``.

    Overlapping quotes (several figures from one sentence) merge into one highlighted
    segment that carries all their ids; spans outside the body are ignored.
    """
    valid = sorted(
        (start, end, fid) for fid, start, end in spans if 0 <= start < end <= len(body)
    )
    groups: list[list] = []
    for start, end, fid in valid:
        if groups and start < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], end)
            groups[-1][2].append(fid)
        else:
            groups.append([start, end, [fid]])
    segments: list[Segment] = []
    position = 0
    for start, end, ids in groups:
        if start > position:
            segments.append(Segment(body[position:start]))
        segments.append(Segment(body[start:end], tuple(ids)))
        position = end
    if position < len(body):
        segments.append(Segment(body[position:]))
    return segments
