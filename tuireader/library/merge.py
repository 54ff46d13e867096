"""Writing parsed papers into the library: insert new ones, merge known ones, record provenance."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from tuireader.library.core import Discard, LibraryBase, now
from tuireader.library.preparing import CACHE_KIB
from tuireader.library.writing import DumpWriter, ImportCounts, KeyedBlock
from tuireader.models import ParseResult

__all__ = ["ImportCounts", "KeyedBlock", "MergeMixin"]

#: SQLite page cache (KiB) while a dump is written: as fast as twice as much here (3.4 vs
#: 3.6-4.0 s of CPU at 100k papers), and ~35 MB less at the peak of an import.
IMPORT_CACHE_KIB = 16384

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
        total = len(result.papers)
        return self.add_dump_blocks(
            [result],
            file=file,
            path=path,
            sha256=sha256,
            skipped=lambda _warnings: skipped,
            dry_run=dry_run,
            fail_after=fail_after,
            progress=progress,
            expected=lambda _done: total,
            batch=batch,
            redate=redate,
        )

    def add_dump_blocks(
        self,
        blocks: Iterable[ParseResult | KeyedBlock],
        *,
        file: str,
        path: str | None,
        sha256: str,
        skipped: Callable[[list[str]], int] = lambda _warnings: 0,
        dry_run: bool = False,
        fail_after: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        expected: Callable[[int], int] | None = None,
        batch: str | None = None,
        redate: bool = False,
    ) -> ImportCounts:
        """:meth:`add_dump` for a dump parsed block by block (one transaction all the same).

        ``blocks`` are the parsed blocks of one file in order (the last carries the layout of
        the whole file), each a :class:`ParseResult` or a :class:`KeyedBlock`; an exception
        raised while they are read rolls everything back. ``skipped`` counts the entries skipped from all the warnings; ``expected(done)`` is the
        number of papers the whole dump is expected to hold (for ``progress``).
        """
        with self.lock:
            self.conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
            try:
                source = (file, path, sha256, batch)
                return self._write_blocks(
                    blocks, source, skipped, dry_run, fail_after, progress, expected, redate
                )
            finally:
                self.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")

    def _write_blocks(
        self,
        blocks: Iterable[ParseResult | KeyedBlock],
        source: tuple[str, str | None, str, str | None],
        skipped: Callable[[list[str]], int],
        dry_run: bool,
        fail_after: int | None,
        progress: Callable[[int, int], None] | None,
        expected: Callable[[int], int] | None,
        redate: bool,
    ) -> ImportCounts:
        counts = ImportCounts()
        stamp = now()
        with self.transaction():
            writer = DumpWriter(self, counts, source, stamp, redate)
            sha256 = source[2]
            for block in blocks:
                if writer.last is None and expected is not None:  # (the first block)
                    result = block.result if isinstance(block, KeyedBlock) else block
                    writer.defer_indexes(expected(len(result.papers)))
                writer.write(block, fail_after)
                if progress:
                    done = writer.papers
                    progress(done, expected(done) if expected else done)
            writer.finish(skipped(writer.warnings))
            nothing_new = counts.new == 0 and counts.merged == 0
            if nothing_new and self.was_imported(sha256):
                counts.already_imported = True
                raise Discard  # the same dump again: not even an imports row
            if dry_run and not self._dry_batch:
                raise Discard  # (in a dry-run batch, the batch rolls everything back at its end)
        return counts
