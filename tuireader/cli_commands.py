"""The ``tuireader`` commands that work on an open library: import, search, export, stats,
datasette-metadata (and config, which needs none). ``tuireader.cli`` parses the command line
and calls them through :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from tuireader import paths
from tuireader.cli_support import Progress
from tuireader.config import config_file, load_config, write_default
from tuireader.library import Library
from tuireader.search import Searcher
from tuireader.sync_cli import COMMANDS as SYNC_COMMANDS
from tuireader.textsafe import one_line

if TYPE_CHECKING:
    from tuireader.importer import ImportReport
    from tuireader.models import Paper

#: Show a progress bar for dumps with at least this many papers.
PROGRESS_THRESHOLD = 2000
#: Say "reading…" first for dumps this big (parsing them takes seconds before any writing).
BIG_DUMP_BYTES = 20_000_000
_CHUNK_CHARS = 1 << 16


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


def cmd_import(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`tuireader import FILE...`: every file (or stdin) in one batch; 1 if any was rejected."""
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


def cmd_search(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`tuireader search QUERY`: one line a paper (or JSON records), the count on stderr."""
    _ensure_abstracts_indexed(library, err)
    result = Searcher(library).search(" ".join(args.query))
    papers = library.get_papers(result.ids[: max(args.limit, 0)])
    _print_papers(papers, args.json, out)
    if not args.json:
        shown = min(len(result.ids), max(args.limit, 0))
        print(f"{shown} of {len(result.ids)} matching papers", file=err)
    return 0


def cmd_similar(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`tuireader similar QUERY`: the papers most like the paper titled QUERY, or like its words."""
    from tuireader.models import counted, title_key
    from tuireader.ranking import Ranker

    query = " ".join(args.query)
    ranker = Ranker(library, cache_dir=paths.state_dir() / "ranking")
    limit = max(args.limit, 0)
    source = library.paper_id_by_key(title_key(query))
    if source is not None:
        ids = ranker.nearest(source, limit)
        about = f"the most like the paper {one_line(query)!r}"
    else:
        ids = ranker.like_text(query, limit)
        about = f"the most like the words {one_line(query)!r}"
    _print_papers(library.get_papers(ids), args.json, out)
    if not args.json:
        print(f"{counted(len(ids), 'paper')}: {about}", file=err)
    return 0


def _print_papers(papers: list[Paper], as_json: bool, out: TextIO) -> None:
    """One line a paper (starred, unread, date, title, who), or JSON records."""
    if as_json:
        from tuireader.export import json_text, paper_record

        print(json_text([paper_record(p) for p in papers], indent=2), file=out)
        return
    config, _ = load_config()
    blank = " " * config.date_width
    for paper in papers:
        marks = ("*" if paper.starred else " ") + (" " if paper.read else "•")
        date = config.format_date(paper.published) or blank
        who = f"  — {paper.who}" if paper.who else ""
        print(one_line(f"{marks} {date}  {paper.title}{who}"), file=out)


def cmd_export(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`tuireader export`: the papers matching --query, in --format, to stdout or -o FILE."""
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
    with library.read_snapshot():
        papers = library.get_papers(ids)
        if args.format in ("json", "jsonl"):  # everything `tuireader merge` needs
            details = library.sync_details(ids)
            for paper in papers:
                paper.sync = details.get(paper.id)
    text = export(papers, args.format)
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
    if named and output and not output.lower().endswith(FORMATS[fmt].extensions):
        print(
            f"tuireader: error: {output!r} is named like {named.label} ({named.extension}) but"
            f" --format is {fmt}: rename the file (e.g. {FORMATS[fmt].extension}) or change"
            " --format",
            file=err,
        )
        return None
    return fmt


def cmd_stats(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`tuireader stats`: counts of papers, unread, starred, tags, imports."""
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


def cmd_config(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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


def cmd_datasette_metadata(
    library: Library, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    """`tuireader datasette-metadata`: Datasette metadata for the library (abstracts indexed first)."""
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


#: The commands that work on an open library, by name.
COMMANDS = {
    "import": cmd_import,
    "export": cmd_export,
    "search": cmd_search,
    "similar": cmd_similar,
    "stats": cmd_stats,
    "datasette-metadata": cmd_datasette_metadata,
    **SYNC_COMMANDS,
}
