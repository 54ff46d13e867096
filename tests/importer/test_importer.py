"""Importing dump files: reports, warnings with line numbers, rejected files, the seeds."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.helpers import snapshot
from tuireader.importer import STATUS_ALREADY, STATUS_IMPORTED, STATUS_REJECTED, import_file
from tuireader.library import Library

TODAY = dt.date(2026, 11, 22)

#: The six papers of daily_papers.txt (and its CR-only and messy-whitespace twins), as read.
DAILY = {
    "Lantern: Sparse Attention for Very Long Lecture Transcripts": dict(
        author_count=4, organization=None, published="2025-03-18", comments=7
    ),
    "Tidepool: A Benchmark for Estuary Flow Forecasting": dict(
        author_count=None, organization="Ocean Lab Kiel", org_handle="oceanlab",
        published="2026-02-02", published_raw="Feb 2", comments=None,
    ),
    "Small Gardens, Big Models: Curriculum Pruning Revisited": dict(
        author_count=None, organization=None, published=None, comments=None
    ),
    "Whisker: One-Shot Audio Tagging for Cats": dict(
        author_count=1, published="2026-03-30", comments=12
    ),
    "Q-Ferry: Quantised Transport Plans": dict(
        author_count=11, published="2024-11-05", published_raw="Nov 5, 2024", comments=None
    ),
    "Kestrel-7B Technical Report": dict(
        organization="Kestrel", org_handle="kestrel-ai", published="2026-04-08", comments=31
    ),
}

#: The five papers of author_page.txt (and its CRLF and messy twins), as read.
AUTHOR_PAGE = {
    "ROQ: Rotary Quantisation for Pocket-Sized Speech Models": dict(
        authors=["Åsa Lindqvist", "Tomás O'Reilly-Núñez", "Wei Zhang"], authors_truncated=True,
        category="LG", score=None, has_code=False, published="2024-10-04",
    ),
    "Gradient Sketching with Param$Δ$": dict(
        authors=["Ingrid Solberg", "Jean-Luc Moreau"], authors_truncated=False,
        category="AI", score=61.2, has_code=True, published="2026-03-03",
    ),
    "Cheap Adapters Beat Full Tuning with QLoRA": dict(
        authors=["Maja Petrović", "Hugo LeBlanc"], category="CV", has_code=False,
        published="2025-01-27",
    ),
    "Self-Correcting Agents via GPTs": dict(
        authors=["Kenji Watanabe-Ortiz"], authors_truncated=True, category="CL", score=7.5,
        has_code=True, published="2026-08-12",
    ),
    "WHAT IS RETRIEVAL FOR?": dict(
        authors=["Siobhán Ní Bhriain", "Ólafur Þórsson"], category="IR", published="2023-05-30",
    ),
}


@pytest.fixture
def lib(tmp_path):
    library = Library.open(tmp_path / "lib.db")
    yield library
    library.close()


def _papers(library: Library) -> dict:
    return {p.title: p for p in library.get_papers(library.ordered_ids())}


def _check(papers: dict, expected: dict) -> None:
    assert set(papers) == set(expected)
    for title, fields in expected.items():
        for name, value in fields.items():
            assert getattr(papers[title], name) == value, (title, name)


@pytest.mark.parametrize("name", ["daily_papers.txt", "cr_daily_papers.txt", "messy_daily_papers.txt"])
def test_daily_papers_dumps(lib, fixtures, name):
    report = import_file(fixtures / name, lib, today=TODAY)
    assert report.ok and report.status == STATUS_IMPORTED
    assert report.layout == "daily-papers"
    assert (report.papers, report.new, report.merged, report.unchanged) == (6, 6, 0, 0)
    assert report.warnings == [] and report.skipped == 0
    assert report.import_id is not None
    assert report.summary() == f"{name}: 6 papers (daily-papers): 6 new, 0 merged, 0 unchanged"
    _check(_papers(lib), DAILY)
    assert lib.imports()[0]["page_date"] == "2026-04-09"


@pytest.mark.parametrize(
    "name", ["author_page.txt", "crlf_author_page.txt", "messy_author_page.txt"]
)
def test_author_page_dumps(lib, fixtures, name):
    report = import_file(fixtures / name, lib, today=TODAY)
    assert report.ok and report.layout == "author-page"
    assert (report.papers, report.new) == (5, 5)
    assert report.warnings == []
    papers = _papers(lib)
    _check(papers, AUTHOR_PAGE)
    assert all(p.upvotes is None and p.comments is None and p.organization is None for p in papers.values())


def test_twins_of_one_page_merge_into_the_same_papers(lib, fixtures):
    import_file(fixtures / "daily_papers.txt", lib, today=TODAY)
    for twin in ("cr_daily_papers.txt", "messy_daily_papers.txt"):
        report = import_file(fixtures / twin, lib, today=TODAY)
        assert report.status == STATUS_IMPORTED
        assert report.new == 0 and report.merged + report.unchanged == 6
    import_file(fixtures / "author_page.txt", lib, today=TODAY)
    assert import_file(fixtures / "crlf_author_page.txt", lib, today=TODAY).new == 0
    assert lib.count() == 11
    assert _papers(lib)["Kestrel-7B Technical Report"].sources == [
        "daily_papers.txt",
        "cr_daily_papers.txt",
        "messy_daily_papers.txt",
    ]


def test_listings(lib, fixtures):
    report = import_file(fixtures / "listing.txt", lib, today=TODAY)
    assert report.ok and report.layout == "listing"
    assert (report.papers, report.new, report.warnings) == (3, 3, [])
    assert lib.imports()[0]["page_date"] == "2026-07-14"
    bare = import_file(fixtures / "listing_bare.txt", lib, today=TODAY)
    assert bare.ok and bare.layout == "listing" and bare.new == 2
    papers = _papers(lib)
    assert set(papers) == {
        "Moss: Tiny Vision Transformers for Lichen Identification",
        "Are Benchmarks Leaking Into Pretraining Data? A Case Study on Riddles",
        "Z-Loss Is All You Need (Sometimes)",
        "Pebble: Learned Compression for Sensor Logs",
        "Counting Sheep with Drones",
    }
    sheep = papers["Counting Sheep with Drones"]
    assert sheep.abstract.startswith("We count sheep on hillside pastures")
    assert sheep.abstract.endswith("label them quickly.")
    assert all(p.published is None and p.authors is None for p in papers.values())


def _warning_line(warning: str) -> int:
    match = re.match(r"line (\d+): ", warning)
    assert match, warning
    return int(match[1])


@pytest.mark.parametrize(
    ("name", "layout", "titles", "lines", "skipped"),
    [
        (
            "missing_abstract_daily_papers.txt",
            "daily-papers",
            ["Sundial: Predicting Solar Panel Output from Shadows", "Pantry: Learning to Plan Meals from Leftovers"],
            [13],
            1,
        ),
        (
            "missing_abstract_listing.txt",
            "listing",
            [
                "Opal: Calibrated Confidence for Table Question Answering",
                "Tuning Learning Rates by Listening to the Loss",
                "Hedgehog Counts from Garden Trail Cameras",
            ],
            [5],
            1,
        ),
        (
            "truncated_daily_papers.txt",
            "daily-papers",
            ["Ribbon: Streaming Speech Translation with Bounded Latency", "Mapping Potholes from Bus Cameras"],
            [21],
            1,
        ),
        (
            "no_date_daily_papers.txt",
            "daily-papers",
            ["Lighthouse: Retrieval for Maritime Regulations", "Cursive: Handwriting Recognition for Old Recipe Cards"],
            [17],
            0,
        ),
    ],
)
def test_damaged_dumps_import_what_is_whole_and_warn(lib, fixtures, name, layout, titles, lines, skipped):
    report = import_file(fixtures / name, lib, today=TODAY)
    assert report.ok and report.layout == layout
    assert (report.papers, report.new) == (len(titles), len(titles))
    assert [_warning_line(w) for w in report.warnings] == lines
    assert report.skipped == skipped
    if skipped:
        assert f"{skipped} skipped" in report.summary()
    assert sorted(_papers(lib)) == sorted(titles)
    # The warnings are kept with the import.
    stored = lib.query("SELECT warnings FROM imports")[0][0]
    assert all(w in stored for w in report.warnings)


def test_warnings_name_what_was_skipped(lib, fixtures):
    report = import_file(fixtures / "missing_abstract_daily_papers.txt", lib, today=TODAY)
    assert "An Orphaned Title Without Its Abstract" in report.warnings[0]
    assert "abstract" in report.warnings[0]
    report = import_file(fixtures / "no_date_daily_papers.txt", lib, today=TODAY)
    assert "date" in report.warnings[0]
    cursive = _papers(lib)["Cursive: Handwriting Recognition for Old Recipe Cards"]
    assert cursive.author_count == 3 and cursive.published is None and cursive.comments is None
    lighthouse = _papers(lib)["Lighthouse: Retrieval for Maritime Regulations"]
    assert (lighthouse.org_handle, lighthouse.organization) == ("heliolabs", "Helio Labs")
    assert (lighthouse.published, lighthouse.comments) == ("2026-10-17", 9)


def test_truncated_daily_papers_dates(lib, fixtures):
    import_file(fixtures / "truncated_daily_papers.txt", lib, today=TODAY)
    papers = _papers(lib)
    ribbon = papers["Ribbon: Streaming Speech Translation with Bounded Latency"]
    potholes = papers["Mapping Potholes from Bus Cameras"]
    assert (ribbon.author_count, ribbon.published, ribbon.comments) == (2, "2026-08-28", 5)
    assert (potholes.author_count, potholes.published, potholes.comments) == (6, "2026-08-30", None)


def test_truncated_author_page(lib, fixtures):
    report = import_file(fixtures / "truncated_author_page.txt", lib, today=TODAY)
    assert report.ok and report.layout == "author-page" and report.new == 1
    assert len(report.warnings) == 1 and _warning_line(report.warnings[0]) in (4, 5)
    assert report.skipped == 1
    cranes = _papers(lib)["Folding Paper Cranes with Robot Arms"]
    assert cranes.authors == ["Noor Haddad", "Pieter de Vries"]
    assert (cranes.category, cranes.published) == ("LG", "2025-06-01")


def test_missing_meta_author_page_keeps_the_papers_apart(lib, fixtures):
    """Reading the file: "Counting Bees…" (with its metadata line), then "Quiet Fans…" whose
    metadata line is missing, then "Rhymes…". Quiet Fans must not vanish into the bees' abstract.
    """
    report = import_file(fixtures / "missing_meta_author_page.txt", lib, today=TODAY)
    assert report.ok and report.layout == "author-page"
    assert (report.papers, report.new) == (3, 3)
    assert [_warning_line(w) for w in report.warnings] == [4]
    assert report.skipped == 0
    papers = _papers(lib)
    bees = papers["Counting Bees at the Hive Entrance"]
    assert bees.authors == ["Lena Vogel", "Arjun Mehta"]
    assert (bees.category, bees.published) == ("LG", "2024-09-09")
    assert bees.abstract.endswith("on warm afternoons.")
    fans = papers["Quiet Fans: Acoustic Anomaly Detection in Server Rooms"]
    assert (fans.authors, fans.authors_truncated) == (["Owen Price", "Mei Tanaka"], True)
    assert fans.abstract.startswith("We listen to server room fans")
    assert (fans.category, fans.published) == (None, None)
    rhymes = papers["Rhymes as a Probe of Phonological Knowledge in Language Models"]
    assert (rhymes.authors, rhymes.category, rhymes.published) == (["Emeka Obi"], "CL", "2025-03-05")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty"),
        ("whitespace.txt", "empty"),
        ("binary.bin", "binary"),
        ("latin1.txt", "UTF-8"),
        ("shopping_list.txt", "no known layout"),
        ("json_dump.txt", "not a listing page: it looks like JSON data"),
        ("does_not_exist.txt", "no such file"),
    ],
)
def test_rejected_files_import_nothing(lib, fixtures, tmp_path, name, reason):
    before = snapshot(tmp_path / "lib.db")
    report = import_file(fixtures / name, lib, today=TODAY)
    assert not report.ok and report.status == STATUS_REJECTED
    assert reason in report.reason
    assert (report.papers, report.new, report.import_id) == (0, 0, None)
    assert report.summary() == f"{name}: rejected: {report.reason}"
    assert "\n" not in report.summary()
    assert snapshot(tmp_path / "lib.db") == before


def test_a_folder_is_rejected(lib, fixtures, tmp_path):
    before = snapshot(tmp_path / "lib.db")
    report = import_file(fixtures, lib)
    assert report.status == STATUS_REJECTED and "folder" in report.reason
    assert snapshot(tmp_path / "lib.db") == before


def test_a_dump_with_no_complete_paper_is_rejected(lib, tmp_path):
    path = tmp_path / "titles_only.txt"
    path.write_text("Daily Papers\n\nMay 6\n\nA Lonely Title Whose Abstract Was Never Saved\n")
    report = import_file(path, lib, today=TODAY)
    assert report.status == STATUS_REJECTED
    assert lib.count() == 0


def test_reimport_reports_nothing_new_and_writes_nothing(lib, fixtures, tmp_path):
    first = import_file(fixtures / "daily_papers.txt", lib, today=TODAY)
    assert first.new == 6
    before = snapshot(tmp_path / "lib.db")
    again = import_file(fixtures / "daily_papers.txt", lib, today=TODAY)
    assert again.ok and again.status == STATUS_ALREADY
    assert (again.new, again.merged, again.unchanged) == (0, 0, 6)
    assert again.import_id is None
    assert "already imported" in again.summary()
    assert snapshot(tmp_path / "lib.db") == before


def test_dry_run_reports_and_writes_nothing(lib, fixtures, tmp_path):
    before = snapshot(tmp_path / "lib.db")
    report = import_file(fixtures / "author_page.txt", lib, dry_run=True, today=TODAY)
    assert report.ok and report.dry_run and report.new == 5
    assert report.import_id is None
    assert "dry run" in report.summary()
    assert snapshot(tmp_path / "lib.db") == before


def test_year_override(lib, fixtures):
    import_file(fixtures / "daily_papers.txt", lib, year=2020, today=TODAY)
    papers = _papers(lib)
    assert papers["Tidepool: A Benchmark for Estuary Flow Forecasting"].published == "2020-02-02"
    assert papers["Kestrel-7B Technical Report"].published == "2020-04-08"
    # Dates that print their year keep it.
    assert papers["Q-Ferry: Quantised Transport Plans"].published == "2024-11-05"
    assert lib.imports()[0]["page_date"] == "2020-04-09"


def test_progress_callback(lib, fixtures):
    calls = []
    import_file(fixtures / "daily_papers.txt", lib, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (6, 6)


# -- the real example dumps -------------------------------------------------------------------

BALANCING = (
    "Balancing the Budget: Understanding Trade-offs Between Supervised and Preference-Based"
    " Finetuning"
)
CAPACITY_GAP = "Towards the Law of Capacity Gap in Distilling Language Models"


@pytest.mark.seeds
def test_seeds_import_to_231_distinct_papers(lib, seeds):
    files = sorted(seeds.glob("*.txt"))
    assert len(files) == 4
    reports = [import_file(f, lib, today=TODAY) for f in files]
    assert all(r.status == STATUS_IMPORTED for r in reports), [r.summary() for r in reports]
    assert [r.layout for r in reports] == ["author-page", "daily-papers", "daily-papers", "listing"]
    assert [r.papers for r in reports] == [7, 93, 45, 88]
    assert sum(r.papers for r in reports) == 233
    assert [r.new for r in reports] == [7, 93, 44, 87]
    assert [r.merged for r in reports] == [0, 0, 1, 1]
    assert all(r.warnings == [] for r in reports)
    assert lib.count() == 231

    papers = _papers(lib)
    balancing, gap = papers[BALANCING], papers[CAPACITY_GAP]
    assert balancing.sources == [files[1].name, files[2].name]
    assert balancing.published == "2025-02-16" and balancing.author_count == 3
    assert gap.sources == [files[2].name, files[3].name]
    assert gap.published == "2023-11-12" and gap.author_count == 4

    again = [import_file(f, lib, today=TODAY) for f in files]
    assert all(r.status == STATUS_ALREADY and r.new == 0 for r in again)
    assert lib.count() == 231
    assert lib.counts()["imports"] == 4
