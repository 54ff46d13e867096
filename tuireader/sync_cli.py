"""The ``merge``, ``backup`` and ``restore`` commands (two machines, one reading list)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from tuireader.library import Library, LibraryError
from tuireader.library.backup import (
    KEEP,
    backup_to,
    is_sqlite_file,
    keep_damaged_copy,
    make_backup,
    restore_from,
)
from tuireader.library.health import backups_dir, remembered_damage
from tuireader.library.sync_read import Record, records_from_export
from tuireader.textsafe import one_line

MERGE_HELP = """\
OTHER is another library file, or tuireader's JSON/JSONL export on standard input (-):
  ssh server tuireader export -f jsonl | tuireader merge -      (the server's papers here)
  tuireader export -f jsonl | ssh server tuireader merge -      (this machine's papers there)

Papers are the same paper by arXiv id, else by folded title. Fields missing here are filled,
the newer page's upvotes and comments win, every sighting and import is kept. Read, starred and
notes: the later change wins; a tag stays unless the other side removed it later. Two different
notes: the later one wins and the other is kept in the journal and listed as a conflict.
The whole merge is one transaction, and one undo step in the reader (u).
"""


def add_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``merge``, ``backup`` and ``restore`` through cli.py's ``command`` helper."""
    merge = command("merge", "merge another library (a file, or an export on stdin) into this one",
                    MERGE_HELP)  # fmt: skip
    merge.add_argument("other", metavar="OTHER", help="a library file, or - for a JSONL export")
    merge.add_argument(
        "--dry-run", action="store_true", help="report what would change, write nothing"
    )
    merge.add_argument(
        "--quiet", "-q", action="store_true", help="only the summary line, not each conflict"
    )
    backup = command(
        "backup",
        "write a consistent copy of the library (the reader may be open)",
        f"Without PATH the copy goes to the backups folder, which keeps the newest {KEEP}.",
    )
    backup.add_argument("path", nargs="?", metavar="PATH", help="where to write the copy")
    backup.add_argument(
        "--keep", type=int, default=KEEP, metavar="N", help=f"backups kept (default {KEEP})"
    )
    restore = command(
        "restore",
        "replace the library with a backup (the current one is backed up first)",
        "A reader open meanwhile shows the restored library within two seconds.",
    )
    restore.add_argument("path", metavar="PATH", help="a backup (any tuireader library file)")


def backups_folder() -> Path:
    """Where ``tuireader backup`` keeps its copies."""
    return backups_dir()


def _read_other(library: Library, other: str) -> list[Record]:
    """OTHER's records: stdin (an export), a library file, or an export file."""
    if other == "-":
        if sys.stdin.isatty():
            print("Paste a `tuireader export -f jsonl`, then press ctrl-D.", file=sys.stderr)
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return records_from_export(text)
    path = Path(other).expanduser()
    if not path.is_file():
        raise LibraryError(f"{other}: no such file")
    if is_sqlite_file(path):
        return library.read_other(path)
    return records_from_export(path.read_text(encoding="utf-8"))


def cmd_merge(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``tuireader merge OTHER``: one line of summary, then each conflict."""
    try:
        records = _read_other(library, args.other)
    except (ValueError, UnicodeDecodeError) as exc:
        print(one_line(f"tuireader: error: {args.other}: {exc}; nothing merged"), file=err)
        return 2
    source = "stdin" if args.other == "-" else Path(args.other).name
    report = library.merge_from(records, source=source, dry_run=args.dry_run)
    print(one_line(report.summary()), file=out)
    if not args.quiet:
        for conflict in report.conflicts:
            print(
                one_line(
                    f"  conflict: {conflict.title}: kept {conflict.kept[:60]!r}, the note of"
                    f" {conflict.loser} {conflict.lost[:60]!r} is kept in the journal"
                ),
                file=out,
            )
    return 0


def cmd_backup(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``tuireader backup [PATH]``."""
    if args.path:
        backup_to(library, Path(args.path))
        print(one_line(f"backed up {library.path} to {args.path}"), file=out)
        return 0
    target, removed = make_backup(library, backups_folder(), max(args.keep, 1))
    print(one_line(f"backed up {library.path} to {target}"), file=out)
    if removed:
        print(f"removed {len(removed)} older backup(s) (keeping {max(args.keep, 1)})", file=err)
    return 0


def cmd_restore(library: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``tuireader restore PATH``: back up the current library, then restore PATH into it."""
    source = Path(args.path).expanduser()
    if not source.is_file():
        print(one_line(f"tuireader: error: {args.path}: no such file"), file=err)
        return 2
    with Library.open(source, create=False, readonly=True) as backup:  # before any backup
        problem = backup.verify()
        if problem:
            print(one_line(f"tuireader: error: {args.path} is damaged too ({problem});"
                           " nothing was changed: restore another backup"), file=err)
            return 2
    if remembered_damage(library.path):
        # Kept for `.recover`, under a name no restore advice takes for a good backup.
        target = keep_damaged_copy(library, backups_folder())
        print(one_line(f"kept the damaged library as {target}"), file=out)
    else:
        target, _ = make_backup(library, backups_folder())
        print(one_line(f"backed up the current library to {target}"), file=out)
    papers = restore_from(library, source)
    print(one_line(f"restored {library.path} from {args.path}: {papers} papers"), file=out)
    return 0


COMMANDS = {"merge": cmd_merge, "backup": cmd_backup, "restore": cmd_restore}
