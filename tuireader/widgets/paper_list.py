"""The paper list: a virtual list (Textual's line API) that draws only the rows on screen.

It holds the ids of the papers shown, in order, and asks the library for the rows it is about to
draw, a window at a time, so 100k or 1M papers cost no more than a screenful.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuireader.models import PaperRow
from tuireader.textsafe import one_line
from tuireader.widgets.textual_compat import set_virtual_size
from tuireader.widgets.virtual import OwnStyle, theme_style

#: Rows fetched around the visible window when the list needs rows it has not got.
_FETCH_MARGIN = 60


@dataclass(frozen=True, slots=True)
class Glyphs:
    """The marks a row uses; plain ASCII on the Linux console, which lacks most symbols."""

    cursor: str
    marked: str
    unread: str
    star: str
    upvote: str
    comment: str = "c"

    @classmethod
    def for_terminal(cls) -> Glyphs:
        """Pick glyphs the current terminal can draw."""
        if os.environ.get("TERM", "") == "linux":
            return cls(cursor=">", marked="+", unread="o", star="*", upvote="^", comment="c")
        return cls(cursor="▌", marked="✚", unread="●", star="★", upvote="▲", comment="✎")


def highlight_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """A regex that finds words starting with any of ``terms`` (case-insensitive)."""
    words = sorted({t for term in terms for t in term.split() if t}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)


class PaperList(ScrollView, can_focus=True):
    """A keyboard-driven list of papers, one line each."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="up"),
        Binding("g,home", "first", "Top", show=False, id="top"),
        Binding("G,end", "last", "Bottom", show=False, id="bottom"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="page-down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="page-up"),
        Binding("enter", "select", "Open", show=False, id="open"),
    ]

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--unread",
        "paper-list--read",
        "paper-list--marked",
        "paper-list--match",
        "paper-list--meta",
        "paper-list--star",
        "paper-list--tag",
    }

    cursor: reactive[int] = reactive(0, always_update=False, init=False, repaint=False)

    class Selected(Message):
        """Enter was pressed on a paper."""

        def __init__(self, paper_id: int) -> None:
            super().__init__()
            self.paper_id = paper_id

    def __init__(
        self,
        fetch_rows: Callable[[Sequence[int]], list[PaperRow]],
        *,
        on_highlight: Callable[[int | None], None],
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._fetch_rows = fetch_rows
        #: Called at once when the cursor reaches a paper, so whatever shows that paper is
        #: redrawn in the same frame as the cursor (a message would land a frame later).
        self._on_highlight = on_highlight
        self.ids: Sequence[int] = []
        self.marks: set[int] = set()
        self._rows: dict[int, PaperRow] = {}
        #: Drawn lines by (row index, cursor on it, focused, marked, width, theme).
        self._strips: dict[tuple, Strip] = {}
        self._own_style = OwnStyle()
        self._styles: dict[tuple, Style] = {}
        self._pattern: re.Pattern[str] | None = None
        self.glyphs = Glyphs.for_terminal()
        #: What an empty list says (the screen sets it: "No papers match …").
        self.empty_text = "No papers match."

    def notify_style_update(self) -> None:
        """The theme or the CSS changed: draw every row again with the new styles."""
        super().notify_style_update()
        self._own_style.key = None
        self._styles.clear()
        self._strips.clear()

    # -- data ----------------------------------------------------------------------------------
    @property
    def pattern(self) -> re.Pattern[str] | None:
        """The words of the search, as highlighted in the titles (None without a search)."""
        return self._pattern

    @property
    def current_id(self) -> int | None:
        """The id of the paper under the cursor."""
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    def current_row(self) -> PaperRow | None:
        """The row under the cursor as drawn (with changes still pending laid over it)."""
        return self._row(self.cursor)

    def set_ids(
        self, ids: Sequence[int], highlights: Iterable[str] = (), keep: int | None = None
    ) -> None:
        """Show ``ids``; keep the cursor on paper ``keep`` if it is still there, else the top."""
        self.ids = ids
        self._rows.clear()
        self._strips.clear()
        self._pattern = highlight_pattern(highlights)
        set_virtual_size(self, Size(self.size.width, len(ids)))
        index = 0
        if keep is not None:
            try:
                index = ids.index(keep)
            except ValueError:
                index = 0
        self._set_cursor(index, force_message=True)
        self.refresh()

    def reload_rows(self) -> None:
        """Forget fetched rows (after state changes) and redraw."""
        self._rows.clear()
        self._strips.clear()
        self.refresh()

    def _row(self, index: int) -> PaperRow | None:
        row = self._rows.get(index)
        if row is None and 0 <= index < len(self.ids):
            start = max(0, index - _FETCH_MARGIN)
            end = min(len(self.ids), index + self.size.height + _FETCH_MARGIN)
            window = self.ids[start:end]
            fetched = {r.id: r for r in self._fetch_rows(window)}
            for offset, paper_id in enumerate(window):
                if paper_id in fetched:
                    self._rows[start + offset] = fetched[paper_id]
            row = self._rows.get(index)
        return row

    # -- cursor --------------------------------------------------------------------------------
    def _set_cursor(self, index: int, *, force_message: bool = False) -> None:
        index = max(0, min(index, len(self.ids) - 1)) if self.ids else 0
        changed = index != self.cursor
        self.cursor = index
        self._scroll_to_cursor()
        if changed or force_message:
            self._on_highlight(self.current_id)

    def watch_cursor(self, old: int, new: int) -> None:
        """Redraw the two rows the cursor left and reached."""
        self.refresh_line(old - int(self.scroll_y))
        self.refresh_line(new - int(self.scroll_y))

    def refresh_line(self, y: int) -> None:
        """Redraw one visible line."""
        if 0 <= y < self.size.height:
            self.refresh(self.region.__class__(0, y, self.size.width, 1))

    def _scroll_to_cursor(self) -> None:
        height = max(self.size.height, 1)
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        """Put the cursor on row ``index``."""
        self._set_cursor(index)

    def action_cursor_down(self) -> None:
        """Move the cursor one paper down."""
        self._set_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        """Move the cursor one paper up."""
        self._set_cursor(self.cursor - 1)

    def action_first(self) -> None:
        """Jump to the first paper."""
        self._set_cursor(0)

    def action_last(self) -> None:
        """Jump to the last paper."""
        self._set_cursor(len(self.ids) - 1)

    def action_page_down(self) -> None:
        """Move one screenful down."""
        self._set_cursor(self.cursor + max(self.size.height - 1, 1))

    def action_page_up(self) -> None:
        """Move one screenful up."""
        self._set_cursor(self.cursor - max(self.size.height - 1, 1))

    def on_resize(self, event: events.Resize) -> None:
        """Keep the virtual height and the cursor in view after a resize."""
        self.virtual_size = Size(event.size.width, len(self.ids))
        self._scroll_to_cursor()

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor (the mouse is optional, never needed)."""
        self._set_cursor(int(self.scroll_y) + event.y)

    def action_select(self) -> None:
        """Enter: open the paper under the cursor."""
        if self.current_id is not None:
            self.post_message(self.Selected(self.current_id))

    # -- drawing -------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        """Draw screen line ``y``: the row at scroll offset + ``y``."""
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        base = self._own_style.get(self)
        row = self._row(index) if index < len(self.ids) else None
        if row is None:
            if not self.ids and y == 1:
                text = "  " + _fit(self.empty_text, max(width - 2, 1))
                return Strip([Segment(text, self._style("read", False, False))]).adjust_cell_length(
                    width, base
                )
            return Strip([Segment(" " * width, base)], width)
        is_cursor = index == self.cursor
        key = (index, is_cursor, self.has_focus, row.id in self.marks, width, self.app.theme)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4 * max(self.size.height, 10):
                self._strips.clear()
            segments = self._row_segments(row, is_cursor, width)
            strip = self._strips[key] = Strip(segments).adjust_cell_length(width, base)
        return strip

    def _style(self, name: str | None, is_cursor: bool, marked: bool) -> Style:
        """The style of one part of a row: the widget's, the row's (marked, cursor), the part's.

        Combined once per theme and focus, not once per row: drawing a screenful of new rows
        (every keystroke in the search line) must stay well under a frame. (Called while a line
        is drawn: render_line has just looked the widget's own style up, so its key is current.)
        """
        key = (name, is_cursor, marked, self._own_style.key)
        style = self._styles.get(key)
        if style is None:
            style = self._own_style.get(self)
            key = (name, is_cursor, marked, self._own_style.key)
            if marked:
                style += self._part("paper-list--marked")
            if name is not None and name != "cursor":
                style += self._part(f"paper-list--{name}")
            if is_cursor:
                # Last, so every part of the cursor row has the cursor's own colours (readable
                # on the cursor's background in light themes as in dark ones).
                style += self._part("paper-list--cursor")
            self._styles[key] = style
        return style

    def _part(self, component: str) -> Style:
        """A component's colours, resolved against the list (see :func:`theme_style`)."""
        return theme_style(self, component)

    def _row_segments(self, row: PaperRow, is_cursor: bool, width: int) -> list[Segment]:
        """One row: marks, the title (matches highlighted), then tags, who, date, upvotes, comments.

        Upvotes read "▲214", the comment count "✎6" (ASCII: "^214", "c6").
        """
        g = self.glyphs
        marked = row.id in self.marks

        def style(name: str | None = None) -> Style:
            return self._style(name, is_cursor, marked)

        state = style("read" if row.read else "unread")
        segments = [
            Segment(g.cursor if is_cursor else " ", style("cursor") if is_cursor else style()),
            Segment(g.marked if marked else " ", style()),
            Segment(" " if row.read else g.unread, state),
            Segment(g.star if row.starred else " ", style("star")),
            Segment(" ", style()),
        ]
        right: list[Segment] = []
        if width >= 60 and row.tags:
            tags = one_line(" ".join(f"#{t}" for t in row.tags))
            right.append(Segment(_fit(tags, 14) + " ", style("tag")))
        meta = style("meta")
        if width >= 96:
            right.append(Segment(_fit(one_line(row.who), 20).ljust(20) + " ", meta))
        if width >= 50:
            config = getattr(self.app, "config", None)
            if config is None:
                right.append(Segment(one_line(row.published or "").ljust(10), meta))
            else:
                date = one_line(config.format_date(row.published))
                right.append(Segment(date[: config.date_width].ljust(config.date_width), meta))
        if width >= 60:
            votes = f"{g.upvote}{row.upvotes}" if row.upvotes else ""
            right.append(Segment(votes.rjust(5) + " ", meta))
        if width >= 70:
            comments = f"{g.comment}{row.comments}" if row.comments else ""
            right.append(Segment(comments.rjust(4) + " ", meta))
        right_width = sum(cell_len(segment.text) for segment in right)
        title_width = max(width - 5 - right_width - 1, 8)
        title = _fit(one_line(row.title), title_width)
        position = 0
        if self._pattern is not None:
            match_style = style("match")
            for match in self._pattern.finditer(title):
                if match.start() > position:
                    segments.append(Segment(title[position : match.start()], state))
                segments.append(Segment(match.group(), match_style))
                position = match.end()
        if position < len(title):
            segments.append(Segment(title[position:], state))
        padding = title_width - cell_len(title) + 1
        segments.append(Segment(" " * max(padding, 1), style()))
        segments.extend(right)
        return segments


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis."""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + "…"
