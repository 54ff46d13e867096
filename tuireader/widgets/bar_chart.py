"""A bar chart drawn with block characters: one column of bars a week, labels under them."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from tuireader.widgets.virtual import theme_style

#: Eighths of a cell, from empty to full.
_BLOCKS = " ▁▂▃▄▅▆▇█"
_ASCII_BLOCKS = " ..::||##"


def short_count(n: int) -> str:
    """A count in three characters at most: 7, 42, 999, 1k, 12k."""
    if n < 1000:
        return str(n)
    if n < 10_000:
        return f"{n // 1000}k"
    return f"{min(n // 1000, 99)}k"


class BarChart(Widget):
    """Bars of ``values`` (one a column, with its count above), ``labels`` under them.

    Colours come from the theme through the component classes (bars, labels), so the chart
    follows the theme as everything else does.
    """

    COMPONENT_CLASSES = {"bar-chart--bar", "bar-chart--label", "bar-chart--empty"}

    def __init__(
        self,
        values: Sequence[int],
        labels: Sequence[str],
        *,
        height: int = 5,
        ascii: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.values = list(values)
        self.labels = list(labels)
        self.bar_height = height
        self.blocks = _ASCII_BLOCKS if ascii else _BLOCKS

    def render(self) -> Text:
        """Count row, bar rows, label row; each column 3 cells wide and one apart."""
        bar = theme_style(self, "bar-chart--bar")
        label = theme_style(self, "bar-chart--label")
        empty = theme_style(self, "bar-chart--empty")
        top = max(self.values, default=0)
        text = Text(no_wrap=True, overflow="crop")
        if top == 0:
            text.append("nothing in these weeks yet\n", style=empty)
        eighths = [
            max(round(value * self.bar_height * 8 / top), 1) if value else 0
            for value in self.values
        ]
        # Row r (1 = the bottom row) of a column holds its bar, or its count just above the bar.
        for row in range(self.bar_height + 1, 0, -1):
            for value, height in zip(self.values, eighths, strict=True):
                rows_used = -(-height // 8)
                if value and row == rows_used + 1:
                    text.append(f"{short_count(value):^3} ", style=label)
                elif row <= rows_used:
                    filled = min(height - (row - 1) * 8, 8)
                    text.append(self.blocks[filled] * 3 + " ", style=bar)
                else:
                    text.append("    ")
            text.append("\n")
        for name in self.labels:
            text.append(f"{name:<4}"[:4], style=label)
        return text

    def get_content_height(self, container, viewport, width: int) -> int:
        """Bars, the row of counts and the labels (and the note when there is nothing)."""
        return self.bar_height + 2 + (0 if max(self.values, default=0) else 1)

    def get_content_width(self, container, viewport) -> int:
        """Four cells a column."""
        return max(4 * len(self.values), 28)

