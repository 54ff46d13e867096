"""Changing a line-API widget's virtual size without laying out the whole screen again."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


def set_virtual_size(widget: ScrollView, size: Size) -> None:
    """Give ``widget`` a new virtual size; lay out the screen only if its scrollbar comes or goes.

    Assigning ``virtual_size`` is a layout change, and a layout redraws every widget on the
    screen; a list or a pane whose content grows within the same box only needs its scrollbars
    updated and itself redrawn.
    """
    if size == widget.virtual_size:
        return
    had_scrollbar = widget.show_vertical_scrollbar
    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)  # noqa: SLF001 - Textual's own scrollbar update for a new size
    widget.refresh(layout=widget.show_vertical_scrollbar != had_scrollbar)
