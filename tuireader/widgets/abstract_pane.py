"""The abstract pane: everything known about the paper under the cursor, scrollable."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuireader.config import format_date
from tuireader.models import Paper, Sighting, counted
from tuireader.textsafe import one_line, visible
from tuireader.widgets.reader_app import ReaderAppMixin
from tuireader.widgets.textual_compat import set_virtual_size
from tuireader.widgets.virtual import OwnStyle, theme_style


def paper_text(
    paper: Paper,
    *,
    sightings: Sequence[Sighting] = (),
    pattern: re.Pattern[str] | None = None,
    match_style: Style | str = "bold underline",
    date: Callable[[str | None], str] = format_date,
    reasons: Sequence[str] = (),
    compact: bool = False,
) -> Text:
    """A paper as rich text: title, who, facts, why, tags, notes, history, then the abstract.

    Words matching ``pattern`` (the search) are drawn in ``match_style`` in the title, the
    names, the note and the abstract; ``date`` formats ISO dates (the config's date format);
    ``reasons``: the words that ranked it (a model's order), shown on a line of their own.
    ``compact`` (triage: the whole abstract on one screen): no history, names on one line.
    Every field is plain text (never markup) with its control characters made visible.
    """
    text = Text()

    def add(part: str, style: str = "", *, matches: bool = True) -> None:
        start = len(text)
        text.append(part, style=style)
        if matches and pattern is not None:
            for found in pattern.finditer(part):
                text.stylize(match_style, start + found.start(), start + found.end())

    add(one_line(paper.title) + "\n", "bold")
    if compact:
        _who_line(text, paper, add)
    elif paper.authors:
        names = ", ".join(paper.authors)
        if paper.authors_truncated:
            names += " et al."
        add(one_line(names) + "\n", "italic")
    if paper.organization and not compact:
        handle = f" ({paper.org_handle})" if paper.org_handle else ""
        add(one_line(f"{paper.organization}{handle}") + "\n", "italic")
    if not compact and not paper.authors and paper.author_count:
        add(counted(paper.author_count, "author") + "\n", "italic", matches=False)
    facts = []
    if paper.published:
        facts.append(date(paper.published))
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
        facts.append(f"author-page score {paper.score:g}")
    facts.append("read" if paper.read else "unread")
    if paper.starred:
        facts.append("starred")
    text.append(one_line(" · ".join(facts)) + "\n", style="dim")
    _arxiv_lines(text, paper)
    if reasons:
        text.append("why: ", style="dim")
        text.append(one_line(" · ".join(reasons)) + "\n", style="bold")
    if paper.tags:
        text.append("tags: ", style="dim")
        text.append(one_line(" ".join(f"#{tag}" for tag in paper.tags)) + "\n", style="bold")
    if compact:
        pass  # (where it was seen: in the reading view)
    elif sightings:
        _history(text, sightings, date)
    elif paper.sources:
        text.append(one_line("from: " + ", ".join(paper.sources)) + "\n", style="dim")
    if paper.notes:
        text.append("\nnote:\n", style="bold")
        add(visible(paper.notes.rstrip()) + "\n")
    text.append("\n")
    if paper.abstract:
        add(visible(paper.abstract))
    else:
        text.append("(no abstract)", style="dim")
    return text


def _arxiv_lines(text: Text, paper: Paper) -> None:
    """What an arXiv page printed besides the title and names: every subject (the primary one is
    among the facts already), its comments and its journal reference."""
    if paper.subjects and paper.subjects != paper.category:
        text.append(one_line(f"subjects: {paper.subjects}") + "\n", style="dim")
    if paper.arxiv_comments:
        text.append(one_line(f"arXiv comments: {paper.arxiv_comments}") + "\n", style="dim")
    if paper.journal_ref:
        text.append(one_line(f"journal-ref: {paper.journal_ref}") + "\n", style="dim")


def _who_line(text: Text, paper: Paper, add: Callable[..., None]) -> None:
    """Authors (the first few) and organisation on one line."""
    parts = []
    if paper.authors:
        names = ", ".join(paper.authors[:6])
        more = len(paper.authors) > 6 or paper.authors_truncated
        parts.append(names + (" et al." if more else ""))
    elif paper.author_count:
        parts.append(counted(paper.author_count, "author"))
    if paper.organization:
        parts.append(paper.organization)
    if parts:
        add(one_line(" · ".join(parts)) + "\n", "italic")


def _history(text: Text, sightings: Sequence[Sighting], date: Callable[[str | None], str]) -> None:
    """Where the paper was seen: each dump with the page's date (or the import's) and counts."""
    text.append(f"seen in {counted(len(sightings), 'dump')}:\n", style="dim")
    for seen in sightings:
        when = (
            f"page of {date(seen.page_date)}"
            if seen.page_date
            else f"imported {date(seen.imported_at[:10])}"
        )
        parts = [when]
        if seen.upvotes is not None:
            parts.append(counted(seen.upvotes, "upvote"))
        if seen.comments is not None:
            parts.append(counted(seen.comments, "comment"))
        text.append(f"  {one_line(seen.file)}", style="dim bold")
        text.append(f" · {' · '.join(parts)}\n", style="dim")


class AbstractPane(ReaderAppMixin, ScrollView, can_focus=True):
    """Shows one paper in full; focus it (Tab) to scroll with j/k, arrows or PgUp/PgDn.

    It draws its own wrapped lines (the line API), so showing another paper redraws this pane
    only, instead of laying out the whole screen again as a growing Static would.
    """

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page-up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="bottom"),
    ]

    COMPONENT_CLASSES = {"abstract-pane--match"}

    # The keys scroll at once, not animated: an animation is a frame per step over the wire,
    # and keys typed ahead would land while it runs (a burst must end where slow keys do).
    def _scroll_now(self, how: str) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        getattr(self, how)(animate=False)

    def action_scroll_down(self) -> None:
        """Scroll a line down."""
        self._scroll_now("scroll_down")

    def action_scroll_up(self) -> None:
        """Scroll a line up."""
        self._scroll_now("scroll_up")

    def action_page_down(self) -> None:
        """Scroll a page down."""
        self._scroll_now("scroll_page_down")

    def action_page_up(self) -> None:
        """Scroll a page up."""
        self._scroll_now("scroll_page_up")

    def action_scroll_home(self) -> None:
        """Scroll to the top."""
        self._scroll_now("scroll_home")

    def action_scroll_end(self) -> None:
        """Scroll to the bottom."""
        self._scroll_now("scroll_end")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text: Text = Text("No paper selected.", style="dim")
        self._lines: list[Strip] = []
        self._width = 0
        self._own_style = OwnStyle()

    def show(
        self,
        paper: Paper | None,
        pattern: re.Pattern[str] | None = None,
        *,
        reasons: Sequence[str] = (),
        compact: bool = False,
    ) -> None:
        """Show ``paper`` (or nothing) from the top; words matching ``pattern`` highlighted;
        ``reasons``: why a model ranks it where it is; ``compact``: see :func:`paper_text`."""
        if paper is None:
            self.show_message("No paper selected.")
            return
        app = self.app
        config = getattr(app, "config", None)
        self._text = paper_text(
            paper,
            sightings=() if compact else app.library.sightings(paper.id),
            reasons=reasons,
            compact=compact,
            pattern=pattern,
            match_style=self._match_style(),
            date=config.format_date if config is not None else format_date,
        )
        self._redraw()

    def show_message(self, message: str) -> None:
        """Show a line of text instead of a paper."""
        self._text = Text(message, style="dim")
        self._redraw()

    def _redraw(self) -> None:
        self._wrap()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _match_style(self) -> Style:
        """The theme's style for search matches (the component class, resolved)."""
        return theme_style(self, "abstract-pane--match")

    @property
    def plain_text(self) -> str:
        """What the pane shows, as plain text (for tests and copying)."""
        return self._text.plain

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            # Not laid out yet (a paper shown as the screen mounts): wrapped when first drawn,
            # not at width 1, a line per character.
            self._width = 0
            return
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
        width = self.scrollable_content_region.width
        if self._width != width:
            self._wrap()
        index = int(self.scroll_y) + y
        style = self._own_style.get(self)
        line = self._lines[index] if 0 <= index < len(self._lines) else Strip.blank(width)
        return line.apply_style(style).adjust_cell_length(width, style)
