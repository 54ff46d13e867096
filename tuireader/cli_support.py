"""What the ``tuireader`` command needs around its commands (no Textual, no SQL).

Help texts (the search language, the environment), query words that start with "-", the
export format a file name asks for, progress bars (Rich, on a terminal only), a closed
output pipe, shell completion and the ``--debug`` log.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tuireader import paths
from tuireader.textsafe import one_line

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

SEARCH_LANGUAGE = """\
search language:
  diffusion budget       every word must match (title, authors, organisation, notes or
                         abstract); a finished word also finds -s/-es/-ed/-ing; typos in
                         titles and names are forgiven
  "test-time compute"    a phrase
  tag:to-read            author:"sheng cao"     org:meta
  year:2024              year:2023..2025        year:..2022
  is:unread  is:read  is:starred  is:unstarred  has:code  has:notes  has:tags
  -word  -tag:x          a leading "-" negates any term (type it as it is:
                         tuireader search budget -is:read)
"""

ENVIRONMENT = """\
environment:
  TUIREADER_LIBRARY      the library file (--library wins over it)
  TUIREADER_HOME         one folder for all of tuireader's data, state and logs
  TUIREADER_SEARCH_URL   the web search the reader's w key opens; {query} is the title
  BROWSER                the browser to open it with (honoured without a display, too)
  NO_COLOR               no colours in the reader
"""

_DEBUG_HANDLERS: list[logging.Handler] = []
#: Global options that take a value (the command comes after them).
_GLOBAL_WITH_VALUE = ("--library",)
#: Options of ``search`` that take a value.
_SEARCH_WITH_VALUE = ("--limit",)


def _takes_value(token: str, options: Sequence[str]) -> bool:
    """``token`` is one of ``options`` (or an abbreviation argparse accepts) without "=value"."""
    return "=" not in token and len(token) > 2 and any(o.startswith(token) for o in options)


def protect_query_words(argv: Sequence[str]) -> list[str]:
    """Arguments rewritten so query words that start with "-" reach the query as typed.

    ``search budget -is:read --limit 5`` becomes ``search --limit 5 -- budget -is:read``;
    ``export -q -is:read`` becomes ``export --query=-is:read``. Words starting with "--" are
    left as options (a mistyped option is an error, not a query).
    """
    argv = list(argv)
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "--":
        i += 2 if _takes_value(argv[i], _GLOBAL_WITH_VALUE) else 1
    if i >= len(argv):
        return argv
    head, command, rest = argv[:i], argv[i], argv[i + 1 :]
    if command == "search":
        options: list[str] = []
        words: list[str] = []
        tokens = iter(rest)
        for token in tokens:
            if token == "--":
                words.extend(tokens)
            elif token in ("-h", "--help") or token.startswith("--"):
                options.append(token)
                if _takes_value(token, _SEARCH_WITH_VALUE):
                    options.append(next(tokens, ""))
            else:
                words.append(token)
        return [*head, command, *options, *(["--", *words] if words else [])]
    if command == "export":
        out: list[str] = []
        tokens = iter(rest)
        for token in tokens:
            if token in ("-q", "--query") or _takes_value(token, ("--query",)):
                value = next(tokens, None)
                out.append(token if value is None else f"--query={value}")
            else:
                out.append(token)
        return [*head, command, *out]
    return argv


def closed_pipe(out: TextIO) -> int:
    """The reader of our output went away (``| head -1``): end quietly, as ``cat`` does.

    For the process's own stdout that means dying of SIGPIPE (status 141 in the shell), with
    nothing written to stderr; for any other stream, the same status returned.
    """
    if out is not sys.stdout or not hasattr(signal, "SIGPIPE"):
        return 128 + 13
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing left to flush at exit
    except (OSError, ValueError):
        pass
    logging.shutdown()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGPIPE)
    return 128 + 13  # (not reached where SIGPIPE kills)


class Progress:
    """A Rich progress bar (count, rate, time left) on a terminal; silent anywhere else.

    Called with (done, total); shown only for totals of at least ``threshold``.
    """

    def __init__(self, label: str, stream: TextIO, threshold: int = 2000) -> None:
        self.label = one_line(label)  # a file name: never raw on the terminal
        self.stream = stream
        self.threshold = threshold
        self.active = stream.isatty()
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None
        self._noted: str | None = None

    def _start(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import (
            Progress as RichProgress,
        )

        console = Console(file=self.stream, force_terminal=True)
        bar = self._bar = RichProgress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        bar.start()
        self._task = bar.add_task(self.label, total=total, rate="")

    @property
    def _task_id(self) -> TaskID:
        """The bar's one task (there once the bar is)."""
        assert self._task is not None
        return self._task

    def __call__(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` (papers written so far)."""
        if not self.active or total < self.threshold:
            return
        if self._bar is None:
            self._start(total)
        elif self._noted is not None:
            self._bar.update(self._task_id, description=self.label, total=total)
            self._noted = None
        bar = self._bar
        assert bar is not None
        bar.update(self._task_id, completed=done)
        speed = bar.tasks[0].speed
        bar.update(self._task_id, rate=f"{speed:,.0f} papers/s" if speed else "")

    def note(self, message: str) -> None:
        """Say what is happening before there is anything to count (reading a big file)."""
        if not self.active:
            return
        if self._bar is None:
            self._start(None)
        self._noted = message
        assert self._bar is not None
        self._bar.update(self._task_id, description=f"{self.label}: {message}")

    def close(self) -> None:
        """Take the bar off the screen."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def start_debug_log(argv: Sequence[str]) -> Path:
    """Log everything at DEBUG level to a file in the log folder; return its path.

    The file is kept under 1 MB (two older ones are kept beside it).
    """
    from tuireader import __version__

    folder = paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tuireader.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=2, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("tuireader")
    stop_debug_log()
    _DEBUG_HANDLERS.append(handler)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.info(
        "tuireader %s, Python %s on %s; arguments: %r",
        __version__,
        sys.version.split()[0],
        sys.platform,
        list(argv),
    )
    return path


def stop_debug_log() -> None:
    """Close the debug log (the file handlers :func:`start_debug_log` added)."""
    logger = logging.getLogger("tuireader")
    while _DEBUG_HANDLERS:
        handler = _DEBUG_HANDLERS.pop()
        logger.removeHandler(handler)
        handler.close()


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer a shell's completion request (argcomplete sets _ARGCOMPLETE), then exit."""
    if "_ARGCOMPLETE" in os.environ:
        import argcomplete

        argcomplete.autocomplete(parser)


def completion_script(shell: str) -> str:
    """The completion script for ``shell`` (bash, zsh or fish), made by argcomplete."""
    import argcomplete

    return argcomplete.shellcode(["tuireader"], shell=shell)
