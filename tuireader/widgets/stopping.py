"""Stopping without losing a keystroke: a dropped link, a logout, a kill, an error.

When an ssh link drops (or its tmux session is killed) the reader gets SIGHUP; a logout or a
shutdown sends SIGTERM; ``kill -INT`` sends SIGINT (ctrl+c is a key in the reader: the terminal
is in raw mode). Python's default for the first two ends the process at once: the terminal
stayed in the alternate screen with mouse reporting on, and a note being typed was gone. The
reader now handles all three the way it quits: what is being typed is kept as a draft
(tuireader.drafts), changes still waiting for another process's write are already in their
spool (and get one more try), the place in the library is remembered, Textual puts the terminal
back (main screen, mouse and bracketed paste off, cursor shown), and the process exits with
128 + the signal's number. An unexpected error keeps the draft too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from typing import TYPE_CHECKING, Generic, TypeVar

from rich.console import RenderableType
from textual.app import App

from tuireader.drafts import Draft

if TYPE_CHECKING:
    from tuireader.changes import ChangeQueue

#: The signals that stop the reader cleanly.
STOP_SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)
#: Seconds a stop on a signal may take to put the terminal back before the process just ends.
STOP_DEADLINE = 2.0

ReturnType = TypeVar("ReturnType")


class CleanStopApp(App[ReturnType], Generic[ReturnType]):
    """An App that keeps drafts and stops cleanly on SIGHUP, SIGTERM and SIGINT.

    Needs ``self.changes`` (a ChangeQueue: its spool folder holds the draft). Screens that edit
    text offer what is typed through a ``draft()`` method (a Draft or None).
    """

    if TYPE_CHECKING:
        changes: ChangeQueue

    #: The signal that stopped the app (None if it was not stopped by one).
    stopped_by: int | None = None
    _deadline: threading.Timer | None = None
    _draft_problem_shown = False

    def keep_draft(self, draft: Draft | None) -> None:
        """Keep ``draft`` (what is being typed) on disk; None: there is none any more.

        A folder that cannot be written (a full disk) says so once; the text stays on screen.
        """
        try:
            self.changes.drafts.save(draft)
        except OSError as exc:
            if not self._draft_problem_shown:
                self._draft_problem_shown = True
                self.notify(
                    f"what you type cannot be kept as a draft ({exc.strerror or exc}); it is"
                    " safe once saved",
                    severity="warning",
                    timeout=8,
                    markup=False,
                )

    def keep_what_is_typed(self) -> None:
        """Keep the draft of the top-most screen that has one (the editor being typed in)."""
        for screen in reversed(self.screen_stack):
            draft = getattr(screen, "draft", None)
            if callable(draft):
                with contextlib.suppress(Exception):  # (stopping: nothing may stop the stop)
                    self.keep_draft(draft())
                return

    def listen_for_stop_signals(self) -> None:
        """Handle SIGHUP, SIGTERM and SIGINT in the event loop (a real terminal only: tests
        running the app headless keep their own handlers)."""
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for number in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self.stop_on_signal, number)

    def stop_on_signal(self, number: int) -> None:
        """Keep the draft and the place in the library, try the pending changes once more, and
        exit as on quit (the terminal put back), with 128 + ``number``.

        Putting the terminal back writes to it, and a terminal that is gone (the link dropped:
        its writes fail) or stalled (they block) must not keep the process alive: whatever is
        worth keeping is on disk before the exit starts, and if the exit has not finished
        within STOP_DEADLINE seconds the process ends there (SQLite keeps every committed
        change; the lock files' locks go with the process).
        """
        self.stopped_by = number
        self.keep_what_is_typed()
        for screen in self.screen_stack:
            save_state = getattr(screen, "save_state", None)
            if callable(save_state):
                with contextlib.suppress(Exception):
                    save_state()
        with contextlib.suppress(Exception):
            self.changes.flush()  # (never waits; what stays pending is in the spool already)
        if not self.is_headless:  # (a test's app shares its process with the tests)
            self._deadline = threading.Timer(STOP_DEADLINE, os._exit, args=(128 + number,))
            self._deadline.daemon = True
            self._deadline.start()
        self.exit(return_code=128 + number)

    def stopped_in_time(self) -> None:
        """The app has ended (called once ``run`` returns): the stop's deadline is off."""
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def panic(self, *renderables: RenderableType) -> None:
        """Textual ends the app on an error of its own (its input thread failing when the
        terminal goes): keep the draft first."""
        self.keep_what_is_typed()
        super().panic(*renderables)

    def forget_stop_signals(self) -> None:
        """Give the signals back to Python's defaults' handlers (the app has ended)."""
        with contextlib.suppress(RuntimeError):
            loop = asyncio.get_running_loop()
            for number in STOP_SIGNALS:
                with contextlib.suppress(ValueError):
                    loop.remove_signal_handler(number)
