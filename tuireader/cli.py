"""The ``tuireader`` command: import, export, search, stats, demo, path; no command opens the app."""

from __future__ import annotations

import argparse
import io
import logging
import os
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from tuireader import __version__, paths
from tuireader.cli_support import (
    ENVIRONMENT,
    SEARCH_LANGUAGE,
    Progress,
    autocomplete,
    closed_pipe,
    protect_query_words,
    start_debug_log,
    stop_debug_log,
)
from tuireader.config import config_file, load_config, write_default
from tuireader.export import FORMATS as EXPORT_FORMATS
from tuireader.library import Library, LibraryDamaged, LibraryError
from tuireader.library.opening import damaged_message
from tuireader.search import QueryError, Searcher
from tuireader.textsafe import one_line

if TYPE_CHECKING:
    from tuireader.importer import ImportReport

#: Show a progress bar for dumps with at least this many papers.
PROGRESS_THRESHOLD = 2000
#: Say "reading…" first for dumps this big (parsing them takes seconds before any writing).
BIG_DUMP_BYTES = 20_000_000
SAMPLE_DUMP = "sample_daily_papers.txt"
log = logging.getLogger("tuireader.cli")
_CHUNK_CHARS = 1 << 16


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
        "files", nargs="+", metavar="FILE", help="a dump file (.txt), or - to read a pasted page from stdin"
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


def _stdin_bytes(err: TextIO) -> BinaryIO:
    """Standard input as a binary stream (a pasted dump; read in bounded chunks by the importer)."""
    from tuireader.importer import MAX_PASTE_BYTES

    stdin = sys.stdin
    if stdin.isatty():
        print("Paste the page, then press ctrl-D on a line of its own.", file=err)
    source = getattr(stdin, "buffer", None)
    if source is not None:
        return source
    return io.BytesIO(stdin.read(MAX_PASTE_BYTES + 1).encode("utf-8", "surrogateescape"))


def _import_one(
    name: str, library: Library, args: argparse.Namespace, err: TextIO, batch: str
) -> ImportReport:
    """Import one file named on the command line ("-": standard input); its report."""
    # (the reader itself never needs the importer: start-up)
    from tuireader.importer import import_file, import_stream, paste_name

    options = dict(year=args.year, dry_run=args.dry_run, batch=batch)
    if name == "-":
        label = paste_name("stdin")
        progress = Progress(one_line(label), err, PROGRESS_THRESHOLD)
        report = import_stream(_stdin_bytes(err), label, library, progress=progress, **options)
    else:
        progress = Progress(one_line(Path(name).name), err, PROGRESS_THRESHOLD)
        try:
            size = Path(name).stat().st_size
        except OSError:
            size = 0
        if size >= BIG_DUMP_BYTES:
            progress.note(f"reading and checking {size / 1e6:.0f} MB…")
        report = import_file(name, library, progress=progress, **options)
    progress.close()
    return report


def _cmd_import(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import contextlib

    from tuireader.importer import new_batch

    if args.files.count("-") > 1:
        print("tuireader: error: standard input (-) can be read only once", file=err)
        return 2
    batch = new_batch()  # every file of this command is one "last import"
    failed = 0
    # A dry run writes every file in one transaction rolled back at the end, so each file's
    # counts see the files before it, exactly as the real import does.
    with library.dry_run_batch() if args.dry_run else contextlib.nullcontext():
        for name in args.files:
            report = _import_one(name, library, args, err, batch)
            if report.ok:
                print(report.summary(), file=out)
                for warning in report.warnings:
                    print(f"  warning: {one_line(warning)}", file=out)
            else:
                failed += 1
                print(f"tuireader: {report.summary()}", file=err)
    return 1 if failed else 0


def _ensure_abstracts_indexed(library: Library, err: TextIO) -> None:
    """Index abstracts still waiting (imports leave them for later) before a search."""
    if library.readonly or library.damaged:
        return  # searched all the same, more slowly (see Library.find)
    pending = library.pending_abstracts()
    progress = Progress("indexing abstracts", err, PROGRESS_THRESHOLD)
    total = pending
    while pending:
        pending = library.index_abstracts()
        progress(total - pending, total)
    progress.close()


def _cmd_search(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _ensure_abstracts_indexed(library, err)
    result = Searcher(library).search(" ".join(args.query))
    papers = library.get_papers(result.ids[: max(args.limit, 0)])
    if args.json:
        from tuireader.export import json_text, paper_record

        print(json_text([paper_record(p) for p in papers], indent=2), file=out)
        return 0
    config, _ = load_config()
    blank = " " * config.date_width
    for paper in papers:
        marks = ("*" if paper.starred else " ") + (" " if paper.read else "•")
        date = config.format_date(paper.published) or blank
        who = f"  — {paper.who}" if paper.who else ""
        print(one_line(f"{marks} {date}  {paper.title}{who}"), file=out)
    shown = min(len(result.ids), max(args.limit, 0))
    print(f"{shown} of {len(result.ids)} matching papers", file=err)
    return 0


def _cmd_export(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from tuireader.export import export
    from tuireader.export_file import ExportTargetError, check_export_target, write_export

    if args.output:
        try:  # before any work: never spend a minute exporting only to refuse the target
            check_export_target(Path(args.output), library.path)
        except ExportTargetError as exc:
            print(f"tuireader: error: {exc}", file=err)
            return 2
    fmt = _export_format(args.format, args.output, err)
    if fmt is None:
        return 2
    args.format = fmt
    if args.query:
        _ensure_abstracts_indexed(library, err)
    ids = Searcher(library).search(args.query).ids
    text = export(library.get_papers(ids), args.format)
    if args.output:
        try:
            write_export(text, args.output, library.path)
        except ExportTargetError as exc:
            print(f"tuireader: error: {exc}", file=err)
            return 2
        except OSError as exc:
            reason = exc.strerror or exc
            print(one_line(f"tuireader: error: cannot write {args.output}: {reason}"), file=err)
            return 2
        print(one_line(f"wrote {len(ids)} papers to {args.output}"), file=err)
    else:
        for start in range(0, len(text), _CHUNK_CHARS):  # (a closed pipe shows at the next write)
            out.write(text[start : start + _CHUNK_CHARS])
    return 0


def _export_format(fmt: str | None, output: str | None, err: TextIO) -> str | None:
    """The format to write: --format, else the one -o's extension names; None after an error.

    A file name whose extension belongs to another format than --format is refused, so
    ``-o refs.bib`` never holds JSON.
    """
    from tuireader.export import FORMATS, format_for_path

    named = format_for_path(output) if output else None
    if fmt is None:
        if output and named is None:
            print(
                f"tuireader: error: cannot tell the format from the name {output!r}: give"
                f" --format ({', '.join(FORMATS)})",
                file=err,
            )
            return None
        return named.name if named else "json"
    if named and not output.lower().endswith(FORMATS[fmt].extensions):
        print(
            f"tuireader: error: {output!r} is named like {named.label} ({named.extension}) but"
            f" --format is {fmt}: rename the file (e.g. {FORMATS[fmt].extension}) or change"
            " --format",
            file=err,
        )
        return None
    return fmt


def _cmd_stats(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    counts = library.counts()
    keys = ("papers", "unread", "starred", "tagged", "with_notes", "imports")
    width = max(len(key) for key in keys) + 1
    print(f"{'library':<{width}} {one_line(library.path)}", file=out)
    for key in keys:
        print(f"{key.replace('_', ' '):<{width}} {counts[key]}", file=out)
    tags = library.tags()
    if tags:
        listed = ", ".join(f"{name} ({n})" for name, n in tags[:20])
        print(f"{'tags':<{width}} {one_line(listed)}", file=out)
    return 0


def _cmd_config(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the commented default config (--init), or check the config file."""
    path = config_file()
    if args.init:
        if not write_default(path):
            print(f"tuireader: {path} exists; left as it is", file=err)
            return 1
        print(f"wrote {path}", file=out)
        return 0
    if not path.exists():
        print(f"no config file at {path} (tuireader config --init writes one)", file=out)
        return 0
    _, problems = load_config(path)
    for problem in problems:
        print(f"tuireader: {problem}", file=err)
    if not problems:
        print(f"{path}: ok", file=out)
    return 1 if problems else 0


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


def open_app(path: Path) -> int:
    """Open the reader on the library at ``path`` (imports Textual only now)."""
    # A frame every 8 ms instead of 16: the list filtered by a keystroke lands one frame after
    # the letter's echo, and that frame comes sooner. (Textual reads this when it is imported.)
    os.environ.setdefault("TEXTUAL_FPS", "120")
    from tuireader.app import make_app

    app = make_app(path)
    app.run()
    app.changes.stop()  # (again: the spool must be on disk even if unmount never ran)
    if app.crash_report:
        print(f"tuireader: error: {app.crash_report}", file=sys.stderr)
        return 1
    if app.changes.pending:
        count = len(app.changes.pending)
        print(
            f"tuireader: {count} change(s) could not be written yet (another process is writing"
            " the library); they are saved and will be written the next time the reader opens",
            file=sys.stderr,
        )
    return 0


#: The commands that add papers: the only ones that may create a library file.
ADDING_COMMANDS = ("import",)
def _cmd_datasette_metadata(
    library: Library, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    from tuireader.datasette import datasette_metadata_json

    _ensure_abstracts_indexed(library, err)  # so Datasette's search box finds every abstract
    text = datasette_metadata_json(library.path)
    if not args.output:
        out.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"tuireader: error: cannot write {args.output}: {exc.strerror or exc}", file=err)
        return 2
    return 0


COMMANDS = {
    "import": _cmd_import,
    "export": _cmd_export,
    "search": _cmd_search,
    "stats": _cmd_stats,
    "datasette-metadata": _cmd_datasette_metadata,
}


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
    path: Path | str = args.library or "?"
    try:
        if args.command == "demo":
            if args.library:  # the demo never writes into a library it did not make
                print("tuireader: the demo uses a library of its own; --library is ignored", file=err)
            path = build_demo_library()
            if args.no_open:
                print(one_line(path), file=out)
                return 0
            return open_app(path)
        if args.command == "config":
            return _cmd_config(args, out, err)
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
        if args.command == "import" and args.dry_run and not path.exists():
            # A dry run writes nothing, not even a new library: count against an empty scratch one.
            with (
                tempfile.TemporaryDirectory(prefix="tuireader-dry-run-") as scratch,
                Library.open(Path(scratch) / "library.db") as library,
            ):
                return _cmd_import(library, args, out, err)
        # Only commands that add papers may create a library; they check every page first.
        adds_papers = args.command in ADDING_COMMANDS
        with Library.open(path, create=adds_papers) as library:
            if adds_papers and not args.dry_run and library.verify():
                raise LibraryDamaged(damaged_message(path, library.damaged or ""))
            return COMMANDS[args.command](library, args, out, err)
    except (LibraryError, QueryError) as exc:
        log.debug("one-line error", exc_info=True)
        print(f"tuireader: error: {one_line(exc)}", file=err)
        return 2
    except sqlite3.DatabaseError as exc:
        log.debug("database error", exc_info=True)
        print(one_line(f"tuireader: error: the library {path} could not be read ({exc})"), file=err)
        return 2
    except KeyboardInterrupt:
        print("tuireader: interrupted; the file being imported was left as it was", file=err)
        return 130
