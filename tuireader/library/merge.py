"""Writing parsed papers into the library: insert new ones, merge known ones, record provenance."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tuireader.citekeys import cite_key_base
from tuireader.library.citekeys import allocate_cite_keys
from tuireader.library.core import Discard, LibraryBase, now
from tuireader.models import ParsedPaper, ParseResult

#: Fields filled from a dump when the library does not know them yet.
_FILLABLE = (
    "abstract",
    "author_count",
    "organization",
    "org_handle",
    "published",
    "published_raw",
    "category",
    "score",
    "arxiv_id",
)
_CHUNK = 500


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


class MergeMixin(LibraryBase):
    """Library methods that take parsed dumps in."""

    #: Inside :meth:`dry_run_batch`: each dump is a savepoint in one transaction rolled back.
    _dry_batch = False

    @contextmanager
    def dry_run_batch(self) -> Iterator[None]:
        """Dry-run several dumps as one batch: each one's counts see the dumps before it.

        Everything is written inside one transaction that is rolled back at the end, so the
        counts are exactly those the real import of the same files, in the same order, makes.
        """
        with self.transaction():
            self._dry_batch = True
            try:
                yield
            finally:
                self._dry_batch = False
            raise Discard

    def last_batch(self) -> list[dict[str, object]]:
        """The last batch of imports (every file of one ``tuireader import``), oldest first:
        each as ``id``, ``file``, ``new``. An import made without a batch stands alone."""
        rows = self.query(
            "SELECT id, file, new FROM imports WHERE id = (SELECT max(id) FROM imports)"
            " OR batch = (SELECT batch FROM imports ORDER BY id DESC LIMIT 1) ORDER BY id"
        )
        return [{"id": row[0], "file": row[1], "new": row[2]} for row in rows]

    def was_imported(self, sha256: str) -> str | None:
        """When a file with this content was imported before (ISO time), or None."""
        rows = self.query(
            "SELECT imported_at FROM imports WHERE sha256 = ? ORDER BY id LIMIT 1", (sha256,)
        )
        return rows[0][0] if rows else None

    def add_dump(
        self,
        result: ParseResult,
        *,
        file: str,
        path: str | None,
        sha256: str,
        skipped: int = 0,
        dry_run: bool = False,
        fail_after: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        batch: str | None = None,
        redate: bool = False,
    ) -> ImportCounts:
        """Write one parsed dump in a single transaction and return its counts.

        New papers are inserted; a paper already known (same folded title) gets its missing fields
        filled, its upvotes and comment count replaced by those of a newer page, and a provenance row; the reader's
        read/starred/tags/notes are never touched. When nothing changes (the same dump again)
        nothing at all is written. ``dry_run`` computes the counts and rolls back (within
        :meth:`dry_run_batch`, at the end of the batch). ``batch`` names the files imported
        together (one command); ``redate`` (the capture year was given) re-dates the papers an
        earlier import of the same file dated, when their date text is the same. ``fail_after`` raises after that many papers (tests of atomicity use it); ``progress`` is
        called with (papers written, papers in the dump) as the write goes on.
        """
        counts = ImportCounts()
        stamp = now()
        # A page without a date is dated by its first import, so importing it again later is not
        # mistaken for a newer page (and writes nothing).
        seen_on = result.page_date or (self.was_imported(sha256) or stamp)[:10]
        with self.transaction():
            self._write_dump(
                result,
                counts,
                (file, path, sha256, batch),
                skipped,
                stamp,
                seen_on,
                fail_after,
                progress,
                redate,
            )
            nothing_new = counts.new == 0 and counts.merged == 0
            if nothing_new and self.was_imported(sha256):
                counts.already_imported = True
                raise Discard  # the same dump again: not even an imports row
            if dry_run and not self._dry_batch:
                raise Discard  # (in a dry-run batch, the batch rolls everything back at its end)
        return counts

    def _write_dump(
        self,
        result: ParseResult,
        counts: ImportCounts,
        source: tuple[str, str | None, str, str | None],
        skipped: int,
        stamp: str,
        seen_on: str,
        fail_after: int | None,
        progress: Callable[[int, int], None] | None,
        redate: bool,
    ) -> None:
        conn = self.conn
        file, path, sha256, batch = source
        dated_before: set[int] = set()
        if redate:
            dated_before = {
                row[0]
                for row in conn.execute(
                    "SELECT s.paper_id FROM sightings s JOIN imports i ON i.id = s.import_id"
                    " WHERE i.sha256 = ?",
                    (sha256,),
                )
            }
        cursor = conn.execute(
            "INSERT INTO imports(file, path, sha256, layout, page_date, capture_year, imported_at,"
            " papers, skipped, warnings, batch) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                file,
                path,
                sha256,
                result.layout,
                result.page_date,
                result.capture_year,
                stamp,
                len(result.papers),
                skipped,
                json.dumps([str(w) for w in result.warnings]),
                batch,
            ),
        )
        import_id = counts.import_id = cursor.lastrowid
        by_key: dict[str, ParsedPaper] = {}
        order: list[str] = []
        for paper in result.papers:
            key = paper.key
            if key in by_key:
                _fill(by_key[key], paper)
            else:
                by_key[key] = paper
                order.append(key)
        existing: dict[str, tuple] = {}
        for start in range(0, len(order), _CHUNK):
            chunk = order[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                f"SELECT key, id, {', '.join(_FILLABLE)}, authors, authors_truncated, has_code,"
                f" upvotes, upvotes_seen_on, comments, comments_seen_on FROM papers WHERE key IN ({marks})",
                chunk,
            ):
                existing[row[0]] = row
        next_id = (conn.execute("SELECT max(id) FROM papers").fetchone()[0] or 0) + 1
        inserts: list[tuple] = []
        new_bases: list[str] = []
        updates: list[tuple] = []
        sightings: list[tuple] = []
        for number, key in enumerate(order, start=1):
            if fail_after is not None and number > fail_after:
                raise RuntimeError(f"simulated failure after {fail_after} papers")
            paper = by_key[key]
            known = existing.get(key)
            if known is None:
                paper_id = next_id
                next_id += 1
                inserts.append(_insert_row(paper_id, key, paper, stamp, seen_on, import_id))
                new_bases.append(
                    cite_key_base(
                        paper.title,
                        paper.authors,
                        paper.organization,
                        paper.org_handle,
                        paper.published,
                    )
                )
                counts.new += 1
            else:
                paper_id = known[1]
                change = _merge_changes(known, paper, seen_on)
                if paper_id in dated_before and _redated(known, paper):
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
        cite_keys = allocate_cite_keys(conn, new_bases)
        inserts = [(*row, cite_key) for row, cite_key in zip(inserts, cite_keys, strict=True)]
        insert_sql = (
            "INSERT INTO papers(id, key, title, abstract, authors, authors_truncated, author_count,"
            " organization, org_handle, published, published_raw, upvotes, upvotes_seen_on,"
            " comments, comments_seen_on, arxiv_id, has_code, category, score, added_at,"
            " updated_at, first_import, cite_key)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
        )
        step = 5000
        for start in range(0, len(inserts), step):
            conn.executemany(insert_sql, inserts[start : start + step])
            if progress:
                progress(min(start + step, len(inserts)), len(order))
        for sets, params in updates:
            # Triggers keep papers_fts and (for papers already in it) all_fts current.
            conn.execute(f"UPDATE papers SET {sets}, updated_at = ? WHERE id = ?", params)
        conn.executemany(
            "INSERT OR IGNORE INTO sightings(paper_id, import_id, line, upvotes, comments,"
            " published_raw) VALUES (?,?,?,?,?,?)",
            sightings,
        )
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
            "UPDATE imports SET new = ?, merged = ?, unchanged = ? WHERE id = ?",
            (counts.new, counts.merged, counts.unchanged, import_id),
        )


def _insert_row(
    paper_id: int, key: str, paper: ParsedPaper, stamp: str, seen_on: str, import_id: int | None
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
    )


def _fill(target: ParsedPaper, other: ParsedPaper) -> None:
    """Fill ``target``'s unknown fields from a second sighting in the same dump."""
    for name in (*_FILLABLE, "authors", "upvotes", "comments", "has_code"):
        if getattr(target, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(target, name, getattr(other, name))


def _redated(known: tuple, paper: ParsedPaper) -> bool:
    """Does ``paper`` date the stored row ``known`` in another year from the same date text?"""
    published = known[2 + _FILLABLE.index("published")]
    raw = known[2 + _FILLABLE.index("published_raw")]
    return bool(paper.published) and raw == paper.published_raw and published != paper.published


def _merge_changes(known: tuple, paper: ParsedPaper, seen_on: str) -> dict[str, object]:
    """The column changes that merging ``paper`` into the stored row ``known`` makes."""
    stored = dict(zip(_FILLABLE, known[2 : 2 + len(_FILLABLE)], strict=True))
    authors, truncated, has_code = known[2 + len(_FILLABLE) : 5 + len(_FILLABLE)]
    change: dict[str, object] = {}
    for name in _FILLABLE:
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
    counts = known[5 + len(_FILLABLE) :]
    for index, name in enumerate(("upvotes", "comments")):
        stored, stored_seen = counts[2 * index], counts[2 * index + 1]
        value = getattr(paper, name)
        newer = stored_seen is None or seen_on >= stored_seen
        if value is not None and newer and (value, seen_on) != (stored, stored_seen):
            change[name] = value
            change[f"{name}_seen_on"] = seen_on
    return change
