"""Reading the library: paper lists by query and sort, single papers, tags, imports, stats."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Sequence

from tuireader.library.core import LibraryBase, LibraryError
from tuireader.models import Clause, Paper, PaperRow, Sighting, who_line

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
_FTS_IDS = "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?"
_ALL_IDS = "SELECT rowid FROM all_fts WHERE all_fts MATCH ?"
#: Clauses evaluated as the complement of a small indexed set.
_COMPLEMENTS = {("is", "unread"): "read", ("is", "unstarred"): "starred"}
_SIMPLE_SETS = {
    ("is", "read"): "SELECT id FROM papers WHERE read = 1",
    ("is", "starred"): "SELECT id FROM papers WHERE starred = 1",
    ("has", "code"): "SELECT id FROM papers WHERE has_code = 1",
    ("has", "notes"): "SELECT id FROM papers WHERE notes IS NOT NULL AND notes != ''",
    ("has", "tags"): "SELECT DISTINCT paper_id FROM paper_tags",
    ("has", "upvotes"): "SELECT id FROM papers WHERE upvotes > 0",
    ("has", "comments"): "SELECT id FROM papers WHERE comments > 0",
    ("has", "arxiv"): "SELECT id FROM papers WHERE arxiv_id IS NOT NULL",
}
#: Clause results kept between searches (typing a query re-uses the words already typed).
_CACHE_SIZE = 16
_CHUNK = 900
_PAPER_COLUMNS = (
    "id, title, abstract, authors, authors_truncated, author_count, organization, org_handle,"
    " published, published_raw, upvotes, has_code, category, score, read, starred, notes, added_at,"
    " comments, arxiv_id, cite_key"
)


def fts_quote(text: str, prefix: bool = False) -> str:
    """Quote ``text`` as an FTS5 string (a phrase of its tokens), optionally as a prefix."""
    quoted = '"' + text.replace('"', '""') + '"'
    return quoted + ("*" if prefix else "")


_META_COLUMNS = "title authors organization org_handle notes"
_ENDINGS = ("s", "es", "ed", "ing")


def _word_expression(clause: Clause, *, short_words_in_meta: bool = True) -> str:
    """The FTS5 expression of a text or phrase clause (over every column of the table).

    ``short_words_in_meta``: limit short words to the title and name columns (for all_fts;
    papers_fts holds nothing else).
    """
    if clause.kind == "phrase":
        return fts_quote(clause.value)
    # Prefixes count from two characters ("t*" would match most of the library), and only for
    # the word being typed: a finished word matches as it is, or as one of its typo alternatives.
    prefix = clause.prefix and len(clause.value) >= 2
    parts = [fts_quote(clause.value, prefix=prefix)]
    if not prefix and clause.value.isalpha() and len(clause.value) >= 3:
        # A finished word also finds its usual inflections: "benchmark" -> "benchmarks".
        parts += [fts_quote(clause.value + ending) for ending in _ENDINGS]
    parts += [fts_quote(alt) for alt in clause.alternatives if alt != clause.value]
    expression = " OR ".join(parts)
    short = len(clause.value) < 3 or (prefix and len(clause.value) < 4)
    if short_words_in_meta and clause.kind == "text" and short:
        # "is", "of", "a" occur in nearly every abstract, and so do words starting with "tr" or
        # "con": short words, and prefixes under four letters, match titles and names only.
        return f"{{{_META_COLUMNS}}} : ({expression})"
    return f"({expression})"


def _column_expression(columns: str, value: str) -> str:
    """FTS5 expression matching every word of ``value`` (as prefixes) within ``columns``."""
    words = [w for w in value.split() if w]
    inner = " AND ".join(fts_quote(word, prefix=True) for word in words) or '""'
    return f"{{{columns}}} : ({inner})"


class QueryMixin(LibraryBase):
    """Library methods that read papers."""

    # -- lists ---------------------------------------------------------------------------------
    def _ids(self, sql: str, params: Sequence[object] = ()) -> set[int]:
        """The ids a one-column query returns, as a set (fetched as one string: far fewer objects)."""
        try:
            with self.lock:
                joined = self.conn.execute(
                    f"WITH q(x) AS ({sql}) SELECT group_concat(x) FROM q", params
                ).fetchone()[0]
        except sqlite3.OperationalError as exc:
            # FTS5 refuses a few odd inputs; a search must say so, never bring the app down.
            raise LibraryError(f"the search could not run ({exc})") from None
        return set(map(int, joined.split(","))) if joined else set()

    def _word_sets(self, words: tuple[Clause, ...]) -> tuple[set[int], set[int]]:
        """Papers matching every word or phrase anywhere, and those matching in titles/names.

        One MATCH over the table of everything (words ANDed inside FTS5) and one over titles and
        names; papers whose text is not indexed yet are matched word by word with LIKE.
        """
        expression = " AND ".join(_word_expression(word) for word in words)
        everywhere = self._ids(_ALL_IDS, [expression])
        # Titles and names (unstemmed) rank first: there every word counts as a prefix.
        as_prefixes = [dataclasses.replace(w, prefix=True) for w in words]
        strong_expression = " AND ".join(
            _word_expression(w, short_words_in_meta=False) for w in as_prefixes
        )
        strong = self._ids(_FTS_IDS, [strong_expression])
        if self.query("SELECT EXISTS (SELECT 1 FROM pending_abstracts)")[0][0]:
            pending: set[int] | None = None
            for word in words:
                pattern = "%" + word.value.replace("%", "").replace("_", "") + "%"
                hits = self._ids(_FTS_IDS, [_word_expression(word)]) | self._ids(
                    "SELECT p.id FROM pending_abstracts pa JOIN papers p ON p.id = pa.paper_id"
                    " WHERE p.abstract LIKE ?",
                    [pattern],
                )
                pending = hits if pending is None else pending & hits
            waiting = self._ids("SELECT paper_id FROM pending_abstracts")
            everywhere |= (pending or set()) & waiting
        return everywhere, strong  # find() keeps strong matches within the selection

    def _clause_ids(self, clause: Clause) -> set[int]:
        """The ids of the papers a (positive) clause matches (cached until the library changes)."""
        if clause.negated:
            clause = dataclasses.replace(clause, negated=False)
        if clause.kind in ("text", "phrase"):
            return self._cached(("words", (clause,)), lambda: self._word_sets((clause,)))[0]
        if (clause.kind, clause.value) in _COMPLEMENTS:
            positive = Clause(clause.kind, _COMPLEMENTS[(clause.kind, clause.value)])
            return self._all_ids() - self._clause_ids(positive)
        return self._cached(("ids", clause), lambda: self._clause_query(clause))

    def _clause_query(self, clause: Clause) -> set[int]:
        """Run the query of a non-text clause; each kind reads an index only."""
        kind = clause.kind
        if (kind, clause.value) in _SIMPLE_SETS:
            return self._ids(_SIMPLE_SETS[(kind, clause.value)])
        if kind in ("author", "org"):
            # A value and its typo-forgiving alternatives (see Searcher), any of them.
            columns = "authors" if kind == "author" else "organization org_handle"
            values = (clause.value, *clause.alternatives)
            expression = " OR ".join(_column_expression(columns, value) for value in values)
            return self._ids(_FTS_IDS, [expression])
        if kind == "tag":
            return self._ids(
                "SELECT pt.paper_id FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
                " WHERE t.name = ? COLLATE NOCASE",
                [clause.value],
            )
        if kind == "year":
            low = f"{clause.low:04d}-01-01" if clause.low is not None else "0000"
            high = f"{clause.high + 1:04d}-01-01" if clause.high is not None else "9999"
            return self._ids(
                "SELECT id FROM papers WHERE published >= ? AND published < ?", [low, high]
            )
        if kind == "import":
            seen = clause.value.startswith("seen:")
            ids = [int(part) for part in clause.value.removeprefix("seen:").split(",")]
            marks = ",".join("?" * len(ids))
            if seen:
                sql = f"SELECT paper_id FROM sightings WHERE import_id IN ({marks})"
            else:
                sql = f"SELECT id FROM papers WHERE first_import IN ({marks})"
            return self._ids(sql, ids)
        raise ValueError(f"unknown clause {kind}:{clause.value}")

    def _check_version(self) -> None:
        """Drop every cached result when this or another connection changed the library."""
        version = (self.writes, self.data_version())
        if self._cache_version != version:
            self._cache.clear()
            self._orders.clear()
            self._cache_version = version

    def _cached(self, key: object, compute):
        """A clause result from the cache (least recently used goes first), or computed now."""
        self._check_version()
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        value = compute()
        self._cache[key] = value
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return value

    def _order(self, sort: str) -> tuple[list[int], dict[int, int]]:
        """Every id in ``sort`` order, and each id's position in it (kept apart from the cache)."""
        self._check_version()
        if sort not in self._orders:
            with self.lock:
                if sort.removeprefix("-") == "title":
                    # No index for this one (it would cost every import a quarter of its time):
                    # one scan, sorted here, once until the library changes.
                    rows = self.conn.execute("SELECT id, title FROM papers").fetchall()
                    order = [i for i, _ in sorted(rows, key=lambda r: (r[1].casefold(), r[0]))]
                    if sort.startswith("-"):
                        order.reverse()
                else:
                    order = [
                        row[0]
                        for row in self.conn.execute(
                            f"SELECT id FROM papers ORDER BY {_ORDER[sort]}"
                        )
                    ]
            self._orders[sort] = (order, {paper_id: i for i, paper_id in enumerate(order)})
        return self._orders[sort]

    def _all_ids(self) -> set[int]:
        self._check_version()
        if "all" not in self._orders:
            self._orders["all"] = set(self._order("date")[0])
        return self._orders["all"]

    def first_ids(self, sort: str = "date", limit: int = 200) -> list[int]:
        """The first ``limit`` ids in ``sort`` order, straight from the index (a first screen)."""
        if sort.removeprefix("-") == "title" or sort in self._orders:
            return self.ordered_ids(sort)[:limit]
        return [
            row[0]
            for row in self.query(
                f"SELECT id FROM papers ORDER BY {_ORDER[sort]} LIMIT ?", (limit,)
            )
        ]

    def ordered_ids(self, sort: str = "date") -> list[int]:
        """Every paper id in ``sort`` order (cached until the library changes)."""
        with self.read_snapshot():
            return self._order(sort)[0]

    def find(
        self, clauses: Sequence[Clause] = (), sort: str = "date"
    ) -> tuple[list[int], set[int] | None]:
        """Papers matching every clause in ``sort`` order, and the strong matches among them.

        Strong matches are the papers where every positive word or phrase matches the title,
        authors, organisation or notes (not only the abstract); None when there are no words.
        A negated clause keeps exactly the papers its positive form does not match.
        """
        with self.read_snapshot():
            return self._find(clauses, sort)

    def _find(
        self, clauses: Sequence[Clause], sort: str
    ) -> tuple[list[int], set[int] | None]:
        """:meth:`find` inside one read snapshot (order, caches and clause sets agree)."""
        order, position = self._order(sort)
        if not clauses:
            return order, None
        words = tuple(c for c in clauses if c.kind in ("text", "phrase") and not c.negated)
        selected: set[int] | None = None
        strong: set[int] | None = None
        if words:
            selected, strong = self._cached(("words", words), lambda: self._word_sets(words))
        for clause in sorted(clauses, key=lambda c: c.negated):
            if clause in words:
                continue
            if selected is not None and not selected:
                break  # nothing left to narrow
            matched = self._clause_ids(clause)
            if clause.negated:
                selected = (self._all_ids() if selected is None else selected) - matched
            else:
                selected = matched if selected is None else selected & matched
        assert selected is not None
        if strong is not None:
            strong = strong & selected
        last = self._last_find
        if (
            last is not None
            and last[0] == (sort, self._cache_version)
            and len(last[1]) == len(selected)
            and last[2] == strong
            and last[1] == selected
        ):
            # Typing on through a word often changes nothing ("diffusio" -> "diffusion"): the
            # same papers, so the same list object, which the caller may recognise too.
            return last[3], strong
        if len(selected) * 8 < len(order):
            ids = sorted(selected, key=position.__getitem__)  # few: sort them by position
        else:
            ids = list(filter(selected.__contains__, order))  # (C-speed walk of the order)
        self._last_find = ((sort, self._cache_version), selected, strong, ids)
        return ids, strong

    def find_ids(self, clauses: Sequence[Clause] = (), sort: str = "date") -> list[int]:
        """Ids of the papers matching every clause, in ``sort`` order."""
        return self.find(clauses, sort)[0]

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
    )
