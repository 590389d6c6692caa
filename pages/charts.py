"""Charts as plain geometry, drawn by the templates as inline SVG.

No JavaScript and no chart library: the server computes coordinates, the template writes
``<rect>``/``<polyline>`` elements with a ``<title>`` tooltip each (shown on hover and read
by screen readers), and the same numbers are printed in a table beneath.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

PALETTE = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7d8c", "#57606a")


@dataclass(frozen=True)
class ChartItem:
    label: str
    value: float
    tooltip: str = ""
    href: str = ""


@dataclass(frozen=True)
class Tick:
    value: float
    position: float
    label: str


@dataclass(frozen=True)
class Bar:
    item: ChartItem
    x: float
    y: float
    width: float
    height: float
    label_y: float
    value_label: str
    value_x: float


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar]
    ticks: list[Tick]
    zero_x: float
    log: bool = False


@dataclass(frozen=True)
class Point:
    item: ChartItem
    year: int
    x: float
    y: float


@dataclass
class Series:
    name: str
    color: str
    points: list[Point] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass
class LineChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    series: list[Series]
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def format_number(value, grouping: bool = True) -> str:
    """150000 → '150,000' (or '150000' without grouping); 12.50 → '12.5'; Decimals and floats alike."""
    if value is None:
        return ""
    number = Decimal(str(value))
    comma = "," if grouping else ""
    if number == number.to_integral_value():
        return f"{int(number):{comma}}"
    return f"{number:{comma}.2f}".rstrip("0").rstrip(".")


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high], about ``count`` of them (1-2-5 steps)."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1)
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    ticks = [math.floor(low / step) * step]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(ticks[-1] + step)
    return [round(t, 10) for t in ticks]


def _scale(low: float, high: float, start: float, end: float):
    span = (high - low) or 1
    return lambda v: start + (v - low) / span * (end - start)


def compact_number(value) -> str:
    """Short labels in the way Chinese writes large numbers: 150000 → '15万', 321600000000 → '3216亿', 1.5e12 → '1.5万亿'."""
    if value is None:
        return ""
    number = float(value)
    for size, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if abs(number) >= size:
            return _significant(number / size) + word
    return _significant(number) if abs(number) < 1000 else format_number(round(number), grouping=False)


def _significant(number: float) -> str:
    """About four significant digits (at most two after the point), never fewer than the integer part has."""
    if number == int(number):
        return str(int(number))
    digits = min(2, max(0, 4 - len(str(int(abs(number))))))
    return format_number(round(number, digits), grouping=False)


def text_width(text: str, size: float = 12) -> float:
    """An estimate of a label's width in SVG user units: CJK characters are square, the rest about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def _thin(ticks: list[Tick], room: float) -> list[Tick]:
    """Drop ticks whose labels would overlap their neighbour's (keeping the first and spacing the rest)."""
    kept: list[Tick] = []
    for tick in ticks:
        if kept and tick.position - kept[-1].position < (text_width(kept[-1].label) + text_width(tick.label)) / 2 + room:
            continue
        kept.append(tick)
    return kept


def wide_range(values) -> bool:
    """Positive values spanning three orders of magnitude or more: a linear axis would flatten most bars."""
    positive = [v for v in values if v > 0]
    return len(positive) == len(list(values)) and len(positive) > 1 and max(positive) / min(positive) >= 1000


def bar_chart(items, width: int = 640, row: int = 26, label_width: int = 150, log: bool | None = None,
              unit: str = "") -> BarChart:
    """Horizontal bars, one per item (regions down the side, values along the bottom).

    Axis labels are short (万/亿); a wide range of positive values gets a logarithmic axis
    (``log=None`` decides). Labels never overlap and never run off the picture.
    """
    items = list(items)
    values = [item.value for item in items] or [0.0]
    log = wide_range(values) if log is None else log and all(v > 0 for v in values)
    value_labels = [compact_number(item.value) + unit for item in items]
    right_pad = min(220, max([text_width(label) for label in value_labels] + [40]) + 14)
    end = width - right_pad
    if log:
        low_exp = math.ceil(math.log10(min(values))) - 1  # strictly below the smallest value: its bar shows
        high_exp = max(math.ceil(math.log10(max(values))), low_exp + 1)
        to_x_log = _scale(low_exp, high_exp, label_width, end)
        to_x = lambda v: to_x_log(math.log10(v))  # noqa: E731
        tick_values = [10.0 ** e for e in range(low_exp, high_exp + 1)]
        zero_x = label_width
    else:
        tick_values = nice_ticks(min(0.0, *values), max(0.0, *values))
        to_x = _scale(tick_values[0], tick_values[-1], label_width, end)
        zero_x = to_x(0.0)
    top = 8
    bars = []
    for index, (item, value_label) in enumerate(zip(items, value_labels, strict=True)):
        x = to_x(item.value)
        y = top + index * row
        bars.append(Bar(
            item=item, x=min(x, zero_x), y=y + 4, width=max(abs(x - zero_x), 1.0), height=row - 8,
            label_y=y + row / 2 + 4, value_label=value_label, value_x=max(x, zero_x),
        ))
    plot_bottom = top + len(items) * row
    ticks = [Tick(t, to_x(t), compact_number(t)) for t in tick_values]
    # the last label is centred on its tick: it must fit inside the picture
    ticks = [t for t in ticks if t.position + text_width(t.label) / 2 <= width]
    return BarChart(
        width=width, height=plot_bottom + 28, label_width=label_width, plot_top=top, plot_bottom=plot_bottom,
        bars=bars, ticks=_thin(ticks, room=6), zero_x=zero_x, log=log,
    )


def fit_label(text: str, room: float) -> str:
    """A label cut with an ellipsis to fit ``room`` units (the full text stays in the tooltip)."""
    if text_width(text) <= room:
        return text
    while text and text_width(text + "…") > room:
        text = text[:-1]
    return text + "…"


def line_chart(series: dict[str, list[tuple[int, ChartItem]]], width: int = 640, height: int = 300) -> LineChart:
    """One line per series over years; ``series`` maps a name to (year, item) pairs."""
    left, right, top, bottom = 70, width - 20, 12, height - 30
    years = sorted({year for points in series.values() for year, _ in points})
    values = [item.value for points in series.values() for _, item in points] or [0.0]
    y_values = nice_ticks(min(0.0, *values), max(0.0, *values))
    to_y = _scale(y_values[0], y_values[-1], bottom, top)
    if len(years) > 1:
        to_x = _scale(years[0], years[-1], left + 10, right - 10)
    else:
        to_x = lambda _year: (left + right) / 2  # noqa: E731 - one year sits in the middle
    result = []
    for index, (name, points) in enumerate(series.items()):
        line = Series(name=name, color=PALETTE[index % len(PALETTE)])
        for year, item in sorted(points, key=lambda p: p[0]):
            line.points.append(Point(item=item, year=year, x=to_x(year), y=to_y(item.value)))
        result.append(line)
    step = max(1, math.ceil(len(years) / 10))
    x_ticks = [Tick(y, to_x(y), str(y)) for y in years[::step]]
    return LineChart(
        width=width, height=height, left=left, right=right, top=top, bottom=bottom, series=result,
        y_ticks=[Tick(v, to_y(v), compact_number(v)) for v in y_values], x_ticks=_thin(x_ticks, room=4),
    )
