"""Main-screen actions that open dialogs: notes, views, sort, saved searches, import, copy, web.

They live here to keep ``main.py`` small; :class:`MainScreen` declares their key bindings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from tuireader.models import SORTS, counted
from tuireader.screens.guard import busy_safe, shielded

if TYPE_CHECKING:
    from tuireader.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object


class DialogActions(_Base):
    """Actions of the main screen that go through a dialog."""

    @busy_safe
    def action_edit_note(self) -> None:
        """Edit the note of the paper under the cursor."""
        from tuireader.screens.dialogs import NoteEditor

        current = self.papers.current_id
        paper = self.library.get_paper(current) if current is not None else None
        if paper is None:
            return

        def save(text: str | None) -> None:
            if text is not None and self.library.set_note(paper.id, text):
                self.app.searcher.invalidate()
                self._after_change("note saved" if text.strip() else "note removed")

        self.app.push_screen(NoteEditor(paper.title, paper.notes or ""), shielded(self.app, save))

    def action_pick_view(self) -> None:
        """Choose a view: all, unread, starred, a tag, a saved search, the last import."""
        from tuireader.screens.views import ViewChoice, ViewPicker

        def chosen(choice: ViewChoice | None) -> None:
            if choice is not None:
                self.set_view(choice.view, choice.query)

        self.app.push_screen(ViewPicker(self.view), chosen)

    def set_view(self, view: str, query: str | None = None) -> None:
        """Show ``view`` (and, for a saved search, run its query)."""
        self.view = view
        search = self.query_one("#search", Input)
        if query is not None and query != search.value:
            search.value = query  # Input.Changed runs the search
        else:
            self.run_search(keep=self.papers.current_id)
        self._update_status(
            f"showing {view_label(view)}" if query is None else f"saved search: {query}"
        )

    def action_cycle_sort(self) -> None:
        """Sort by date, upvotes, title, recently added, in turn."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.run_search(keep=self.papers.current_id)
        self._update_status(f"sorted by {self.sort}")

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

        def done(view: str | None) -> None:
            if view is not None:
                self.set_view(view)

        self.app.push_screen(ImportDialog(), done)

    def imports_finished(self, message: str) -> None:
        """The library grew: refresh everything and say so."""
        self.app.searcher.invalidate()
        self._data_version = self.library.data_version()
        self._after_change(message, research=True)

    def action_copy(self) -> None:
        """Copy titles, BibTeX, CSL-JSON or Markdown (of all marked papers) via OSC 52."""
        from tuireader.screens.dialogs import CopyMenu, copy_label, copy_text

        ids = self.target_ids()
        if not ids:
            return

        def copy(kind: str | None) -> None:
            if kind is None:
                return
            self.app.copy_to_clipboard(copy_text(self.library.get_papers(ids), kind))
            what = copy_label(kind)
            count = counted(len(ids), "paper")
            message = f"copied {what} of {count} to the clipboard"
            self.notify(message, timeout=3)
            self._update_status(message)

        self.app.push_screen(CopyMenu(len(ids)), copy)

    def action_open_web(self) -> None:
        """Search the web for the paper's title (or show the URL where no browser can open)."""
        from tuireader.screens.dialogs import UrlDialog
        from tuireader.web import open_in_browser, search_url

        current = self.papers.current_id
        paper = self.library.get_paper(current) if current is not None else None
        if paper is None:
            return
        url = search_url(paper.title)
        problem = open_in_browser(url)
        if problem:
            self.app.push_screen(UrlDialog(url, problem))
        else:
            self._update_status("opened a web search in the browser")


def view_label(view: str) -> str:
    """How the status line names a view."""
    if view.startswith("tag:"):
        return "#" + view[4:]
    if view.startswith("import:"):
        imports = view[7:]
        return f"new in import{'s' if ',' in imports else ''} {imports.replace(',', ', ')}"
    return view
