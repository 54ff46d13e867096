"""Broken input: partly imported with warnings, or rejected whole with its reason."""

from __future__ import annotations

import pytest

from tests.parser_helpers import (
    check,
    parse_fixture,
    source_line,
)
from tuireader.dumps import DumpError, decode_dump, parse_bytes, parse_dump

# --- broken input that is partly imported, with warnings -------------------------------------


def test_truncated_author_page(fixtures):
    result = parse_fixture(fixtures, "truncated_author_page.txt")
    assert [p.title for p in result.papers] == ["Folding Paper Cranes with Robot Arms"]
    check(
        result.papers[0],
        title="Folding Paper Cranes with Robot Arms",
        abstract=source_line(fixtures, "truncated_author_page.txt", 3),
        authors=["Noor Haddad", "Pieter de Vries"],
        author_count=2,
        published="2025-06-01",
        published_raw="Jun 1, 2025",
        has_code=False,
        category="LG",
    )
    (warning,) = result.warnings
    assert warning.line == 4  # the "CVFeb 11" entry
    assert "no abstract" in warning.message


def test_truncated_daily_papers(fixtures):
    result = parse_fixture(fixtures, "truncated_daily_papers.txt")
    assert [p.title for p in result.papers] == [
        "Ribbon: Streaming Speech Translation with Bounded Latency",
        "Mapping Potholes from Bus Cameras",
    ]
    assert [(p.author_count, p.published, p.comments) for p in result.papers] == [
        (2, "2026-08-28", 5),
        (6, "2026-08-30", None),
    ]
    (warning,) = result.warnings
    assert warning.line == 21
    assert "no abstract" in warning.message
    assert "A Half-Saved Page Ends With This Title" in warning.message


def test_missing_abstract_in_listing(fixtures):
    result = parse_fixture(fixtures, "missing_abstract_listing.txt")
    assert [(p.line, p.title) for p in result.papers] == [
        (1, "Opal: Calibrated Confidence for Table Question Answering"),
        (7, "Tuning Learning Rates by Listening to the Loss"),
        (11, "Hedgehog Counts from Garden Trail Cameras"),
    ]
    for paper in result.papers:
        assert paper.abstract == source_line(fixtures, "missing_abstract_listing.txt", paper.line + 2)
    (warning,) = result.warnings
    assert warning.line == 5
    assert "This Title Lost Its Abstract" in warning.message


def test_missing_abstract_in_daily_papers(fixtures):
    result = parse_fixture(fixtures, "missing_abstract_daily_papers.txt")
    sundial, pantry = result.papers
    check(
        sundial,
        title="Sundial: Predicting Solar Panel Output from Shadows",
        abstract=source_line(fixtures, "missing_abstract_daily_papers.txt", 7),
        author_count=5,
        published="2026-05-02",
        published_raw="May 2",
        comments=3,
    )
    check(
        pantry,
        title="Pantry: Learning to Plan Meals from Leftovers",
        abstract=source_line(fixtures, "missing_abstract_daily_papers.txt", 17),
        organization="ChefBot Research",
        org_handle="chefbot",
        published="2026-04-30",
        published_raw="Apr 30",
        comments=14,
    )
    assert [(w.line, "no abstract" in w.message) for w in result.warnings] == [(13, True)]


def test_metadata_block_without_date(fixtures):
    result = parse_fixture(fixtures, "no_date_daily_papers.txt")
    lighthouse, cursive = result.papers
    check(
        lighthouse,
        title="Lighthouse: Retrieval for Maritime Regulations",
        abstract=lighthouse.abstract,
        organization="Helio Labs",
        org_handle="heliolabs",
        published="2026-10-17",
        published_raw="Oct 17",
        comments=9,
    )
    check(
        cursive,
        title="Cursive: Handwriting Recognition for Old Recipe Cards",
        abstract=source_line(fixtures, "no_date_daily_papers.txt", 15),
        author_count=3,
    )
    (warning,) = result.warnings
    assert warning.line == 17  # the "• 3 authors" line
    assert "no date" in warning.message


def test_author_page_entry_without_metadata_line(fixtures):
    """A lost metadata line must not glue the next paper onto the previous abstract."""
    name = "missing_meta_author_page.txt"
    result = parse_fixture(fixtures, name)
    assert [p.title for p in result.papers] == [
        "Counting Bees at the Hive Entrance",
        "Quiet Fans: Acoustic Anomaly Detection in Server Rooms",
        "Rhymes as a Probe of Phonological Knowledge in Language Models",
    ]
    bees, fans, rhymes = result.papers
    assert bees.abstract == source_line(fixtures, name, 3)
    check(
        fans,
        title=fans.title,
        abstract=source_line(fixtures, name, 5),
        authors=["Owen Price", "Mei Tanaka"],
        authors_truncated=True,
    )
    assert fans.line == 4
    # "Sep 9, 2024" is the only printed year: saved in 2025
    assert (rhymes.published, rhymes.category) == ("2025-03-05", "CL")
    (warning,) = result.warnings
    assert warning.line == 4
    assert "no metadata line" in warning.message


def test_author_page_abstract_over_several_lines_is_joined():
    text = (
        "LGMay 2, 2024\nA Small TitleAnna Berg\nThe first half of an abstract,\n"
        "and the second half of it.\n"
    )
    (paper,) = parse_dump(text).papers
    assert paper.abstract == "The first half of an abstract, and the second half of it."
    assert parse_dump(text).warnings == []


# --- broken input that is rejected ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty"),
        ("whitespace.txt", "empty"),
        ("latin1.txt", r"not UTF-8 text \(bad byte at offset 17\)"),
        ("binary.bin", "binary"),
        ("shopping_list.txt", "no known layout"),
        ("json_dump.txt", "not a listing page: it looks like JSON data"),
    ],
)
def test_rejected_files(fixtures, name, reason):
    with pytest.raises(DumpError, match=reason):
        parse_fixture(fixtures, name)


def test_rejected_text():
    with pytest.raises(DumpError, match="empty"):
        parse_dump("")
    with pytest.raises(DumpError, match="empty"):
        parse_dump(" \n\t\r\n")
    with pytest.raises(DumpError, match="empty"):
        parse_dump("\ufeff \n")
    with pytest.raises(DumpError, match="empty"):
        parse_bytes(b"\xef\xbb\xbf\n\n")
    with pytest.raises(DumpError, match="binary"):
        parse_dump("LGMay 2, 2024\n" + "\x01\x02\x03" * 10)


def test_dump_with_no_complete_paper_names_the_reason():
    with pytest.raises(DumpError, match=r"no complete paper found \(line 1: skipped an entry"):
        parse_dump("LGMay 2, 2024\nA Lone TitleAnna Berg\n")


def test_decode_dump_drops_byte_order_mark():
    assert decode_dump("\ufeffhello".encode()) == "hello"
