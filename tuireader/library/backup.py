"""Backups of a library and restoring one, through SQLite's backup API only.

A backup is a consistent copy made while the reader (or an import) may be using the file;
a restore copies a backup's pages *into* the open library through the same API, so every other
connection (a reader open meanwhile) sees the restored library at its next read, as it sees any
other commit: no file is ever copied over a database SQLite has open.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from tuireader.library import health
from tuireader.library.core import COUNT_CONTENT, LibraryBase
from tuireader.library.opening import LibraryError

#: How many backups ``make_backup`` keeps in its folder by default (per library name).
KEEP = 10


def _stem(library: LibraryBase) -> str:
    return library.path.stem or "library"


def backups_of(library: LibraryBase, folder: Path) -> list[Path]:
    """The backups of this library (by its file name) in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{_stem(library)}-????????-??????*.db"))


def make_backup(library: LibraryBase, folder: Path, keep: int = KEEP) -> tuple[Path, list[Path]]:
    """Back the library up into ``folder`` (a new dated file); keep the newest ``keep``.

    Returns the new backup and the old ones removed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{_stem(library)}-{stamp}.db"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{_stem(library)}-{stamp}-{number}.db"
    backup_to(library, target)
    removed = []
    existing = backups_of(library, folder)
    for old in existing[: max(len(existing) - keep, 0)]:
        old.unlink(missing_ok=True)  # (a backup, never a file SQLite has open here)
        removed.append(old)
    return target, removed


def keep_damaged_copy(library: LibraryBase, folder: Path) -> Path:
    """Copy a damaged library into ``folder`` as ``NAME.damaged-STAMP.db`` (for ``.recover``);
    never taken for a backup (``backups_of`` lists ``NAME-STAMP.db`` only)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{_stem(library)}.damaged-{stamp}.db"
    library.backup_to(target)
    return target


def backup_to(library: LibraryBase, target: Path) -> None:
    """Write a consistent copy of the library to ``target`` (never the library's own files)."""
    target = Path(target).expanduser()
    if library.owns_file(target):
        raise LibraryError(f"{target} is the library itself: back it up to another file")
    if target.is_dir():
        raise LibraryError(f"{target} is a folder: name a file")
    if target.exists() and not is_library_file(type(library), target):
        raise LibraryError(f"{target} exists and is not a tuireader library; left untouched")
    library.backup_to(target)


def is_library_file(kind: Any, path: Path) -> bool:
    """Is ``path`` a tuireader library (opened read-only to tell)?"""
    try:
        kind.open(path, create=False, readonly=True).close()
    except LibraryError:
        return False
    return True


def restore_from(library: LibraryBase, source: Path) -> int:
    """Replace the library's content with the backup at ``source``; how many papers it holds.

    ``source`` must be a tuireader library of this schema (opened read-only to check). Its pages
    are copied into the open library through SQLite's backup API (one write, under the lock).
    """
    source = Path(source).expanduser()
    if library.owns_file(source):
        raise LibraryError(f"{source} is the library itself: nothing to restore")
    if library.readonly:
        raise LibraryError(f"this library is read-only ({library.path}); nothing was changed")
    backup = type(library).open(source, create=False, readonly=True)
    try:
        papers = backup.conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        with library.lock:
            before = library.content_version() or 0
            backup.conn.backup(library.conn)
            library.writes += 1
    finally:
        backup.close()
    # The backup's content version may be one readers have seen with other content: past both.
    # What was known of the file (damaged, say) was of the content now replaced.
    health.forget(library.path)
    library.damaged, library.trusted = None, False
    with library.transaction(content=False) as conn:
        conn.execute(COUNT_CONTENT, (before,))
    library.ensure_sound()  # (the backup's pages, checked again where they now are)
    return papers


def is_sqlite_file(path: Path) -> bool:
    """Does SQLite read ``path`` as a database (asked read-only; no Python I/O on it)?"""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        return "not a database" not in str(exc)
    finally:
        conn.close()
    return True
