"""A dump parsed in a second process (big files) imports exactly as one parsed in this process."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tuireader import import_worker, importer
from tuireader.dumpfile import DumpScan
from tuireader.importer import import_file
from tuireader.library import Library, LibraryBusy

from .test_import_stream import BLOCK_FIXTURES, SEEDS, TODAY

#: Layouts read whole (no cut): one block from the child.
WHOLE_FIXTURES = ["arxiv_new.txt", "arxiv_recent.txt", "arxiv_search.txt"]
#: Files no paper can be read from, each for its own reason.
REJECTED_FIXTURES = ["json_dump.txt", "shopping_list.txt", "empty.txt", "binary.bin", "latin1.txt", "page.html"]


@pytest.fixture
def tiny_blocks(monkeypatch):
    """Blocks of a few lines (the child is told the same sizes)."""
    from tuireader import dumpfile
    from tuireader.dumps import stream

    monkeypatch.setattr(stream, "BLOCK_LINES", 6)
    monkeypatch.setattr(stream, "MARGIN", 3)
    monkeypatch.setattr(dumpfile, "READ_CHUNK", 97)


@pytest.fixture
def started(monkeypatch) -> list[import_worker.ParseProcess]:
    """Every parsing process an import starts (so a test can tell one ran, and has ended)."""
    processes: list[import_worker.ParseProcess] = []
    real = import_worker.ParseProcess

    def spy(*args, **kwargs):
        process = real(*args, **kwargs)
        processes.append(process)
        return process

    monkeypatch.setattr(importer, "ParseProcess", spy)
    return processes


def _state(library: Library) -> dict[str, list[tuple]]:
    """Every row an import writes, but the times it was written at and the batch's name."""
    papers = [
        name
        for (name,) in library.query("SELECT name FROM pragma_table_info('papers')")
        if name not in ("added_at", "updated_at")
    ]
    return {
        "papers": library.query(f"SELECT {', '.join(papers)} FROM papers ORDER BY id"),
        "sightings": library.query("SELECT * FROM sightings ORDER BY paper_id, import_id"),
        "imports": library.query(
            "SELECT id, file, sha256, layout, page_date, capture_year, papers, new, merged,"
            " unchanged, skipped, warnings FROM imports ORDER BY id"
        ),
        "pending": library.query("SELECT paper_id FROM pending_abstracts ORDER BY paper_id"),
    }


def _report(report: importer.ImportReport) -> dict:
    fields = dataclasses.asdict(report)
    fields.pop("path")
    return fields


def _both(monkeypatch, tmp_path: Path, files: list[Path], **options) -> tuple[list, list]:
    """Import ``files`` in order into two new libraries: parsed here, and in a process."""
    outcomes = []
    for name, threshold in (("here", 1 << 62), ("there", 0)):
        monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", threshold)
        library = Library.open(tmp_path / f"{name}.db")
        reports = [_report(import_file(f, library, today=TODAY, **options)) for f in files]
        outcomes.append((reports, _state(library)))
        library.close()
    return outcomes[0], outcomes[1]


def _doubled(fixtures: Path, tmp_path: Path, name: str) -> Path:
    data = (fixtures / name).read_bytes()
    while data.count(b"\n") < 40:  # copies pasted below: more blocks, and more edges
        data += b"\n" + data
    copy = tmp_path / name
    copy.write_bytes(data)
    return copy


@pytest.mark.parametrize("name", BLOCK_FIXTURES + WHOLE_FIXTURES)
def test_a_page_parsed_in_a_process_imports_as_one_parsed_here(
    tiny_blocks, started, monkeypatch, fixtures, tmp_path, name
):
    dump = _doubled(fixtures, tmp_path, name) if name in BLOCK_FIXTURES else fixtures / name
    here, there = _both(monkeypatch, tmp_path, [dump])
    assert started and all(process.process.returncode == 0 for process in started)
    assert here[0][0]["status"] == "imported" and here[0][0]["papers"] > 0
    assert there == here


def test_pages_imported_in_turn_merge_as_when_parsed_here(
    tiny_blocks, started, monkeypatch, fixtures, tmp_path
):
    files = [fixtures / n for n in ("daily_papers.txt", "daily_papers_later.txt", "listing.txt")]
    files.append(fixtures / "daily_papers.txt")  # (already imported)
    here, there = _both(monkeypatch, tmp_path, files)
    assert [r["status"] for r in here[0]] == ["imported"] * 3 + ["already imported"]
    assert sum(r["merged"] for r in here[0]) > 0
    assert there == here
    assert len(started) == 4


def test_a_given_year_and_a_dry_run_are_the_same_in_a_process(
    tiny_blocks, monkeypatch, fixtures, tmp_path
):
    here, there = _both(monkeypatch, tmp_path, [fixtures / "daily_papers.txt"], year=2023)
    assert there == here and here[1]["imports"][0][5] == 2023
    (tmp_path / "dry").mkdir()
    here, there = _both(monkeypatch, tmp_path / "dry", [fixtures / "listing.txt"], dry_run=True)
    assert there == here and here[1]["papers"] == []


def test_the_real_pages_parsed_in_a_process_import_as_when_parsed_here(monkeypatch, tmp_path):
    pages = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not pages:
        pytest.skip("no example dumps in ../shared/seeds")
    here, there = _both(monkeypatch, tmp_path, pages)
    assert any(r["status"] == "imported" for r in here[0])
    assert there == here


@pytest.mark.parametrize("name", REJECTED_FIXTURES)
def test_a_file_rejected_in_a_process_gives_the_reason_given_here(
    monkeypatch, fixtures, tmp_path, name
):
    here, there = _both(monkeypatch, tmp_path, [fixtures / name])
    assert here[0][0]["status"] == "rejected" and here[0][0]["reason"]
    assert there == here


def test_a_later_year_printed_late_in_the_page_is_read_again_in_a_process(
    tiny_blocks, started, monkeypatch, tmp_path
):
    def paper(n: int, date: str) -> str:
        return (
            f"Paper number {n} about things\n"
            + "An abstract that goes on and on about the paper's results. " * 6
            + f"\n• 3 authors\n·\n{date} 2\n"
        )

    dump = tmp_path / "late.txt"
    dump.write_text("".join(paper(n, "Oct 13") for n in range(12)) + paper(99, "Dec 30, 2023"))
    here, there = _both(monkeypatch, tmp_path, [dump])
    assert there == here
    assert {row[0] for row in there[1]["imports"]} == {1}  # one import, read twice
    assert len(started) == 2  # (the second read in the year the whole page gives)
    assert all(process.process.returncode is not None for process in started)


def test_a_file_not_the_one_scanned_is_refused_in_a_process(
    started, monkeypatch, fixtures, tmp_path
):
    monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(importer, "scan_dump_file", lambda path: DumpScan("0" * 64, 1))
    library = Library.open(tmp_path / "lib.db")
    report = import_file(fixtures / "daily_papers.txt", library)
    assert not report.ok and "changed while it was read" in (report.reason or "")
    assert library.count() == 0 and library.query("SELECT count(*) FROM imports") == [(0,)]
    assert started and started[0].process.returncode is not None


def test_an_import_that_fails_while_writing_stops_its_parsing_process(
    tiny_blocks, started, monkeypatch, fixtures, tmp_path
):
    monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 0)
    library = Library.open(tmp_path / "lib.db")

    def busy(blocks, **_options):
        next(iter(blocks))  # the first block arrives; then the library says no
        raise LibraryBusy("the library is busy")

    monkeypatch.setattr(library, "add_dump_blocks", busy)
    report = import_file(_doubled(fixtures, tmp_path, "daily_papers.txt"), library)
    assert not report.ok and "busy" in (report.reason or "")
    assert len(started) == 1 and started[0].process.returncode is not None


def test_a_parsing_process_that_dies_is_an_error_with_what_it_said(tmp_path):
    dump = tmp_path / "dump.txt"
    dump.write_text("Title\n" + "An abstract. " * 40 + "\n")
    process = import_worker.ParseProcess(dump, None, None)
    process.process.kill()
    with pytest.raises(RuntimeError, match="parsing process failed"):
        list(process.blocks(import_worker.StreamState(), "0" * 64))
    process.close()


def test_the_child_reports_a_dump_error_as_a_frame(tmp_path):
    import io

    dump = tmp_path / "dump.txt"
    dump.write_bytes(b"\xff\xfe not text")
    out = io.BytesIO()
    import_worker.child(str(dump), None, None, out)
    (size,) = import_worker._FRAME.unpack(out.getvalue()[:8])
    kind, reason = import_worker.marshal.loads(out.getvalue()[8 : 8 + size])
    assert kind == "dump" and "not UTF-8" in reason


def test_a_json_export_is_parsed_here_not_in_a_process(started, monkeypatch, tmp_path):
    # It is read whole: a second process would only hold a second copy of its papers.
    from tuireader.export import export

    source = Library.open(tmp_path / "source.db")
    import_file(Path(__file__).parents[1] / "fixtures" / "daily_papers.txt", source)
    dump = tmp_path / "export.json"
    dump.write_text(export(source.get_papers(source.ordered_ids()), "json"))
    here, there = _both(monkeypatch, tmp_path, [dump])
    assert here[0][0]["status"] == "imported" and here[0][0]["layout"] == "tuireader-json"
    assert there == here and started == []
