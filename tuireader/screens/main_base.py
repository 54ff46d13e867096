"""The main screen's core: search line, paper list, abstract pane, status line, and keeping them
current. :class:`tuireader.screens.main.MainScreen` adds the key actions on top
(``main_actions.DialogActions`` the ones that open dialogs).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Container
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from tuireader.library import Library, LibraryError, SearchInterrupted
from tuireader.models import View, ViewKind, counted
from tuireader.ranking.keys import FOR_YOU, is_ranking_sort, ranking_label
from tuireader.screens.services import Services
from tuireader.search import QueryError, SearchResult, view_clauses
from tuireader.search.pending import Pending
from tuireader.textsafe import one_line
from tuireader.ui_state import ViewState
from tuireader.widgets.abstract_pane import AbstractPane
from tuireader.widgets.key_footer import KeyFooter
from tuireader.widgets.paper_list import PaperList
from tuireader.widgets.reader_app import ReaderAppMixin
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


class MainScreenBase(ReaderAppMixin, Screen[None]):
    """The main screen without its key actions: searching, the list, the status line."""

    def __init__(self, state: ViewState, services: Services) -> None:
        """``state``: where the reader was in this library last time (view, sort, query, cursor);
        ``services``: the library, searcher, change queue and state store to work with."""
        super().__init__()
        self.services = services
        self.query_text = one_line(state.query)  # (as the search line will hold it)
        self.view: View = state.view
        self.sort = state.sort
        self._restore_paper = state.cursor_paper
        self._counts: dict[str, int] = {}
        self._shown = 0
        self._message = ""
        self._shown_query = ""
        self._message_timer: Timer | None = None
        self._data_version = 0
        #: The library's content version the screen shows (see Library.content_version).
        self._content_version: int | None = None
        self._last_search_seconds = 0.0
        #: Searches started, and the one whose result (or error) was shown last: keys typed
        #: meanwhile wait (the type-ahead hold), but for letters typed into the search line.
        self._searches_started = 0
        self._opened = False
        #: The list, kept to read its cursor when the screen goes (its children are gone then).
        self._paper_list: PaperList | None = None

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
            self._paper_list = PaperList(
                self.services.changes.rows, on_highlight=self.show_paper, id="papers"
            )
            yield self._paper_list
            yield AbstractPane(id="abstract")
            yield Static(WELCOME, id="welcome")
        yield StatusLine(self.library.path, id="status")
        yield KeyFooter()

    @property
    def library(self) -> Library:
        """The library shown."""
        return self.services.library

    @property
    def papers(self) -> PaperList:
        """The paper list widget."""
        return self.query_one("#papers", PaperList)

    def on_mount(self) -> None:
        """Load counts, run the first search, start watching the file for other writers."""
        self._data_version = self.library.data_version()
        self._content_version = self.library.content_version()
        self._refresh_counts()
        # Focused now, not by a callback after the first paint: a focus change restyles the
        # list and lays the screen out again.
        self.set_focus(self.papers)
        if not self.query_text.strip() and self.view.kind is ViewKind.ALL:
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
            self._search_started(),
            self.services.changes.pending_state(),
        )
        self.set_interval(self.services.poll_interval, self._poll_library)
        self.set_interval(FLUSH_INTERVAL, self._flush_changes)
        if self.services.changes.pending:
            self._update_status(f"{counted(self.services.changes.adopted, 'change')} left by an earlier"
                                " session will be written")

    # -- searching -----------------------------------------------------------------------------
    def run_search(self, keep: int | None = None) -> None:
        """Search again with the current query, view and sort; keep paper ``keep`` under the cursor.

        While searches are quick (the last took under INLINE_SEARCH_SECONDS) the search runs
        right here, so the list is redrawn in the same frame as the typed letter; a slower
        one goes to a worker thread, so typing never waits for it.
        """
        kept = _Keep(keep, self.papers.current_id)
        searcher = self.services.searcher
        quick = self._last_search_seconds < INLINE_SEARCH_SECONDS
        number = self._search_started()
        pending = self.services.changes.pending_state()
        if quick and not self.workers and not searcher.may_be_slow():
            self._search(self.query_text, self.view, self.sort, kept, number, pending, thread=False)
            return
        if any(w.group == "search" and not w.is_finished for w in self.workers):
            # Only the newest query matters: stop the one running (its SQL statement ends at
            # once), and the exclusive worker below replaces it.
            searcher.interrupt()
        self._search_worker(self.query_text, self.view, self.sort, kept, number, pending)

    def _search_started(self) -> int:
        """Count a search that starts; keys typed from now wait for its result (see
        tuireader.widgets.type_ahead), but for what only edits the search line."""
        self._searches_started += 1
        self.app.type_ahead.hold(self, lets_through=self._edits_search_line)
        return self._searches_started

    def _edits_search_line(self, key: events.Key, focused: Widget | None) -> bool:
        return isinstance(focused, SearchLine) and focused.screen is self and focused.edits(key)

    def _search_done(self, number: int) -> None:
        """The result (or error) of search ``number`` is on screen: if it was the newest one
        started, the keys typed meanwhile go on."""
        if number == self._searches_started:
            if not self._opened:
                self._opened = True
                self.on_first_result()  # (before the keys typed meanwhile go on)
            self.app.type_ahead.release(self)

    def on_first_result(self) -> None:
        """Called once, when the first search's result is on screen (subclasses act)."""

    def _search(
        self,
        query: str,
        view: View,
        sort: str,
        keep: _Keep,
        number: int,
        pending: Pending,
        thread: bool,
    ) -> None:
        started = time.perf_counter()
        try:
            result = self._run_query(query, view, sort, pending, thread)
        except (QueryError, LibraryError) as exc:
            self._deliver(thread, self._show_query_error, str(exc), number)
            return
        finally:
            self._last_search_seconds = time.perf_counter() - started
        if thread and get_current_worker().is_cancelled:
            return  # a newer search replaced this one (and holds the keys until it is shown)
        if result is None:
            self._deliver(thread, self._search_done, number)  # interrupted again and again
        else:
            self._deliver(thread, self._show_search_result, result, keep, number)

    def _run_query(
        self, query: str, view: View, sort: str, pending: Pending, thread: bool
    ) -> SearchResult | None:
        """The search's result; None when a newer search replaced it (interrupted)."""
        stopped: Callable[[], bool] | None = None
        if thread:
            worker = get_current_worker()

            def stopped() -> bool:
                return worker.is_cancelled  # a newer keystroke's search replaced this one

        extra = view_clauses(view.to_text())
        for _ in range(STALE_RETRIES):
            try:
                return self.services.searcher.search(
                    query, extra=extra, sort=sort, stopped=stopped, pending=pending
                )
            except SearchInterrupted:
                if thread and get_current_worker().is_cancelled:
                    return None  # a newer keystroke's search replaces this one
                # Interrupted while the stale search was still stopping: this is the newest.
        return None

    def _deliver(self, thread: bool, callback: Callable[..., None], *args: Any) -> None:
        if thread:
            self.app.call_from_thread(callback, *args)
        else:
            callback(*args)

    @work(thread=True, exclusive=True, group="search")
    def _search_worker(
        self, query: str, view: View, sort: str, keep: _Keep, number: int, pending: Pending
    ) -> None:
        self._search(query, view, sort, keep, number, pending, thread=True)

    def _show_search_result(self, result: SearchResult, keep: _Keep, number: int) -> None:
        self._show_result(result, keep)
        self._search_done(number)

    def _show_query_error(self, message: str, number: int) -> None:
        self._search_done(number)
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
        self.papers.empty_text = no_match_text(result.query, self.view.label())
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
        self.query_one(AbstractPane).show(self.services.changes.paper(paper_id), self.papers.pattern)

    def sort_text(self) -> str:
        """How the status line names the sort."""
        return sort_label(self.sort)

    def view_label(self) -> str:
        """How the status line names the view shown."""
        return self.view.label()

    def target_ids(self) -> list[int]:
        """The papers an action applies to: the marked ones, else the one under the cursor."""
        marks = self.papers.marks
        if marks:
            # Every marked paper, also those the current search hides: shown ones first.
            shown = [i for i in self.papers.ids if i in marks]
            return shown + sorted(marks.difference(shown))
        current = self.papers.current_id
        return [] if current is None else [current]

    def save_state(self) -> None:
        """Write view, sort, query and cursor to the state file."""
        if self._paper_list is None:
            return  # never shown: nothing moved since the state was read
        self.services.state_store.save_view_state(
            self.library.path,
            ViewState(self.view, self.sort, self.query_text, self._paper_list.current_id),
        )

    # -- keeping the screen current ------------------------------------------------------------
    def _after_change(self, message: str | None = None, *, research: bool = False) -> None:
        """Redraw rows, the abstract and the counts after the library changed."""
        self._refresh_counts()
        self.papers.reload_rows()
        current = self.papers.current_id
        self.show_paper(current)
        if research:
            self.run_search(keep=current)
        self._update_status(message)

    def _flush_changes(self) -> None:
        """Write the changes that waited for another process's import, once it is done."""
        changes = self.services.changes
        if not changes.pending:
            return
        refused_before = changes.refused
        if changes.flush():
            self._after_change("pending changes written" if not changes.pending else None)
        elif changes.refused and changes.refused != refused_before:  # (said once, not each tick)
            self.app.notify(changes.refused, severity="warning", timeout=5, markup=False)
            self._update_status(None)

    def _poll_library(self) -> None:
        version = self.library.data_version()
        if version == self._data_version:
            return
        self._data_version = version
        content = self.library.content_version()
        if content is not None and content == self._content_version:
            return  # only abstracts were indexed (here or by another process): nothing shown changes
        self._content_version = content
        self.services.searcher.invalidate()
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
            f"view: {self.view_label()}",
            f"sort: {self.sort_text()}",
        ]
        if self.papers.marks:
            parts.append(f"{len(self.papers.marks)} marked")
        line = " · ".join(parts)
        pending = self.services.changes.status()
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


#: How the status line names each sort, in its usual direction and reversed.
_SORT_LABELS = {
    "date": ("date", "date, oldest first"),
    "upvotes": ("upvotes", "upvotes, fewest first"),
    "comments": ("comments", "comments, fewest first"),
    "title": ("title", "title, Z to A"),
    "added": ("added", "added, first added first"),
    "foryou": ("for you", "for you, least first"),
}


def sort_label(sort: str) -> str:
    """How the status line names a sort ("date", "date, oldest first", "like #rl"…)."""
    if is_ranking_sort(sort) and sort.removeprefix("-") != FOR_YOU:
        return ranking_label(sort)
    usual, reversed_ = _SORT_LABELS.get(sort.removeprefix("-"), (sort, sort))
    return reversed_ if sort.startswith("-") else usual
