"""Watched authors and organisations: which, and when each one's view was last opened."""

from __future__ import annotations

from tuireader.library.core import LibraryBase, now
from tuireader.models import WATCH_KINDS, Watch


class WatchesMixin(LibraryBase):
    """Library methods for watches (a setting, like saved searches: not in the undo journal)."""

    def watch(self, kind: str, name: str) -> bool:
        """Watch the author or organisation ``name``; False when it was watched already."""
        if kind not in WATCH_KINDS or not name.strip():
            raise ValueError(f"cannot watch {kind} {name!r}")
        stamp = now()
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO watches(kind, name, created_at, opened_at) VALUES (?,?,?,?)",
                (kind, name.strip(), stamp, stamp),
            )
        return cursor.rowcount > 0

    def unwatch(self, kind: str, name: str) -> bool:
        """Stop watching; False when it was not watched."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM watches WHERE kind = ? AND name = ?", (kind, name.strip())
            )
        return cursor.rowcount > 0

    def watches(self) -> list[Watch]:
        """Every watch, authors first, by name."""
        return [
            Watch(row[0], row[1], row[2])
            for row in self.query(
                "SELECT kind, name, opened_at FROM watches ORDER BY kind, name COLLATE NOCASE"
            )
        ]

    def is_watched(self, kind: str, name: str) -> bool:
        """Is ``name`` watched as ``kind``?"""
        return bool(
            self.query("SELECT 1 FROM watches WHERE kind = ? AND name = ?", (kind, name.strip()))
        )

    def watch_opened(self, kind: str, name: str) -> None:
        """Its view was opened now: the papers so far are no longer new."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE watches SET opened_at = ? WHERE kind = ? AND name = ?",
                (now(), kind, name.strip()),
            )

    def watch_counts(self, expression: str, since: str) -> tuple[int, int]:
        """Papers whose names match the FTS5 ``expression``: how many, and how many were
        added after ``since``."""
        row = self.query(
            "SELECT count(*), coalesce(sum(added_at > ?), 0) FROM papers WHERE id IN"
            " (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
            (since, expression),
        )[0]
        return int(row[0]), int(row[1])
