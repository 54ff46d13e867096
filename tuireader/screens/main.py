"""The main screen: search line, paper list, abstract pane, status line and footer."""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Container
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from tuireader.library import LibraryError, SearchInterrupted
from tuireader.models import counted
from tuireader.screens import paper_actions
from tuireader.screens.guard import busy_safe
from tuireader.screens.main_actions import DialogActions, sort_label, view_label
from tuireader.screens.main_bindings import MAIN_BINDINGS
from tuireader.search import QueryError, SearchResult, view_clauses
from tuireader.textsafe import one_line
from tuireader.widgets.abstract_pane import AbstractPane
from tuireader.widgets.key_footer import KeyFooter
from tuireader.widgets.paper_list import PaperList
from tuireader.widgets.search_line import SearchLine
from tuireader.widgets.status_line import StatusLine

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
#: How many times the newest search starts again when the interrupt meant for a stale one hit it.
STALE_RETRIES = 3
#: How often changes queued while the library was busy are tried again (seconds).
FLUSH_INTERVAL = 0.25
#: How long a message stays in the status line.
MESSAGE_SECONDS = 8.0


class MainScreen(DialogActions, Screen[None]):
    """Search, list, abstract: where triage happens."""

    BINDINGS = MAIN_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        state = self.app.initial_state
        self.query_text = one_line(state.query)  # (as the search line will hold it)
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
        self._shown_query = ""
        self._message_timer: Timer | None = None
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
            yield PaperList(self.app.changes.rows, on_highlight=self.show_paper, id="papers")
            yield AbstractPane(id="abstract")
            yield Static(WELCOME, id="welcome")
        yield StatusLine(self.app.library.path, id="status")
        yield KeyFooter()

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
            self._search_worker,
            self.query_text,
            self.view,
            self.sort,
            _Keep(self._restore_paper, self.papers.current_id),
        )
        self.set_interval(self.app.poll_interval, self._poll_library)
        self.set_interval(FLUSH_INTERVAL, self._flush_changes)
        if self.app.changes.pending:
            self._update_status(f"{counted(self.app.changes.adopted, 'change')} left by an earlier"
                                " session will be written")

    # -- searching -----------------------------------------------------------------------------
    def run_search(self, keep: int | None = None) -> None:
        """Search again with the current query, view and sort; keep paper ``keep`` under the cursor.

        While searches are quick (the last took under INLINE_SEARCH_SECONDS) the search runs
        right here, so the list is redrawn in the same frame as the typed letter; a slower
        one goes to a worker thread, so typing never waits for it.
        """
        kept = _Keep(keep, self.papers.current_id)
        quick = self._last_search_seconds < INLINE_SEARCH_SECONDS
        if quick and not self.workers and not self.app.searcher.may_be_slow():
            self._search(self.query_text, self.view, self.sort, kept, thread=False)
            return
        if any(w.group == "search" and not w.is_finished for w in self.workers):
            # Only the newest query matters: stop the one running (its SQL statement ends at
            # once), and the exclusive worker below replaces it.
            self.app.searcher.interrupt()
        self._search_worker(self.query_text, self.view, self.sort, kept)

    def _search(self, query: str, view: str, sort: str, keep: _Keep, thread: bool) -> None:
        started = time.perf_counter()
        try:
            result = self._run_query(query, view, sort, thread)
        except (QueryError, LibraryError) as exc:
            self._deliver(thread, self._show_query_error, str(exc))
            return
        finally:
            self._last_search_seconds = time.perf_counter() - started
        if result is not None and not (thread and get_current_worker().is_cancelled):
            self._deliver(thread, self._show_result, result, keep)

    def _run_query(self, query: str, view: str, sort: str, thread: bool) -> SearchResult | None:
        """The search's result; None when a newer search replaced it (interrupted)."""
        stopped = None
        if thread:
            worker = get_current_worker()

            def stopped() -> bool:
                return worker.is_cancelled  # a newer keystroke's search replaced this one

        for _ in range(STALE_RETRIES):
            try:
                return self.app.searcher.search(
                    query, extra=view_clauses(view), sort=sort, stopped=stopped
                )
            except SearchInterrupted:
                if thread and get_current_worker().is_cancelled:
                    return None  # a newer keystroke's search replaces this one
                # Interrupted while the stale search was still stopping: this is the newest.
        return None

    def _deliver(self, thread: bool, callback, *args) -> None:
        if thread:
            self.app.call_from_thread(callback, *args)
        else:
            callback(*args)

    @work(thread=True, exclusive=True, group="search")
    def _search_worker(self, query: str, view: str, sort: str, keep: _Keep) -> None:
        self._search(query, view, sort, keep, thread=True)

    def _show_query_error(self, message: str) -> None:
        error = self.query_one("#query-error", Static)
        shown = self._shown_query.strip()
        still = f"the list still shows {shown!r}" if shown else "the list still shows every paper"
        error.update(one_line(f"{message} — {still}"))
        error.display = True

    def _show_result(self, result: SearchResult, keep: _Keep | None) -> None:
        if result.query != self.query_text:
            return  # a newer keystroke is on its way
        error = self.query_one("#query-error", Static)
        if error.display:
            error.display = False  # (a layout: only when it really goes away)
        self._shown = len(result.ids)
        self._shown_query = result.query
        self.papers.empty_text = no_match_text(result.query, view_label(self.view))
        self.papers.set_ids(
            result.ids, result.highlights, keep=keep.now(self.papers.current_id) if keep else None
        )
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
        self.query_one(AbstractPane).show(self.app.changes.paper(paper_id), self.papers.pattern)

    @on(PaperList.Selected)
    @busy_safe
    def _paper_selected(self, event: PaperList.Selected) -> None:
        from tuireader.screens.reading import ReadingScreen

        if self.app.changes.set_read([event.paper_id], True):
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
        message = paper_actions.toggle(self.app.changes, self.target_ids(), flag)
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
        self._replayed(paper_actions.replay(self.app.changes, undo=True))

    @busy_safe
    def action_redo(self) -> None:
        """Redo the change undone last."""
        self._replayed(paper_actions.replay(self.app.changes, undo=False))

    def _replayed(self, replayed: paper_actions.Replayed) -> None:
        """After undo or redo: the cursor goes to the paper changed (when the list shows it)."""
        self.app.searcher.invalidate()
        shown = [i for i in replayed.paper_ids if i in self.papers.ids]
        if shown:
            self.papers.move_to(self.papers.ids.index(shown[0]))
        self._after_change(replayed.message)

    # -- keeping the screen current ------------------------------------------------------------
    def _after_change(self, message: str | None = None, *, research: bool = False) -> None:
        """Redraw rows, the abstract and the counts after the library changed."""
        self._refresh_counts()
        self.papers.reload_rows()
        current = self.papers.current_id
        self.query_one(AbstractPane).show(self.app.changes.paper(current), self.papers.pattern)
        if research:
            self.run_search(keep=current)
        self._update_status(message)

    def _flush_changes(self) -> None:
        """Write the changes that waited for another process's import, once it is done."""
        changes = self.app.changes
        if changes.pending and changes.flush():
            self._after_change("pending changes written" if not changes.pending else None)

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
            if self._message_timer is not None:
                self._message_timer.stop()
            # A message says what just happened: it goes away once read.
            self._message_timer = self.set_timer(MESSAGE_SECONDS, self._expire_message)
        counts = self._counts
        parts = [
            f"{self._shown} of {counts.get('papers', 0)} papers",
            f"{counts.get('unread', 0)} unread",
            f"view: {view_label(self.view)}",
            f"sort: {sort_label(self.sort)}",
        ]
        if self.papers.marks:
            parts.append(f"{len(self.papers.marks)} marked")
        line = " · ".join(parts)
        pending = self.app.changes.status()
        if pending:
            line += f"  │ {pending}"
        elif self._message:
            line += f"  │ {self._message}"
        # One line, always; a tag, a saved search or an undone change may hold anything.
        self.query_one("#status", StatusLine).show(one_line(line))

    def _expire_message(self) -> None:
        self._message_timer = None
        self._update_status("")


@dataclass(frozen=True, slots=True)
class _Keep:
    """Which paper a search's result keeps under the cursor, decided when it is shown.

    ``paper``: the one asked for (the paper under the cursor, or the one remembered from the
    last session). ``cursor``: the paper under the cursor when the search started. Moved since
    (``g`` pressed while a refresh ran), the cursor stays where the user put it.
    """

    paper: int | None
    cursor: int | None

    def now(self, current: int | None) -> int | None:
        """The paper to keep, given the paper under the cursor now."""
        return self.paper if current == self.cursor else current


def no_match_text(query: str, view: str) -> str:
    """What the empty list says: no paper matches the search (in this view), or the view is empty."""
    where = "" if view == "all" else f" in {view}"
    if query.strip():
        return f"No papers match {query.strip()!r}{where}. Esc clears the search."
    return f"No papers{where}. Press v for another view."
