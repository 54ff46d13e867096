"""The reading view: one paper, full screen, for reading its abstract in peace.

Every action on "the current paper" works here with the same key as in the list (r, s, t, n, y,
w, u, ctrl+r); the list's own actions (o sort, v views, i import, % stats) go back to the list
and run there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Static

from tuireader.screens import paper_actions
from tuireader.screens.guard import busy_safe
from tuireader.widgets.abstract_pane import AbstractPane
from tuireader.widgets.key_footer import KeyFooter
from tuireader.widgets.reader_app import ReaderAppMixin


class ReadingScreen(ReaderAppMixin, Screen[int]):
    """One paper in full; ``[``/``]`` step through the list it was opened from."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="back"),
        Binding("right_square_bracket", "step(1)", "Next", id="next-paper"),
        Binding("left_square_bracket", "step(-1)", "Previous", id="previous-paper"),
        Binding("r", "toggle_read", "Read", id="toggle-read"),
        Binding("s", "toggle_star", "Star", id="toggle-star"),
        Binding("t", "edit_tags", "Tags", id="tags"),
        Binding("n", "edit_note", "Note", id="note", tooltip="Edit the note on the paper"),
        Binding("y", "copy", "Copy", id="copy", tooltip="Copy title, BibTeX or Markdown"),
        Binding("w", "open_web", "Web", id="web", tooltip="Search the web for the title"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last change"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="redo", tooltip="Redo what was undone"),
        Binding(
            "o",
            "in_list('cycle_sort')",
            "Sort",
            show=False,
            id="sort",
            tooltip="Back to the list, sorted by the next order",
        ),
        Binding(
            "v",
            "in_list('pick_view')",
            "View",
            show=False,
            id="view",
            tooltip="Back to the list, pick a view",
        ),
        Binding(
            "i",
            "in_list('import_dumps')",
            "Import",
            show=False,
            id="import",
            tooltip="Back to the list, import dumps",
        ),
        Binding(
            "percent_sign",
            "in_list('stats')",
            "Stats",
            show=False,
            id="stats",
            tooltip="Statistics",
        ),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(
        self, paper_id: int, order: Sequence[int], pattern: re.Pattern[str] | None = None
    ) -> None:
        super().__init__()
        self.paper_id = paper_id
        self.order = order
        self.pattern = pattern
        self._where = ""

    def compose(self) -> ComposeResult:
        """The paper's text in a scrolling column, a status line and the footer."""
        with Container(id="reading-column"):  # centres the text on a wide terminal
            yield AbstractPane(id="reading")
        yield Static("", id="reading-status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show the paper."""
        self._show()
        self.query_one("#reading").focus()

    def _show(self) -> None:
        """Show the current paper (a key typed ahead of the screen waits for on_mount)."""
        panes = self.query("#reading").results(AbstractPane)
        pane = next(panes, None)
        if pane is None:
            return  # (Enter s sent together: compose has not run yet)
        paper = self.app.changes.paper(self.paper_id)
        if paper is None:
            pane.show_message("This paper is no longer in the library.")
        else:
            pane.show(paper, self.pattern)
        position = self.order.index(self.paper_id) + 1 if self.paper_id in self.order else 0
        where = f"paper {position} of {len(self.order)}" if position else ""
        self._status(where, keep_message=True)

    def _status(self, text: str, *, keep_message: bool = False) -> None:
        status = self.query_one("#reading-status", Static)
        if keep_message:
            self._where = text
            status.update(text)
            return
        status.update(f"{self._where}  │ {text}" if self._where else text)

    def _done(self, message: str) -> None:
        self._show()
        self._status(message)

    def action_close(self) -> None:
        """Back to the list (whose cursor moves to the paper shown last)."""
        self.dismiss(self.paper_id)

    def action_in_list(self, action: str) -> None:
        """Back to the list and run ``action`` there (sort, views, import, stats)."""
        self.dismiss(self.paper_id)
        app = self.app
        app.call_later(lambda: app.screen.run_action(action))

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
    def action_toggle_read(self) -> None:
        """Mark this paper read or unread."""
        message = paper_actions.toggle(self.app.changes, [self.paper_id], "read")
        if message:
            self._done(message)

    @busy_safe
    def action_toggle_star(self) -> None:
        """Star or unstar this paper."""
        message = paper_actions.toggle(self.app.changes, [self.paper_id], "starred")
        if message:
            self._done(message)

    def action_edit_tags(self) -> None:
        """Edit this paper's tags."""
        from tuireader.screens.tags import TagEditor

        def closed(changed: bool | None = None) -> None:
            self._show()
            if changed:
                self._status("tags changed")

        self.app.push_screen(TagEditor([self.paper_id]), closed)

    @busy_safe
    def action_edit_note(self) -> None:
        """Edit this paper's note."""
        paper_actions.edit_note(self, self.paper_id, self._done)

    def action_copy(self) -> None:
        """Copy this paper's title, BibTeX entry or Markdown line."""
        paper_actions.copy_papers(self, [self.paper_id], self._status)

    def action_open_web(self) -> None:
        """Search the web for this paper's title."""
        paper_actions.open_web(self, self.paper_id, self._status)

    @busy_safe
    def action_undo(self) -> None:
        """Undo the last change (it may concern another paper: the message names it)."""
        self._replay(undo=True)

    @busy_safe
    def action_redo(self) -> None:
        """Redo the change undone last."""
        self._replay(undo=False)

    def _replay(self, *, undo: bool) -> None:
        replayed = paper_actions.replay(self.app.changes, undo=undo)
        self.app.searcher.invalidate()
        self._done(replayed.message)

    def action_help(self) -> None:
        """Show every key (the app opens the help: it knows every screen's keys)."""
        from tuireader.screens.help import HelpWanted

        self.post_message(HelpWanted())
