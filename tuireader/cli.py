"""The ``tuireader`` command: import, export, search, stats, demo, path; no command opens the app."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TextIO

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
from tuireader.export import FORMATS as EXPORT_FORMATS
from tuireader.library import Library, LibraryError
from tuireader.search import QueryError, Searcher

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
    imp.add_argument("files", nargs="+", metavar="FILE", help="a dump file (.txt)")
    imp.add_argument(
        "--dry-run", action="store_true", help="report what would change, write nothing"
    )
    imp.add_argument(
        "--year", type=int, metavar="YEAR", help="capture year for dates printed without a year"
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
    command("path", "print the library location")
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


def _cmd_import(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from tuireader.importer import import_file  # (the reader itself never needs it: start-up)

    failed = 0
    for name in args.files:
        progress = Progress(Path(name).name, err, PROGRESS_THRESHOLD)
        try:
            size = Path(name).stat().st_size
        except OSError:
            size = 0
        if size >= BIG_DUMP_BYTES:
            progress.note(f"reading and checking {size / 1e6:.0f} MB…")
        report = import_file(name, library, year=args.year, dry_run=args.dry_run, progress=progress)
        progress.close()
        if report.ok:
            print(report.summary(), file=out)
            for warning in report.warnings:
                print(f"  warning: {warning}", file=out)
        else:
            failed += 1
            print(f"tuireader: {report.summary()}", file=err)
    return 1 if failed else 0


def _ensure_abstracts_indexed(library: Library, err: TextIO) -> None:
    """Index abstracts still waiting (imports leave them for later) before a search."""
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
        from tuireader.export import paper_record

        print(json.dumps([paper_record(p) for p in papers], ensure_ascii=False, indent=2), file=out)
        return 0
    for paper in papers:
        marks = ("*" if paper.starred else " ") + (" " if paper.read else "•")
        date = paper.published or "          "
        print(f"{marks} {date}  {paper.title}  — {paper.who}", file=out)
    shown = min(len(result.ids), max(args.limit, 0))
    print(f"{shown} of {len(result.ids)} matching papers", file=err)
    return 0


def _cmd_export(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from tuireader.export import export

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
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"tuireader: error: cannot write {args.output}: {exc.strerror or exc}", file=err)
            return 2
        print(f"wrote {len(ids)} papers to {args.output}", file=err)
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
    print(f"library   {library.path}", file=out)
    for key in ("papers", "unread", "starred", "tagged", "with_notes", "imports"):
        print(f"{key.replace('_', ' '):<9} {counts[key]}", file=out)
    tags = library.tags()
    if tags:
        print("tags      " + ", ".join(f"{name} ({n})" for name, n in tags[:20]), file=out)
    return 0


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

    make_app(path).run()
    return 0


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
            path = build_demo_library(Path(args.library) if args.library else None)
            if args.no_open:
                print(path, file=out)
                return 0
            return open_app(path)
        path = paths.resolve_library(args.library)
        if args.command == "path":
            print(path, file=out)
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
        with Library.open(path) as library:
            return COMMANDS[args.command](library, args, out, err)
    except (LibraryError, QueryError) as exc:
        log.debug("one-line error", exc_info=True)
        print(f"tuireader: error: {exc}", file=err)
        return 2
    except sqlite3.DatabaseError as exc:
        log.debug("database error", exc_info=True)
        print(f"tuireader: error: the library {path} could not be read ({exc})", file=err)
        return 2
    except KeyboardInterrupt:
        print("tuireader: interrupted; the file being imported was left as it was", file=err)
        return 130
