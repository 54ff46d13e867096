"""Every use of Textual's private API, in one place.

Why any: the reader redraws the filtered list in the frame of the typed letter, and a change of
a widget's virtual size is a layout of the whole screen in Textual's public API (tens of ms at
1M papers); an unexpected error must end in one line and a log file, not Textual's traceback
with locals over the terminal. Textual offers no public hook for either, so these few
private names are used, here alone. ``tests/ui/test_textual_compat.py`` fails when a Textual
release renames them or changes what they take, before any user sees it (pin: textual<9).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from textual.app import App
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Input

#: The private names used below, by owner (the test checks each one still exists).
PRIVATE_NAMES: dict[type, tuple[str, ...]] = {
    Widget: ("_scroll_update",),
    Input: ("_watch_value",),
    App: ("_handle_exception", "_fatal_error", "_close_messages_no_wait", "_keymap"),
}

ReturnType = TypeVar("ReturnType")


def set_virtual_size(widget: ScrollView, size: Size) -> None:
    """Give ``widget`` a new virtual size; lay out the screen only if its scrollbar comes or goes.

    Assigning ``virtual_size`` is a layout change, and a layout redraws every widget on the
    screen; a list or a pane whose content grows within the same box only needs its scrollbars
    updated and itself redrawn. (``set_reactive`` sets it without the watcher's layout;
    ``_scroll_update`` is what Textual itself runs for a new virtual size.)
    """
    if size == widget.virtual_size:
        return
    had_scrollbar = widget.show_vertical_scrollbar
    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)
    widget.refresh(layout=widget.show_vertical_scrollbar != had_scrollbar)


def keymap(app: App[Any]) -> Mapping[str, str]:
    """The keymap the app was given (binding id -> keys); Textual keeps it private."""
    return app._keymap


class ValueHookInput(Input):
    """An Input that calls :meth:`before_value_drawn` before its own value watcher runs.

    Input.Changed arrives a frame after the letter is drawn; the hook runs in the same frame,
    so whatever the value filters can be redrawn with it.
    """

    def before_value_drawn(self, value: str) -> None:
        """Called with each new value before Input draws it (nothing here; subclasses act)."""

    def _watch_value(self, value: str) -> None:
        self.before_value_drawn(value)
        super()._watch_value(value)


class CrashHooksApp(App[ReturnType], Generic[ReturnType]):
    """An App that hears of an unexpected error and exits without printing Textual's traceback.

    Textual calls ``_handle_exception`` for any unhandled exception and then ``_fatal_error``
    to print a traceback with locals (which may hold a paper's text) over the terminal.
    """

    def on_unexpected_error(self, error: Exception) -> None:
        """Called with an unhandled exception, before Textual ends the app (override)."""

    def _handle_exception(self, error: Exception) -> None:
        self.on_unexpected_error(error)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Exit without printing Textual's traceback (with locals) over the terminal."""
        self.bell()
        self._close_messages_no_wait()
