"""Today's Hugging Face pages, page chrome, damaged entries, control characters, non-dumps.

Expected values are written from reading the fixtures, never from the parser's output.
"""

from __future__ import annotations

import random
from dataclasses import asdict
from pathlib import Path

import pytest

from tests.parser_helpers import TODAY, check, parse_fixture, source_line, without_line
from tuireader.dumps import DumpError, parse_bytes, parse_dump
from tuireader.dumps.author_page import META_LINE
from tuireader.dumps.common import strip_controls
from tuireader.models import LAYOUT_DAILY_PAPERS, LAYOUT_LISTING

CURRENT = "current_daily_papers.txt"
SEARCH = "current_search_results.txt"

#: Every line of page chrome seen on these pages (and their neighbours), as a browser copies it.
CHROME = [
    "new",
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
    "Get trending papers in your email inbox once a day!Subscribe",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
    "Daily",
    "Weekly",
    "Monthly",
    "Daily Weekly Monthly",
    "Trending Papers",
    "Sep 12",
    "Search results for \"tide\"",
]


def test_current_page_imports_exactly(fixtures):
    result = parse_fixture(fixtures, CURRENT)
    assert result.layout == LAYOUT_DAILY_PAPERS
    assert result.warnings == []
    # "Feb 27, 2025" is the only printed year: the page was saved in 2026
    assert (result.capture_year, result.page_date) == (2026, "2026-09-12")
    assert [p.line for p in result.papers] == [23, 33, 43, 53]
    for paper in result.papers:
        assert paper.abstract == source_line(fixtures, CURRENT, paper.line + 2)
    marigold, slow, harbour, lichen = result.papers
    abstract = {"abstract": marigold.abstract}
    check(marigold, title="Marigold Fields: Dense Depth Estimation from Flower Photographs",
          **abstract, author_count=6, published="2026-05-29", published_raw="May 29",
          upvotes=214, comments=6)
    check(slow, title="Slow Tokens: Why Small Models Hesitate Before Numbers",
          abstract=slow.abstract, organization="Quiet Lab Zurich", org_handle="quietlab",
          published="2026-05-28", published_raw="May 28", upvotes=0)
    check(harbour, title="Harbour: A Benchmark of Port Logistics Questions",
          abstract=harbour.abstract, author_count=1, published="2025-02-27",
          published_raw="Feb 27, 2025", upvotes=31)
    check(lichen, title="Lichen Maps from Drone Flights over Tundra", abstract=lichen.abstract,
          author_count=12, published="2026-09-09", published_raw="Sep 9", upvotes=7, comments=9)


def test_current_search_results_page(fixtures):
    result = parse_fixture(fixtures, SEARCH)
    assert result.warnings == []
    assert result.page_date is None
    assert [(p.title, p.upvotes, p.comments) for p in result.papers] == [
        ("Tide Tables from Old Ship Logs", 58, 2),
        ("Riptide: Detecting Rip Currents in Beach Webcam Video", 0, None),
        ("Low Tide, High Stakes: Intertidal Species under Heat Waves", 3, 11),
    ]
    assert [p.published for p in result.papers] == ["2025-03-03", "2026-10-14", "2026-07-21"]
    assert result.papers[1].org_handle == "coastai"


def test_comment_count_on_a_line_of_its_own():
    text = (
        "Daily Papers\n5\nFirst Title\n" + PROSE + "\n  • 2 authors\n·\nMay 29\n6\n14\n"
        "Second Title\n" + PROSE.replace("We", "They") + "\n  • 3 authors\n·\nMay 28 1\n"
    )
    first, second = parse_dump(text, today=TODAY).papers
    assert (first.upvotes, first.comments) == (5, 6)
    assert (second.upvotes, second.comments) == (14, 1)


PROSE = (
    "We study a question that matters to many people and answer it with a method that is simple,"
    " cheap and better than what came before it on every benchmark we tried."
)


def _entries(text: str) -> list[str]:
    """Split a page after its header into paper entries (each starts at its upvote line)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "214")
    entries, current = [], []
    for line in lines[start:]:
        if line.strip() in ("214", "-", "31", "7") and current:
            entries.append("\n".join(current))
            current = []
        current.append(line)
    entries.append("\n".join(current))
    return entries


@pytest.mark.parametrize("seed", range(12))
def test_page_chrome_shuffled_and_repeated_is_never_a_paper(fixtures, seed):
    text = (fixtures / CURRENT).read_text(encoding="utf-8")
    want = without_line(parse_fixture(fixtures, CURRENT))
    rng = random.Random(seed)

    def chrome() -> str:
        lines = [rng.choice(CHROME) for _ in range(rng.randint(1, 14))]
        return "\n".join(lines) + "\n"

    entries = _entries(text)
    header = "\n".join(rng.sample(CHROME, len(CHROME)) + ["Sep 12"]) + "\n"
    page = header + "".join(chrome() + entry.strip() + "\n" for entry in entries) + chrome()
    got = parse_dump(page, today=TODAY)
    assert without_line(got) == want
    assert got.warnings == []


def test_two_pages_pasted_into_one_file(fixtures):
    first = (fixtures / CURRENT).read_text(encoding="utf-8")
    second = (fixtures / SEARCH).read_text(encoding="utf-8")
    got = parse_dump(first + "\n" + second, today=TODAY)
    assert got.warnings == []
    assert got.page_date == "2026-09-12"
    assert [p.title for p in got.papers] == [
        "Marigold Fields: Dense Depth Estimation from Flower Photographs",
        "Slow Tokens: Why Small Models Hesitate Before Numbers",
        "Harbour: A Benchmark of Port Logistics Questions",
        "Lichen Maps from Drone Flights over Tundra",
        "Tide Tables from Old Ship Logs",
        "Riptide: Detecting Rip Currents in Beach Webcam Video",
        "Low Tide, High Stakes: Intertidal Species under Heat Waves",
    ]


@pytest.mark.parametrize("name", ["daily_papers.txt", "listing.txt"])
def test_chrome_in_the_older_layouts_is_never_a_paper(fixtures, name):
    text = (fixtures / name).read_text(encoding="utf-8")
    want = without_line(parse_fixture(fixtures, name))
    rng = random.Random(name)
    lines = text.split("\n")
    titles = {p["title"] for p in want}
    page = []
    for line in lines:
        if line in titles:  # chrome before every paper
            page.extend(rng.choice(CHROME[:12]) for _ in range(rng.randint(1, 6)))
        page.append(line)
    got = parse_dump("\n".join(page), today=TODAY)
    assert without_line(got) == want
    assert got.warnings == []


# --- damaged entries ------------------------------------------------------------------------


def test_three_missing_abstracts_in_a_row_borrow_nothing(fixtures):
    """No title becomes another paper's abstract, and each lost paper is named once."""
    text = (fixtures / "missing_abstracts_current.txt").read_text(encoding="utf-8")
    result = parse_dump(text, today=TODAY)
    assert [(p.title, p.upvotes, p.comments) for p in result.papers] == [
        ("Gull Flight Paths from Rooftop Radar", 40, 3),
        ("Kelp Forest Canopy from Satellite Time Series", 11, 1),
    ]
    for paper in result.papers:
        assert paper.abstract.endswith(".") and len(paper.abstract) > 150
    assert [(w.line, w.message) for w in result.warnings] == [
        (10, "skipped a title with no abstract: 'Ferns That Count: Leaf Patterns as Counters'"),
        (15, "skipped a title with no abstract: 'Paper Boats and the Physics of Folds'"),
        (20, "skipped a title with no abstract: 'Owl Pellets under the Microscope'"),
    ]


@pytest.mark.parametrize(
    ("cut_after", "line", "message"),
    [
        ("We map lichen cover over two hundred square", 53, "ends inside this paper"),
        ("using a segmentation model trained on a few hundred hand-labelled tiles", 53,
         "ends inside this paper"),
        ("\n7\n", 51, "ends after an upvote count"),
        ("Lichen Maps from Drone Flights over Tundra\n", 53, "no abstract"),
    ],
)
def test_truncated_last_paper_gets_a_warning(fixtures, cut_after, line, message):
    text = (fixtures / CURRENT).read_text(encoding="utf-8")
    cut = text[: text.index(cut_after) + len(cut_after)]
    result = parse_dump(cut, today=TODAY)
    (warning,) = result.warnings
    assert warning.line == line
    assert message in warning.message
    assert [p.title for p in result.papers][:3] == [
        "Marigold Fields: Dense Depth Estimation from Flower Photographs",
        "Slow Tokens: Why Small Models Hesitate Before Numbers",
        "Harbour: A Benchmark of Port Logistics Questions",
    ]


def test_author_page_block_inside_a_daily_page_is_read_as_an_author_page(fixtures):
    page = (fixtures / CURRENT).read_text(encoding="utf-8")
    author = (fixtures / "author_page.txt").read_text(encoding="utf-8").split("\n")[:6]
    at = page.index("31\n\nHarbour")
    mixed = page[:at] + "\n".join(author) + "\n" + page[at:]
    result = parse_dump(mixed, today=TODAY)
    assert result.warnings == []
    titles = [p.title for p in result.papers]
    assert len(titles) == 6
    assert not [title for title in titles if META_LINE.match(title)]
    mid = [p for p in result.papers if p.authors]
    assert len(mid) == 2
    assert all(p.category and p.published_raw and p.upvotes is None for p in mid)


def test_daily_block_inside_an_author_page_is_rejected_naming_the_line(fixtures):
    page = (fixtures / "author_page.txt").read_text(encoding="utf-8").split("\n")
    block = ["", "12", "A Daily Title", PROSE, "  • 3 authors", "·", "May 29 6"]
    mixed = "\n".join(page[:6] + block + page[6:])
    with pytest.raises(DumpError, match=r"^line 11: the layout changes here from an author page"):
        parse_dump(mixed, today=TODAY)


# --- control characters ---------------------------------------------------------------------


def test_strip_controls_removes_c0_del_c1_and_escape_sequences():
    assert strip_controls("a\x00b\x07c\x7fd\x85e\x9bf\tg\nh") == "abcdef\tg\nh"
    assert strip_controls("red \x1b[31mALERT\x1b[0m done") == "red ALERT done"
    assert strip_controls("title\x1b]0;pwned\x07 end") == "title end"
    assert strip_controls("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_a_line_of_control_bytes_never_becomes_a_paper(fixtures):
    clean = parse_fixture(fixtures, CURRENT)
    text = (fixtures / CURRENT).read_text(encoding="utf-8")
    noisy = text.replace("\n-\n", "\n\x01\x02\x03\x04\x05\x06\x07\n-\n").replace(
        "Slow Tokens", "Slow\x1b[2J Tok\x7fens\x9b"
    )
    got = parse_bytes(noisy.encode(), today=TODAY)
    assert without_line(got) == without_line(clean)
    assert got.warnings == []
    for paper in got.papers:
        for value in asdict(paper).values():
            if isinstance(value, str):
                assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value)


# --- files that are not listing pages -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [
        ("refs.bib", "BibTeX"),
        ("refs.ris", "a RIS reference file"),
        ("papers.csv", "a CSV table"),
        ("json_dump.txt", "JSON data"),
        ("page.html", "an HTML page"),
        ("script.py", "source code"),
    ],
)
def test_files_that_are_not_listing_pages_are_rejected_whole(fixtures, name, looks_like):
    with pytest.raises(DumpError, match=f"^this is not a listing page: it looks like {looks_like}"):
        parse_fixture(fixtures, name)


def test_our_own_bibtex_and_csv_exports_are_rejected_as_what_they_are(tmp_path, fixtures):
    from tuireader.export import export
    from tuireader.importer import import_file
    from tuireader.library import Library

    with Library.open(tmp_path / "lib.db") as library:
        assert import_file(fixtures / CURRENT, library).ok
        papers = library.get_papers(library.ordered_ids())
        for fmt, kind in [("bibtex", "BibTeX"), ("csv", "a CSV table")]:
            path = tmp_path / f"export.{fmt}"
            path.write_text(export(papers, fmt), encoding="utf-8")
            report = import_file(path, library)
            assert not report.ok
            assert report.reason.startswith(f"this is not a listing page: it looks like {kind}")
        assert len(library.ordered_ids()) == 4


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_our_own_json_export_imports_into_another_library(tmp_path, fixtures, fmt):
    from tuireader.export import EXPORT_KEYS, export
    from tuireader.importer import import_file
    from tuireader.library import Library

    state = ("read", "starred", "tags", "notes", "sources", "added_at")
    with Library.open(tmp_path / "a.db") as library:
        for name in (CURRENT, "author_page.txt", "arxiv_new.txt"):
            assert import_file(fixtures / name, library).ok
        first = library.get_papers(library.ordered_ids())
        library.set_read([first[0].id], True)
        papers = library.get_papers(library.ordered_ids())
    path = tmp_path / f"export.{fmt}"
    path.write_text(export(papers, fmt), encoding="utf-8")
    with Library.open(tmp_path / "b.db") as other:
        report = import_file(path, other)
        assert report.ok and report.layout == "tuireader-json" and report.warnings == []
        assert report.new == len(papers) == 13
        again = {p.title: p for p in other.get_papers(other.ordered_ids())}
    for paper in papers:
        copy = again[paper.title]
        for key in EXPORT_KEYS:
            if key not in state:
                assert getattr(copy, key) == getattr(paper, key), (paper.title, key)
        assert not copy.read and not copy.tags


def test_json_that_is_not_ours_is_still_refused():
    with pytest.raises(DumpError, match="it looks like JSON data"):
        parse_dump('[{"title": "A", "abstract": "B"}]')
    with pytest.raises(DumpError, match="it looks like JSON data"):
        parse_dump('{"title": "A"}\n{"title": "B"}\n')


def test_listing_layout_still_reads_a_headerless_page(fixtures):
    assert parse_fixture(fixtures, "listing_bare.txt").layout == LAYOUT_LISTING


def test_readme_layout_table_lists_every_registered_layout():
    from tuireader.dumps import LAYOUTS

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Importing dumps", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")]
    assert rows[2:] == [layout.label for layout in LAYOUTS]  # after the header and its rule
    assert len(LAYOUTS) == 5


def test_each_parser_strips_control_characters_when_called_directly():
    from tuireader.dumps.arxiv import parse_arxiv
    from tuireader.dumps.daily_papers import parse_daily_papers

    daily = parse_daily_papers("5\nA \x1b[1mBold\x1b[0m Title\x07\n" + PROSE + "\x9b\n", today=TODAY)
    assert [p.title for p in daily.papers] == ["A Bold Title"]
    assert daily.papers[0].abstract == PROSE
    arxiv = parse_arxiv("[1] arXiv:2506.00001 [pdf]\nTitle\x00 Here\nAda\x7f Lovelace\n")
    assert (arxiv.papers[0].title, arxiv.papers[0].authors) == ("Title Here", ["Ada Lovelace"])


def test_a_short_abstract_ending_in_a_link_is_kept_when_its_block_follows():
    abstract = "We release a dataset of tide tables and code at https://example.org/tides"
    text = f"Daily Papers\nSep 12\n8\nTide Tables\n{abstract}\n  • 2 authors\n·\nSep 10 1\n"
    result = parse_dump(text, today=TODAY)
    assert [(p.title, p.abstract, p.upvotes, p.comments) for p in result.papers] == [
        ("Tide Tables", abstract, 8, 1)
    ]
    assert result.warnings == []


def test_blocks_whose_dot_a_browser_dropped(fixtures):
    text = (fixtures / CURRENT).read_text(encoding="utf-8").replace("\n·\n", "\n")
    got = parse_dump(text, today=TODAY)
    assert got.warnings == []
    assert without_line(got) == without_line(parse_fixture(fixtures, CURRENT))
    alone = parse_dump("7\nA Title\n" + PROSE + "\nMay 29 6\n3\nB Title\n" + PROSE + "\n", today=TODAY)
    assert [(p.title, p.upvotes, p.published_raw, p.comments) for p in alone.papers] == [
        ("A Title", 7, "May 29", 6),
        ("B Title", 3, None, None),
    ]
