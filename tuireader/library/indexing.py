"""The abstract index: papers whose abstracts wait in ``pending_abstracts`` get into ``all_fts``.

Imports leave abstracts for later (indexing them in the import would halve its speed); the
reader indexes them in the background and the CLI before a search or an export.
"""

from __future__ import annotations

from tuireader.library.core import LibraryBase


class IndexingMixin(LibraryBase):
    """The library's part that indexes waiting abstracts."""

    def index_abstracts(self, batch: int = 5000) -> int:
        """Add up to ``batch`` waiting papers to ``all_fts`` in one transaction; return how many remain."""
        with self.transaction(content=False) as conn:  # (no result changes)
            ids = [
                row[0]
                for row in conn.execute("SELECT paper_id FROM pending_abstracts LIMIT ?", (batch,))
            ]
            if ids:
                marks = ",".join("?" * len(ids))
                conn.execute(
                    "INSERT INTO all_fts(rowid, title, authors, organization, org_handle, notes,"
                    " abstract) SELECT id, title, authors, organization, org_handle, notes,"
                    f" abstract FROM papers WHERE id IN ({marks})",
                    ids,
                )
                conn.execute(f"DELETE FROM pending_abstracts WHERE paper_id IN ({marks})", ids)
            return conn.execute("SELECT count(*) FROM pending_abstracts").fetchone()[0]
