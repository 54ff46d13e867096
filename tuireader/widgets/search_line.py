"""The search line: an Input that does not lay out the whole screen at every keystroke."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import Input

from tuireader.widgets.safe_fields import SafeInput
from tuireader.widgets.textual_compat import ValueHookInput, set_virtual_size


class SearchLine(SafeInput, ValueHookInput):
    """Textual's Input, with the width of its text updated quietly.

    Input grows its virtual width with each letter, and a virtual size change is a layout: the
    whole screen would be laid out and redrawn before the filtered list could be. The line is
    one row high and scrolls itself, so nothing around it needs a new layout.
    """

    BINDINGS = [
        Binding("enter", "submit", "To the list", id="search.submit"),
        Binding("escape", "screen.clear", "Clear search", id="search.clear"),
    ]

    def __init__(
        self, *args: Any, on_change: Callable[[str], None] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        #: Called with the new text before the line redraws, so the list it filters is redrawn
        #: in the same frame as the letter (Input.Changed would land a frame later).
        self.on_change = on_change

    def edits(self, key: events.Key) -> bool:
        """True for a key that only edits the line (a letter, Backspace, a cursor move): it may
        go on while the list is still being searched; Enter, Esc, Tab and the rest wait."""
        return key.is_printable or key.key in _EDIT_KEYS

    def before_value_drawn(self, value: str) -> None:
        """Tell ``on_change`` first; set the virtual width quietly (Input's own is then a no-op)."""
        on_change = getattr(self, "on_change", None)  # (Input sets its value in __init__)
        if on_change is not None and self.is_mounted:
            on_change(value)
        set_virtual_size(self, Size(self.content_width, 1))


#: The keys Input binds to editing its text (every one but Enter, which leaves the line).
_EDIT_KEYS = frozenset(
    key
    for binding in Input.BINDINGS
    if isinstance(binding, Binding)
    for key in binding.key.split(",")
    if key != "enter"
)
