"""Text fields that never hold a raw control character: pasted or set, it is shown visibly.

Textual's Input and TextArea draw their text as it is, so an ESC pasted into the search line,
or a note holding ``ESC ] 52 ; …``, would reach the terminal. These fields put it through
:mod:`tuireader.textsafe` on the way in (control pictures, see there). The one-line field is
here; the note editor's TextArea is in :mod:`tuireader.widgets.safe_text_area` (Textual's
TextArea takes a while to import: only the note editor needs it, not the first paint).
"""

from __future__ import annotations

from textual.widgets import Input

from tuireader.textsafe import one_line


class SafeInput(Input):
    """A one-line Input whose value never holds a control character (tab and newline too)."""

    def validate_value(self, value: str) -> str:
        """Any value set (typed, pasted, assigned) gets its control characters made visible."""
        return one_line(value)

    def replace(self, text: str, start: int, end: int) -> None:
        """Insert ``text`` made visible, so the cursor lands after what is shown."""
        super().replace(one_line(text), start, end)

