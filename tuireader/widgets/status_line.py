"""The status line: counts, view and sort on the left, the open library on the right."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static


def short_path(path: Path) -> str:
    """``path`` with the home folder written as ``~``."""
    try:
        return "~/" + str(Path(path).resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(path)


class StatusLine(Static):
    """One line: what the list shows (left) and which library is open (right).

    The library's path is shortened to its file name when the line is narrow, and left out
    when even that does not fit beside the counts.
    """

    def __init__(self, library: Path, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._left = ""
        self._full: str = short_path(library)
        self._file_name = Path(library).name

    def show(self, text: str) -> None:
        """Show ``text`` on the left (one line, no layout)."""
        self._left = text
        self.refresh()

    def render(self) -> Text:
        """The left text, then the library's path right-aligned where it fits."""
        width = self.content_region.width or 80
        left = Text(self._left, no_wrap=True, overflow="ellipsis")
        for right in (self._full, self._file_name):
            gap = width - left.cell_len - len(right)
            if gap >= 3:
                left.append(" " * gap)
                left.append(right, style="dim")
                break
        left.truncate(width, overflow="ellipsis")
        return left
