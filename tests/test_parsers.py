"""The dump parsers on our own fixtures, on broken input and on the real seed dumps.

Expected values are written from reading the input files, never from the parser's output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

import pytest

from tuireader.dumps import DumpError, decode_dump, detect, parse_bytes, parse_dump
from tuireader.dumps.author_page import parse_author_list, split_title_authors
from tuireader.models import (
    LAYOUT_AUTHOR_PAGE,
    LAYOUT_DAILY_PAPERS,
    LAYOUT_LISTING,
    ParsedPaper,
    ParseResult,
)

TODAY = dt.date(2026, 11, 22)

# Every field a paper can carry besides title, abstract and line, with its "unknown" value.
UNKNOWN = {
    "authors": None,
    "authors_truncated": False,
    "author_count": None,
    "organization": None,
    "org_handle": None,
    "published": None,
    "published_raw": None,
    "upvotes": None,
    "comments": None,
    "has_code": None,
    "category": None,
    "score": None,
    "arxiv_id": None,
}


def parse_fixture(folder: Path, name: str, **kwargs) -> ParseResult:
    kwargs.setdefault("today", TODAY)
    return parse_bytes((folder / name).read_bytes(), **kwargs)


def source_line(folder: Path, name: str, number: int) -> str:
    """Line ``number`` (1-based) of a fixture, as written in the file."""
    return (folder / name).read_text(encoding="utf-8").splitlines()[number - 1].strip()


def check(paper: ParsedPaper, **expected) -> None:
    """Compare every field of ``paper``: those not named in ``expected`` must be unknown."""
    want = {**UNKNOWN, **expected}
    got = asdict(paper)
    for name, value in want.items():
        assert got[name] == value, f"{paper.title!r}: {name}"


def without_line(result: ParseResult) -> list[dict]:
    rows = []
    for paper in result.papers:
        row = asdict(paper)
        row.pop("line")
        rows.append(row)
    return rows


# --- layout A: the author page --------------------------------------------------------------


def test_author_page_papers(fixtures):
    result = parse_fixture(fixtures, "author_page.txt")
    assert result.layout == LAYOUT_AUTHOR_PAGE
    assert result.warnings == []
    assert result.page_date is None
    # printed years 2024, 2025, 2023: the page was saved in 2026
    assert result.capture_year == 2026
    assert [p.line for p in result.papers] == [2, 5, 8, 11, 14]
    for paper in result.papers:
        assert paper.abstract == source_line(fixtures, "author_page.txt", paper.line + 1)
    roq, sketch, adapters, agents, retrieval = result.papers
    check(
        roq,
        title="ROQ: Rotary Quantisation for Pocket-Sized Speech Models",
        abstract=roq.abstract,
        authors=["Åsa Lindqvist", "Tomás O'Reilly-Núñez", "Wei Zhang"],
        authors_truncated=True,
        published="2024-10-04",
        published_raw="Oct 4, 2024",
        has_code=False,
        category="LG",
    )
    check(
        sketch,
        title="Gradient Sketching with Param$Δ$",
        authors=["Ingrid Solberg", "Jean-Luc Moreau"],
        author_count=2,
        published="2026-03-03",
        published_raw="Mar 3",
        has_code=True,
        category="AI",
        score=61.2,
    )
    check(
        adapters,
        title="Cheap Adapters Beat Full Tuning with QLoRA",
        authors=["Maja Petrović", "Hugo LeBlanc"],
        author_count=2,
        published="2025-01-27",
        published_raw="Jan 27, 2025",
        has_code=False,
        category="CV",
    )
    check(
        agents,
        title="Self-Correcting Agents via GPTs",
        authors=["Kenji Watanabe-Ortiz"],
        authors_truncated=True,
        published="2026-08-12",
        published_raw="Aug 12",
        has_code=True,
        category="CL",
        score=7.5,
    )
    check(
        retrieval,
        title="WHAT IS RETRIEVAL FOR?",
        authors=["Siobhán Ní Bhriain", "Ólafur Þórsson"],
        author_count=2,
        published="2023-05-30",
        published_raw="May 30, 2023",
        has_code=False,
        category="IR",
    )
    assert retrieval.abstract.startswith("A position paper. We argue")
    assert retrieval.abstract.endswith("built around downstream choices.")


@pytest.mark.parametrize(
    ("line", "title", "authors", "truncated"),
    [
        # a hyphenated title word, then a name with non-ASCII letters and hyphens
        (
            "Sparse Self-SupervisionÖzge Yılmaz-Kaya, Łukasz Ślęzak et al.",
            "Sparse Self-Supervision",
            ["Özge Yılmaz-Kaya", "Łukasz Ślęzak"],
            True,
        ),
        # "et al" without its full stop
        ("Tiny Models Think TooAnna Berg et al", "Tiny Models Think Too", ["Anna Berg"], True),
        # a camel-cased acronym and an all-capitals acronym right before the first name
        ("Faster Serving with vLLMBo Li, Cara Dunn", "Faster Serving with vLLM", ["Bo Li", "Cara Dunn"], False),
        ("Why Not Use RAGJohn Smith", "Why Not Use RAG", ["John Smith"], False),
        ("Scaling BERTScoreAnna Berg", "Scaling BERTScore", ["Anna Berg"], False),
        # maths and punctuation before the authors
        ("Param$Δ$Anna Berg", "Param$Δ$", ["Anna Berg"], False),
        ("Is GPT-4 Enough?Dara Ó Sé", "Is GPT-4 Enough?", ["Dara Ó Sé"], False),
        ("Learning (Mostly) in 3DAnna Berg", "Learning (Mostly) in 3D", ["Anna Berg"], False),
        # particles, apostrophes, initials with full stops, a surname prefix
        (
            "Deep NetsMaría van der Berg, Seán O'Neill, J. R. Hartley",
            "Deep Nets",
            ["María van der Berg", "Seán O'Neill", "J. R. Hartley"],
            False,
        ),
        ("Energy-Based ModelsIvo Marks, Yann LeCun", "Energy-Based Models", ["Ivo Marks", "Yann LeCun"], False),
    ],
)
def test_split_title_authors(line, title, authors, truncated):
    assert split_title_authors(line) == (title, authors, truncated)


@pytest.mark.parametrize(
    ("line", "title", "authors"),
    [
        # a first author whose given name is itself camel-cased must not be cut in two
        ("The Camel Case ProblemMcKenzie Ross, Li Wei", "The Camel Case Problem", ["McKenzie Ross", "Li Wei"]),
        ("Why Birds SingO'Shea Byrne", "Why Birds Sing", ["O'Shea Byrne"]),
        # a bare initial in a later name must not pull title words into the first name
        ("The OpenWorld Benchmark SuiteJane Doe, K Lee", "The OpenWorld Benchmark Suite", ["Jane Doe", "K Lee"]),
    ],
)
def test_split_title_authors_hard_cases(line, title, authors):
    assert split_title_authors(line) == (title, authors, False)


def test_split_title_authors_gives_up_rather_than_guess():
    # "J" cannot open an author list, and "SuiteJ" is no name: no split at all
    assert split_title_authors("The OpenWorld Benchmark SuiteJ Doe, K Lee") is None
    assert split_title_authors("A title with no authors at all") is None
    assert split_title_authors("A Survey of Poems王小明, 李华") is None


def test_parse_author_list():
    assert parse_author_list("Anna Berg, Bo Li et al.") == (["Anna Berg", "Bo Li"], True)
    assert parse_author_list("Anna Berg") == (["Anna Berg"], False)
    assert parse_author_list("Anna Berg, K Lee", strict=True) is None
    assert parse_author_list("Anna Berg, K Lee") == (["Anna Berg", "K Lee"], False)
    assert parse_author_list("Anna Berg, , Bo Li") is None
    assert parse_author_list("the model is good") is None
    assert parse_author_list("van Dijk, Anna Berg") is None
    assert parse_author_list("RAGJohn Smith") is None
    assert parse_author_list("McKenzie Ross, Seán O'Neill") == (["McKenzie Ross", "Seán O'Neill"], False)
    # camel case beyond the usual prefixes: only loosely, and never in the first name
    assert parse_author_list("Anna Berg, Jake VanderPlas") == (["Anna Berg", "Jake VanderPlas"], False)
    assert parse_author_list("Anna Berg, Jake VanderPlas", strict=True) is None
    assert parse_author_list("Jake VanderPlas, Anna Berg") is None


def test_author_page_title_that_will_not_split_is_kept_with_a_warning():
    text = "LGMay 2, 2024\nlower case title and nothing else\nAn abstract.\n"
    result = parse_dump(text)
    assert [p.title for p in result.papers] == ["lower case title and nothing else"]
    assert result.papers[0].authors is None
    assert [w.line for w in result.warnings] == [2]
    assert "title from the authors" in result.warnings[0].message


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


# --- the real seed dumps --------------------------------------------------------------------

SEED_COUNTS = {"000": 7, "001": 93, "002": 45, "003": 88}


def seed(seeds: Path, prefix: str) -> ParseResult:
    return seed_with_today(seeds, prefix, TODAY)


def seed_with_today(seeds: Path, prefix: str, today: dt.date) -> ParseResult:
    (path,) = seeds.glob(f"{prefix}_*.txt")
    return parse_bytes(path.read_bytes(), today=today)


@pytest.mark.seeds
def test_seed_counts(seeds):
    counts = {prefix: len(seed(seeds, prefix).papers) for prefix in SEED_COUNTS}
    assert counts == SEED_COUNTS
    assert sum(counts.values()) == 233


@pytest.mark.seeds
def test_seed_layouts_and_years(seeds):
    results = {prefix: seed(seeds, prefix) for prefix in SEED_COUNTS}
    assert {k: r.layout for k, r in results.items()} == {
        "000": LAYOUT_AUTHOR_PAGE,
        "001": LAYOUT_DAILY_PAPERS,
        "002": LAYOUT_DAILY_PAPERS,
        "003": LAYOUT_LISTING,
    }
    assert {k: r.warnings for k, r in results.items()} == {k: [] for k in SEED_COUNTS}
    # latest printed years: 001 -> 2024, 002 -> 2025, 000 -> 2025
    assert results["001"].capture_year == 2025
    assert results["002"].capture_year == 2026
    assert results["000"].capture_year == 2026
    assert results["001"].page_date == "2025-11-06"
    assert results["002"].page_date == "2026-06-01"
    # 003 prints no date but its page date, "Mar 11", which is before TODAY
    assert results["003"].capture_year == 2026
    assert results["003"].page_date == "2026-03-11"


@pytest.mark.seeds
def test_seed_listing_has_no_metadata(seeds):
    result = seed(seeds, "003")
    assert result.papers[0].title == "NGAME: Negative Mining-aware Mini-batching for Extreme Classification"
    assert result.papers[-1].title == "POA: Pre-training Once for Models of All Sizes"
    for paper in result.papers:
        check(paper, title=paper.title, abstract=paper.abstract)
        assert len(paper.abstract) > 200
    # saved before its page date in a year: then it was last year's page
    assert seed_with_today(seeds, "003", dt.date(2026, 3, 1)).page_date == "2025-03-11"


SEED_000 = [
    (
        "Federated Learning Incentive Mechanism under Buyers' Auction Market",
        ["Jiaxi Yang", "Zihao Guo", "Sheng Cao"],
        True,
        ("LG", None, "2023-09-10", False),
    ),
    (
        "Case-Based Calibration of Adaptive Reasoning and Execution for LLM Tool Use",
        ["Renning Pang", "Tian Lan", "Leyuan Liu"],
        True,
        ("AI", 54.7, "2026-05-14", False),
    ),
    (
        "MobileLLM-R1: Exploring the Limits of Sub-Billion Language Model Reasoners with Open "
        "Training Recipes",
        ["Changsheng Zhao", "Ernie Chang", "Zechun Liu"],
        True,
        ("CL", None, "2025-09-29", True),
    ),
    (
        "STEM: Scaling Transformers with Embedding Modules",
        ["Ranajoy Sadhukhan", "Sheng Cao", "Harry Dong"],
        True,
        ("LG", None, "2026-01-15", False),
    ),
    (
        "Lossless Image Compression through Super-Resolution",
        ["Sheng Cao", "Chao-Yuan Wu", "Philipp Krähenbühl"],
        False,
        ("IV", None, "2020-04-06", True),
    ),
    (
        "LLM-Augmented Retrieval: Enhancing Retrieval Models Through Language Models and "
        "Doc-Level Embedding",
        ["Mingrui Wu", "Sheng Cao"],
        False,
        ("IR", None, "2024-04-08", False),
    ),
    (
        "Param$Δ$ for Direct Weight Mixing: Post-Train Large Language Model at Zero Cost",
        ["Sheng Cao", "Mingrui Wu", "Karthik Prasad"],
        True,
        ("CL", None, "2025-04-23", False),
    ),
]


@pytest.mark.seeds
def test_seed_author_page_splits(seeds):
    papers = seed(seeds, "000").papers
    assert len(papers) == len(SEED_000)
    for paper, (title, authors, truncated, meta) in zip(papers, SEED_000, strict=True):
        assert paper.title == title
        assert paper.authors == authors
        assert paper.authors_truncated is truncated
        assert paper.author_count == (None if truncated else len(authors))
        assert (paper.category, paper.score, paper.published, paper.has_code) == meta
        assert paper.organization is None and paper.upvotes is None
    assert [p.line for p in papers] == [2, 5, 8, 11, 14, 17, 20]
    assert papers[-1].abstract.startswith("The post-training phase of large language models")


@pytest.mark.seeds
def test_seed_same_paper_in_two_years(seeds):
    title = (
        "Balancing the Budget: Understanding Trade-offs Between Supervised and Preference-Based "
        "Finetuning"
    )
    (old,) = [p for p in seed(seeds, "001").papers if p.title == title]
    (new,) = [p for p in seed(seeds, "002").papers if p.title == title]
    assert (old.published_raw, new.published_raw) == ("Feb 16", "Feb 16, 2025")
    assert old.published == new.published == "2025-02-16"
    assert old.author_count == new.author_count == 3
    assert (old.line, new.line) == (481, 261)
    assert old.abstract == new.abstract


def by_title(result: ParseResult) -> dict[str, ParsedPaper]:
    return {p.title: p for p in result.papers}


@pytest.mark.seeds
def test_seed_001_blocks_belong_to_the_paper_before_them(seeds):
    papers = by_title(seed(seeds, "001"))
    meta = papers["The Art of Scaling Reinforcement Learning Compute for LLMs"]
    assert (meta.org_handle, meta.organization) == ("facebook", "AI at Meta")
    assert (meta.author_count, meta.published, meta.comments) == (None, "2025-10-15", 2)
    after = papers["Scaling over Scaling: Exploring Test-Time Scaling Pareto in Large Reasoning Models"]
    assert (after.organization, after.author_count, after.published) == (None, 5, "2025-05-26")

    first = papers["ReNO: Enhancing One-step Text-to-Image Models through Reward-based Noise Optimization"]
    assert (first.line, first.author_count, first.published, first.comments) == (13, 5, "2024-06-06", None)
    frames = papers["From Frames to Clips: Efficient Key Clip Selection for Long-Form Video Understanding"]
    assert (frames.org_handle, frames.organization, frames.published) == ("amazon", "Amazon", "2025-10-02")
    qwen = papers["Qwen3 Technical Report"]
    assert (qwen.org_handle, qwen.organization, qwen.published, qwen.comments) == ("Qwen", "Qwen", "2025-05-14", 10)
    mono = papers["MonoByte: A Pool of Monolingual Byte-level Language Models"]
    assert (mono.author_count, mono.published, mono.comments) == (4, "2022-09-22", 1)
    longcat = papers["LongCat-Flash Technical Report"]
    assert (longcat.author_count, longcat.published) == (182, "2025-09-01")
    last = papers["A^2FM: An Adaptive Agent Foundation Model for Tool-Aware Hybrid Reasoning"]
    assert (last.org_handle, last.organization, last.published, last.comments) == ("OPPOer", "OPPO", "2025-10-13", 3)

    # two papers in a row with no block, then one whose block is its own
    for title in (
        "SIM-CoT: Supervised Implicit Chain-of-Thought",
        "Prefix Grouper: Efficient GRPO Training through Shared-Prefix Forward",
    ):
        check(papers[title], title=title, abstract=papers[title].abstract)
    controllable = papers["Efficient Controllable Multi-Task Architectures"]
    assert (controllable.author_count, controllable.published) == (5, "2023-08-22")


@pytest.mark.seeds
def test_seed_001_papers_without_block(seeds):
    result = seed(seeds, "001")
    bare = [p.title for p in result.papers if p.published_raw is None]
    assert bare == [
        "SIM-CoT: Supervised Implicit Chain-of-Thought",
        "Prefix Grouper: Efficient GRPO Training through Shared-Prefix Forward",
        "Optimizing Chain-of-Thought Reasoners via Gradient Variance Minimization in Rejection "
        "Sampling and RL",
        "Knapsack RL: Unlocking Exploration of LLMs via Optimizing Budget Allocation",
        "When To Solve, When To Verify: Compute-Optimal Problem Solving and Generative "
        "Verification for LLM Reasoning",
        "AgentTTS: Large Language Model Agent for Test-time Compute-optimal Scaling Strategy in "
        "Complex Tasks",
    ]
    for paper in result.papers:
        if paper.published_raw is None:
            check(paper, title=paper.title, abstract=paper.abstract)
    orgs = [(p.org_handle, p.organization) for p in result.papers if p.org_handle]
    assert orgs == [("amazon", "Amazon"), ("Qwen", "Qwen"), ("facebook", "AI at Meta"), ("OPPOer", "OPPO")]


@pytest.mark.seeds
def test_seed_002_blocks(seeds):
    result = seed(seeds, "002")
    papers = by_title(result)
    densing = papers["Densing Law of LLMs"]
    assert (densing.org_handle, densing.organization, densing.published, densing.comments) == (
        "openbmb",
        "OpenBMB",
        "2024-12-05",
        2,
    )
    typhoon = papers["Typhoon-S: Minimal Open Post-Training for Sovereign Large Language Models"]
    assert (typhoon.org_handle, typhoon.organization, typhoon.published, typhoon.comments) == (
        "typhoon-ai",
        "Typhoon",
        "2026-01-25",
        4,
    )
    fit = papers["FIT: Defying Catastrophic Forgetting in Continual LLM Unlearning"]
    assert (fit.author_count, fit.published_raw, fit.published) == (9, "Jan 28", "2026-01-28")
    bare = [p.title for p in result.papers if p.published_raw is None]
    assert bare == [
        "Expert-Choice Routing Enables Adaptive Computation in Diffusion Language Models",
        "SCALE: Selective Resource Allocation for Overcoming Performance Bottlenecks in "
        "Mathematical Test-time Scaling",
    ]
    for title in bare:
        check(papers[title], title=title, abstract=papers[title].abstract)
    exploiting = papers["Exploiting Mixture-of-Experts Redundancy Unlocks Multimodal Generative Abilities"]
    assert (exploiting.author_count, exploiting.published) == (8, "2025-03-28")
    drafts = papers["Towards Optimal Multi-draft Speculative Decoding"]
    assert (drafts.author_count, drafts.published, drafts.comments) == (8, "2025-02-25", 2)
    last = result.papers[-1]
    assert (last.title, last.author_count, last.published) == (
        "Category-Aware Semantic Caching for Heterogeneous LLM Workloads",
        6,
        "2025-10-29",
    )
