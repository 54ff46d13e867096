"""The main screen: search line, paper list, abstract pane, status line and footer."""

from __future__ import annotations

import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from tuireader.library import LibraryError
from tuireader.models import counted
from tuireader.screens.guard import busy_safe
from tuireader.screens.main_actions import DialogActions, view_label
from tuireader.search import QueryError, SearchResult, view_clauses
from tuireader.widgets.abstract_pane import AbstractPane
from tuireader.widgets.paper_list import PaperList
from tuireader.widgets.search_line import SearchLine

WELCOME = """\
[b]Your library is empty.[/b]

Import a saved listing page (a "dump"): Hugging Face Daily Papers,
an author page or a search result page, saved as a text file.

  • here: press [b]i[/b] and type the file's path
  • in a shell: [b]tuireader import FILE...[/b]
  • or try the demo library: [b]tuireader demo[/b]

Press [b]?[/b] for every key."""


#: Rows painted before the order of the whole library is loaded (more than any screen holds).
FIRST_SCREEN_ROWS = 300
#: A search that took less than this runs in the UI thread next time (see run_search).
INLINE_SEARCH_SECONDS = 0.03


class MainScreen(DialogActions, Screen[None]):
    """Search, list, abstract: where triage happens."""

    BINDINGS = [
        Binding(
            "slash", "focus_search", "Search", tooltip="Search: every keystroke refilters the list"
        ),
        Binding(
            "escape",
            "clear",
            "Clear search / marks",
            show=False,
            tooltip="Leave the search line / clear marks / clear the search",
        ),
        Binding(
            "space",
            "mark",
            "Mark",
            tooltip="Mark or unmark the paper and move down (r, s, t, y act on all marked)",
        ),
        Binding("r", "toggle_read", "Read", tooltip="Toggle read (on all marked papers, if any)"),
        Binding(
            "s", "toggle_star", "Star", tooltip="Toggle starred (on all marked papers, if any)"
        ),
        Binding("t", "edit_tags", "Tags", tooltip="Edit tags (of all marked papers, if any)"),
        Binding(
            "n", "edit_note", "Note", show=False, tooltip="Edit the note on the paper (multi-line)"
        ),
        Binding("u", "undo", "Undo", tooltip="Undo the last change to read, star, tags or notes"),
        Binding("ctrl+r", "redo", "Redo", show=False, tooltip="Redo what was undone"),
        Binding(
            "v",
            "pick_view",
            "View",
            tooltip="Views: all, unread, starred, a tag, saved searches, last import",
        ),
        Binding(
            "o",
            "cycle_sort",
            "Sort",
            show=False,
            tooltip="Sort by date, upvotes, comments, title, recently added",
        ),
        Binding(
            "S",
            "save_search",
            "Save search",
            show=False,
            tooltip="Save the current search under a name",
        ),
        Binding(
            "i",
            "import_dumps",
            "Import",
            show=False,
            tooltip="Import dump files (with progress and a summary)",
        ),
        Binding(
            "y",
            "copy",
            "Copy",
            show=False,
            tooltip="Copy title, BibTeX or Markdown (OSC 52, works over ssh)",
        ),
        Binding(
            "w",
            "open_web",
            "Web search",
            show=False,
            tooltip="Open its arXiv page, else search the web for the title (or show the URL)",
        ),
        Binding(
            "f5,ctrl+l",
            "refresh",
            "Refresh",
            show=False,
            tooltip="Reload from the library file (imports made elsewhere)",
        ),
        Binding("question_mark", "help", "Help", tooltip="This help"),
        Binding("q", "quit", "Quit", tooltip="Quit (view, sort, search and cursor are remembered)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        state = self.app.initial_state
        self.query_text = state.query
        self.view = state.view
        try:
            view_clauses(self.view)
        except QueryError:
            self.view = "all"  # a state file from elsewhere, or a view that no longer exists
        self.sort = state.sort
        self._restore_paper = state.cursor_paper
        self._counts: dict[str, int] = {}
        self._shown = 0
        self._message = ""
        self._data_version = 0
        self._last_search_seconds = 0.0

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Search line, body (list + abstract, or the welcome), status line, footer."""
        yield SearchLine(
            value=self.query_text,
            on_change=self._query_typed,
            placeholder='/ search: words, "a phrase", tag: author: org: year: is: has:, -negate',
            id="search",
        )
        yield Static("", id="query-error", markup=False)
        with Container(id="body"):
            yield PaperList(self.app.library.rows, on_highlight=self.show_paper, id="papers")
            yield AbstractPane(id="abstract")
            yield Static(WELCOME, id="welcome")
        yield Static("", id="status", markup=False)
        yield Footer(compact=True)

    @property
    def library(self):
        """The app's library."""
        return self.app.library

    @property
    def papers(self) -> PaperList:
        """The paper list widget."""
        return self.query_one("#papers", PaperList)

    def on_mount(self) -> None:
        """Load counts, run the first search, start watching the file for other writers."""
        self._data_version = self.library.data_version()
        self._refresh_counts()
        self.papers.focus()
        if not self.query_text.strip() and self.view == "all":
            # Nothing to search: paint the first screenful straight from the index, and let a
            # worker load the order of the whole library (480 ms at 1M papers) behind it.
            first = self.library.first_ids(self.sort, FIRST_SCREEN_ROWS)
            self._show_result(SearchResult(first, self.query_text), None)
            self._shown = self._counts["papers"]
            self._update_status()
        # After the first paint: a worker thread would share the interpreter with the painting.
        self.call_after_refresh(
            self._search_worker, self.query_text, self.view, self.sort, self._restore_paper
        )
        self.set_interval(self.app.poll_interval, self._poll_library)

    # -- searching -----------------------------------------------------------------------------
    def run_search(self, keep: int | None = None) -> None:
        """Search again with the current query, view and sort; keep paper ``keep`` under the cursor.

        While searches are quick (the last took under INLINE_SEARCH_SECONDS) the search runs
        right here, so the list is redrawn in the same frame as the typed letter; a slower
        one goes to a worker thread, so typing never waits for it.
        """
        if self._last_search_seconds < INLINE_SEARCH_SECONDS and not self.workers:
            self._search(self.query_text, self.view, self.sort, keep, thread=False)
        else:
            self._search_worker(self.query_text, self.view, self.sort, keep)

    def _search(self, query: str, view: str, sort: str, keep: int | None, thread: bool) -> None:
        started = time.perf_counter()
        try:
            result = self.app.searcher.search(query, extra=view_clauses(view), sort=sort)
        except (QueryError, LibraryError) as exc:
            self._deliver(thread, self._show_query_error, str(exc))
            return
        finally:
            self._last_search_seconds = time.perf_counter() - started
        if not (thread and get_current_worker().is_cancelled):
            self._deliver(thread, self._show_result, result, keep)

    def _deliver(self, thread: bool, callback, *args) -> None:
        if thread:
            self.app.call_from_thread(callback, *args)
        else:
            callback(*args)

    @work(thread=True, exclusive=True, group="search")
    def _search_worker(self, query: str, view: str, sort: str, keep: int | None) -> None:
        self._search(query, view, sort, keep, thread=True)

    def _show_query_error(self, message: str) -> None:
        error = self.query_one("#query-error", Static)
        error.update(message)
        error.display = True

    def _show_result(self, result: SearchResult, keep: int | None) -> None:
        if result.query != self.query_text:
            return  # a newer keystroke is on its way
        error = self.query_one("#query-error", Static)
        if error.display:
            error.display = False  # (a layout: only when it really goes away)
        self._shown = len(result.ids)
        self.papers.set_ids(result.ids, result.highlights, keep=keep)
        self._update_status()

    def _query_typed(self, value: str) -> None:
        if value == self.query_text:
            return  # the restored query, set on mount: its search is already running
        self.query_text = value
        self.run_search()

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self.papers.focus()
        self.papers.move_to(0)

    # -- the paper under the cursor ------------------------------------------------------------
    def show_paper(self, paper_id: int | None) -> None:
        """Show the paper under the cursor in the abstract pane."""
        paper = self.library.get_paper(paper_id) if paper_id is not None else None
        self.query_one(AbstractPane).show(paper)

    @on(PaperList.Selected)
    @busy_safe
    def _paper_selected(self, event: PaperList.Selected) -> None:
        from tuireader.screens.reading import ReadingScreen

        if self.library.set_read([event.paper_id], True):
            self._after_change("read 1 paper")
        self.app.push_screen(ReadingScreen(event.paper_id, self.papers.ids), self._reading_closed)

    def _reading_closed(self, last_paper: int | None = None) -> None:
        """Back from the reading view: the cursor follows the paper read last."""
        if last_paper is not None and last_paper in self.papers.ids:
            self.papers.move_to(self.papers.ids.index(last_paper))
        self._after_change()

    def target_ids(self) -> list[int]:
        """The papers an action applies to: the marked ones, else the one under the cursor."""
        marks = self.papers.marks
        if marks:
            # Every marked paper, also those the current search hides: shown ones first.
            shown = [i for i in self.papers.ids if i in marks]
            return shown + sorted(marks.difference(shown))
        current = self.papers.current_id
        return [] if current is None else [current]

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
        ids = self.target_ids()
        if not ids:
            return
        turn_on = not all(getattr(row, flag) for row in self.library.rows(ids))
        if flag == "read":
            changed = self.library.set_read(ids, turn_on)
            verb = "read" if turn_on else "unread"
        else:
            changed = self.library.set_starred(ids, turn_on)
            verb = "starred" if turn_on else "unstarred"
        self._after_change(f"{verb} {_papers(changed)}")

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
        """Show every key."""
        from tuireader.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_refresh(self) -> None:
        """Reload from the library file (picks up imports made elsewhere)."""
        self.app.searcher.invalidate()
        self._after_change("refreshed", research=True)

    async def action_quit(self) -> None:
        """Remember where we were and leave."""
        await self.app.action_quit()

    def save_state(self) -> None:
        """Write view, sort, query and cursor to the state file."""
        from tuireader.ui_state import ViewState

        self.app.state_store.save_view_state(
            self.library.path,
            ViewState(self.view, self.sort, self.query_text, self.papers.current_id),
        )

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
        summary = self.library.undo()
        self._after_change(f"undid: {summary}" if summary else "nothing to undo")

    @busy_safe
    def action_redo(self) -> None:
        """Redo the change undone last."""
        summary = self.library.redo()
        self._after_change(f"redid: {summary}" if summary else "nothing to redo")

    # -- keeping the screen current ------------------------------------------------------------
    def _after_change(self, message: str | None = None, *, research: bool = False) -> None:
        """Redraw rows, the abstract and the counts after the library changed."""
        self._refresh_counts()
        self.papers.reload_rows()
        current = self.papers.current_id
        self.query_one(AbstractPane).show(
            self.library.get_paper(current) if current is not None else None
        )
        if research:
            self.run_search(keep=current)
        self._update_status(message)

    def _poll_library(self) -> None:
        version = self.library.data_version()
        if version != self._data_version:
            self._data_version = version
            self.app.searcher.invalidate()
            self._after_change(research=True)

    def _refresh_counts(self) -> None:
        self._counts = self.library.counts()
        empty = self._counts["papers"] == 0
        for selector, shown in (("#welcome", empty), ("#papers", not empty), ("#abstract", not empty)):
            widget = self.query_one(selector)
            if widget.display != shown:
                widget.display = shown  # (a layout: only when the library empties or fills)

    def _update_status(self, message: str | None = None) -> None:
        if message is not None:
            self._message = message
        counts = self._counts
        parts = [
            f"{self._shown} of {counts.get('papers', 0)} papers",
            f"{counts.get('unread', 0)} unread",
            f"view: {view_label(self.view)}",
            f"sort: {self.sort}",
        ]
        if self.papers.marks:
            parts.append(f"{len(self.papers.marks)} marked")
        line = " · ".join(parts)
        if self._message:
            line += f"  │ {self._message}"
        self.query_one("#status", Static).update(line, layout=False)  # one line, always


def _papers(n: int) -> str:
    return counted(n, "paper")
