"""The reader app: ``make_app(library_path)`` serves the command line and the tests alike."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import work
from textual.app import SystemCommand
from textual.screen import Screen

from tuireader.changes import ChangeQueue
from tuireader.config import Config, load_config
from tuireader.library import Library, LibraryError
from tuireader.ranking import Ranker
from tuireader.search import Searcher
from tuireader.ui_state import UIStateStore, ViewState
from tuireader.widgets.stopping import CleanStopApp
from tuireader.widgets.textual_compat import CrashHooksApp, WireApp, keymap
from tuireader.widgets.type_ahead import TypeAheadApp

if TYPE_CHECKING:
    from tuireader.screens.help import HelpWanted
    from tuireader.screens.import_dialog import ImportFinished

#: How long a keypress waits for another process's write (an import) before saying "busy".
UI_BUSY_TIMEOUT = 3.0


class ReaderApp(TypeAheadApp[None], CleanStopApp[None], WireApp[None], CrashHooksApp[None]):
    """tuireader: triage research papers from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "tuireader"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        library: Library,
        *,
        state: UIStateStore | None = None,
        poll_interval: float = 2.0,
        index_in_background: bool = True,
        config: Config | None = None,
        config_problems: Sequence[str] = (),
        start_in_triage: bool = False,
    ) -> None:
        super().__init__()
        #: Open triage as soon as the list is up (``tuireader triage``).
        self.start_in_triage = start_in_triage
        self.config = config or Config()
        #: Today's date, for the statistics' weeks (tests fix it).
        self.today: Callable[[], dt.date] = dt.date.today
        #: Lines about a config file that could not be used whole (shown once the app is up).
        self.config_problems = list(config_problems)
        self.library = library
        self.state_store = state or UIStateStore()
        #: The "for you" and per-tag orders, and more like this (learned in the background;
        #: the corpus kept in the state folder between sessions).
        self.ranker = Ranker(library, cache_dir=self.state_store.path.parent / "ranking")
        #: Searches run on a connection of their own: a slow one (abstracts still unindexed
        #: after a big import) never holds the reader's, and a newer keystroke interrupts it.
        self.searcher = Searcher(_search_connection(library), ranking=self.ranker)
        #: Every change the user makes goes through here (queued while another process writes).
        self.changes = ChangeQueue(library, self.state_store.path.parent / "pending")
        self.poll_interval = poll_interval
        self.index_in_background = index_in_background
        self.initial_state: ViewState = self.state_store.view_state(library.path)
        theme = self.state_store.theme()
        if self.config.theme:
            if self.config.theme in self.available_themes:
                theme = self.config.theme
            else:
                known = ", ".join(sorted(self.available_themes))
                self.config_problems.append(
                    self.config.problem("theme", f"no theme named {self.config.theme!r} ({known})")
                )
        if theme and theme in self.available_themes:
            self.theme = theme
        self._apply_keymap()
        if os.environ.get("TERM", "") == "linux":
            # The Linux console's font lacks the eighth-block borders: draw ASCII ones.
            self.add_class("-ascii")

    def _apply_keymap(self) -> None:
        """Apply the config's [keys]; an id no binding has is reported, not applied."""
        if not self.config.keys:
            return  # (binding_ids imports every screen: not before the first paint)
        from tuireader.screens.keys import binding_ids

        known = binding_ids()
        keymap = {}
        for binding_id, keys in self.config.keys.items():
            if binding_id in known:
                keymap[binding_id] = keys
            else:
                self.config_problems.append(
                    self.config.problem(
                        binding_id,
                        "no key binding has this id (the help screen, ?, lists them)",
                        section="keys",
                    )
                )
        if keymap:
            self.set_keymap(keymap)

    def on_mount(self) -> None:
        """Open the main screen; index waiting abstracts in the background."""
        from tuireader.screens.main import MainScreen
        from tuireader.screens.services import Services

        self.changes.start()
        self.listen_for_stop_signals()
        services = Services(
            self.library, self.searcher, self.changes, self.state_store, self.poll_interval
        )
        main = MainScreen(self.initial_state, services)
        # The width class Textual gives a screen on its first resize, given now: the first
        # layout is the right one, not a narrow one styled and laid out again at once.
        main.add_class(*breakpoint_classes(self.HORIZONTAL_BREAKPOINTS, self.size.width))
        # Pushed once the app is up: a screen pushed while the app mounts is laid out and drawn
        # in full, and that frame is dropped (Textual shows nothing until the app is ready).
        self.call_later(self._open_main_screen, main)

    def _open_main_screen(self, main: Screen[None]) -> None:
        self.push_screen(main)
        if self.start_in_triage:
            main.call_after_refresh(main.run_action, "triage")
        self.call_after_refresh(self._start_background_work)
        for problem in self.config_problems:
            self.notify(problem, title="Config", severity="error", timeout=15, markup=False)

    def _start_background_work(self) -> None:
        """Warm the search, check the file, index waiting abstracts: after the first paint.

        First, what start-up made (modules, Textual's styles, the screen's widgets: ~65k objects,
        there for the whole session) is moved out of the garbage collector's sight
        (``gc.freeze``). Every frame makes thousands of short-lived objects (Textual's strips
        carry seven caches each), so collections run while keys are handled, and a full one
        walked all of those objects again: 30-80 ms pauses in a keystroke's frame. Not
        collected first (that is such a pause, just after the first paint): the few thousand
        objects start-up left as garbage stay (well under a megabyte); the app unfreezes
        everything when it ends (on_unmount). Then collection is on again (``tuireader``
        turns it off while the app starts, see cli.open_app), with young collections ~14 times
        rarer (GC_YOUNG_THRESHOLD): most of a frame's objects are gone by its end, and
        collecting them mid-frame cost 1-5 ms a key (in-process, 100k papers: 3.3-4.9 ms of
        collection a typed key at Python's 700, 1.6-2.2 at 10,000).
        """
        gc.freeze()
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(GC_YOUNG_THRESHOLD, *self._gc_threshold[1:])
        gc.enable()
        self.warm_search()
        self.check_library()

    @work(thread=True, exclusive=True, group="check")
    def check_library(self) -> None:
        """Check every page of the file (on a connection of its own); stop writing if damaged.

        At the lowest CPU priority: the check reads the whole file (0.65 s of a core at 100k
        papers, seconds at 1M) just as the user starts moving, and took the CPU from the keys
        (cursor p95 at 100k 41-43 ms with it, 25-29 ms without); and paused while a search
        runs (Library.verify's yield_to), so a search typed meanwhile has the file to itself.
        """
        if self.library.checked_here:  # (make_app checked every page just now)
            problem = None
        else:
            problem = at_low_priority(lambda: self.library.verify(yield_to=self.searcher.busy))
        if problem:
            self.call_from_thread(self._library_damaged)
        elif self.index_in_background and self.library.pending_abstracts():
            self.call_from_thread(self.index_abstracts)

    def _library_damaged(self) -> None:
        from tuireader.library.opening import damaged_message

        message = damaged_message(self.library.path, self.library.damaged or "")
        self.notify(message, title="damaged library", severity="error", timeout=30, markup=False)

    @work(thread=True, exclusive=True, group="warm")
    def warm_search(self) -> None:
        """Load the search vocabulary while the user looks at the first screen."""
        self.searcher.warm()

    async def action_quit(self) -> None:
        """Quit from anywhere (q, ctrl+q, the palette); the main screen remembers its place as
        it goes (MainScreen.on_unmount)."""
        self.changes.flush()
        self.exit()

    def on_unmount(self) -> None:
        """Keep changes that could not be written yet in the spool for the next reader; give
        the objects frozen after the first paint back to the garbage collector."""
        gc.unfreeze()
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)
        self.forget_stop_signals()
        self.changes.stop()
        if self.searcher.library is not self.library:
            self.searcher.interrupt()  # a search still running ends now; close waits for it
            self.searcher.library.close()

    #: Python's collection thresholds before the app raised the young one (restored at the end).
    _gc_threshold: tuple[int, ...] | None = None

    # -- an unexpected error: one line for the user, the traceback in a log file ----------------
    #: The one line to print after the app has exited on an unexpected error (None if none).
    crash_report: str | None = None

    def on_unexpected_error(self, error: Exception) -> None:
        """An unhandled exception: log it; Textual then ends the app (see textual_compat).

        (tests/shared/test_crash.py fails if Textual stops calling it.) The user's changes are
        safe: each one was committed (or spooled, see tuireader.changes) when it was made, and
        what was being typed is kept as a draft.
        """
        self.keep_what_is_typed()
        from tuireader.screens.guard import damage_found

        damage = damage_found(self.library, error)
        self.crash_report = damage or write_crash_log(error)

    def watch_theme(self, theme: str) -> None:
        """Remember the theme chosen (from the palette), unless the config file sets one."""
        if self.is_running and not self.config.theme:
            self.state_store.save_theme(theme)

    @work(thread=True, exclusive=True, group="index")
    def index_abstracts(self) -> None:
        """Index abstracts that imports left for later, on a connection of its own, at the
        lowest CPU priority (it runs for seconds to minutes while the user reads)."""
        if self.library.readonly or self.library.damaged:
            return  # abstracts are still searched, more slowly
        at_low_priority(self._index_abstracts)

    def _index_abstracts(self) -> None:
        try:
            with Library.open(self.library.path) as library:
                library.yield_to(self.searcher.busy)  # a search typed meanwhile goes first
                while library.index_abstracts(batch=2000):
                    pass
        except LibraryError:
            pass  # busy for long, or the disk is full: searched without the index meanwhile

    def on_import_finished(self, message: ImportFinished) -> None:
        """An import from the dialog ended (the main screen refreshed): index the new abstracts."""
        if self.index_in_background and self.library.pending_abstracts():
            self.index_abstracts()

    def on_help_wanted(self, message: HelpWanted) -> None:
        """A screen asked for the help: every screen's keys, with the config's keymap."""
        from tuireader.screens.help import HelpScreen
        from tuireader.screens.keys import binding_sections

        self.push_screen(HelpScreen(binding_sections()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the current screen in the command palette, then Textual's own."""
        from tuireader.screens.key_labels import key_label

        seen: set[str] = set()
        titles: set[str] = set()
        for binding in getattr(screen, "BINDINGS", []):
            action, description = binding.action, binding.description
            if not description or action in seen:
                continue
            seen.add(action)
            titles.add(description.casefold())
            keys = keymap(self).get(binding.id, binding.key) if binding.id else binding.key
            yield SystemCommand(
                description,
                f"{binding.tooltip or description} (key: {key_label(keys.split(',')[0])})",
                lambda action=action, screen=screen: self.call_later(screen.run_action, action),
            )
        for command in super().get_system_commands(screen):
            if command.title.casefold() not in titles:  # one "Quit", ours (it names its key)
                yield command


#: Allocations between two young garbage collections while the app runs (Python's: 700).
GC_YOUNG_THRESHOLD = 10_000
#: The nice value of background work (the file's check, indexing): the lowest priority.
BACKGROUND_NICE = 19
#: The name of the thread that runs it (see at_low_priority).
BACKGROUND_THREAD = "tuireader-background"
_T = TypeVar("_T")


def at_low_priority(function: Callable[[], _T]) -> _T:
    """``function()``, run in a thread of its own at the lowest CPU priority; its result.

    On Linux a thread has its own nice value, so the UI thread keeps the CPU whenever both
    want it. The thread is a new one and ends with the call: Textual's worker threads come
    from a pool, and a thread's priority cannot be raised back without privileges.
    Elsewhere ``function`` just runs in that thread.
    """

    def lowered() -> _T:
        if sys.platform.startswith("linux"):
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
        return function()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix=BACKGROUND_THREAD) as pool:
        return pool.submit(lowered).result()


def breakpoint_classes(breakpoints: Sequence[tuple[int, str]], width: int) -> list[str]:
    """The class of ``breakpoints`` (Textual's (width, class) pairs) a screen ``width`` wide has."""
    for start, name in sorted(breakpoints, reverse=True):
        if width >= start:
            return [name]
    return []


def _search_connection(library: Library) -> Library:
    """A read-only connection to ``library``'s file for searching (the library itself where
    a second one cannot be opened)."""
    try:
        return Library.open(library.path, readonly=True, create=False)
    except LibraryError:
        return library


def write_crash_log(error: BaseException) -> str:
    """Write ``error``'s traceback to a log file; return the one line that names it."""
    import datetime as dt
    import traceback

    from tuireader import paths
    from tuireader.textsafe import one_line

    summary = one_line(f"{type(error).__name__}: {error}")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f"crash-{stamp}-{os.getpid()}.log"
        log.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    except OSError as exc:
        return (
            f"the reader stopped on an unexpected error ({summary}); the log could not be"
            f" written ({exc.strerror}); your changes were saved"
        )
    return (
        f"the reader stopped on an unexpected error ({summary}); the full traceback is in"
        f" {one_line(str(log))}; your changes were saved"
    )


def make_app(
    library_path: str | Path,
    *,
    state_path: Path | None = None,
    poll_interval: float = 2.0,
    index_in_background: bool = True,
    busy_timeout: float = UI_BUSY_TIMEOUT,
    config_path: Path | None = None,
    start_in_triage: bool = False,
) -> ReaderApp:
    """Open the library at ``library_path`` and build the app on it, with the config file's
    settings (``config_path``, else the config folder's; problems are shown, never fatal).

    Raises :class:`tuireader.library.LibraryError` when the file cannot be used.
    """
    config, problems = load_config(config_path)
    library = Library.open(library_path, busy_timeout=busy_timeout)
    try:
        # Before any screen or side file: a file not known sound is checked first (once: then
        # it is known so, see tuireader.library.health); a damaged one is refused.
        library.ensure_sound()
    except LibraryError:
        library.close()
        raise
    return ReaderApp(
        library,
        state=UIStateStore(state_path) if state_path else None,
        poll_interval=poll_interval,
        index_in_background=index_in_background,
        config=config,
        config_problems=problems,
        start_in_triage=start_in_triage,
    )
