"""The abstract pane: everything known about the paper under the cursor, scrollable."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuireader.models import Paper, counted
from tuireader.widgets.virtual import OwnStyle, set_virtual_size


def paper_text(paper: Paper, *, full_authors: bool = True) -> Text:
    """A paper as rich text: title, who, facts, tags, notes, sources, then the abstract."""
    text = Text()
    text.append(paper.title + "\n", style="bold")
    if paper.authors:
        names = ", ".join(paper.authors if full_authors else paper.authors[:6])
        if paper.authors_truncated:
            names += " et al."
        text.append(names + "\n", style="italic")
    if paper.organization:
        handle = f" ({paper.org_handle})" if paper.org_handle else ""
        text.append(f"{paper.organization}{handle}\n", style="italic")
    if not paper.authors and paper.author_count:
        text.append(counted(paper.author_count, "author") + "\n", style="italic")
    facts = []
    if paper.published:
        facts.append(paper.published)
    elif paper.published_raw:
        facts.append(paper.published_raw)
    if paper.upvotes is not None:
        facts.append(counted(paper.upvotes, "upvote"))
    if paper.comments is not None:
        facts.append(counted(paper.comments, "comment"))
    if paper.arxiv_id:
        facts.append(f"arXiv:{paper.arxiv_id}")
    if paper.category:
        facts.append(paper.category)
    if paper.has_code:
        facts.append("has code")
    if paper.score is not None:
        facts.append(f"score {paper.score:g}")
    facts.append("read" if paper.read else "unread")
    if paper.starred:
        facts.append("starred")
    text.append(" · ".join(facts) + "\n", style="dim")
    if paper.tags:
        text.append("tags: ", style="dim")
        text.append(" ".join(f"#{tag}" for tag in paper.tags) + "\n", style="bold")
    if paper.sources:
        text.append("from: " + ", ".join(paper.sources) + "\n", style="dim")
    if paper.notes:
        text.append("\nnote:\n", style="bold")
        text.append(paper.notes.rstrip() + "\n")
    text.append("\n")
    text.append(paper.abstract or "(no abstract)")
    return text


class AbstractPane(ScrollView, can_focus=True):
    """Shows one paper in full; focus it (Tab) to scroll with j/k, arrows or PgUp/PgDn.

    It draws its own wrapped lines (the line API), so showing another paper redraws this pane
    only, instead of laying out the whole screen again as a growing Static would.
    """

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False),
        Binding("k,up", "scroll_up", "Scroll up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text: Text = Text("No paper selected.", style="dim")
        self._lines: list[Strip] = []
        self._width = 0
        self._own_style = OwnStyle()

    def show(self, paper: Paper | None) -> None:
        """Show ``paper`` (or nothing) from the top."""
        self._text = paper_text(paper) if paper else Text("No paper selected.", style="dim")
        self._wrap()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    @property
    def plain_text(self) -> str:
        """What the pane shows, as plain text (for tests and copying)."""
        return self._text.plain

    def _wrap(self) -> None:
        width = max(self.scrollable_content_region.width, 1)
        self._width = width
        console = self.app.console
        options = console.options.update_width(width)
        lines = console.render_lines(self._text, options, pad=False)
        self._lines = [Strip(line) for line in lines]
        set_virtual_size(self, Size(width, len(self._lines)))

    def on_resize(self, event: events.Resize) -> None:
        """Wrap the text again for the new width."""
        self._wrap()

    def render_line(self, y: int) -> Strip:
        """Draw screen line ``y`` of the wrapped text."""
        if self._width != self.scrollable_content_region.width:
            self._wrap()
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        style = self._own_style.get(self)
        line = self._lines[index] if 0 <= index < len(self._lines) else Strip.blank(width)
        return line.apply_style(style).adjust_cell_length(width, style)
