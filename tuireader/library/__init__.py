"""The library file: the only place that speaks SQL (through sqlite-utils and sqlite3).

``Library.open(path)`` opens or creates a library; its methods read papers, write imports and
change the reader's state through an undoable journal. See :mod:`tuireader.library.schema`.
"""

from __future__ import annotations

from tuireader.library.core import LibraryBusy, LibraryError
from tuireader.library.journal import JournalEntry, JournalMixin, normalise_tag
from tuireader.library.merge import ImportCounts, MergeMixin
from tuireader.library.queries import QueryMixin
from tuireader.library.stats import StatsMixin

__all__ = [
    "ImportCounts",
    "JournalEntry",
    "Library",
    "LibraryBusy",
    "LibraryError",
    "normalise_tag",
]


class Library(QueryMixin, StatsMixin, MergeMixin, JournalMixin):
    """One open library file: queries, imports, state changes with undo."""
