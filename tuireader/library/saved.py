"""Saved searches: named queries, kept in the library file."""

from __future__ import annotations

from tuireader.library.core import LibraryBase, now


class SavedSearchesMixin(LibraryBase):
    """The library's part that keeps named queries."""

    def save_search(self, name: str, query: str) -> None:
        """Save (or replace) a named query."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO saved_searches(name, query, created_at) VALUES (?,?,?)",
                (name.strip(), query, now()),
            )

    def delete_saved_search(self, name: str) -> None:
        """Forget a saved query."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,))

    def saved_searches(self) -> list[tuple[str, str]]:
        """Every saved query as (name, query), by name."""
        return [
            (row[0], row[1])
            for row in self.query(
                "SELECT name, query FROM saved_searches ORDER BY name COLLATE NOCASE"
            )
        ]
