"""A dump parsed and written block by block reads exactly as the whole file, in bounded memory."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import tracemalloc
from pathlib import Path

import pytest

from tuireader import dumpfile, importer
from tuireader.dumps import parse_dump, stream
from tuireader.dumps.stream import StreamState, YearChanged, decode_pieces, parse_blocks
from tuireader.importer import import_data, import_file
from tuireader.library import Library
from tuireader.models import DumpError

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
TODAY = dt.date(2025, 11, 20)
#: Fixtures of the layouts that are parsed in blocks (Hugging Face pages, listings, author pages).
BLOCK_FIXTURES = [
    "daily_papers.txt",
    "daily_papers_later.txt",
    "current_daily_papers.txt",
    "current_search_results.txt",
    "listing.txt",
    "listing_bare.txt",
    "messy_daily_papers.txt",
    "missing_abstract_daily_papers.txt",
    "missing_abstract_listing.txt",
    "missing_abstracts_current.txt",
    "nasty_titles_daily_papers.txt",
    "no_date_daily_papers.txt",
    "truncated_daily_papers.txt",
    "cr_daily_papers.txt",
    "author_page.txt",
    "crlf_author_page.txt",
    "messy_author_page.txt",
    "missing_meta_author_page.txt",
    "truncated_author_page.txt",
]


@pytest.fixture
def tiny_blocks(monkeypatch):
    """Blocks of a few lines: every fixture is cut into many blocks."""
    monkeypatch.setattr(stream, "BLOCK_LINES", 6)
    monkeypatch.setattr(stream, "MARGIN", 3)  # (the cut itself must be right: 1 is too few)
    monkeypatch.setattr(importer, "READ_CHUNK", 97)


def _pieces(data: bytes, size: int = 97):
    return decode_pieces(data[i : i + size] for i in range(0, len(data), size))


def _streamed(data: bytes, year: int | None = None):
    state = StreamState()
    papers, warnings = [], []
    try:
        for block in parse_blocks(_pieces(data), state, year=year, today=TODAY):
            papers += block.papers
            warnings += block.warnings
    except YearChanged as changed:
        return _streamed(data, changed.year)
    return papers, warnings, state


def _same_as_whole(data: bytes) -> None:
    whole = parse_dump(data.decode("utf-8"), today=TODAY)
    papers, warnings, state = _streamed(data)
    assert state.blocks > 1
    assert [dataclasses.asdict(p) for p in papers] == [dataclasses.asdict(p) for p in whole.papers]
    assert [str(w) for w in warnings] == [str(w) for w in whole.warnings]
    assert (state.layout, state.page_date) == (whole.layout, whole.page_date)


@pytest.mark.parametrize("name", BLOCK_FIXTURES)
def test_a_page_read_in_blocks_reads_as_the_whole_page(tiny_blocks, fixtures, name):
    data = (fixtures / name).read_bytes()
    while data.count(b"\n") < 40:  # copies pasted below: more blocks, and more edges
        data += b"\n" + data
    _same_as_whole(data)


def test_the_real_pages_read_in_blocks_as_whole(tiny_blocks):
    pages = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not pages:
        pytest.skip("no example dumps in ../shared/seeds")
    checked = 0
    for page in pages:
        data = page.read_bytes()
        try:
            whole = parse_dump(data.decode("utf-8"), today=TODAY)
        except (DumpError, UnicodeDecodeError):
            continue
        if whole.layout in ("daily-papers", "listing", "author-page") and len(whole.papers) > 3:
            _same_as_whole(data)
            checked += 1
    assert checked


def test_a_later_year_printed_late_in_the_page_dates_every_paper_as_the_whole_page(tiny_blocks):
    def paper(n: int, date: str) -> str:
        return (
            f"Paper number {n} about things\n"
            + "An abstract that goes on and on about the paper's results. " * 6
            + f"\n• 3 authors\n·\n{date} 2\n"
        )

    text = "".join(paper(n, "Oct 13") for n in range(12)) + paper(99, "Dec 30, 2023")
    papers, _, state = _streamed(text.encode())
    assert state.capture_year == 2024
    assert papers[0].published == "2024-10-13"
    assert papers[-1].published == "2023-12-30"
    assert papers[0].published == parse_dump(text, today=TODAY).papers[0].published


def test_decode_pieces_end_at_line_ends_and_report_the_bad_byte_of_the_whole_file():
    data = "é line\r\nsecond\rthird\n".encode() * 40
    pieces = list(_pieces(data, 7))
    assert "".join(pieces) == data.decode()
    assert all(p.endswith(("\n", "\r")) for p in pieces[:-1])
    bad = b"x" * 300 + b"\n\xff\n"
    with pytest.raises(DumpError, match="offset 301"):
        list(_pieces(bad, 64))


def _library(tmp_path: Path, name: str = "lib.db") -> Library:
    return Library.open(tmp_path / name)


def _rows(library: Library) -> list[tuple]:
    return library.query(
        "SELECT key, title, abstract, published, upvotes, comments, organization FROM papers"
        " ORDER BY id"
    )


def test_an_import_in_blocks_writes_what_one_block_writes(tiny_blocks, fixtures, tmp_path):
    blocks = _library(tmp_path, "blocks.db")
    report = import_file(fixtures / "current_daily_papers.txt", blocks, today=TODAY)
    assert report.ok, report.reason
    whole = _library(tmp_path, "whole.db")
    data = (fixtures / "current_daily_papers.txt").read_bytes()
    result = parse_dump(data.decode(), today=TODAY)
    counts = whole.add_dump(result, file="x", path=None, sha256=hashlib.sha256(data).hexdigest())
    assert _rows(blocks) == _rows(whole)
    assert (report.new, report.papers) == (counts.new, len(result.papers))
    assert blocks.query("SELECT count(*) FROM imports") == [(1,)]  # one transaction, one row


def test_a_paper_twice_in_one_dump_in_two_blocks_counts_once(tiny_blocks, tmp_path):
    one = "A paper seen twice in one dump\n" + "An abstract long enough to be prose. " * 10 + "\n"
    others = "".join(
        f"Other paper {n}\n" + "Another abstract long enough to be prose. " * 10 + "\n"
        for n in range(10)
    )
    library = _library(tmp_path)
    report = import_data((one + others + one).encode(), "twice", library)
    assert (report.papers, report.new, report.merged) == (12, 11, 0)
    assert library.count() == 11


def test_a_file_that_changes_while_it_is_read_is_refused_whole(fixtures, tmp_path, monkeypatch):
    dump = tmp_path / "dump.txt"
    dump.write_bytes((fixtures / "daily_papers.txt").read_bytes())
    scan = importer.scan_dump_file

    def scan_then_change(path):
        found = scan(path)
        dump.write_bytes(dump.read_bytes().replace(b"a", b"o"))
        return found

    monkeypatch.setattr(importer, "scan_dump_file", scan_then_change)
    library = _library(tmp_path)
    report = import_file(dump, library)
    assert not report.ok
    assert "changed while it was read" in (report.reason or "")
    assert library.count() == 0


def test_a_dry_run_in_blocks_writes_nothing_and_counts_as_the_real_one(tiny_blocks, fixtures, tmp_path):
    library = _library(tmp_path)
    with library.dry_run_batch():
        dry = import_file(fixtures / "daily_papers.txt", library, dry_run=True)
    assert library.count() == 0
    real = import_file(fixtures / "daily_papers.txt", library)
    assert (dry.new, dry.papers) == (real.new, real.papers) and real.new > 0


def test_importing_a_big_dump_takes_memory_bounded_by_the_block_not_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "BLOCK_LINES", 3000)
    monkeypatch.setattr(dumpfile, "READ_CHUNK", 1 << 18)
    monkeypatch.setattr(stream, "FIRST_BLOCK_CHARS", 1 << 18)
    abstract = "A long abstract about models and data, and what they show in the end. " * 12
    papers = [
        f"{n % 90}\nA study of thing number {n} in detail\n{abstract}\n• 4 authors\n·\nOct 13 2\n"
        for n in range(12_000)
    ]
    dump = tmp_path / "big.txt"
    dump.write_text("".join(papers))
    size = dump.stat().st_size
    library = _library(tmp_path)
    tracemalloc.start()
    try:
        report = import_file(dump, library)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok and report.new == 12_000
    assert size > 10_000_000
    # (the whole file held as bytes, text and lines would be several times its size)
    assert peak < size / 2, f"peak {peak / 1e6:.0f} MB for a {size / 1e6:.0f} MB dump"


def test_an_import_whose_later_block_prints_a_later_year_is_dated_as_the_whole_page(
    tiny_blocks, tmp_path
):
    def paper(n: int, date: str) -> str:
        return (
            f"Paper number {n} about things\n"
            + "An abstract that goes on and on about the paper's results. " * 6
            + f"\n• 3 authors\n·\n{date} 2\n"
        )

    text = "".join(paper(n, "Oct 13") for n in range(12)) + paper(99, "Dec 30, 2023")
    library = _library(tmp_path)
    report = import_data(text.encode(), "late year", library, today=TODAY)
    assert report.ok and report.new == 13
    dates = {row[0] for row in library.query("SELECT published FROM papers")}
    assert dates == {"2024-10-13", "2023-12-30"}
    assert library.query("SELECT capture_year FROM imports") == [(2024,)]


def test_lines_of_pieces_with_or_without_controls_are_stripped_as_the_whole_text_would_be():
    # A piece whose bytes hold no control is not stripped again (see stream._Clean): every
    # character strip_controls touches must make its piece go through strip_controls.
    from tuireader.dumps.common import strip_controls

    characters = [chr(c) for c in range(0x00, 0x100) if c != 0] + ["•", "·", "\u2028", "😀"]
    for character in characters:
        text = f"Title {character} here\nsecond line\n"
        (piece,) = list(decode_pieces([text.encode("utf-8")]))
        expected = strip_controls(text).split("\n")[:-1]
        assert stream._lines(piece) == [line.strip() for line in expected], repr(character)
