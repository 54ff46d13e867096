"""Main-screen actions that open dialogs: notes, views, sort, saved searches, import, copy, web.

They live here to keep ``main.py`` small; :class:`MainScreen` declares their key bindings.
"""

from __future__ import annotations

from textual.widgets import Input

from tuireader.models import SORTS, View
from tuireader.ranking.keys import FOR_YOU
from tuireader.screens import paper_actions
from tuireader.screens.guard import busy_safe, shielded
from tuireader.screens.main_base import MainScreenBase, sort_label


class DialogActions(MainScreenBase):
    """Actions of the main screen that go through a dialog."""

    @busy_safe
    def action_edit_note(self) -> None:
        """Edit the note of the paper under the cursor."""
        current = self.papers.current_id
        if current is not None:
            paper_actions.edit_note(self, current, self._after_change)

    def action_pick_view(self) -> None:
        """Choose a view: all, unread, starred, a tag, a saved search, the last import."""
        from tuireader.screens.views import ViewChoice, ViewPicker

        def chosen(choice: ViewChoice | None) -> None:
            if choice is not None:
                if choice.sort is not None:
                    self.sort = choice.sort
                self.set_view(choice.view, choice.query)

        self.app.push_screen(ViewPicker(self.view), chosen)

    def set_view(self, view: View, query: str | None = None) -> None:
        """Show ``view`` (and, for a saved search, run its query)."""
        self.view = view
        search = self.query_one("#search", Input)
        if query is not None and query != search.value:
            search.value = query  # Input.Changed runs the search
        else:
            self.run_search(keep=self.papers.current_id)
        if query is not None:
            # A saved search lands in the search line, as if typed: Enter then goes to the list
            # (and opens nothing the user has not looked at), more words refine it.
            search.focus()
            search.cursor_position = len(search.value)
        self._update_status(
            f"showing {view.label()}" if query is None else f"saved search: {query}"
        )

    def action_cycle_sort(self) -> None:
        """Sort by date, upvotes, comments, title, recently added, for you, in turn (each in its
        usual direction)."""
        base = self.sort.removeprefix("-")
        at = SORTS.index(base) if base in SORTS else SORTS.index(FOR_YOU)  # (after like:TAG)
        self.sort = SORTS[(at + 1) % len(SORTS)]
        self.run_search(keep=self.papers.current_id)
        self._update_status(f"sorted by {sort_label(self.sort)}")

    def action_reverse_sort(self) -> None:
        """Reverse the current order: oldest first, fewest upvotes first, Z to A, added first."""
        base = self.sort.removeprefix("-")
        self.sort = base if self.sort.startswith("-") else f"-{base}"
        self.run_search(keep=self.papers.current_id)
        self._update_status(f"sorted by {sort_label(self.sort)}")

    def action_stats(self) -> None:
        """Statistics: papers read per week, tags, imports over time, the unread backlog."""
        from tuireader.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    @busy_safe
    def action_save_search(self) -> None:
        """Save the current query under a name (pick it later with v)."""
        from tuireader.screens.dialogs import NamePrompt

        query = self.query_text.strip()
        if not query:
            self._update_status("type a search first, then save it")
            return

        def save(name: str | None) -> None:
            if name:
                self.library.save_search(name, query)
                self._update_status(f"saved search {name!r}")

        self.app.push_screen(NamePrompt(f"Save the search {query!r} as:"), shielded(self.app, save))

    def action_import_dumps(self) -> None:
        """Import dump files without leaving the app."""
        from tuireader.screens.import_dialog import ImportDialog

        def done(view: View | None) -> None:
            if view is not None:
                self.set_view(view)

        self.app.push_screen(ImportDialog(report_to=self), done)

    def action_copy(self) -> None:
        """Copy titles, BibTeX, CSL-JSON or Markdown (of all marked papers) via OSC 52."""
        paper_actions.copy_papers(self, self.target_ids(), self._update_status)

    def action_open_web(self) -> None:
        """Open the paper's arXiv page, else search the web for its title (or show the URL)."""
        current = self.papers.current_id
        if current is not None:
            paper_actions.open_web(self, current, self._update_status)
