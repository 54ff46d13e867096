"""The ``tuireader`` command: import, export, search, stats, demo, path; no command opens the app."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TextIO

from tuireader import __version__, paths
from tuireader.export import FORMATS as EXPORT_FORMATS
from tuireader.library import Library, LibraryError
from tuireader.search import QueryError, Searcher

#: Show a progress bar for dumps with at least this many papers.
PROGRESS_THRESHOLD = 2000
#: Say "reading…" first for dumps this big (parsing them takes seconds before any writing).
BIG_DUMP_BYTES = 20_000_000
SAMPLE_DUMP = "sample_daily_papers.txt"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``tuireader`` command."""
    parser = argparse.ArgumentParser(
        prog="tuireader",
        description="A keyboard-driven terminal reader for research-paper listing dumps.",
        epilog="With no command, opens the reader on the library.",
    )
    parser.add_argument("--version", action="version", version=f"tuireader {__version__}")
    parser.add_argument(
        "--library",
        metavar="PATH",
        help="library file (default: $TUIREADER_LIBRARY, else the user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    imp = commands.add_parser("import", help="import dump files into the library")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument(
        "--dry-run", action="store_true", help="report what would change, write nothing"
    )
    imp.add_argument("--year", type=int, help="capture year for dates printed without a year")

    exp = commands.add_parser("export", help="write papers as json, jsonl, csv, bibtex or markdown")
    exp.add_argument("--format", "-f", choices=list(EXPORT_FORMATS), default="json")
    exp.add_argument("--query", "-q", default="", help="only papers matching this search")
    exp.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    search = commands.add_parser("search", help="search the library")
    search.add_argument("query", nargs="+")
    search.add_argument("--limit", type=int, default=20, help="how many results (default 20)")
    search.add_argument("--json", action="store_true", help="print JSON records")

    commands.add_parser("stats", help="counts of papers, unread, starred, tags, imports")
    demo = commands.add_parser("demo", help="open the reader on a demo library of sample papers")
    demo.add_argument("--no-open", action="store_true", help="build the demo library, do not open")
    commands.add_parser("path", help="print the library location")
    meta = commands.add_parser(
        "datasette-metadata",
        help="print Datasette metadata for the library (titles, facets, search)",
        description="Print Datasette metadata for the library, after indexing any abstracts"
        " still waiting. Use: tuireader datasette-metadata > metadata.json;"
        ' datasette "$(tuireader path)" -m metadata.json',
    )
    meta.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    return parser


class _Progress:
    """A one-line progress bar on a terminal's stderr (silent when stderr is not a terminal)."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label = label
        self.stream = stream
        self.active = stream.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.active or total < PROGRESS_THRESHOLD:
            return
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def note(self, message: str) -> None:
        """Say what is happening before there is anything to count (reading a big file)."""
        if self.active:
            self.stream.write(f"\r\033[K{self.label}: {message}")
            self.stream.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _cmd_import(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from tuireader.importer import import_file  # (the reader itself never needs it: start-up)

    failed = 0
    for name in args.files:
        progress = _Progress(Path(name).name, err)
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
    progress = _Progress("indexing abstracts", err)
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
        out.write(text)
    return 0


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
    """Run the command line; returns the exit code (0 ok, 1 some input rejected, 2 error)."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
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
        print(f"tuireader: error: {exc}", file=err)
        return 2
    except sqlite3.DatabaseError as exc:
        print(f"tuireader: error: the library {path} could not be read ({exc})", file=err)
        return 2
    except KeyboardInterrupt:
        print("tuireader: interrupted; the file being imported was left as it was", file=err)
        return 130
