"""What the ranking reads: every paper's words in id order (a chunk at a time), the reader's
labels (starred, read, tagged), which papers changed since a time, and BM25 matches."""

from __future__ import annotations

from tuireader.library.core import LibraryBase
from tuireader.models import RankingLabels

#: Papers read per statement while a corpus is built (the connection's lock is let go between
#: chunks, so the reader's own reads never wait long behind the ranking's).
DOCUMENT_CHUNK = 2000


class RankingReadMixin(LibraryBase):
    """Library methods the ranking (tuireader.ranking) reads through."""

    def ranking_documents(
        self, after: int = 0, limit: int = DOCUMENT_CHUNK, upto: int | None = None
    ) -> list[tuple[int, str, str]]:
        """(id, title, abstract) of up to ``limit`` papers with ids above ``after`` (and at
        most ``upto``), in id order."""
        bound = "" if upto is None else " AND id <= ?"
        params = (after, limit) if upto is None else (after, upto, limit)
        return [
            (row[0], row[1], row[2])
            for row in self.query(
                f"SELECT id, title, abstract FROM papers WHERE id > ?{bound} ORDER BY id LIMIT ?",
                params,
            )
        ]

    def ranking_stamp(self) -> tuple[int, str, str]:
        """What a corpus was built from: the largest paper id, the latest ``updated_at``, and
        when the library was created (another library at the same path has another)."""
        row = self.query(
            "SELECT coalesce(max(id), 0), coalesce(max(updated_at), ''),"
            " coalesce((SELECT value FROM meta WHERE key = 'created_at'), '') FROM papers"
        )[0]
        return int(row[0]), str(row[1]), str(row[2])

    def updated_since(self, stamp: str, upto: int) -> list[int]:
        """Papers with ids up to ``upto`` whose fields an import or merge changed after ``stamp``."""
        return [
            row[0]
            for row in self.query(
                "SELECT id FROM papers WHERE updated_at > ? AND id <= ?", (stamp, upto)
            )
        ]

    def ranking_labels(self) -> RankingLabels:
        """The reader's labels, read in one snapshot: starred, read, and each tag's papers."""
        with self.read_snapshot() as conn:
            starred = frozenset(r[0] for r in conn.execute("SELECT id FROM papers WHERE starred = 1"))
            read = frozenset(r[0] for r in conn.execute("SELECT id FROM papers WHERE read = 1"))
            tags: dict[str, set[int]] = {}
            for paper_id, name in conn.execute(
                "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
            ):
                tags.setdefault(name.casefold(), set()).add(paper_id)
        return RankingLabels(starred, read, {name: frozenset(ids) for name, ids in tags.items()})

    def paper_id_by_key(self, key: str) -> int | None:
        """The id of the paper whose folded title is ``key`` (see models.title_key), or None."""
        rows = self.query("SELECT id FROM papers WHERE key = ?", (key,))
        return int(rows[0][0]) if rows and key else None

    def bm25_ids(self, expression: str, limit: int) -> list[int]:
        """Papers matching an FTS5 ``expression`` over everything (abstracts too), best BM25
        rank first (SQLite's ``bm25()``: a plain similarity baseline)."""
        return [
            row[0]
            for row in self.query(
                "SELECT rowid FROM all_fts WHERE all_fts MATCH ? ORDER BY bm25(all_fts) LIMIT ?",
                (expression, limit),
            )
        ]
