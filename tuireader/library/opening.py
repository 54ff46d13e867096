"""Deciding whether a file may be opened as a library, and how: checks that never harm the file.

Everything here asks SQLite or the operating system (``stat``, ``/proc/locks``); nothing reads
the database file with Python's own I/O (see the package docstring for why).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tuireader.library.health import damaged_message, remember_damage

#: ``PRAGMA application_id`` of a tuireader library ("TRDR"), set when a library is created.
APPLICATION_ID = 0x54524452
#: How long opening waits for a lock held by another program before saying so (seconds).
OPEN_WAIT = 2.0


class LibraryError(Exception):
    """A library file that cannot be used: not ours, damaged, too new, or not writable."""


class LibraryBusy(LibraryError):
    """Another process held the library's write lock for longer than the busy timeout."""


class SearchInterrupted(LibraryError):
    """A search stopped halfway (``Library.interrupt``): a newer one replaced it."""


class LibraryReadOnly(LibraryError):
    """A change was asked of a library this process may only read."""


class LibraryDamaged(LibraryError):
    """The file's pages are damaged: nothing more is written to it."""


class DiskFull(LibraryError):
    """The disk (or the file system's quota) is full: the change was rolled back."""


@contextmanager
def sqlite_errors(path: str | Path) -> Iterator[None]:
    """Inside: an SQLite error that escapes the library comes out as one LibraryError naming
    ``path`` (so no caller outside the library needs to know sqlite3)."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        if classify(exc) == "damaged" and str(path) != "?":
            problem = " ".join(str(exc).split())
            remember_damage(Path(path), problem)  # every later command refuses it at once
            raise LibraryDamaged(damaged_message(Path(path), problem)) from exc
        raise LibraryError(f"the library {path} could not be read ({exc})") from exc


def damage_problem(error: BaseException) -> str | None:
    """What SQLite said of a damaged file, when ``error`` (or what caused it) is that; else None.

    For code outside the library (the app), which must not know sqlite3.
    """
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, sqlite3.DatabaseError) and classify(seen) == "damaged":
            return " ".join(str(seen).split())
        seen = seen.__cause__ or seen.__context__
    return None


#: The files SQLite keeps beside a database in WAL (and rollback) mode.
COMPANION_SUFFIXES = ("", "-wal", "-shm", "-journal")


def companion_suffix(candidate: str | Path, database: str | Path) -> str | None:
    """Which of ``database``'s files ``candidate`` is ("" itself, "-wal", "-shm", "-journal"),
    or None: by ``stat`` and paths alone, no I/O on the files."""
    candidate = Path(candidate).expanduser()
    database = Path(database).expanduser()
    for suffix in COMPANION_SUFFIXES:
        twin = database.with_name(database.name + suffix)
        try:
            if candidate.resolve() == twin.resolve() or candidate.samefile(twin):
                return suffix
        except (OSError, RuntimeError):  # (RuntimeError: a symlink loop)
            continue
    return None


def is_database_file(candidate: str | Path, database: str | Path) -> bool:
    """Is ``candidate`` the file ``database`` or one of its companions (by ``stat``, no I/O)?"""
    return companion_suffix(candidate, database) is not None


def is_writable(path: Path) -> bool:
    """Can this process write the library (the file, and its folder for the -wal/-shm files)?"""
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(path.parent, os.W_OK | os.X_OK) or all(
        os.access(path.with_name(path.name + suffix), os.W_OK) for suffix in ("-wal", "-shm")
    )


def lock_holder(path: Path) -> str | None:
    """Which process holds a lock on ``path``, as "pid N (name)", where the system tells.

    Linux lists every advisory lock in /proc/locks with the holder's pid and the file's inode.
    """
    try:
        inode = path.stat().st_ino
        with open("/proc/locks", encoding="ascii") as locks:  # (not the database file)
            lines = locks.read().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) < 6 or fields[4] == str(os.getpid()):
            continue
        try:
            pid, device_inode = int(fields[4]), fields[5]
        except ValueError:
            continue
        if device_inode.rsplit(":", 1)[-1] == str(inode):
            try:
                name = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                name = "?"
            return f"pid {pid} ({name})"
    return None


def locked_message(path: Path) -> str:
    """The one line shown when another program holds the file locked."""
    holder = lock_holder(path)
    by = f" by {holder}" if holder else " by another program"
    return f"{path} is locked{by}; try again when it is done (nothing was changed)"


def foreign_reason(conn: sqlite3.Connection, tables: set[str]) -> str | None:
    """Why an SQLite file without our ``meta`` table belongs to someone else (None: it is empty).

    Only a file with nothing in it, no application id and no user version may become a library.
    """
    objects = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
    if objects:
        kinds = sorted({kind for kind, _ in objects})
        return f"it holds {', '.join(kinds)}s of another program"
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if application_id not in (0, APPLICATION_ID):
        return f"it belongs to another program (application id {application_id:#x})"
    if conn.execute("PRAGMA user_version").fetchone()[0] != 0:
        return "another program has set its user version"
    return None


def out_of_space(path: Path) -> bool:
    """Is the file system holding ``path`` (nearly) full? (SQLite may say "disk I/O error".)"""
    try:
        stats = os.statvfs(path.parent)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < 256 * 1024


def classify(exc: sqlite3.Error, path: Path | None = None) -> str:
    """The kind of an SQLite error: "full", "damaged", "readonly", "locked" or "other"."""
    message = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL or "disk is full" in message:
        return "full"
    if "disk i/o error" in message and path is not None and out_of_space(path):
        return "full"
    if code == sqlite3.SQLITE_CORRUPT or "malformed" in message or "corrupt" in message:
        return "damaged"
    if "readonly" in message or "read-only" in message:
        return "readonly"
    if "locked" in message or code == sqlite3.SQLITE_BUSY:
        return "locked"
    return "other"


def connect(path: Path, readonly: bool, busy_timeout: float) -> sqlite3.Connection:
    """A connection to ``path``: read-write (creating it), or read-only (as immutable if need be)."""
    modes = ["mode=ro", "mode=ro&immutable=1"] if readonly else ["mode=rwc"]
    error: sqlite3.Error | None = None
    for mode in modes:  # a read-only WAL file whose -shm cannot be made: read it as immutable
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?{mode}",
                uri=True,
                timeout=min(busy_timeout, OPEN_WAIT),  # (a lock held longer: another program's)
                check_same_thread=False,
                isolation_level=None,
            )
        except sqlite3.Error as exc:
            error = exc
            continue
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            if "unable to open" in str(exc) and mode != modes[-1]:
                conn.close()
                error = exc
                continue
        except sqlite3.DatabaseError:
            pass  # _prepare says what is wrong with it
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        return conn
    raise LibraryError(f"cannot open {path}: {error}")


#: A paused statement looks again this often whether the foreground still needs the CPU; a
#: progress handler runs every PROGRESS_STEPS virtual machine steps (~0.1 ms of work).
PAUSE_SECONDS = 0.002
PROGRESS_STEPS = 2000


def pause_while(conn: sqlite3.Connection, busy: Callable[[], bool] | None) -> None:
    """Make every statement on ``conn`` wait while ``busy()`` is true (None: never wait).

    Background work (checking the file, indexing abstracts) runs on a connection of its own;
    on two cores it would take half the machine from a search the user is waiting for. Paused
    inside SQLite (a progress handler that sleeps), it gives the CPU back within ~0.1 ms and
    goes on where it was: a reader never waits for it, a writer at most until the search ends.
    """
    if busy is None:
        conn.set_progress_handler(None, 0)
        return

    def wait_for_the_foreground() -> int:
        while busy():
            time.sleep(PAUSE_SECONDS)
        return 0  # (non-zero would abort the statement)

    conn.set_progress_handler(wait_for_the_foreground, PROGRESS_STEPS)


def quick_check(path: Path, yield_to: Callable[[], bool] | None = None) -> str | None:
    """SQLite's ``quick_check`` of the file on a connection of its own: None, or the problem.

    ``yield_to``: the check pauses while it returns true (see :func:`pause_while`).
    """
    try:
        conn = connect(path, True, OPEN_WAIT)
    except LibraryError as exc:
        return str(exc)
    pause_while(conn, yield_to)
    try:
        rows = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as exc:
        return None if classify(exc) == "locked" else str(exc)
    finally:
        conn.close()
    return None if rows == ["ok"] else " ".join(" ".join(rows).split())  # (one line)
