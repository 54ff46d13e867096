"""The main screen: search line, paper list, abstract pane, status line and footer.

The layers: ``main_base.MainScreenBase`` (searching, the list, keeping it current) <-
``main_actions.DialogActions`` (actions that open dialogs) <- ``main_triage.TriageActions``
(triage, more like this, watches, the models learned in the background) <- :class:`MainScreen`
(the other key actions, the import and quit messages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.widgets import Input

from tuireader.drafts import NOTE
from tuireader.screens import paper_actions
from tuireader.screens.guard import busy_safe
from tuireader.screens.main_base import WELCOME, MainScreenBase, no_match_text
from tuireader.screens.main_bindings import MAIN_BINDINGS
from tuireader.screens.main_triage import TriageActions
from tuireader.widgets.paper_list import PaperList

if TYPE_CHECKING:  # (imported when used: not before the first paint)
    from tuireader.screens.import_dialog import ImportFinished

__all__ = ["WELCOME", "MainScreen", "MainScreenBase", "no_match_text"]


class MainScreen(TriageActions):
    """Search, list, abstract: where triage happens."""

    BINDINGS = MAIN_BINDINGS

    @on(PaperList.Selected)
    @busy_safe
    def _paper_selected(self, event: PaperList.Selected) -> None:
        from tuireader.screens.reading import ReadingScreen

        if self.services.changes.set_read([event.paper_id], True):
            self._after_change("read 1 paper")
        self.app.push_screen(
            ReadingScreen(event.paper_id, self.papers.ids, self.papers.pattern),
            self._reading_closed,
        )

    def _reading_closed(self, last_paper: int | None = None) -> None:
        """Back from the reading view: the cursor follows the paper read last."""
        if last_paper is not None and last_paper in self.papers.ids:
            self.papers.move_to(self.papers.ids.index(last_paper))
        self._after_change()

    def on_first_result(self) -> None:
        """The reader is open: offer back a draft an earlier reader left (a note or a tag being
        typed when it was stopped), on its paper."""
        changes = self.services.changes
        draft, changes.adopted_draft = changes.adopted_draft, None
        if draft is None:
            return
        ids = [i for i in draft.paper_ids if self.library.get_paper(i) is not None]
        if not ids:
            self.app.keep_draft(None)
            self._update_status("a draft was let go: its paper is gone")
            return
        if ids[0] in self.papers.ids:
            self.papers.move_to(self.papers.ids.index(ids[0]))
        if draft.kind == NOTE:
            paper_actions.edit_note(self, ids[0], self._after_change, restored=draft.text)
        else:
            from tuireader.screens.tags import TagEditor

            editor = TagEditor(ids, restored=draft.text)
            self.app.push_screen(editor, lambda _=None: self._after_change())

    # -- actions -------------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        """Put the cursor in the search line."""
        self.query_one("#search", Input).focus()

    def action_clear(self) -> None:
        """Esc: leave the search line clearing it, else clear marks, else clear the search."""
        search = self.query_one("#search", Input)
        if search.has_focus:
            search.value = ""
            self.papers.focus()
        elif self.papers.marks:
            self.papers.marks.clear()
            self.papers.reload_rows()
            self._update_status("marks cleared")
        elif search.value:
            search.value = ""

    def _toggle(self, flag: str) -> None:
        """Set ``flag`` (read or starred) on the target papers, or clear it if all have it."""
        message = paper_actions.toggle(self.services.changes, self.target_ids(), flag)
        if message:
            self._after_change(message)

    @busy_safe
    def action_toggle_read(self) -> None:
        """Toggle read on the paper (or on all marked papers: read unless all are read)."""
        self._toggle("read")

    @busy_safe
    def action_toggle_star(self) -> None:
        """Toggle the star on the paper (or on all marked papers)."""
        self._toggle("starred")

    def action_edit_tags(self) -> None:
        """Open the tag editor for the paper (or the marked papers)."""
        from tuireader.screens.tags import TagEditor

        ids = self.target_ids()
        if ids:
            self.app.push_screen(TagEditor(ids), lambda _=None: self._after_change())

    def action_help(self) -> None:
        """Show every key (the app opens the help: it knows every screen's keys)."""
        from tuireader.screens.help import HelpWanted

        self.post_message(HelpWanted())

    def action_refresh(self) -> None:
        """Reload from the library file (picks up imports made elsewhere) and redraw every cell of
        the terminal (something else may have drawn on it)."""
        self.app.redraw_terminal()
        self.services.searcher.invalidate(everything=True)
        self._after_change("refreshed", research=True)

    async def action_quit(self) -> None:
        """Leave (the place in the library is remembered when the screen goes, see on_unmount)."""
        await self.app.action_quit()

    @busy_safe
    def action_mark(self) -> None:
        """Mark or unmark the paper under the cursor, then move down."""
        current = self.papers.current_id
        if current is None:
            return
        self.papers.marks.symmetric_difference_update({current})
        self.papers.refresh_line(self.papers.cursor - int(self.papers.scroll_y))
        self.papers.action_cursor_down()
        self._update_status()

    @busy_safe
    def action_undo(self) -> None:
        """Undo the last change to read, star, tags or notes (survives restarts)."""
        self._replayed(paper_actions.replay(self.services.changes, undo=True))

    @busy_safe
    def action_redo(self) -> None:
        """Redo the change undone last."""
        self._replayed(paper_actions.replay(self.services.changes, undo=False))

    def _replayed(self, replayed: paper_actions.Replayed) -> None:
        """After undo or redo: the cursor goes to the paper changed (when the list shows it)."""
        self.services.searcher.invalidate()
        shown = [i for i in replayed.paper_ids if i in self.papers.ids]
        if shown:
            self.papers.move_to(self.papers.ids.index(shown[0]))
        self._after_change(replayed.message)

    # -- messages ------------------------------------------------------------------------------
    def on_import_finished(self, message: ImportFinished) -> None:
        """An import from the dialog ended: the library grew, refresh everything and say so.

        (The message then goes on up to the app, which indexes the new abstracts.)
        """
        new = sum(r.new for r in message.reports if r.ok)
        rejected = sum(1 for r in message.reports if not r.ok)
        summary = f"imported {new} new papers" + (
            f", {rejected} file(s) rejected" if rejected else ""
        )
        self.services.searcher.invalidate()
        self._data_version = self.library.data_version()
        self._after_change(summary, research=True)

    def on_unmount(self) -> None:
        """The screen goes (the app quits, from any screen): remember view, sort, query, cursor."""
        self.app.type_ahead.release(self)
        self.save_state()
