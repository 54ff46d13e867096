"""Opening, checking and migrating a library file; the connection and its transactions."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tuireader.library.schema import APP_ID, CREATE_V1, MIGRATIONS, SCHEMA_VERSION

#: How long a writer waits for another process's transaction before giving up (seconds).
BUSY_TIMEOUT = 30.0
#: SQLite page cache per connection (KiB): big imports touch the title index all over.
CACHE_KIB = 32768


class LibraryError(Exception):
    """A library file that cannot be used: not ours, damaged, too new, or not writable."""


class LibraryBusy(LibraryError):
    """Another process held the library's write lock for longer than the busy timeout."""


def now() -> str:
    """The current UTC time as an ISO string (seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


#: The files SQLite keeps beside a database in WAL (and rollback) mode.
COMPANION_SUFFIXES = ("", "-wal", "-shm", "-journal")


def is_database_file(candidate: str | Path, database: str | Path) -> bool:
    """Is ``candidate`` the file ``database`` or one of its companions (by ``stat``, no I/O)?"""
    candidate = Path(candidate).expanduser()
    database = Path(database).expanduser()
    for suffix in COMPANION_SUFFIXES:
        twin = database.with_name(database.name + suffix)
        try:
            if candidate.resolve() == twin.resolve() or candidate.samefile(twin):
                return True
        except OSError:
            continue
    return False


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
        self._db = None
        #: Commits made through this connection (other connections show in data_version).
        self.writes = 0
        #: Seconds a write waits for another process's transaction (see waiting_at_most).
        self.busy_timeout = BUSY_TIMEOUT
        self._cache: OrderedDict[object, object] = OrderedDict()
        self._orders: dict[str, object] = {}
        self._last_find: tuple | None = None
        self._cache_version: tuple[int, int] | None = None

    @property
    def db(self):
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
    ):
        """Open (and, with ``create``, make) the library at ``path``; raise LibraryError if unusable.

        ``busy_timeout``: seconds a write waits for another process's transaction to end.
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise LibraryError(f"{path} is a folder, not a library file")
        if not path.exists():
            if not create:
                raise LibraryError(f"no library at {path}")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"cannot create {path.parent}: {exc.strerror}") from None
        uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rwc'}"
        try:
            conn = sqlite3.connect(
                uri, uri=True, timeout=busy_timeout, check_same_thread=False, isolation_level=None
            )
        except sqlite3.Error as exc:
            raise LibraryError(f"cannot open {path}: {exc}") from None
        library = cls(path, conn)
        library.busy_timeout = busy_timeout
        try:
            library._prepare(readonly=readonly)
        except sqlite3.DatabaseError as exc:
            conn.close()
            message = str(exc)
            if "file is not a database" in message:
                # SQLite read the header and refused it: nothing was written.
                raise LibraryError(
                    f"{path} is not a tuireader library (not an SQLite file); left untouched"
                ) from None
            if "readonly" in message or "unable to open" in message:
                raise LibraryError(f"{path} cannot be written: {message}") from None
            raise LibraryError(
                f"{path} is damaged or not a library ({message}); left untouched"
            ) from None
        except LibraryError:
            conn.close()
            raise
        return library

    def _prepare(self, *, readonly: bool) -> None:
        """Check the file is ours, then create or migrate the schema."""
        self.conn.execute("PRAGMA foreign_keys = ON")
        tables = {
            row[0]
            for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if tables and "meta" not in tables:
            raise LibraryError(
                f"{self.path} is an SQLite file but not a tuireader library; left untouched"
            )
        version = 0
        if "meta" in tables:
            rows = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
            if rows.get("app") != APP_ID:
                raise LibraryError(f"{self.path} is not a tuireader library; left untouched")
            version = int(rows.get("schema_version", 0))
        if version > SCHEMA_VERSION:
            raise LibraryError(
                f"{self.path} was written by a newer tuireader (schema {version}); please upgrade"
            )
        if readonly:
            return
        if self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise LibraryError(f"{self.path} cannot be switched to WAL mode")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if version == 0:
            with self.transaction():
                for statement in _split_sql(CREATE_V1):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('app', ?), ('schema_version', ?),"
                    " ('created_at', ?)",
                    (APP_ID, str(SCHEMA_VERSION), now()),
                )
        elif version < SCHEMA_VERSION:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Copy the file aside, then apply every migration from ``version`` up.

        A migration step is SQL, or a callable given the ``sqlite_utils.Database`` (whose
        ``table.transform()`` rebuilds a table with changed columns safely).
        """
        backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
        self.backup_to(backup)
        with self.transaction():
            for step in range(version, SCHEMA_VERSION):
                for script in MIGRATIONS[step]:
                    if callable(script):
                        script(self.db)
                        continue
                    for statement in _split_sql(script):
                        self.conn.execute(statement)
            self.conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
            )

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
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE): all of it commits, or none of it."""
        with self.lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise LibraryBusy(
                    "the library is busy (another process is writing to it); nothing changed,"
                    " try again in a moment"
                ) from exc
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
                self.writes += 1

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

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the file."""
        with self.lock:
            return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection (checkpointing the WAL when no one else uses it)."""
        with self.lock:
            self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _split_sql(script: str) -> list[str]:
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
