"""A library file made or brought up to date: the checks that it is ours, the schema created
for a new file, the migrations for an older one, and what an opening failure means.

:meth:`tuireader.library.core.LibraryBase.open` calls :func:`prepare` on every file it opens.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from tuireader.library.opening import (
    APPLICATION_ID,
    OPEN_WAIT,
    DiskFull,
    LibraryError,
    classify,
    foreign_reason,
    locked_message,
)
from tuireader.library.schema import APP_ID, CREATE_V1, MIGRATIONS, PAGE_SIZE, SCHEMA_VERSION

if TYPE_CHECKING:
    from tuireader.library.core import LibraryBase

#: SQLite page cache per connection (KiB): big imports touch the title index all over.
CACHE_KIB = 32768


def now() -> str:
    """The current UTC time as an ISO string (seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def opening_error(exc: sqlite3.DatabaseError, path: Path) -> LibraryError:
    """The one-line library error an SQLite failure while opening ``path`` stands for."""
    kind = classify(exc, path)
    if "file is not a database" in str(exc):
        # SQLite read the header and refused it: nothing was written.
        return LibraryError(
            f"{path} is not a tuireader library (not an SQLite file); left untouched"
        )
    if kind == "locked":
        return LibraryError(locked_message(path))
    if kind == "readonly" or "unable to open" in str(exc):
        return LibraryError(f"{path} cannot be written: {exc}")
    if kind == "full":
        return DiskFull(f"the disk is full; {path} was left as it was")
    return LibraryError(f"{path} is damaged or not a library ({exc}); left untouched")


def prepare(library: LibraryBase, *, readonly: bool) -> None:
    """Check the file is ours, then create or migrate the schema (a new file gets the latest)."""
    conn = library.conn
    conn.execute("PRAGMA foreign_keys = ON")
    with library.waiting_at_most(OPEN_WAIT):  # a lock held that long is another program's
        tables = {
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    version = 0
    if "meta" in tables:
        rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if rows.get("app") != APP_ID:
            raise LibraryError(f"{library.path} is not a tuireader library; left untouched")
        version = int(rows.get("schema_version", 0))
    else:
        reason = foreign_reason(conn, tables)
        if reason:
            raise LibraryError(
                f"{library.path} is an SQLite file but not a tuireader library ({reason});"
                " left untouched"
            )
    if version > SCHEMA_VERSION:
        raise LibraryError(
            f"{library.path} was written by a newer tuireader (schema {version}); please upgrade"
        )
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # (searches read a lot: also read-only)
    if readonly:
        if version == 0:
            raise LibraryError(f"no library at {library.path} (and it cannot be written)")
        if version < SCHEMA_VERSION:
            raise LibraryError(
                f"{library.path} has an older schema and is read-only here: open it once where"
                " it can be written, to upgrade it"
            )
        return
    if version == 0:
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # (a new file: before WAL fixes it)
    if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
        raise LibraryError(f"{library.path} cannot be switched to WAL mode")
    conn.execute("PRAGMA synchronous = NORMAL")
    if version == 0:
        with library.transaction():
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for statement in split_sql(CREATE_V1):
                conn.execute(statement)
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('app', ?), ('schema_version', ?),"
                " ('created_at', ?)",
                (APP_ID, str(SCHEMA_VERSION), now()),
            )
    elif version < SCHEMA_VERSION:
        migrate(library, version)


def migrate(library: LibraryBase, version: int) -> None:
    """Copy the file aside, then apply every migration from ``version`` up.

    A migration step is SQL, or a callable given the ``sqlite_utils.Database`` (whose
    ``table.transform()`` rebuilds a table with changed columns safely).
    """
    conn = library.conn
    backup = library.path.with_name(f"{library.path.name}.v{version}.bak")
    library.backup_to(backup)
    with library.transaction():
        for step in range(version, SCHEMA_VERSION):
            for script in MIGRATIONS[step]:
                if callable(script):
                    script(library.db)
                    continue
                for statement in split_sql(script):
                    conn.execute(statement)
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
        )

def split_sql(script: str) -> list[str]:
    """Split a schema script into statements (triggers keep their inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
