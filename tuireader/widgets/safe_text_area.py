"""The note editor's text field: a TextArea that never holds a raw control character.

(See :mod:`tuireader.widgets.safe_fields` for why; this one keeps newlines and tabs.)
"""

from __future__ import annotations

from textual.document._edit import Edit, EditResult
from textual.widgets import TextArea

from tuireader.textsafe import visible


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
