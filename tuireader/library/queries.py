"""Reading the library: paper lists by query and sort, single papers, tags, imports, stats."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from tuireader.library.core import LibraryBase
from tuireader.models import Paper, PaperRow, Sighting, who_line

_CHUNK = 900
_PAPER_COLUMNS = (
    "id, title, abstract, authors, authors_truncated, author_count, organization, org_handle,"
    " published, published_raw, upvotes, has_code, category, score, read, starred, notes, added_at,"
    " comments, arxiv_id, cite_key, subjects, arxiv_comments, journal_ref"
)


class QueryMixin(LibraryBase):
    """Library methods that read papers: rows for the list, whole papers, counts, listings."""

    def rows(self, ids: Sequence[int]) -> list[PaperRow]:
        """List rows for ``ids``, in the same order (ids no longer present are left out)."""
        found: dict[int, PaperRow] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            with self.lock:
                tags = self._tags_for(chunk)
                cursor = self.conn.execute(
                    "SELECT id, title, published, organization, authors, authors_truncated,"
                    f" author_count, upvotes, read, starred, comments FROM papers"
                    f" WHERE id IN ({marks})",
                    chunk,
                )
                for row in cursor:
                    found[row[0]] = PaperRow(
                        id=row[0],
                        title=row[1],
                        published=row[2],
                        who=who_line(
                            row[3], json.loads(row[4]) if row[4] else None, bool(row[5]), row[6]
                        ),
                        upvotes=row[7],
                        read=bool(row[8]),
                        starred=bool(row[9]),
                        tags=tuple(tags.get(row[0], ())),
                        comments=row[10],
                    )
        return [found[i] for i in ids if i in found]

    def _tags_for(self, ids: Sequence[int]) -> dict[int, list[str]]:
        marks = ",".join("?" * len(ids))
        tags: dict[int, list[str]] = {}
        for paper_id, name in self.conn.execute(
            "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
            f" WHERE pt.paper_id IN ({marks}) ORDER BY t.name COLLATE NOCASE",
            list(ids),
        ):
            tags.setdefault(paper_id, []).append(name)
        return tags

    def get_paper(self, paper_id: int) -> Paper | None:
        """The whole paper, with its tags and the dumps it came from, or None."""
        papers = self.get_papers([paper_id])
        return papers[0] if papers else None

    def get_papers(self, ids: Sequence[int]) -> list[Paper]:
        """Whole papers for ``ids``, in that order."""
        found: dict[int, Paper] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            with self.lock:
                tags = self._tags_for(chunk)
                sources: dict[int, list[str]] = {}
                for paper_id, file in self.conn.execute(
                    "SELECT s.paper_id, i.file FROM sightings s JOIN imports i ON i.id = s.import_id"
                    f" WHERE s.paper_id IN ({marks}) ORDER BY i.id",
                    chunk,
                ):
                    if file not in sources.setdefault(paper_id, []):
                        sources[paper_id].append(file)
                rows = self.conn.execute(
                    f"SELECT {_PAPER_COLUMNS} FROM papers WHERE id IN ({marks})", chunk
                ).fetchall()
            for row in rows:
                found[row[0]] = _paper(row, tags.get(row[0], []), sources.get(row[0], []))
        return [found[i] for i in ids if i in found]

    def sightings(self, paper_id: int) -> list[Sighting]:
        """Every dump the paper was seen in, oldest import first, with the counts seen there."""
        return [
            Sighting(*row)
            for row in self.query(
                "SELECT i.id, i.file, i.imported_at, i.page_date, s.upvotes, s.published_raw,"
                " s.comments"
                " FROM sightings s JOIN imports i ON i.id = s.import_id"
                " WHERE s.paper_id = ? ORDER BY i.id",
                (paper_id,),
            )
        ]

    def ranking_texts(self, ids: Sequence[int]) -> list[tuple[int, str, str]]:
        """(id, title, "authors organisation") for ranking search candidates."""
        out: list[tuple[int, str, str]] = []
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in self.query(
                "SELECT id, title, coalesce(authors, '') || ' ' || coalesce(organization, '')"
                f" FROM papers WHERE id IN ({marks})",
                chunk,
            ):
                out.append((row[0], row[1], row[2]))
        return out

    def vocabulary(self) -> list[str]:
        """Every distinct word of titles, authors and organisations (for fuzzy search)."""
        with self.lock:
            self.conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.papers_vocab"
                " USING fts5vocab(main, papers_fts, row)"
            )
            return [row[0] for row in self.conn.execute("SELECT term FROM temp.papers_vocab")]

    # -- counts and listings -------------------------------------------------------------------
    def count(self) -> int:
        """How many papers the library holds."""
        return self.query("SELECT count(*) FROM papers")[0][0]

    def counts(self) -> dict[str, int]:
        """Totals: papers, unread, starred, tagged, with notes, imports."""

        def count(where: str = "") -> int:
            return self.query("SELECT count(*) FROM papers" + (f" WHERE {where}" if where else ""))[
                0
            ][0]

        # Each count reads an index only (the papers rows are big: abstracts live in them).
        row = (
            count(),
            count() - count("read = 1"),
            count("starred = 1"),
            count("notes IS NOT NULL AND notes != ''"),
        )
        tagged = self.query("SELECT count(DISTINCT paper_id) FROM paper_tags")[0][0]
        imports = self.query("SELECT count(*) FROM imports")[0][0]
        return {
            "papers": row[0],
            "unread": row[1],
            "starred": row[2],
            "with_notes": row[3],
            "tagged": tagged,
            "imports": imports,
        }

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with the number of papers that carry it, most used first."""
        return [
            (row[0], row[1])
            for row in self.query(
                "SELECT t.name, count(pt.paper_id) AS n FROM tags t"
                " LEFT JOIN paper_tags pt ON pt.tag_id = t.id GROUP BY t.id"
                " HAVING n > 0 ORDER BY n DESC, t.name COLLATE NOCASE"
            )
        ]

    def imports(self) -> list[dict[str, object]]:
        """Every import, newest first."""
        rows = self.query(
            "SELECT id, file, path, layout, page_date, imported_at, papers, new, merged, unchanged,"
            " skipped, batch FROM imports ORDER BY id DESC"
        )
        keys = (
            "id",
            "file",
            "path",
            "layout",
            "page_date",
            "imported_at",
            "papers",
            "new",
            "merged",
            "unchanged",
            "skipped",
            "batch",
        )
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def pending_abstracts(self) -> int:
        """How many abstracts still wait to be indexed."""
        return self.query("SELECT count(*) FROM pending_abstracts")[0][0]


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _paper(row: sqlite3.Row | tuple, tags: list[str], sources: list[str]) -> Paper:
    return Paper(
        id=row[0],
        title=row[1],
        abstract=row[2],
        authors=json.loads(row[3]) if row[3] is not None else None,
        authors_truncated=bool(row[4]),
        author_count=row[5],
        organization=row[6],
        org_handle=row[7],
        published=row[8],
        published_raw=row[9],
        upvotes=row[10],
        has_code=None if row[11] is None else bool(row[11]),
        category=row[12],
        score=row[13],
        read=bool(row[14]),
        starred=bool(row[15]),
        notes=row[16],
        added_at=row[17],
        tags=tags,
        sources=sources,
        comments=row[18],
        arxiv_id=row[19],
        cite_key=row[20],
        subjects=row[21],
        arxiv_comments=row[22],
        journal_ref=row[23],
    )
