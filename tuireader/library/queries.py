"""Reading the library: paper lists by query and sort, single papers, tags, imports, stats."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from tuireader.library.core import LibraryBase
from tuireader.models import Clause, Paper, PaperRow, who_line

_ORDER = {
    "date": "p.published IS NULL, p.published DESC, p.id DESC",
    "upvotes": "p.upvotes IS NULL, p.upvotes DESC, p.published DESC, p.id DESC",
    "title": "p.title COLLATE NOCASE, p.id",
    "added": "p.added_at DESC, p.id DESC",
}
_CHUNK = 900
_PAPER_COLUMNS = (
    "id, title, abstract, authors, authors_truncated, author_count, organization, org_handle,"
    " published, published_raw, upvotes, has_code, category, score, read, starred, notes, added_at"
)


def fts_quote(text: str, prefix: bool = False) -> str:
    """Quote ``text`` as an FTS5 string (a phrase of its tokens), optionally as a prefix."""
    quoted = '"' + text.replace('"', '""') + '"'
    return quoted + ("*" if prefix else "")


def _word_expression(clause: Clause, *, for_abstract: bool) -> str:
    """The FTS5 expression of a text or phrase clause."""
    if clause.kind == "phrase":
        return fts_quote(clause.value)
    prefix = not for_abstract or len(clause.value) >= 3
    parts = [fts_quote(clause.value, prefix=prefix)]
    parts += [fts_quote(alt) for alt in clause.alternatives if alt != clause.value]
    return " OR ".join(parts)


def _column_expression(columns: str, value: str) -> str:
    """FTS5 expression matching every word of ``value`` (as prefixes) within ``columns``."""
    words = [w for w in value.split() if w]
    inner = " AND ".join(fts_quote(word, prefix=True) for word in words) or '""'
    return f"{{{columns}}} : ({inner})"


class QueryMixin(LibraryBase):
    """Library methods that read papers."""

    # -- lists ---------------------------------------------------------------------------------
    def _clause_sql(self, clause: Clause, pending: bool) -> tuple[str, list[object]]:
        kind = clause.kind
        if kind in ("text", "phrase"):
            parts = [
                "p.id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
                "p.id IN (SELECT rowid FROM abstracts_fts WHERE abstracts_fts MATCH ?)",
            ]
            params: list[object] = [
                _word_expression(clause, for_abstract=False),
                _word_expression(clause, for_abstract=True),
            ]
            if pending:
                parts.append(
                    "(p.id IN (SELECT paper_id FROM pending_abstracts) AND p.abstract LIKE ?)"
                )
                params.append("%" + clause.value.replace("%", "").replace("_", "") + "%")
            return "(" + " OR ".join(parts) + ")", params
        if kind == "author":
            return (
                "p.id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
                [_column_expression("authors", clause.value)],
            )
        if kind == "org":
            return (
                "p.id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
                [_column_expression("organization org_handle", clause.value)],
            )
        if kind == "tag":
            return (
                "p.id IN (SELECT pt.paper_id FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
                " WHERE t.name = ? COLLATE NOCASE)",
                [clause.value],
            )
        if kind == "year":
            conditions, params = [], []
            if clause.low is not None:
                conditions.append("p.published >= ?")
                params.append(f"{clause.low:04d}-01-01")
            if clause.high is not None:
                conditions.append("p.published < ?")
                params.append(f"{clause.high + 1:04d}-01-01")
            return "(" + " AND ".join(conditions or ["p.published IS NOT NULL"]) + ")", params
        if kind == "is":
            return {
                "read": ("p.read = 1", []),
                "unread": ("p.read = 0", []),
                "starred": ("p.starred = 1", []),
                "unstarred": ("p.starred = 0", []),
            }[clause.value]
        if kind == "has":
            return {
                "code": ("p.has_code = 1", []),
                "notes": ("coalesce(p.notes, '') != ''", []),
                "tags": ("p.id IN (SELECT paper_id FROM paper_tags)", []),
            }[clause.value]
        if kind == "import":
            return (
                "p.id IN (SELECT paper_id FROM sightings WHERE import_id = ?)"
                if clause.value.startswith("seen:")
                else "p.first_import = ?",
                [int(clause.value.removeprefix("seen:"))],
            )
        raise ValueError(f"unknown clause kind {kind!r}")

    def find_ids(self, clauses: Sequence[Clause] = (), sort: str = "date") -> list[int]:
        """Ids of the papers matching every clause, in ``sort`` order."""
        pending = (
            any(c.kind in ("text", "phrase") for c in clauses) and self.pending_abstracts() > 0
        )
        where, params = [], []
        for clause in clauses:
            sql, clause_params = self._clause_sql(clause, pending)
            # A negated clause is its complement: papers whose value is unknown (no date, code not
            # stated) make the clause NULL, and must count as not matching it.
            where.append(f"NOT coalesce({sql}, 0)" if clause.negated else sql)
            params.extend(clause_params)
        sql = "SELECT p.id FROM papers p"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + _ORDER[sort]
        with self.lock:
            return [row[0] for row in self.conn.execute(sql, params)]

    def rows(self, ids: Sequence[int]) -> list[PaperRow]:
        """List rows for ``ids``, in the same order (ids no longer present are left out)."""
        found: dict[int, PaperRow] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            with self.lock:
                tags = self._tags_for(chunk)
                cursor = self.conn.execute(
                    "SELECT id, title, published, organization, authors, authors_truncated,"
                    f" author_count, upvotes, read, starred FROM papers WHERE id IN ({marks})",
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
        row = self.query(
            "SELECT count(*), coalesce(sum(read = 0), 0), coalesce(sum(starred), 0),"
            " coalesce(sum(coalesce(notes, '') != ''), 0) FROM papers"
        )[0]
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
            " skipped FROM imports ORDER BY id DESC"
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
    )
