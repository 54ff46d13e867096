"""The connection to a library file and its transactions (opening checks: library.opening;
the schema made or migrated: library.preparing)."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tuireader.library import health
from tuireader.library.opening import (
    COMPANION_SUFFIXES,
    DiskFull,
    LibraryBusy,
    LibraryDamaged,
    LibraryError,
    LibraryReadOnly,
    classify,
    connect,
    damaged_message,
    is_database_file,
    is_writable,
    pause_while,
    quick_check,
)
from tuireader.library.preparing import now, opening_error, prepare
from tuireader.pathcheck import path_problem
from tuireader.textsafe import one_line

#: Counts a write transaction in ``meta.content_version`` (see LibraryBase.content_version).
#: Its one parameter is a number the new count must pass (0: one more than now).
COUNT_CONTENT = (
    "INSERT INTO meta(key, value) VALUES ('content_version', ?1 + 1) ON CONFLICT(key)"
    " DO UPDATE SET value = max(CAST(value AS INTEGER), ?1) + 1"
)

if TYPE_CHECKING:
    import sqlite_utils

__all__ = [
    "COMPANION_SUFFIXES",
    "DiskFull",
    "LibraryBase",
    "LibraryBusy",
    "LibraryDamaged",
    "LibraryError",
    "LibraryReadOnly",
    "is_database_file",
    "now",
]

#: How long a writer waits for another process's transaction before giving up (seconds).
BUSY_TIMEOUT = 30.0


class LibraryBase:
    """The connection to one library file, and its transactions.

    One connection serves every thread (``check_same_thread=False``); a lock serialises its use.
    Another process may hold its own connection to the same file: WAL and a busy timeout let
    them share it.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.lock = threading.RLock()
        self._db: sqlite_utils.Database | None = None
        #: Commits made through this connection (other connections show in data_version).
        self.writes = 0
        #: Seconds a write waits for another process's transaction (see waiting_at_most).
        self.busy_timeout = BUSY_TIMEOUT
        #: Opened read-only: every change raises LibraryReadOnly.
        self.readonly = False
        #: What is wrong with the file, once a check or a write found it damaged (no more writes).
        self.damaged: str | None = None
        #: The file is known sound: made here, checked, or the same file a check found sound
        #: (see library.health); a trusted file is recorded sound again as it is closed.
        self.trusted = False
        #: ensure_sound checked every page in this process (a second check would add nothing).
        self.checked_here = False
        #: The inode the path named at opening (a file moved over it since is not ours).
        self.inode: int | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection as a ``sqlite_utils.Database``, for introspection and migrations.

        Imported on first use: it costs ~50 ms of start-up, and the hot paths (imports,
        queries) go through the shared sqlite3 connection directly.
        """
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        readonly: bool = False,
        busy_timeout: float = BUSY_TIMEOUT,
        allow_damaged: bool = False,
    ):
        """Open (and, with ``create``, make) the library at ``path``; raise LibraryError if unusable.

        ``busy_timeout``: seconds a write waits for another process's transaction to end.
        A file this process may not write is opened read-only (``library.readonly``): reads
        work, every change raises :class:`LibraryReadOnly`. Only a new or empty file, or a
        library already, is ever written: another program's SQLite file is left untouched.

        A file a check found damaged (and not replaced since) is refused at once, before any
        connection (see library.health); ``allow_damaged`` opens it all the same (to restore
        a backup into it). A path that cannot name a library (a symlink loop or a dangling
        one, a path through a file, a name too long or not UTF-8) is refused in one line.
        """
        path = Path(path).expanduser()
        problem = path_problem(path)
        if problem:
            raise LibraryError(f"cannot create or open {one_line(path)}: {problem}; nothing was changed")
        if path.is_dir():
            raise LibraryError(f"{path} is a folder, not a library file")
        known = health.remembered_damage(path)
        if known and not allow_damaged:
            raise LibraryDamaged(damaged_message(path, known))
        created = not path.exists()
        if created:
            if not create:
                raise LibraryError(f"no library at {path} (`tuireader import FILE` makes one)")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"cannot create {path.parent}: {exc.strerror}") from None
        readonly = readonly or not is_writable(path)
        conn = connect(path, readonly, busy_timeout)
        library = cls(path, conn)
        library.busy_timeout = busy_timeout
        library.readonly = readonly
        library.trusted = not known and (created or health.known_sound(path))
        identity = health.identity(path)
        library.inode = identity[1] if identity else None
        try:
            library._prepare(readonly=readonly)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if classify(exc, path) == "damaged":
                health.remember_damage(path, " ".join(str(exc).split()))
            raise opening_error(exc, path) from None
        except LibraryError:
            conn.close()
            raise
        return library

    def _prepare(self, *, readonly: bool) -> None:
        """Check the file is ours, then create or migrate the schema (see library.preparing)."""
        prepare(self, readonly=readonly)

    @contextmanager
    def waiting_at_most(self, seconds: float) -> Iterator[None]:
        """Writes inside wait at most ``seconds`` for the lock (then raise LibraryBusy)."""
        with self.lock:
            self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
            try:
                yield
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")

    @contextmanager
    def transaction(self, *, content: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE): all of it commits, or none of it.

        Raise :class:`Discard` inside to roll it back quietly. SQLite's failures come out as
        one-line library errors: busy, read-only, damaged (then nothing more is written) or a
        full disk; in every case nothing of the transaction stays.

        ``content``: the transaction may change what a reader sees, so it counts in
        :meth:`content_version` (only indexing abstracts, which changes no result, says False).
        """
        with self.lock:
            if self.readonly:
                raise LibraryReadOnly(
                    f"this library is read-only ({self.path}); nothing was changed"
                )
            if self.damaged:
                raise LibraryDamaged(damaged_message(self.path, self.damaged))
            if self.conn.in_transaction:  # inside another (a dry-run batch): a savepoint
                yield from self._savepoint()
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise LibraryBusy(
                    "the library is busy (another process is writing to it); nothing changed,"
                    " try again in a moment"
                ) from exc
            changes = self.conn.total_changes
            try:
                yield self.conn
                if content and self.conn.total_changes != changes:  # (nothing written: no count)
                    self.conn.execute(COUNT_CONTENT, (0,))
                self.conn.execute("COMMIT")
            except Discard:
                self._rollback()
                return
            except sqlite3.Error as exc:
                self._rollback()
                raise self._library_error(exc) from exc
            except BaseException:
                self._rollback()
                raise
            self.writes += 1

    def _savepoint(self) -> Iterator[sqlite3.Connection]:
        """A transaction nested in an open one: kept or undone with the outer one."""
        self.conn.execute("SAVEPOINT inner")
        try:
            yield self.conn
        except Discard:
            self.conn.execute("ROLLBACK TO inner")
            self.conn.execute("RELEASE inner")
            return
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO inner")
                self.conn.execute("RELEASE inner")
            raise
        self.conn.execute("RELEASE inner")

    def _rollback(self) -> None:
        # SQLite may have rolled back already (a full disk, an I/O error): only if still open.
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _library_error(self, exc: sqlite3.Error) -> LibraryError:
        """The library error an SQLite failure during a write stands for."""
        kind = classify(exc, self.path)
        if kind == "full":
            return DiskFull("the disk is full; nothing was changed")
        if kind == "damaged":
            self.mark_damaged(str(exc))
            return LibraryDamaged(damaged_message(self.path, self.damaged or str(exc)))
        if kind == "readonly":
            self.readonly = True
            return LibraryReadOnly(f"this library is read-only ({self.path}); nothing was changed")
        if kind == "locked":
            return LibraryBusy(
                "the library is busy (another process is writing to it); nothing changed,"
                " try again in a moment"
            )
        return LibraryError(f"the library could not be written ({exc}); nothing was changed")

    def ensure_sound(self, yield_to: Callable[[], bool] | None = None) -> None:
        """Raise :class:`LibraryDamaged` unless the file is sound: at once when it is the same
        file a check found sound (library.health), else after a full check (``verify``)."""
        if self.damaged:
            raise LibraryDamaged(damaged_message(self.path, self.damaged))
        if self.trusted:
            return
        problem = self.verify(yield_to)
        if problem:
            raise LibraryDamaged(damaged_message(self.path, problem))
        self.trusted = self.checked_here = True
        health.remember_sound(self.path, self.inode)

    def verify(self, yield_to: Callable[[], bool] | None = None) -> str | None:
        """Check every page of the file (SQLite's quick_check); None, or what is wrong.

        A damaged file is marked so: nothing more is written to it (reads go on where they can).
        ``yield_to``: the check pauses while it returns true (a search the user waits for).
        """
        problem = quick_check(self.path, yield_to)
        if problem:
            self.mark_damaged(problem)
        return problem

    def yield_to(self, busy: Callable[[], bool] | None) -> None:
        """Pause this connection's statements while ``busy()`` is true (None: never): for a
        connection doing background work, so it gives the CPU to a search the user waits for."""
        pause_while(self.conn, busy)

    def mark_damaged(self, problem: str) -> None:
        """Stop writing: a check found the file damaged (``problem`` says how). Remembered in
        the side state, so every later command refuses the file at once."""
        problem = " ".join(problem.split())
        self.damaged = problem
        self.trusted = False
        health.remember_damage(self.path, problem)

    def backup_to(self, target: Path) -> None:
        """Write a consistent copy of the library to ``target`` through SQLite's backup API.

        The copy is made into a temporary file beside ``target`` and renamed over it, so a
        failed backup never leaves half a file (``target`` is never a file SQLite has open).
        """
        target = Path(target)
        temp = target.with_name(f".{target.name}.{os.getpid()}.part")
        temp.unlink(missing_ok=True)
        copy = sqlite3.connect(temp)
        try:
            with self.lock:
                self.conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        except BaseException:
            copy.close()
            temp.unlink(missing_ok=True)
            raise
        copy.close()
        os.replace(temp, target)

    def owns_file(self, candidate: str | Path) -> bool:
        """Is ``candidate`` this library's file, or its ``-wal``/``-shm``/``-journal``?

        Checked with ``stat`` only: reading (and closing) any of them from Python would drop
        SQLite's locks on the library (see the module docstring).
        """
        return is_database_file(candidate, self.path)

    @contextmanager
    def read_snapshot(self) -> Iterator[sqlite3.Connection]:
        """Every read inside sees one consistent version of the file (one read transaction).

        Another process may commit between two statements of a search; inside this block it
        cannot show: SQLite keeps the connection on the WAL snapshot of the first read until the
        block ends. Re-entrant: inside a transaction already, it just runs there.
        """
        with self.lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                self.conn.execute("SELECT count(*) FROM meta").fetchone()  # takes the snapshot
                yield self.conn
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | list | dict = ()) -> list[sqlite3.Row]:
        """Run a read query under the lock and return all rows."""
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    def content_version(self) -> int | None:
        """A number every write of a reader's content changes (any tuireader process's), and
        indexing abstracts does not; None in a library no tuireader has written yet.

        Readers keep what they derived from the library (sort orders, the list on screen) while
        it stays the same, though the file changed (the background indexer commits often).
        """
        with self.lock:
            row = self.conn.execute(
                "SELECT value FROM meta WHERE key = 'content_version'"
            ).fetchone()
        return None if row is None else int(row[0])

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the file."""
        with self.lock:
            return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection (checkpointing the WAL when no one else uses it); a file known
        sound is recorded sound as it is now (this process's writes are trusted)."""
        with self.lock:
            self.conn.close()
        if self.damaged:  # (closing may have moved the file's time: the record follows it)
            health.remember_damage(self.path, self.damaged)
        elif self.trusted:
            health.remember_sound(self.path, self.inode)

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Discard(Exception):
    """Raised inside :meth:`LibraryBase.transaction` to roll it back without an error."""
