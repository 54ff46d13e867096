"""The Daily Papers and listing layouts, detection, and broken input that is tolerated."""

from __future__ import annotations

import pytest

from tests.parser_helpers import (
    TODAY,
    check,
    parse_fixture,
    source_line,
    without_line,
)
from tuireader.dumps import DumpError, decode_dump, detect, parse_dump
from tuireader.models import LAYOUT_AUTHOR_PAGE, LAYOUT_DAILY_PAPERS, LAYOUT_LISTING

# --- layout B: Hugging Face Daily Papers ----------------------------------------------------


def test_daily_papers(fixtures):
    result = parse_fixture(fixtures, "daily_papers.txt")
    assert result.layout == LAYOUT_DAILY_PAPERS
    assert result.warnings == []
    # printed years 2025 and 2024: saved in 2026, so the page date "Apr 9" is 2026-04-09
    assert result.capture_year == 2026
    assert result.page_date == "2026-04-09"
    assert [p.line for p in result.papers] == [13, 21, 29, 33, 41, 49]
    for paper in result.papers:
        assert paper.abstract == source_line(fixtures, "daily_papers.txt", paper.line + 2)
    lantern, tidepool, gardens, whisker, ferry, kestrel = result.papers
    check(
        lantern,
        title="Lantern: Sparse Attention for Very Long Lecture Transcripts",
        author_count=4,
        published="2025-03-18",
        published_raw="Mar 18, 2025",
        comments=7,
    )
    check(
        tidepool,
        title="Tidepool: A Benchmark for Estuary Flow Forecasting",
        organization="Ocean Lab Kiel",
        org_handle="oceanlab",
        published="2026-02-02",
        published_raw="Feb 2",
    )
    # no metadata block at all: everything but title and abstract is unknown
    check(gardens, title="Small Gardens, Big Models: Curriculum Pruning Revisited")
    check(
        whisker,
        title="Whisker: One-Shot Audio Tagging for Cats",
        author_count=1,
        published="2026-03-30",
        published_raw="Mar 30",
        comments=12,
    )
    check(
        ferry,
        title="Q-Ferry: Quantised Transport Plans",
        author_count=11,
        published="2024-11-05",
        published_raw="Nov 5, 2024",
    )
    check(
        kestrel,
        title="Kestrel-7B Technical Report",
        organization="Kestrel",
        org_handle="kestrel-ai",
        published="2026-04-08",
        published_raw="Apr 8",
        comments=31,
    )
    assert tidepool.abstract.startswith("We release Tidepool, a benchmark")
    assert tidepool.abstract.endswith("no model handles storm surges well.")


def test_daily_papers_block_with_organisation_only_handle():
    text = (
        "Daily Papers\n\nMay 6\n\nSome Title\n\n"
        "A fairly long abstract that goes on and on for a while so that it reads like prose and "
        "nothing like a title line at all.\n\nzephyr\n·\nMay 1 2\n"
    )
    (paper,) = parse_dump(text, today=TODAY).papers
    assert (paper.org_handle, paper.organization) == ("zephyr", "zephyr")
    assert (paper.published, paper.comments) == ("2026-05-01", 2)


# --- layout C: listing without metadata -----------------------------------------------------


def test_listing(fixtures):
    result = parse_fixture(fixtures, "listing.txt")
    assert result.layout == LAYOUT_LISTING
    assert result.warnings == []
    assert result.page_date == "2026-07-14"
    assert [p.line for p in result.papers] == [11, 15, 19]
    titles = [
        "Moss: Tiny Vision Transformers for Lichen Identification",
        "Are Benchmarks Leaking Into Pretraining Data? A Case Study on Riddles",
        "Z-Loss Is All You Need (Sometimes)",
    ]
    for paper, title in zip(result.papers, titles, strict=True):
        check(paper, title=title, abstract=source_line(fixtures, "listing.txt", paper.line + 2))


def test_listing_without_header(fixtures):
    result = parse_fixture(fixtures, "listing_bare.txt")
    assert result.layout == LAYOUT_LISTING
    assert result.page_date is None
    assert result.warnings == []
    assert [(p.line, p.title) for p in result.papers] == [
        (1, "Pebble: Learned Compression for Sensor Logs"),
        (5, "Counting Sheep with Drones"),
    ]
    for paper in result.papers:
        check(paper, title=paper.title, abstract=source_line(fixtures, "listing_bare.txt", paper.line + 2))


# --- detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("author_page.txt", LAYOUT_AUTHOR_PAGE),
        ("crlf_author_page.txt", LAYOUT_AUTHOR_PAGE),
        ("messy_author_page.txt", LAYOUT_AUTHOR_PAGE),
        ("daily_papers.txt", LAYOUT_DAILY_PAPERS),
        ("cr_daily_papers.txt", LAYOUT_DAILY_PAPERS),
        ("no_date_daily_papers.txt", LAYOUT_DAILY_PAPERS),
        ("listing.txt", LAYOUT_LISTING),
        ("listing_bare.txt", LAYOUT_LISTING),
    ],
)
def test_detect(fixtures, name, layout):
    assert detect(decode_dump((fixtures / name).read_bytes())) == layout


def test_detect_with_byte_order_mark(fixtures):
    # a caller that reads the file with plain "utf-8" keeps the BOM in the text
    text = "\ufeff" + (fixtures / "author_page.txt").read_text(encoding="utf-8")
    assert detect(text) == LAYOUT_AUTHOR_PAGE
    clean = parse_fixture(fixtures, "author_page.txt")
    assert without_line(parse_dump(text, today=TODAY)) == without_line(clean)


@pytest.mark.parametrize(
    ("name", "reason"),
    [("shopping_list.txt", "no known layout"), ("json_dump.txt", "looks like JSON data")],
)
def test_detect_rejects_unknown_text(fixtures, name, reason):
    with pytest.raises(DumpError, match=reason):
        detect((fixtures / name).read_text(encoding="utf-8"))


# --- broken input that is tolerated ---------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "clean"),
    [
        ("crlf_author_page.txt", "author_page.txt"),
        ("messy_author_page.txt", "author_page.txt"),
        ("cr_daily_papers.txt", "daily_papers.txt"),
        ("messy_daily_papers.txt", "daily_papers.txt"),
    ],
)
def test_broken_line_ends_and_spacing_give_the_same_papers(fixtures, broken, clean):
    got = parse_fixture(fixtures, broken)
    want = parse_fixture(fixtures, clean)
    assert got.layout == want.layout
    assert got.warnings == []
    assert (got.page_date, got.capture_year) == (want.page_date, want.capture_year)
    assert without_line(got) == without_line(want)


def test_broken_fixtures_really_are_broken(fixtures):
    assert b"\r\n" in (fixtures / "crlf_author_page.txt").read_bytes()
    cr_only = (fixtures / "cr_daily_papers.txt").read_bytes()
    assert b"\r" in cr_only and b"\n" not in cr_only
    for name in ("messy_author_page.txt", "messy_daily_papers.txt"):
        lines = (fixtures / name).read_text(encoding="utf-8").split("\n")
        assert lines[-1].strip(), "no final newline"
        assert sum(line != line.rstrip() for line in lines if line.strip()) > 10
        assert any(a.strip() == b.strip() == "" for a, b in zip(lines, lines[1:], strict=False))


def test_line_numbers_follow_the_file(fixtures):
    # CRLF and CR-only ends count one line each, like LF
    assert [p.line for p in parse_fixture(fixtures, "crlf_author_page.txt").papers] == [2, 5, 8, 11, 14]
    assert [p.line for p in parse_fixture(fixtures, "cr_daily_papers.txt").papers] == [13, 21, 29, 33, 41, 49]
    # three extra lines before each later entry
    assert [p.line for p in parse_fixture(fixtures, "messy_author_page.txt").papers] == [2, 8, 14, 20, 26]
    # every blank line became two
    assert [p.line for p in parse_fixture(fixtures, "messy_daily_papers.txt").papers][:2] == [19, 30]
