"""The small read API the search engine works over: sets of ids and sort orders.

The search engine (:mod:`tuireader.search`) turns clauses into sets of ids with the ``*_ids``
methods below, inside one :meth:`read_snapshot`, and caches them by :meth:`version`; every one
reads an index or an FTS5 table, and comes back as a numpy array (numpy is imported on the
first search, not at start-up).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tuireader.library.core import LibraryBase, LibraryError
from tuireader.library.opening import SearchInterrupted

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    #: Paper ids as a numpy array (the search engine's sets and orders).
    IdArray = npt.NDArray[np.int64]

#: Each sort walks an index (see schema.py) backwards or forwards: no sorting at query time.
#: NULLs sort lowest in SQLite, so DESC puts papers with no date or upvotes last.
_ORDER = {
    "date": "published DESC, id DESC",
    "upvotes": "upvotes DESC, published DESC, id DESC",
    "comments": "comments DESC, published DESC, id DESC",
    "added": "id DESC",  # ids are given in import order
    # Reversed ("-" + sort): papers with no date or upvotes still come last. No index walks
    # these, so the first use sorts (about a second at 1M papers) and the order is cached.
    "-date": "published IS NULL, published, id",
    "-upvotes": "upvotes IS NULL, upvotes, published IS NULL, published, id",
    "-comments": "comments IS NULL, comments, published IS NULL, published, id",
    "-added": "id",
}
#: The ids an FTS5 expression matches, joined in one string (an aggregate straight over the
#: FTS5 table: ~15% quicker than over a subquery for 300k matches).
_FTS_IDS = "SELECT group_concat(rowid) FROM papers_fts WHERE papers_fts MATCH ?"
_ALL_IDS = "SELECT group_concat(rowid) FROM all_fts WHERE all_fts MATCH ?"
#: ``is:`` and ``has:`` values, each read from an index (``unread``/``unstarred`` are the
#: complements, which the search engine takes).
_FLAG_SETS = {
    ("is", "read"): "SELECT id FROM papers WHERE read = 1",
    ("is", "starred"): "SELECT id FROM papers WHERE starred = 1",
    ("has", "code"): "SELECT id FROM papers WHERE has_code = 1",
    ("has", "notes"): "SELECT id FROM papers WHERE notes IS NOT NULL AND notes != ''",
    ("has", "tags"): "SELECT DISTINCT paper_id FROM paper_tags",
    ("has", "upvotes"): "SELECT id FROM papers WHERE upvotes > 0",
    ("has", "comments"): "SELECT id FROM papers WHERE comments > 0",
    ("has", "arxiv"): "SELECT id FROM papers WHERE arxiv_id IS NOT NULL",
}


class SearchReadMixin(LibraryBase):
    """Library methods the search engine reads sets of ids and sort orders with."""

    def version(self) -> tuple[int, int]:
        """Changes whenever this or another connection commits (cache keys)."""
        return (self.writes, self.data_version())

    def interrupt(self) -> None:
        """Stop the statement running on this connection (from any thread): a stale search."""
        self.conn.interrupt()

    @contextmanager
    def stoppable(self, stopped: Callable[[], bool]) -> Iterator[None]:
        """Reads inside raise SearchInterrupted before any statement once ``stopped()`` is true.

        With :meth:`interrupt` (which stops the statement running), a search that a newer one
        replaced ends at once, whatever step it was at.
        """
        with self.lock:
            previous, self._stopped = self._stopped, stopped
            try:
                yield
            finally:
                self._stopped = previous

    _stopped: Callable[[], bool] | None = None

    def _ids(self, sql: str, params: Sequence[object] = ()) -> IdArray:
        """The ids a one-column query returns, as a numpy array (fetched as one string)."""
        return self._joined_ids(f"WITH q(x) AS ({sql}) SELECT group_concat(x) FROM q", params)

    def _joined_ids(self, sql: str, params: Sequence[object] = ()) -> IdArray:
        """The ids an aggregate query joins with commas, as a numpy array."""
        import numpy as np  # here, not at start-up: the app's first paint does not wait for it

        (text,) = self._engine_row(sql, params)
        return np.fromstring(str(text or ""), sep=",", dtype=np.int64)  # (C-speed: 17 ms/1M ids)

    def _engine_row(self, sql: str, params: Sequence[object] = ()) -> tuple[object, ...]:
        """The one row of a read the engine makes (see :meth:`_engine_rows`)."""
        return tuple(self._engine_rows(sql, params)[0])

    def _engine_rows(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """The rows of a read the engine makes, stopped when a newer search replaced it."""
        if self._stopped is not None and self._stopped():
            raise SearchInterrupted("a newer search replaced this one")
        try:
            with self.lock:
                return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise SearchInterrupted("a newer search replaced this one") from None
            # FTS5 refuses a few odd inputs; a search must say so, never bring the app down.
            raise LibraryError(f"the search could not run ({exc})") from None

    def id_bound(self) -> int:
        """One more than the largest paper id (the size of a mask over every paper)."""
        return int(self._engine_row("SELECT coalesce(max(id), 0) + 1 FROM papers")[0])  # type: ignore[call-overload]

    def order_ids(self, sort: str = "date") -> IdArray:
        """Every paper id in ``sort`` order, as a numpy array (see :meth:`ordered_ids`)."""
        if sort.removeprefix("-") == "title":
            import numpy as np

            return np.array(self.ordered_ids(sort), dtype=np.int64)
        return self._ids(f"SELECT id FROM papers ORDER BY {_ORDER[sort]}")

    def date_counts(self) -> list[tuple[str | None, int]]:
        """How many papers carry each publication date, in the "date" order (newest first, no
        date last): one walk of the date index, a row per date rather than per paper."""
        return [
            (row[0], row[1])
            for row in self._engine_rows(
                "SELECT published, count(*) FROM papers GROUP BY published ORDER BY published DESC"
            )
        ]

    def match_ids(self, expression: str, *, everything: bool = False) -> IdArray:
        """Papers whose titles and names (``everything``: and indexed abstracts) match an FTS5
        ``expression``."""
        return self._joined_ids(_ALL_IDS if everything else _FTS_IDS, [expression])

    def flag_ids(self, kind: str, value: str) -> IdArray:
        """Papers an ``is:``/``has:`` value selects (``read``, ``starred``, ``code``, …)."""
        return self._ids(_FLAG_SETS[(kind, value)])

    def tag_ids(self, name: str) -> IdArray:
        """Papers carrying the tag ``name`` (case-insensitive)."""
        return self._ids(
            "SELECT pt.paper_id FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
            " WHERE t.name = ? COLLATE NOCASE",
            [name],
        )

    def first_seen_ids(self, import_ids: Sequence[int]) -> IdArray:
        """Papers first seen in one of the imports ``import_ids``."""
        marks = ",".join("?" * len(import_ids))
        return self._ids(f"SELECT id FROM papers WHERE first_import IN ({marks})", list(import_ids))

    def unindexed_ids(self) -> IdArray:
        """Papers whose abstracts wait to be indexed (searched with LIKE meanwhile)."""
        return self._ids("SELECT paper_id FROM pending_abstracts")

    def unindexed_matching(self, word: str) -> IdArray:
        """Papers waiting to be indexed whose abstract contains ``word`` (a LIKE scan of them)."""
        pattern = "%" + word.replace("%", "").replace("_", "") + "%"
        return self._ids(
            "SELECT p.id FROM pending_abstracts pa JOIN papers p ON p.id = pa.paper_id"
            " WHERE p.abstract LIKE ?",
            [pattern],
        )

    def has_unindexed(self) -> bool:
        """Are abstracts waiting to be indexed?"""
        return bool(self.query("SELECT EXISTS (SELECT 1 FROM pending_abstracts)")[0][0])

    def ordered_ids(self, sort: str = "date") -> list[int]:
        """Every paper id in ``sort`` order ("-" + sort: reversed); see :data:`tuireader.models.SORTS`."""
        with self.lock:
            if sort.removeprefix("-") == "title":
                # No index for this one (it would cost every import a quarter of its time):
                # one scan, sorted here (the search engine keeps it until the library changes).
                rows = self.conn.execute("SELECT id, title FROM papers").fetchall()
                order = [i for i, _ in sorted(rows, key=lambda r: (r[1].casefold(), r[0]))]
                if sort.startswith("-"):
                    order.reverse()
                return order
            return [
                row[0]
                for row in self.conn.execute(f"SELECT id FROM papers ORDER BY {_ORDER[sort]}")
            ]

    def first_ids(self, sort: str = "date", limit: int = 200) -> list[int]:
        """The first ``limit`` ids in ``sort`` order, straight from the index (a first screen)."""
        if sort.removeprefix("-") == "title":
            return self.ordered_ids(sort)[:limit]
        return [
            row[0]
            for row in self.query(
                f"SELECT id FROM papers ORDER BY {_ORDER[sort]} LIMIT ?", (limit,)
            )
        ]
