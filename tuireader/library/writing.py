"""Writing one parsed dump, block by block, inside the transaction :meth:`add_dump_blocks` opened:
new papers inserted in bulk, known ones merged, provenance recorded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tuireader.citekeys import cite_key_base
from tuireader.library.citekeys import CiteKeyAllocator
from tuireader.library.in_lists import rows_in
from tuireader.models import ParsedPaper, ParseResult

if TYPE_CHECKING:
    from tuireader.library.merge import MergeMixin

#: Fields filled from a dump when the library does not know them yet.
FILLABLE = (
    "abstract",
    "author_count",
    "organization",
    "org_handle",
    "published",
    "published_raw",
    "category",
    "score",
    "arxiv_id",
    "subjects",
    "arxiv_comments",
    "journal_ref",
)
#: Indexes of papers in no order a dump gives (upvotes, comments; dates nearly so): a big
#: import drops them and builds them again at its end (a sort), cheaper than putting every
#: new paper in its place (100k papers: 3.9 vs 4.3 s of CPU; 1M: 79 vs 92 s). The import's
#: own queries use none of them; readers see them throughout (one transaction).
DEFERRED_INDEXES = ("papers_by_date", "papers_by_upvotes", "papers_by_comments")
#: Papers an import is expected to add, at the least, for the indexes to be deferred (and
#: at least as many as the library holds: building them again reads the whole table).
DEFER_MIN_PAPERS = 50_000
#: The page cache (KiB) while the deferred indexes are built (see :meth:`DumpWriter.finish`).
SORT_CACHE_KIB = 2048


@dataclass(slots=True)
class KeyedBlock:
    """A parsed block whose papers' identity keys (:attr:`ParsedPaper.key`) and citation-key
    bases (:func:`~tuireader.citekeys.cite_key_base`) were computed already, one per paper in
    order, by the process that parsed it (the writer then need not)."""

    result: ParseResult
    keys: list[str]
    bases: list[str]


@dataclass(slots=True)
class ImportCounts:
    """What one dump did to the library."""

    new: int = 0
    merged: int = 0
    unchanged: int = 0
    import_id: int | None = None
    already_imported: bool = False
    #: Papers this dump had dated before and now dates in another year (``redate``).
    redated: int = 0


class DumpWriter:
    """Writes the blocks of one dump inside the transaction of :meth:`add_dump_blocks`."""

    def __init__(
        self,
        library: MergeMixin,
        counts: ImportCounts,
        source: tuple[str, str | None, str, str | None],
        stamp: str,
        redate: bool,
    ) -> None:
        self.library = library
        self.conn = conn = library.conn
        self.counts = counts
        self.sha256 = source[2]
        self.stamp = stamp
        self.papers = 0
        self.warnings: list[str] = []
        self.last: ParseResult | None = None
        self.seen_on = ""
        self.dated_before: set[int] = set()
        self.cite_keys = CiteKeyAllocator(conn)
        #: The indexes dropped until the end (name, SQL), see :meth:`defer_indexes`.
        self.deferred: list[tuple[str, str]] = []
        if redate:
            self.dated_before = {
                row[0]
                for row in conn.execute(
                    "SELECT s.paper_id FROM sightings s JOIN imports i ON i.id = s.import_id"
                    " WHERE i.sha256 = ?",
                    (self.sha256,),
                )
            }
        file, path, sha256, batch = source
        # The layout and the rest are known at the end (set by finish).
        cursor = conn.execute(
            "INSERT INTO imports(file, path, sha256, layout, imported_at, batch)"
            " VALUES (?,?,?,?,?,?)",
            (file, path, sha256, "", stamp, batch),
        )
        self.import_id = counts.import_id = cursor.lastrowid

    def write(self, block: ParseResult | KeyedBlock, fail_after: int | None) -> None:
        """Write one block's papers (merging those the library or an earlier block knows)."""
        if isinstance(block, KeyedBlock):
            result, keys, bases = block.result, block.keys, block.bases
        else:
            result, keys, bases = block, [paper.key for paper in block.papers], None
        if self.last is None:
            # A page without a date is dated by its first import, so importing it again later is
            # not mistaken for a newer page (and writes nothing).
            self.seen_on = (
                result.page_date or (self.library.was_imported(self.sha256) or self.stamp)[:10]
            )
        self.last = result
        self.papers += len(result.papers)
        self.warnings.extend(str(w) for w in result.warnings)
        _write_block(self, result, keys, bases, fail_after)

    def defer_indexes(self, expected_papers: int) -> None:
        """Drop the :data:`DEFERRED_INDEXES` until :meth:`finish` when the dump is expected to
        hold at least :data:`DEFER_MIN_PAPERS` papers and as many as the library holds."""
        if expected_papers < max(DEFER_MIN_PAPERS, self.cite_keys.before):
            return
        marks = ",".join("?" * len(DEFERRED_INDEXES))
        self.deferred = self.conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ({marks})",
            DEFERRED_INDEXES,
        ).fetchall()
        for name, _sql in self.deferred:
            self.conn.execute(f"DROP INDEX {name}")

    def finish(self, skipped: int) -> None:
        """Index the new papers' titles and names, queue their abstracts, fill the imports row."""
        conn, import_id, counts = self.conn, self.import_id, self.counts
        last = self.last
        assert last is not None
        if self.deferred:
            # Each is built by a sort, which may hold as much as the page cache: with a small
            # cache it sorts in more runs, merged, and takes ~15 MB less at 1M papers.
            cache = conn.execute("PRAGMA cache_size").fetchone()[0]
            conn.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
            for _name, sql in self.deferred:  # (the same statement that made it)
                conn.execute(sql)
            conn.execute(f"PRAGMA cache_size = {int(cache)}")
            self.deferred = []
        # One set-based statement indexes the new papers: far faster than a trigger per row.
        conn.execute(
            "INSERT INTO papers_fts(rowid, title, authors, organization, org_handle, notes)"
            " SELECT id, title, authors, organization, org_handle, notes FROM papers"
            " WHERE first_import = ?",
            (import_id,),
        )
        conn.execute(
            "INSERT INTO pending_abstracts(paper_id) SELECT id FROM papers WHERE first_import = ?",
            (import_id,),
        )
        conn.execute(
            "UPDATE imports SET layout = ?, page_date = ?, capture_year = ?, papers = ?,"
            " skipped = ?, warnings = ?, new = ?, merged = ?, unchanged = ? WHERE id = ?",
            (
                last.layout,
                last.page_date,
                last.capture_year,
                self.papers,
                skipped,
                json.dumps(self.warnings),
                counts.new,
                counts.merged,
                counts.unchanged,
                import_id,
            ),
        )


def _write_block(
    writer: DumpWriter,
    result: ParseResult,
    keys: list[str],
    bases: list[str] | None,
    fail_after: int | None,
) -> None:
    conn, counts, import_id = writer.conn, writer.counts, writer.import_id
    stamp, seen_on, sha256 = writer.stamp, writer.seen_on, writer.sha256
    by_key: dict[str, ParsedPaper] = {}
    order: list[str] = []
    # The citation-key base of each paper kept (None: to be computed from the paper as filled).
    base_of: dict[str, str | None] = {}
    for index, (paper, key) in enumerate(zip(result.papers, keys, strict=True)):
        if key in by_key:
            _fill(by_key[key], paper)
            base_of[key] = None  # (a second sighting may fill what the base is made of)
        else:
            by_key[key] = paper
            order.append(key)
            base_of[key] = bases[index] if bases is not None else None
    existing: dict[str, tuple] = {}
    sql = (
        f"SELECT key, id, {', '.join(FILLABLE)}, authors, authors_truncated, has_code,"
        " upvotes, upvotes_seen_on, comments, comments_seen_on FROM papers WHERE key IN ({marks})"
    )
    for row in rows_in(conn, sql, order):
        existing[row[0]] = row
    # Papers an earlier block of this dump wrote already (the same paper twice in one dump).
    repeated: set[int] = set()
    if writer.papers > len(result.papers) and existing:
        known_ids = [row[1] for row in existing.values()]
        sql = "SELECT paper_id FROM sightings WHERE import_id = ? AND paper_id IN ({marks})"
        repeated.update(row[0] for row in rows_in(conn, sql, known_ids, (import_id,)))
    next_id = (conn.execute("SELECT max(id) FROM papers").fetchone()[0] or 0) + 1
    new: list[tuple[int, str, ParsedPaper]] = []
    new_bases: list[str] = []
    updates: list[tuple] = []
    sightings: list[tuple] = []
    written = counts.new + counts.merged + counts.unchanged
    for number, key in enumerate(order, start=written + 1):
        if fail_after is not None and number > fail_after:
            raise RuntimeError(f"simulated failure after {fail_after} papers")
        paper = by_key[key]
        known = existing.get(key)
        if known is None:
            paper_id = next_id
            next_id += 1
            new.append((paper_id, key, paper))
            base = base_of[key]
            if base is None:
                base = cite_key_base(
                    paper.title,
                    paper.authors,
                    paper.organization,
                    paper.org_handle,
                    paper.published,
                )
            new_bases.append(base)
            counts.new += 1
        elif known[1] in repeated:
            # Seen in an earlier block: fill what is still unknown, count it once.
            change = _fill_changes(known, paper)
            if change:
                sets = ", ".join(f"{name} = ?" for name in change)
                updates.append((sets, (*change.values(), stamp, known[1])))
            continue
        else:
            paper_id = known[1]
            change = _merge_changes(known, paper, seen_on)
            if paper_id in writer.dated_before and _redated(known, paper):
                change["published"] = paper.published
                counts.redated += 1
            if change:
                sets = ", ".join(f"{name} = ?" for name in change)
                updates.append((sets, (*change.values(), stamp, paper_id)))
                counts.merged += 1
            else:
                sighted = conn.execute(
                    "SELECT 1 FROM sightings s JOIN imports i ON i.id = s.import_id"
                    " WHERE s.paper_id = ? AND i.sha256 = ?",
                    (paper_id, sha256),
                ).fetchone()
                if sighted:
                    counts.unchanged += 1
                else:
                    counts.merged += 1
        sightings.append(
            (paper_id, import_id, paper.line, paper.upvotes, paper.comments, paper.published_raw)
        )
    # Citation keys are given here, once: a merge or a re-import never changes them.
    cite_keys = writer.cite_keys.allocate(new_bases)
    conn.executemany(
        _INSERT_SQL,
        [
            _insert_row(paper_id, key, paper, stamp, seen_on, import_id, cite_key)
            for (paper_id, key, paper), cite_key in zip(new, cite_keys, strict=True)
        ],
    )
    for sets, params in updates:
        # Triggers keep papers_fts and (for papers already in it) all_fts current.
        conn.execute(f"UPDATE papers SET {sets}, updated_at = ? WHERE id = ?", params)
    conn.executemany(
        "INSERT OR IGNORE INTO sightings(paper_id, import_id, line, upvotes, comments,"
        " published_raw) VALUES (?,?,?,?,?,?)",
        sightings,
    )


_INSERT_SQL = (
    "INSERT INTO papers(id, key, title, abstract, authors, authors_truncated, author_count,"
    " organization, org_handle, published, published_raw, upvotes, upvotes_seen_on,"
    " comments, comments_seen_on, arxiv_id, has_code, category, score, added_at,"
    " updated_at, first_import, cite_key, subjects, arxiv_comments, journal_ref)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def _fill_changes(known: tuple, paper: ParsedPaper) -> dict[str, object]:
    """The columns of the stored row ``known`` still unknown that ``paper`` knows."""
    stored = dict(zip(FILLABLE, known[2 : 2 + len(FILLABLE)], strict=True))
    change: dict[str, object] = {
        name: getattr(paper, name)
        for name in FILLABLE
        if stored[name] in (None, "") and getattr(paper, name) not in (None, "")
    }
    authors, _truncated, has_code = known[2 + len(FILLABLE) : 5 + len(FILLABLE)]
    if authors is None and paper.authors:
        change["authors"] = json.dumps(paper.authors, ensure_ascii=False)
        change["authors_truncated"] = int(paper.authors_truncated)
    if has_code is None and paper.has_code is not None:
        change["has_code"] = int(paper.has_code)
    return change


def _insert_row(
    paper_id: int,
    key: str,
    paper: ParsedPaper,
    stamp: str,
    seen_on: str,
    import_id: int | None,
    cite_key: str,
) -> tuple:
    return (
        paper_id,
        key,
        paper.title,
        paper.abstract,
        json.dumps(paper.authors, ensure_ascii=False) if paper.authors is not None else None,
        int(paper.authors_truncated),
        paper.author_count,
        paper.organization,
        paper.org_handle,
        paper.published,
        paper.published_raw,
        paper.upvotes,
        seen_on if paper.upvotes is not None else None,
        paper.comments,
        seen_on if paper.comments is not None else None,
        paper.arxiv_id,
        None if paper.has_code is None else int(paper.has_code),
        paper.category,
        paper.score,
        stamp,
        stamp,
        import_id,
        cite_key,
        paper.subjects,
        paper.arxiv_comments,
        paper.journal_ref,
    )


def _fill(target: ParsedPaper, other: ParsedPaper) -> None:
    """Fill ``target``'s unknown fields from a second sighting in the same dump."""
    for name in (*FILLABLE, "authors", "upvotes", "comments", "has_code"):
        if getattr(target, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(target, name, getattr(other, name))


def _redated(known: tuple, paper: ParsedPaper) -> bool:
    """Does ``paper`` date the stored row ``known`` in another year from the same date text?"""
    published = known[2 + FILLABLE.index("published")]
    raw = known[2 + FILLABLE.index("published_raw")]
    return bool(paper.published) and raw == paper.published_raw and published != paper.published


def _merge_changes(known: tuple, paper: ParsedPaper, seen_on: str) -> dict[str, object]:
    """The column changes that merging ``paper`` into the stored row ``known`` makes."""
    stored = dict(zip(FILLABLE, known[2 : 2 + len(FILLABLE)], strict=True))
    authors, truncated, has_code = known[2 + len(FILLABLE) : 5 + len(FILLABLE)]
    change: dict[str, object] = {}
    for name in FILLABLE:
        value = getattr(paper, name)
        if stored[name] in (None, "") and value not in (None, ""):
            change[name] = value
    if paper.authors:
        old = json.loads(authors) if authors else None
        better = (
            old is None
            or (truncated and not paper.authors_truncated)
            or (bool(truncated) == paper.authors_truncated and len(paper.authors) > len(old))
        )
        if better and paper.authors != old:
            change["authors"] = json.dumps(paper.authors, ensure_ascii=False)
            change["authors_truncated"] = int(paper.authors_truncated)
    if paper.has_code and not has_code:
        change["has_code"] = 1
    elif has_code is None and paper.has_code is not None:
        change["has_code"] = int(paper.has_code)
    # Counts: the one from the newest page wins (upvotes and comments each keep their page date).
    counts = known[5 + len(FILLABLE) :]
    for index, name in enumerate(("upvotes", "comments")):
        stored, stored_seen = counts[2 * index], counts[2 * index + 1]
        value = getattr(paper, name)
        newer = stored_seen is None or seen_on >= stored_seen
        if value is not None and newer and (value, seen_on) != (stored, stored_seen):
            change[name] = value
            change[f"{name}_seen_on"] = seen_on
    return change
