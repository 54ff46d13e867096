"""Citation keys in the library: given once when a paper is inserted, kept forever.

See :mod:`tuireader.citekeys` for what a key looks like; this module only asks the library
which keys are taken, in a few indexed queries per import (not one per paper).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from tuireader.citekeys import assign_keys, cite_key_base
from tuireader.library.in_lists import rows_in

#: Most keys an allocator remembers (~7 MB); past that it asks the library again.
MAX_REMEMBERED = 100_000


def allocate_cite_keys(conn: sqlite3.Connection, bases: Sequence[str]) -> list[str]:
    """Unique keys for new papers with these bases, given the keys already in the library.

    A big import (against the library's size) reads every key once through the index; a small
    one looks up its bases in a few queries, and a suffixed key (rare) in one query each.
    """
    return CiteKeyAllocator(conn).allocate(bases)


class CiteKeyAllocator:
    """Gives the new papers of one import their keys, block after block, in one transaction.

    It remembers every key it learnt is taken (read from the library, or given out by itself),
    so a later block asks the library only about bases it has not seen: an import that is big
    against the library reads all the library's keys once, and then asks nothing more (until
    it has learnt :data:`MAX_REMEMBERED` keys: memory stays bounded, the library is asked).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.taken: set[str] = set()
        #: Where the search for a free suffix of each base resumes (see assign_keys).
        self.next_suffix: dict[str, int] = {}
        #: The largest paper id before this import: about how many keys the library holds.
        self.before = conn.execute("SELECT max(id) FROM papers").fetchone()[0] or 0
        #: True once every key of the library is in ``taken``.
        self.complete = False
        #: False once the keys remembered grew too many (then never read all of them again).
        self.may_read_all = True

    def allocate(self, bases: Sequence[str]) -> list[str]:
        """Unique keys for papers with these bases (see :func:`allocate_cite_keys`)."""
        conn, taken = self.conn, self.taken
        if len(taken) + len(self.next_suffix) > MAX_REMEMBERED:
            taken.clear()
            self.next_suffix.clear()
            self.complete = self.may_read_all = False
        if self.may_read_all and not self.complete and len(bases) * 4 >= self.before:
            taken.update(
                row[0]
                for row in conn.execute("SELECT cite_key FROM papers WHERE cite_key IS NOT NULL")
            )
            self.complete = True
        if self.complete:
            return assign_keys(bases, taken, next_suffix=self.next_suffix)
        wanted = [base for base in dict.fromkeys(bases) if base not in taken]
        sql = "SELECT cite_key FROM papers WHERE cite_key IN ({marks})"
        taken.update(row[0] for row in rows_in(conn, sql, wanted))

        def in_use(key: str) -> bool:
            return (
                conn.execute("SELECT 1 FROM papers WHERE cite_key = ?", (key,)).fetchone()
                is not None
            )

        return assign_keys(bases, taken, in_use, self.next_suffix)


def add_cite_keys(db: Any) -> None:
    """Migration step: add ``papers.cite_key`` (unique) and give every paper its key, by id.

    ``db`` is the ``sqlite_utils.Database`` of the library being migrated (inside its
    transaction). Safe to run on a library that has the column already.
    """
    conn: sqlite3.Connection = db.conn
    columns = {row[1] for row in conn.execute("PRAGMA table_info(papers)")}
    if "cite_key" not in columns:
        conn.execute("ALTER TABLE papers ADD COLUMN cite_key TEXT")
    # The index first: the lookups below use it (NULLs do not collide).
    conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS papers_cite_key ON papers(cite_key)")
    rows = conn.execute(
        "SELECT id, title, authors, organization, org_handle, published FROM papers"
        " WHERE cite_key IS NULL ORDER BY id"
    ).fetchall()
    bases = [
        cite_key_base(title, json.loads(authors) if authors else None, org, handle, published)
        for _, title, authors, org, handle, published in rows
    ]
    keys = allocate_cite_keys(conn, bases)
    conn.executemany(
        "UPDATE papers SET cite_key = ? WHERE id = ?",
        [(key, row[0]) for key, row in zip(keys, rows, strict=True)],
    )
