"""Importing dump files: read, parse, write one transaction per file, report what happened.

A dump is read in chunks and parsed and written block by block (see
:mod:`tuireader.dumps.stream`), so the memory an import takes does not grow with the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import stat
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tuireader.dumpfile import READ_CHUNK, check_dump_bytes, dump_file_chunks, scan_dump_file
from tuireader.dumps.stream import StreamState, YearChanged, decode_pieces, parse_blocks
from tuireader.import_worker import ParseProcess
from tuireader.library import ImportCounts, KeyedBlock, Library, LibraryError
from tuireader.models import DumpError, ParseResult, WarningKind
from tuireader.pathcheck import path_problem
from tuireader.textsafe import one_line

#: Largest dump read from standard input or a paste (a page is a few hundred KB at most).
MAX_PASTE_BYTES = 64 * 1024**2
#: The capture years ``--year`` accepts: listing pages of papers began in the 1990s.
FIRST_YEAR = 1990
#: Files at least this big are parsed in a second process while this one writes (see
#: :mod:`tuireader.import_worker`); below it, starting a process costs more than it saves.
PARALLEL_MIN_BYTES = 8 * 1024**2

STATUS_IMPORTED = "imported"
STATUS_ALREADY = "already imported"
STATUS_REJECTED = "rejected"


@dataclass(slots=True)
class ImportReport:
    """What importing one file did, or why it was rejected."""

    file: str
    path: str
    status: str
    reason: str | None = None
    layout: str | None = None
    papers: int = 0
    new: int = 0
    merged: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    #: Entries (or lines) the parser left out for damage (each has one of the warnings).
    skipped: int = 0
    import_id: int | None = None
    dry_run: bool = False
    redated: int = 0

    @property
    def ok(self) -> bool:
        """True unless the file was rejected."""
        return self.status != STATUS_REJECTED

    def summary(self) -> str:
        """One line: the file and what happened to it (control characters made visible)."""
        return one_line(self._summary())

    def _summary(self) -> str:
        if not self.ok:
            return f"{self.file}: rejected: {self.reason}"
        head = f"{self.file}: {self.papers} papers ({self.layout})"
        counts = f"{self.new} new, {self.merged} merged, {self.unchanged} unchanged"
        if self.redated:
            counts += f", {self.redated} re-dated"
        if self.skipped:
            counts += f", {self.skipped} skipped"
        tail = " [dry run, nothing written]" if self.dry_run else ""
        if self.status == STATUS_ALREADY:
            tail = " [already imported, nothing changed]"
        return f"{head}: {counts}{tail}"


def year_problem(year: int, today: dt.date | None = None) -> str | None:
    """Why ``year`` cannot be a capture year (outside 1990..next year), or None when it can."""
    last = (today or dt.date.today()).year + 1
    if not FIRST_YEAR <= year <= last:
        return f"--year {year} is outside {FIRST_YEAR}..{last}"
    return None


def new_batch() -> str:
    """A name for the files imported together by one command (one "last import")."""
    return uuid.uuid4().hex


def paste_name(source: str = "pasted", when: dt.datetime | None = None) -> str:
    """The name a dump with no file gets: "pasted 2026-05-30 14:02" or "stdin …"."""
    return f"{source} {(when or dt.datetime.now()).strftime('%Y-%m-%d %H:%M')}"


def import_file(
    path: str | Path,
    library: Library,
    *,
    year: int | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: str | None = None,
) -> ImportReport:
    """Import one dump file into ``library``; never raises for bad input, reports it instead.

    ``batch`` groups the files of one command (see :func:`new_batch`); ``year`` also re-dates
    the papers an earlier import of the same file dated in another year. The file is read twice
    in chunks (once for its checksum, once to parse and write it block by block), so memory
    stays bounded whatever its size; a file that changes between the two reads is refused.
    """
    path = Path(path)
    report = ImportReport(file=path.name, path=str(path), status=STATUS_REJECTED, dry_run=dry_run)
    worker: ParseProcess | None = None
    problem = path_problem(path, must_exist=True, utf8=False)
    if problem:  # (a symlink loop, a dangling link, a path through a file, a name too long)
        report.reason = problem
        return report
    try:
        if library.owns_file(path):  # (checked by stat: reading it would drop SQLite's locks)
            raise DumpError("it is the library file itself (or its journal), not a dump")
        if year is None or year_problem(year, today) is None:
            worker = _start_worker(path, year, today)  # (it parses while the file is scanned)
        scan = scan_dump_file(path)
    except (OSError, DumpError) as exc:
        if worker is not None:
            worker.close()
        report.reason = _unreadable(exc)
        return report

    def chunks() -> Iterator[bytes]:
        digest = hashlib.sha256()
        try:
            for chunk in dump_file_chunks(path):
                digest.update(chunk)
                yield chunk
        except OSError as exc:
            raise DumpError(f"cannot read it ({exc.strerror or exc})") from None
        if digest.hexdigest() != scan.sha256:
            raise DumpError("the file changed while it was read; nothing was imported")

    stored_path = str(path.resolve())
    job = _Job(report, stored_path, library, year, dry_run, today, progress, batch)
    job.worker, job.path = worker, path
    try:
        return job.run(chunks, scan.size, scan.sha256)
    finally:
        if job.worker is not None:
            job.worker.close()


def _unreadable(exc: OSError | DumpError) -> str:
    """Why a dump file cannot be imported, from what opening or scanning it raised."""
    if isinstance(exc, DumpError):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read it ({exc.strerror or exc})"


def _start_worker(path: Path, year: int | None, today: dt.date | None) -> ParseProcess | None:
    """A process parsing ``path`` (see :data:`PARALLEL_MIN_BYTES`), or None: parse it here.

    A JSON export is parsed here too: it is read whole, so a second process would only hold a
    second copy of its papers."""
    try:
        info = os.stat(path)
        big = stat.S_ISREG(info.st_mode) and info.st_size >= PARALLEL_MIN_BYTES
        if not big or (os.cpu_count() or 1) < 2 or not sys.executable:
            return None
        with open(path, "rb") as head:  # (a regular file: it cannot block)
            start = head.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if start in (b"[", b"{"):
            return None
        return ParseProcess(path, year, today)
    except OSError:
        return None  # (the scan says what is wrong with the file; or parse it here)


def import_data(
    data: bytes,
    name: str,
    library: Library,
    *,
    year: int | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: str | None = None,
) -> ImportReport:
    """Import a dump that is no file (a paste) under ``name``: :func:`import_stream` over it.

    Bounded to :data:`MAX_PASTE_BYTES`; otherwise like :func:`import_file`.
    """
    return import_stream(
        io.BytesIO(data),
        name,
        library,
        year=year,
        dry_run=dry_run,
        today=today,
        progress=progress,
        batch=batch,
    )


def import_stream(
    stream: BinaryIO,
    name: str,
    library: Library,
    *,
    year: int | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: str | None = None,
) -> ImportReport:
    """Import a dump read from ``stream`` (standard input) under ``name``, like
    :func:`import_data` but never holding it whole: it is copied in chunks to a temporary file
    (at most :data:`MAX_PASTE_BYTES`), then read from there as a file is."""
    report = ImportReport(file=name, path="", status=STATUS_REJECTED, dry_run=dry_run)
    with tempfile.TemporaryFile(prefix="tuireader-stdin-") as spool:
        digest = hashlib.sha256()
        size = 0
        blank = True
        nul = False
        while chunk := stream.read(min(READ_CHUNK, MAX_PASTE_BYTES + 1 - size)):
            size += len(chunk)
            if size > MAX_PASTE_BYTES:
                report.reason = f"more than {MAX_PASTE_BYTES // 1024**2} MB pasted; save it as a file"
                return report
            digest.update(chunk)
            blank = blank and chunk.isspace()
            nul = nul or b"\x00" in chunk
            spool.write(chunk)
        try:
            check_dump_bytes(b"" if blank else b"\x00" if nul else b"x")
        except DumpError as exc:
            report.reason = str(exc)
            return report

        def chunks() -> Iterator[bytes]:
            spool.seek(0)
            while chunk := spool.read(READ_CHUNK):
                yield chunk

        job = _Job(report, None, library, year, dry_run, today, progress, batch)
        return job.run(chunks, size, digest.hexdigest())


@dataclass(slots=True)
class _Job:
    """One dump on its way into the library: parsed block by block, written in one transaction."""

    report: ImportReport
    stored_path: str | None
    library: Library
    year: int | None
    dry_run: bool
    today: dt.date | None
    progress: Callable[[int, int], None] | None
    batch: str | None
    #: Entries the parser skipped for damage so far (counted from the warnings' kind).
    skipped: int = 0
    #: The process parsing the file, when it is big enough (see :func:`_start_worker`).
    worker: ParseProcess | None = None
    path: Path | None = None

    def run(self, chunks: Callable[[], Iterator[bytes]], size: int, sha256: str) -> ImportReport:
        report, year = self.report, self.year
        if year is not None and (problem := year_problem(year, self.today)):
            report.reason = problem
            return report
        parse_year = year
        while True:  # twice at most: again when a later block says the page is of another year
            state = StreamState()
            warnings: list[str] = []
            self.skipped = 0
            try:
                counts = self._write(chunks, size, sha256, state, parse_year, warnings)
            except YearChanged as exc:
                parse_year = exc.year
                if self.worker is not None:  # (read again, in that year)
                    self.worker.close()
                    assert self.path is not None
                    self.worker = _start_worker(self.path, parse_year, self.today)
                continue
            except DumpError as exc:
                report.reason = str(exc)
                return report
            except MemoryError:
                report.reason = "there is not enough memory to read it"
                return report
            except LibraryError as exc:  # busy, read-only, damaged, a full disk: nothing written
                report.reason = str(exc)
                return report
            break
        report.layout = state.layout
        report.papers = state.papers
        report.warnings = warnings
        report.skipped = self.skipped
        report.status = STATUS_ALREADY if counts.already_imported else STATUS_IMPORTED
        report.new, report.merged, report.unchanged = counts.new, counts.merged, counts.unchanged
        report.redated = counts.redated
        report.import_id = None if (self.dry_run or counts.already_imported) else counts.import_id
        return report

    def _write(self, chunks, size, sha256, state, parse_year, warnings) -> ImportCounts:
        read = 0

        def counted() -> Iterator[bytes]:
            nonlocal read
            for chunk in chunks():
                read += len(chunk)
                yield chunk

        def parsed() -> Iterator[ParseResult | KeyedBlock]:
            if self.worker is not None:
                return self.worker.blocks(state, sha256)
            pieces = decode_pieces(counted())
            return parse_blocks(pieces, state, year=parse_year, today=self.today)

        def blocks() -> Iterator[ParseResult | KeyedBlock]:
            for block in parsed():
                found = block.result.warnings if isinstance(block, KeyedBlock) else block.warnings
                warnings.extend(str(w) for w in found)
                self.skipped += sum(1 for w in found if w.kind is WarningKind.SKIPPED)
                yield block

        def expected(done: int) -> int:
            done_bytes = self.worker.read if self.worker is not None else read
            return max(done, round(done * size / max(done_bytes, 1)))

        return self.library.add_dump_blocks(
            blocks(),
            file=_storable(self.report.file),
            path=_storable(self.stored_path) if self.stored_path else None,
            sha256=sha256,
            skipped=lambda _warnings: self.skipped,
            dry_run=self.dry_run,
            progress=self.progress,
            expected=expected,
            batch=self.batch,
            redate=self.year is not None,
        )


def _storable(name: str) -> str:
    """A file name as valid Unicode: bytes that are not UTF-8 become U+FFFD (SQLite needs text)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
