"""The search line: an Input that does not lay out the whole screen at every keystroke."""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Input

from tuireader.widgets.virtual import set_virtual_size


class SearchLine(Input):
    """Textual's Input, with the width of its text updated quietly.

    Input grows its virtual width with each letter, and a virtual size change is a layout: the
    whole screen would be laid out and redrawn before the filtered list could be. The line is
    one row high and scrolls itself, so nothing around it needs a new layout.
    """

    def _watch_value(self, value: str) -> None:
        set_virtual_size(self, Size(self.content_width, 1))  # Input's own assignment is then a no-op
        super()._watch_value(value)
