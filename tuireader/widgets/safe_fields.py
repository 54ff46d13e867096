"""Text fields that never hold a raw control character: pasted or set, it is shown visibly.

Textual's Input and TextArea draw their text as it is, so an ESC pasted into the search line,
or a note holding ``ESC ] 52 ; …``, would reach the terminal. These fields put it through
:mod:`tuireader.textsafe` on the way in (control pictures, see there).
"""

from __future__ import annotations

from textual.document._edit import Edit, EditResult
from textual.widgets import Input, TextArea

from tuireader.textsafe import one_line, visible


class SafeInput(Input):
    """A one-line Input whose value never holds a control character (tab and newline too)."""

    def validate_value(self, value: str) -> str:
        """Any value set (typed, pasted, assigned) gets its control characters made visible."""
        return one_line(value)

    def replace(self, text: str, start: int, end: int) -> None:
        """Insert ``text`` made visible, so the cursor lands after what is shown."""
        super().replace(one_line(text), start, end)


class SafeTextArea(TextArea):
    """A TextArea whose text keeps newlines and tabs but no other control character."""

    def __init__(self, text: str = "", *args, **kwargs) -> None:
        super().__init__(visible(text), *args, **kwargs)

    def edit(self, edit: Edit) -> EditResult:
        """Every edit (typing, pasting, loading) inserts its text made visible."""
        edit.text = visible(edit.text)
        return super().edit(edit)

    def load_text(self, text: str) -> None:
        """Load ``text`` with its control characters made visible."""
        super().load_text(visible(text))
