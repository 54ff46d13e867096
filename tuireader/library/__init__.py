"""The library file: the only place that speaks SQL (through sqlite-utils and sqlite3).

``Library.open(path)`` opens or creates a library; its methods read papers, write imports and
change the reader's state through an undoable journal. See :mod:`tuireader.library.schema`.

Rules for sharing one file between processes (SQLite's "How To Corrupt An SQLite Database
File" and its WAL page), which every change here keeps:

- **No Python file I/O on a database file this process may have open**: not the library, not its
  ``-wal``/``-shm``/``-journal``. On POSIX, closing *any* descriptor of a file drops *every*
  lock the process holds on it, and another process's checkpoint then deletes the WAL under
  us. SQLite itself says "file is not a database"; ``Library.owns_file`` tells by ``stat``
  alone whether a path is one of ours; copies are made with ``Library.backup_to`` (SQLite's
  backup API). ``tests/shared/test_no_python_io.py`` guards it.
- A second connection in the same process (the abstract indexer, the import dialog) is fine:
  SQLite shares its locks between connections of one process.
- **One consistent snapshot per read**: a search runs inside ``read_snapshot()`` (one read
  transaction), so a commit by another process between two of its statements cannot mix
  versions; its caches are keyed by the data version read inside that snapshot.
- WAL mode and a busy timeout let readers read while another process writes; a write waits
  for the lock at most the busy timeout, then raises :class:`LibraryBusy` with nothing changed.
- Not for network file systems (NFS, SMB): WAL needs shared memory on one machine.
"""

from __future__ import annotations

from tuireader.library.indexing import IndexingMixin
from tuireader.library.journal import JournalEntry, JournalMixin, normalise_tag
from tuireader.library.merge import ImportCounts, KeyedBlock, MergeMixin
from tuireader.library.opening import (
    DiskFull,
    LibraryBusy,
    LibraryDamaged,
    LibraryError,
    LibraryReadOnly,
    SearchInterrupted,
)
from tuireader.library.queries import QueryMixin
from tuireader.library.ranking_reads import RankingReadMixin
from tuireader.library.saved import SavedSearchesMixin
from tuireader.library.search_reads import SearchReadMixin
from tuireader.library.stats import StatsMixin
from tuireader.library.sync import SyncMixin
from tuireader.library.watches import WatchesMixin

__all__ = [
    "DiskFull",
    "ImportCounts",
    "KeyedBlock",
    "JournalEntry",
    "Library",
    "LibraryBusy",
    "LibraryDamaged",
    "LibraryError",
    "LibraryReadOnly",
    "SearchInterrupted",
    "normalise_tag",
]


class Library(
    SyncMixin,
    QueryMixin,
    SearchReadMixin,
    RankingReadMixin,
    StatsMixin,
    MergeMixin,
    JournalMixin,
    SavedSearchesMixin,
    WatchesMixin,
    IndexingMixin,
):
    """One open library file, made of parts with one job each over one connection:

    reading papers (queries), the search engine's read API (search_reads), statistics (stats), taking in
    dumps (merge), the reader's state with undo (journal), merging another library (sync),
    named queries (saved), the abstract index (indexing); opening and preparing the file are
    core's and preparing's.
    """
