"""The geometry of the dashboard's charts: where each bar, point and label goes.

Pure functions of numbers, returning dataclasses of coordinates in an SVG's user
units; the templates (`reporting/_chart_*.html`) draw them. No markup here, and no
formatting of numbers either: the templates format values (money, percentages) as
everywhere else. A chart whose largest value is 0 draws empty bars, never divides by 0.
"""

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .indicators import percent

Number = int | Decimal

#: Default width of a chart in user units; the SVG scales to its container, so a chart
#: is given about the width of its column on a laptop's screen to keep its text legible.
WIDTH = 640


def _scale(value: Number, max_value: Number, length: float) -> float:
    """`value` as a length out of `length` for `max_value`; 0 when the max is 0."""
    if not max_value or not value or value < 0:
        return 0.0
    return round(float(value) / float(max_value) * length, 1)


# Bars --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarRow:
    """A row to draw: a value, and optionally the target it is measured against
    (a partner's seats, a budget line's plan)."""

    label: str
    value: Number
    target: Number | None = None


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number
    target: Number | None
    #: the value as a share of the target, in %, or None without a target
    share: Decimal | None
    #: baseline of the row's text (label on the left, figures on the right)
    text_y: float
    #: the bar of the value
    y: float
    width: float
    #: the bar of the target, drawn behind the value; 0 without a target
    target_width: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    max_value: Number
    width: int
    height: int
    bar_height: int


BAR_HEIGHT = 14
BAR_ROW = 42  # a line of text, the bar, a gap


def bar_chart(
    rows: Sequence[BarRow], max_value: Number | None = None, *, width: int = WIDTH
) -> BarChart:
    """Horizontal bars, one per row, all on the scale of `max_value` (by default the
    largest value or target): a label and figures above each bar, the bar below."""
    if max_value is None:
        max_value = max(
            [row.value for row in rows] + [row.target for row in rows if row.target is not None],
            default=0,
        )
    bars = []
    for index, row in enumerate(rows):
        top = index * BAR_ROW
        target_width = 0.0 if row.target is None else _scale(row.target, max_value, width)
        bars.append(
            Bar(
                label=row.label,
                value=row.value,
                target=row.target,
                share=None if row.target is None else percent(row.value, row.target),
                text_y=top + 14,
                y=top + 20,
                width=min(_scale(row.value, max_value, width), width),
                target_width=min(target_width, width),
            )
        )
    return BarChart(bars, max_value, width, max(len(rows), 1) * BAR_ROW, BAR_HEIGHT)


# Lines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    month: datetime.date


@dataclass(frozen=True)
class Line:
    name: str
    points: list[Point]

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass(frozen=True)
class Tick:
    position: float
    value: int | datetime.date


@dataclass(frozen=True)
class LineChart:
    lines: list[Line]
    months: list[datetime.date]
    #: horizontal grid lines with their values (y), and labelled months (x)
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    max_value: int
    width: int
    height: int
    #: the plotting area: left and right x, top and bottom y
    left: int
    right: int
    top: int
    bottom: int

    def rows(self) -> list[tuple[datetime.date, list[int]]]:
        """The same figures as a table: each month with the value of every line."""
        return [
            (month, [line.points[i].value for line in self.lines])
            for i, month in enumerate(self.months)
        ]


def nice_ceiling(value: int, ticks: int = 4) -> tuple[int, int]:
    """A round maximum for an axis of `value` and the step between its `ticks` lines:
    (23, 4) → (24, 6); (0, 4) → (4, 1)."""
    if value <= 0:
        return ticks, 1
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * magnitude >= raw)
    step = max(1, math.ceil(step))
    return step * ticks, step


def line_chart(
    series: Sequence[tuple[str, Sequence[int]]],
    months: Sequence[datetime.date],
    *,
    width: int = WIDTH,
    height: int = 260,
    max_labels: int = 8,
) -> LineChart:
    """Lines of monthly values (each series has one value per month), on one y scale
    from 0 to a round maximum; at most `max_labels` months are labelled."""
    left, right, top, bottom = 44, width - 12, 12, height - 28
    largest = max((max(values, default=0) for _, values in series), default=0)
    ceiling, step = nice_ceiling(largest)
    count = len(months)

    def x(index: int) -> float:
        if count <= 1:
            return float(left + (right - left) / 2)
        return round(left + index * (right - left) / (count - 1), 1)

    def y(value: int) -> float:
        return round(bottom - _scale(value, ceiling, bottom - top), 1)

    lines = [
        Line(name, [Point(x(i), y(v), v, months[i]) for i, v in enumerate(values)])
        for name, values in series
    ]
    y_ticks = [Tick(y(value), value) for value in range(0, ceiling + 1, step)]
    every = max(1, math.ceil(count / max_labels))
    x_ticks = [Tick(x(i), month) for i, month in enumerate(months) if i % every == 0]
    return LineChart(
        lines, list(months), y_ticks, x_ticks, ceiling, width, height, left, right, top, bottom
    )


# Funnel ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    label: str
    value: int
    #: the share of the first step, in %; None when the first step is 0
    share: Decimal | None
    x: float
    y: float
    width: float
    text_y: float


@dataclass(frozen=True)
class Funnel:
    steps: list[FunnelStep]
    width: int
    height: int
    bar_height: int

    @property
    def centre(self) -> float:
        return self.width / 2


FUNNEL_ROW = 46
FUNNEL_BAR = 22


def funnel(steps: Sequence[tuple[str, int]], *, width: int = WIDTH) -> Funnel:
    """Centred bars, each as wide as its value out of the first step's (the people
    who entered the funnel; a later step is never drawn wider than the chart)."""
    first = steps[0][1] if steps else 0
    drawn = []
    for index, (label, value) in enumerate(steps):
        bar_width = min(_scale(value, first, width), width)
        top = index * FUNNEL_ROW
        drawn.append(
            FunnelStep(
                label=label,
                value=value,
                share=percent(value, first),
                x=round((width - bar_width) / 2, 1),
                y=top + 18,
                width=bar_width,
                text_y=top + 13,
            )
        )
    return Funnel(drawn, width, max(len(steps), 1) * FUNNEL_ROW, FUNNEL_BAR)
