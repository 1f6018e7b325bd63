"""Bar charts as inline SVG, computed here and drawn by a template (no JavaScript, no chart library).

Each chart carries its numbers as text twice: on the bars (labels and values, so colour never carries the
meaning alone) and in a table beside it (the text alternative screen readers and phones read, issue #13).
The SVG has a viewBox and is drawn at width:100%, so it scales down to a 390 px screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

ROW_HEIGHT = 24
LABEL_WIDTH = 110
BAR_AREA = 170
VALUE_WIDTH = 60
WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as people read it ("12", "3.5 時間")
    y: int
    width: int
    text_y: int
    tone: str = ""  # a CSS class; never the only carrier of meaning

    @property
    def rect_y(self) -> int:
        return self.y + 4

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6

    @property
    def short_label(self) -> str:
        """The label as drawn (the table beside the chart has it in full)."""
        return self.label if len(self.label) <= 9 else self.label[:8] + "…"


@dataclass
class BarChart:
    """A horizontal bar chart: one row per label, the value written at the end of each bar."""

    chart_id: str
    title: str
    label_header: str
    value_header: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT + 8

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + 6

    @property
    def summary(self) -> str:
        """The aria-label: the title and every pair, so the picture alone is understandable."""
        pairs = "、".join(f"{bar.label} {bar.text}" for bar in self.bars)
        return f"{self.title}: {pairs}" if pairs else self.title


def bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float, str]],
    *,
    label_header: str,
    value_header: str,
) -> BarChart:
    """``rows`` are (label, value, value as text); bars are scaled to the largest value."""
    top = max((float(row[1]) for row in rows), default=0.0)
    chart = BarChart(chart_id, title, label_header, value_header)
    for i, (label, value, text) in enumerate(rows):
        width = round(BAR_AREA * value / top) if top > 0 else 0
        y = 4 + i * ROW_HEIGHT
        chart.bars.append(Bar(str(label), float(value), str(text), y, width, y + ROW_HEIGHT // 2 + 1))
    return chart
