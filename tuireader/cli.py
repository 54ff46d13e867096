"""The ``tuireader`` command: import, export, merge, backup, search, stats, demo, path; no command opens the app."""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tuireader import __version__, paths
from tuireader.cli_support import (
    ENVIRONMENT,
    SEARCH_LANGUAGE,
    autocomplete,
    closed_pipe,
    protect_query_words,
    start_debug_log,
    stop_debug_log,
)
from tuireader.config import config_file
from tuireader.export import FORMATS as EXPORT_FORMATS
from tuireader.library import Library, LibraryDamaged, LibraryError
from tuireader.library.opening import damaged_message, sqlite_errors
from tuireader.ranking import Ranker
from tuireader.search import QueryError
from tuireader.sync_cli import add_commands as add_sync_commands
from tuireader.textsafe import one_line

if TYPE_CHECKING:
    from tuireader.app import ReaderApp

SAMPLE_DUMP = "sample_daily_papers.txt"
log = logging.getLogger("tuireader.cli")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``tuireader`` command."""
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="tuireader",
        description="A keyboard-driven terminal reader for research-paper listing dumps.",
        epilog="With no command, opens the reader on the library.\n\n" + ENVIRONMENT,
        formatter_class=raw,
    )
    parser.add_argument("--version", action="version", version=f"tuireader {__version__}")
    parser.add_argument(
        "--library",
        metavar="PATH",
        help="library file (default: $TUIREADER_LIBRARY, else the user data folder)",
    )
    parser.add_argument(
        "--debug", action="store_true", help="write a debug log (tuireader.log in the log folder)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, summary: str, epilog: str = ENVIRONMENT) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, help=summary, description=summary, epilog=epilog, formatter_class=raw
        )

    imp = command("import", "import dump files (saved listing pages) into the library")
    imp.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="a dump file (.txt), or - to read a pasted page from stdin",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="report what would change, write nothing"
    )
    imp.add_argument(
        "--year",
        type=_capture_year,
        metavar="YEAR",
        help="capture year for dates printed without a year (re-dates a dump imported before)",
    )

    names = ", ".join(EXPORT_FORMATS)
    formats = "".join(
        f"  {f.name:<10} {f.label:<13} {' '.join(f.extensions)}\n" for f in EXPORT_FORMATS.values()
    )
    exp = command(
        "export",
        f"write papers as {names}",
        "formats and file extensions (-o FILE picks the format by its extension):\n"
        f"{formats}\n{SEARCH_LANGUAGE}\n{ENVIRONMENT}",
    )
    exp.add_argument(
        "--format",
        "-f",
        choices=list(EXPORT_FORMATS),
        metavar="FORMAT",
        help=f"one of {names} (default: from -o's extension, else json)",
    )
    exp.add_argument(
        "--query", "-q", default="", metavar="QUERY", help="only papers matching this search"
    )
    exp.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    search = command("search", "search the library", f"{SEARCH_LANGUAGE}\n{ENVIRONMENT}")
    search.add_argument(
        "query", nargs="+", metavar="QUERY", help="words of the query (a leading - negates)"
    )
    search.add_argument(
        "--limit", type=int, default=20, metavar="N", help="how many results (default 20)"
    )
    search.add_argument("--json", action="store_true", help="print JSON records")

    similar = command(
        "similar",
        "the papers most like a paper's title, or like some words (TF-IDF cosine)",
        "QUERY is a paper's title (then: the papers most like that paper) or any words.\n\n"
        + ENVIRONMENT,
    )
    similar.add_argument("query", nargs="+", metavar="QUERY", help="a paper's title, or words")
    similar.add_argument(
        "--limit", type=int, default=20, metavar="N", help="how many results (default 20)"
    )
    similar.add_argument("--json", action="store_true", help="print JSON records")
    command(
        "triage",
        "open the reader in triage mode: the unread papers of the last import, best first",
        "One key a paper: s star, d dismiss (read), t tag, l later, Enter open, u undo, Esc\n"
        'back to the list. With 10 starred papers or more, the best first is "for you": a model\n'
        "of what you starred and tagged.\n\n" + ENVIRONMENT,
    )
    command("stats", "counts of papers, unread, starred, tags, imports")
    demo = command("demo", "open the reader on a demo library of sample papers")
    demo.add_argument("--no-open", action="store_true", help="build the demo library, do not open")
    where = command("path", "print the library location (or the config file's)")
    where.add_argument("--config", action="store_true", help="print the config file's location")
    config = command("config", "check the config file, or write a commented one")
    config.add_argument(
        "--init", action="store_true", help="write the commented default (never over a file)"
    )
    meta = command(
        "datasette-metadata",
        "print Datasette metadata for the library (titles, facets, search)",
        "Abstracts still waiting are indexed first. Use:\n"
        "  tuireader datasette-metadata > metadata.json\n"
        f'  datasette "$(tuireader path)" -m metadata.json\n\n{ENVIRONMENT}',
    )
    meta.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    completion = command(
        "completion",
        "print the shell completion script for bash, zsh or fish",
        "Load it from your shell's start-up file:\n"
        '  bash  eval "$(tuireader completion bash)"     in ~/.bashrc\n'
        '  zsh   eval "$(tuireader completion zsh)"      in ~/.zshrc\n'
        "  fish  tuireader completion fish | source     in ~/.config/fish/config.fish\n",
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), metavar="SHELL")
    add_sync_commands(command)
    return parser


def _capture_year(text: str) -> int:
    """``--year``: a whole number within 1990..next year."""
    from tuireader.importer import year_problem

    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year") from None
    problem = year_problem(year)
    if problem:
        raise argparse.ArgumentTypeError(problem.removeprefix("--year "))
    return year


def build_demo_library(path: Path | None = None) -> Path:
    """Make (or refresh) the demo library from the sample dump the package ships."""
    from tuireader.importer import import_file

    path = path or paths.demo_library()
    sample = resources.files("tuireader") / "sample" / SAMPLE_DUMP
    with resources.as_file(sample) as sample_path, Library.open(path) as library:
        report = import_file(sample_path, library)
        if not report.ok:
            raise LibraryError(f"the sample dump could not be imported: {report.reason}")
        while library.index_abstracts():
            pass
    return path


def open_app(path: Path, *, triage: bool = False, err: TextIO | None = None) -> int:
    """Open the reader on the library at ``path`` (imports Textual only now); ``triage``: in
    triage mode, its "for you" model learned first when there are stars enough."""
    # A frame every 8 ms instead of 16: the list filtered by a keystroke lands one frame after
    # the letter's echo, and that frame comes sooner. (Textual reads this when it is imported.)
    os.environ.setdefault("TEXTUAL_FPS", "120")
    # No garbage collection while the app starts (Textual's modules and styles, the screen:
    # ~65k objects that stay; a full collection among them took 20-50 ms of the first paint);
    # the app freezes them and turns collection back on once its first frame is drawn.
    gc.disable()
    try:
        from tuireader.app import make_app

        app = make_app(path, start_in_triage=triage)
        if triage:
            _learn_before_triage(app.ranker, err or sys.stderr)
        app.run()
        app.stopped_in_time()
    finally:
        gc.enable()
    app.changes.stop()  # (again: the spool must be on disk even if unmount never ran)
    if app.stopped_by is not None:
        return _stopped_by_signal(app)
    if app.crash_report:
        print(f"tuireader: error: {app.crash_report}", file=sys.stderr)
        return 1
    if app.changes.pending and app.changes.unsaved:
        listed = "; ".join(change.describe() for change in app.changes.pending)
        print(
            one_line(
                f"tuireader: {len(app.changes.pending)} change(s) could not be written nor saved"
                f" for later ({app.changes.unsaved}); make them again when there is room: {listed}"
            ),
            file=sys.stderr,
        )
    elif app.changes.pending:
        count = len(app.changes.pending)
        print(
            f"tuireader: {count} change(s) could not be written yet (another process is writing"
            " the library); they are saved and will be written the next time the reader opens",
            file=sys.stderr,
        )
    return 0


def _stopped_by_signal(app: ReaderApp) -> int:
    """The reader stopped on a signal: say what was kept (the terminal may be gone: a
    dropped link), and exit with 128 + the signal's number, as a shell reports it."""
    import signal as signals

    number = app.stopped_by or 0
    kept = ["your changes were saved"]
    if app.changes.drafts.path.exists():
        kept.append("what you were typing is kept and offered back next time")
    with contextlib.suppress(OSError, ValueError):
        print(
            f"tuireader: stopped by {signals.Signals(number).name}; {'; '.join(kept)}",
            file=sys.stderr,
        )
    return 128 + number


def _learn_before_triage(ranker: Ranker, err: TextIO) -> None:
    """Fit the "for you" model before triage opens (it orders the papers, best first)."""
    from tuireader.ranking import MIN_STARRED_FOR_YOU

    starred = ranker.library.counts()["starred"]
    if starred < MIN_STARRED_FOR_YOU:
        return
    print(f"tuireader: learning from your {starred} starred papers…", file=err)
    ranker.refresh()


#: The commands that add papers: the only ones that may create a library file.
ADDING_COMMANDS = ("import", "merge")


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code (0 ok, 1 some input rejected, 2 error).

    A closed output pipe (``| head``) ends the command quietly, as it ends ``cat``.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    autocomplete(parser)
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(protect_query_words(argv))
    if args.command == "export" and not isinstance(args.query, str):
        args.query = "--"  # argparse swallows the "--" of --query=-- and leaves a list
    log_path = start_debug_log(argv) if args.debug else None
    try:
        code = _run(args, out, err)
        out.flush()
    except BrokenPipeError:
        return closed_pipe(out)
    except BaseException:
        log.exception("tuireader stopped on an unexpected error")
        raise
    finally:
        if log_path:
            log.info("done")
            stop_debug_log()
            print(f"tuireader: debug log in {log_path}", file=err)
    return code


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the parsed command (one-line errors for what the user can fix)."""
    log.debug("command %s", args)
    try:
        return _dispatch(args, out, err)
    except (LibraryError, QueryError) as exc:
        log.debug("one-line error", exc_info=True)
        print(f"tuireader: error: {one_line(exc)}", file=err)
        return 2
    except KeyboardInterrupt:
        print("tuireader: interrupted; the file being imported was left as it was", file=err)
        return 130


def _no_file_to_import(files: Sequence[str], err: TextIO) -> bool:
    """Not one of ``files`` can be read (a symlink loop, a dangling link, a path through a
    file, a name too long, no such file): each said in one line, and True."""
    from tuireader.pathcheck import path_problem

    problems = [
        None if name == "-" else path_problem(name, must_exist=True, utf8=False) for name in files
    ]
    if not all(problems):
        return False
    for name, problem in zip(files, problems, strict=True):
        print(one_line(f"tuireader: {name}: rejected: {problem}; nothing was changed"), file=err)
    return True


def _dispatch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the parsed command; SQLite's own errors come out as LibraryError (see _run)."""
    if args.command == "demo":
        if args.library:  # the demo never writes into a library it did not make
            print("tuireader: the demo uses a library of its own; --library is ignored", file=err)
        with sqlite_errors(args.library or "?"):
            demo = build_demo_library()
        if args.no_open:
            print(one_line(demo), file=out)
            return 0
        return open_app(demo)
    # The commands' module is imported here, not with this one: opening the reader needs none
    # of it, and every module imported before the first paint delays it.
    from tuireader.cli_commands import COMMANDS, cmd_config

    if args.command == "config":
        return cmd_config(args, out, err)
    path = paths.resolve_library(args.library)
    if args.command == "path":
        print(one_line(config_file() if args.config else path), file=out)
        return 0
    if args.command == "completion":
        from tuireader.cli_support import completion_script

        out.write(completion_script(args.shell))
        return 0
    if args.command is None:
        return open_app(path)  # make_app refuses an unusable library before any screen
    if args.command == "triage":
        return open_app(path, triage=True, err=err)
    if args.command == "import" and _no_file_to_import(args.files, err):
        return 1  # (no library opened, none made)
    with sqlite_errors(path):
        if args.command in ADDING_COMMANDS and args.dry_run and not path.exists():
            # A dry run writes nothing, not even a new library: count against an empty scratch one.
            with (
                tempfile.TemporaryDirectory(prefix="tuireader-dry-run-") as scratch,
                Library.open(Path(scratch) / "library.db") as library,
            ):
                return COMMANDS[args.command](library, args, out, err)
        # Only commands that add papers may create a library; they check every page first.
        # Every other command trusts the file only once it is known sound (library.health):
        # the same file a check found sound, else after a check; one found damaged is refused
        # at once. Only restore opens a damaged file: to replace what is in it.
        adds_papers = args.command in ADDING_COMMANDS
        restoring = args.command == "restore"
        with Library.open(path, create=adds_papers, allow_damaged=restoring) as library:
            if adds_papers and not args.dry_run and library.verify():
                raise LibraryDamaged(damaged_message(path, library.damaged or ""))
            if not restoring:
                library.ensure_sound()
            return COMMANDS[args.command](library, args, out, err)
