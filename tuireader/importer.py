"""Importing dump files: read, parse, write one transaction per file, report what happened."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tuireader.dumpfile import read_dump_file
from tuireader.dumps import decode_dump, parse_dump
from tuireader.library import Library, LibraryError
from tuireader.models import DumpError, WarningKind
from tuireader.textsafe import one_line

#: Largest dump read from standard input or a paste (a page is a few hundred KB at most).
MAX_PASTE_BYTES = 64 * 1024**2
#: The capture years ``--year`` accepts: listing pages of papers began in the 1990s.
FIRST_YEAR = 1990

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
    the papers an earlier import of the same file dated in another year.
    """
    path = Path(path)
    report = ImportReport(file=path.name, path=str(path), status=STATUS_REJECTED, dry_run=dry_run)
    try:
        if library.owns_file(path):  # (checked by stat: reading it would drop SQLite's locks)
            raise DumpError("it is the library file itself (or its journal), not a dump")
        data = read_dump_file(path)
    except FileNotFoundError:
        report.reason = "no such file"
        return report
    except PermissionError:
        report.reason = "permission denied"
        return report
    except OSError as exc:
        report.reason = f"cannot read it ({exc.strerror or exc})"
        return report
    except MemoryError:
        report.reason = "there is not enough memory to read it"
        return report
    except DumpError as exc:
        report.reason = str(exc)
        return report
    stored_path = str(path.resolve())
    return _import_bytes(data, report, stored_path, library, year, dry_run, today, progress, batch)


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
    """Import a dump that is no file (standard input, a paste) under ``name``.

    Bounded to :data:`MAX_PASTE_BYTES`; otherwise like :func:`import_file`.
    """
    report = ImportReport(file=name, path="", status=STATUS_REJECTED, dry_run=dry_run)
    if len(data) > MAX_PASTE_BYTES:
        report.reason = f"more than {MAX_PASTE_BYTES // 1024**2} MB pasted; save it as a file"
        return report
    return _import_bytes(data, report, None, library, year, dry_run, today, progress, batch)


def _import_bytes(
    data: bytes,
    report: ImportReport,
    stored_path: str | None,
    library: Library,
    year: int | None,
    dry_run: bool,
    today: dt.date | None,
    progress: Callable[[int, int], None] | None,
    batch: str | None,
) -> ImportReport:
    try:
        if year is not None and (problem := year_problem(year, today)):
            raise DumpError(problem)
        sha256 = hashlib.sha256(data).hexdigest()
        text = decode_dump(data)
        del data  # a big dump: keep one copy of it in memory, not two
        result = parse_dump(text, year=year, today=today)
        del text
    except DumpError as exc:
        report.reason = str(exc)
        return report
    report.layout = result.layout
    report.papers = len(result.papers)
    report.warnings = [str(w) for w in result.warnings]
    report.skipped = sum(1 for w in result.warnings if w.kind is WarningKind.SKIPPED)
    try:
        counts = library.add_dump(
            result,
            file=_storable(report.file),
            path=_storable(stored_path) if stored_path else None,
            sha256=sha256,
            skipped=report.skipped,
            dry_run=dry_run,
            progress=progress,
            batch=batch,
            redate=year is not None,
        )
    except LibraryError as exc:  # busy, read-only, damaged, a full disk: nothing was written
        report.reason = str(exc)
        return report
    report.status = STATUS_ALREADY if counts.already_imported else STATUS_IMPORTED
    report.new, report.merged, report.unchanged = counts.new, counts.merged, counts.unchanged
    report.redated = counts.redated
    report.import_id = None if (dry_run or counts.already_imported) else counts.import_id
    return report


def _storable(name: str) -> str:
    """A file name as valid Unicode: bytes that are not UTF-8 become U+FFFD (SQLite needs text)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
