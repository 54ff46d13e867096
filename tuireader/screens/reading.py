"""The reading view: one paper, full screen, for reading its abstract in peace."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tuireader.screens.guard import busy_safe
from tuireader.widgets.abstract_pane import paper_text


class ReadingScreen(Screen[int]):
    """One paper in full; ``[``/``]`` step through the list it was opened from."""

    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("j,down", "scroll_down", "Scroll", show=False),
        Binding("k,up", "scroll_up", "Scroll up", show=False),
        Binding("right_square_bracket", "step(1)", "Next paper"),
        Binding("left_square_bracket", "step(-1)", "Previous paper"),
        Binding("s", "toggle_star", "Star"),
        Binding("t", "edit_tags", "Tags"),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, paper_id: int, order: list[int]) -> None:
        super().__init__()
        self.paper_id = paper_id
        self.order = order

    def compose(self) -> ComposeResult:
        """The paper's text in a scrolling column, and the footer."""
        with VerticalScroll(id="reading"):
            yield Static(self._text(), id="reading-body")
        yield Footer()

    def on_mount(self) -> None:
        """Put the focus on the text."""
        self.query_one("#reading").focus()

    def _text(self):
        paper = self.app.changes.paper(self.paper_id)
        return paper_text(paper) if paper else "This paper is no longer in the library."

    def _show(self) -> None:
        """Show the current paper (before the screen is composed, compose will draw it)."""
        if not self.is_mounted:
            return  # a key typed ahead of the screen (Enter s sent together)
        self.query_one("#reading-body", Static).update(self._text())
        self.query_one("#reading", VerticalScroll).scroll_home(animate=False)

    def action_close(self) -> None:
        """Back to the list (whose cursor moves to the paper shown last)."""
        self.dismiss(self.paper_id)

    def action_scroll_down(self) -> None:
        """Scroll the text down a line."""
        self.query_one("#reading", VerticalScroll).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        """Scroll the text up a line."""
        self.query_one("#reading", VerticalScroll).scroll_up(animate=False)

    @busy_safe
    def action_step(self, delta: int) -> None:
        """Open the next (or previous) paper of the list, marking it read."""
        try:
            index = self.order.index(self.paper_id) + delta
        except ValueError:
            return
        if 0 <= index < len(self.order):
            self.paper_id = self.order[index]
            self.app.changes.set_read([self.paper_id], True)
            self._show()

    @busy_safe
    def action_toggle_star(self) -> None:
        """Star or unstar this paper."""
        paper = self.app.changes.paper(self.paper_id)
        if paper:
            self.app.changes.set_starred([self.paper_id], not paper.starred)
            self._show()

    def action_edit_tags(self) -> None:
        """Edit this paper's tags."""
        from tuireader.screens.tags import TagEditor

        self.app.push_screen(TagEditor([self.paper_id]), lambda _=None: self._show())

    def action_help(self) -> None:
        """Show every key."""
        from tuireader.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
