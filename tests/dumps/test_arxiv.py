"""arXiv listing pages (/new, /recent, search results): the fourth layout, ids kept, `w` opens them.

Expected values are written from reading the fixtures, never from the parser's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_helpers import build_library, make_app
from tests.parser_helpers import check, parse_fixture, source_line
from tests.power_helpers import SIZE, goto, press, started, status
from tuireader.dumps import DumpError, detect, parse_dump
from tuireader.importer import import_file
from tuireader.library import Library
from tuireader.models import LAYOUT_ARXIV
from tuireader.search import Searcher
from tuireader.web import paper_url, search_url

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.mark.parametrize("name", ["arxiv_new.txt", "arxiv_recent.txt", "arxiv_search.txt"])
def test_arxiv_pages_are_recognised(fixtures, name):
    assert detect((fixtures / name).read_text(encoding="utf-8")) == LAYOUT_ARXIV


def test_arxiv_new_listing(fixtures):
    result = parse_fixture(fixtures, "arxiv_new.txt")
    assert result.layout == LAYOUT_ARXIV
    assert result.warnings == []
    assert (result.page_date, result.capture_year) == ("2025-06-02", 2025)
    assert [p.line for p in result.papers] == [9, 15, 21, 27]
    syllables, dissent, probes, tokenisers = result.papers
    check(
        syllables,
        title="Counting Syllables in Low-Resource Poetry with Character Models",
        abstract=source_line(fixtures, "arxiv_new.txt", 14),
        authors=["Ines Albuquerque", "Tomasz Wróbel", "Mei Ling Chua"],
        author_count=3,
        category="cs.CL",
        subjects="cs.CL cs.LG",
        arxiv_comments="9 pages, 3 figures",
        published="2025-06-02",
        published_raw="2 June 2025",
        arxiv_id="2506.00101",
    )
    # the older page design: "Title:" and "Authors:" before the values
    check(
        dissent,
        title="Do Summaries of Court Rulings Keep the Dissent?",
        abstract=source_line(fixtures, "arxiv_new.txt", 19),
        authors=["Oluwaseun Adeyemi", "Hanne Kjær"],
        author_count=2,
        category="cs.CL",
        subjects="cs.CL",
        published="2025-06-02",
        published_raw="2 June 2025",
        arxiv_id="2506.00257",
    )
    assert (probes.arxiv_id, probes.category, probes.author_count) == ("2506.00588", "cs.LG", 4)
    # a replaced paper is older than the listing: its date is left unknown
    check(
        tokenisers,
        title="Tokenisers Forget Diacritics: A Study of Twelve Languages",
        abstract=source_line(fixtures, "arxiv_new.txt", 33),
        authors=["Zeynep Aydın", "Lars Østergaard"],
        author_count=2,
        category="cs.CL",
        subjects="cs.CL",
        arxiv_comments="accepted at a workshop; 14 pages",
        journal_ref="Invented Proceedings 2025",
        arxiv_id="2411.04321",
    )


def test_arxiv_recent_listing_dates_entries_by_their_day(fixtures):
    result = parse_fixture(fixtures, "arxiv_recent.txt")
    assert result.warnings == []
    assert [(p.arxiv_id, p.published, p.abstract) for p in result.papers] == [
        ("2505.24001", "2025-05-30", ""),
        ("2505.23876", "2025-05-30", ""),
        ("2505.22950", "2025-05-29", ""),
    ]
    assert result.papers[1].title == "Federated Averaging on Sailing Boats"
    assert result.papers[1].authors == ["Eero Virtanen"]
    assert result.papers[2].authors == ["Hyun-woo Park", "Ana Beatriz Costa", "Grace Okafor"]


def test_arxiv_search_results(fixtures):
    result = parse_fixture(fixtures, "arxiv_search.txt")
    assert result.warnings == []
    assert result.page_date is None
    gaps, delta, strings = result.papers
    check(
        gaps,
        title="Filling Gaps in Tide Gauge Records with Neighbouring Stations",
        abstract=source_line(fixtures, "arxiv_search.txt", 10).removesuffix(" △ Less"),
        authors=["Maren Solberg", "Kofi Mensah", "Chiara Bellini"],
        author_count=3,
        category="physics.ao-ph",
        subjects="physics.ao-ph cs.LG",
        arxiv_comments="12 pages",
        published="2025-05-18",
        published_raw="18 May, 2025",
        arxiv_id="2505.11111",
    )
    assert "▽ More" not in gaps.abstract and "△ Less" not in gaps.abstract
    assert (delta.arxiv_id, delta.category, delta.published) == ("2403.04567", "physics.geo-ph", "2024-03-07")
    assert delta.abstract.startswith("We combine a century")
    assert (strings.arxiv_id, strings.category, strings.published) == ("hep-th/9901001", "hep-th", "1999-01-01")
    assert strings.authors == ["A. N. Other"]


def test_arxiv_chrome_is_never_a_paper(fixtures):
    for name, count in [("arxiv_new.txt", 4), ("arxiv_recent.txt", 3), ("arxiv_search.txt", 3)]:
        titles = [p.title for p in parse_fixture(fixtures, name).papers]
        assert len(titles) == count
        text = (fixtures / name).read_text(encoding="utf-8")
        for title in titles:
            assert text.count(title) == 1, title


def test_an_arxiv_entry_without_a_title_is_skipped_with_a_warning():
    text = "[1] arXiv:2506.00001 [pdf]\n[2] arXiv:2506.00002 [pdf]\nA Real Title\nAda Lovelace\n"
    result = parse_dump(text)
    assert [p.arxiv_id for p in result.papers] == ["2506.00002"]
    (warning,) = result.warnings
    assert warning.line == 1 and "no title" in warning.message


def test_an_arxiv_block_inside_an_author_page_is_rejected_naming_the_line(fixtures):
    page = (fixtures / "author_page.txt").read_text(encoding="utf-8").split("\n")
    mixed = "\n".join(page[:3] + ["[1] arXiv:2506.00101 [pdf]", "Some Title", "Ada Lovelace"])
    with pytest.raises(DumpError, match=r"^line 4: the layout changes here .* arXiv listing"):
        parse_dump(mixed)


def test_paper_url_prefers_the_arxiv_page():
    assert paper_url("Some Title", "2506.00101") == "https://arxiv.org/abs/2506.00101"
    assert paper_url("Some Title", "hep-th/9901001") == "https://arxiv.org/abs/hep-th/9901001"
    assert paper_url("Some Title", None) == search_url("Some Title")


def test_arxiv_ids_are_stored_and_searchable(tmp_path, fixtures):
    with Library.open(tmp_path / "lib.db") as library:
        assert import_file(fixtures / "arxiv_new.txt", library).ok
        assert import_file(fixtures / "daily_papers.txt", library).ok
        ids = Searcher(library).search("has:arxiv").ids
        papers = library.get_papers(ids)
        assert sorted(p.arxiv_id for p in papers) == [
            "2411.04321", "2506.00101", "2506.00257", "2506.00588",
        ]  # fmt: skip


async def test_w_opens_the_arxiv_page_of_a_paper_that_has_an_id(tmp_path: Path, monkeypatch):
    import tuireader.web

    path = build_library(tmp_path, ("arxiv_search.txt", "daily_papers.txt"), decorate=False)
    opened: list[str] = []
    monkeypatch.setattr(tuireader.web, "open_in_browser", lambda url: opened.append(url))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await goto(pilot, "A Century of Tide Gauges and the Sinking Delta")
        await press(pilot, "w")
        assert "opened arXiv:2403.04567 in the browser" in status(app)
        await goto(pilot, "Kestrel-7B Technical Report")
        await press(pilot, "w")
    assert opened == [
        "https://arxiv.org/abs/2403.04567",
        search_url("Kestrel-7B Technical Report"),
    ]


def test_a_hugging_face_block_inside_an_arxiv_page_is_rejected_naming_the_line(fixtures):
    arxiv = (fixtures / "arxiv_recent.txt").read_text(encoding="utf-8").split("\n")
    daily = (fixtures / "current_search_results.txt").read_text(encoding="utf-8").split("\n")
    mixed = "\n".join(daily[6:12] + arxiv)  # one Hugging Face paper, then the arXiv page
    with pytest.raises(DumpError, match=r"^line 4: the layout changes here from an arXiv listing"):
        parse_dump(mixed)


@pytest.mark.parametrize(
    "cut_after",
    [
        "[4] arXiv:2411.04321 (replaced) [pdf, html, other]\nTokenisers Forget Diacritics: A Study of Twelve Languages\n",
        "Common tokenisers split words with diacritics into many more pieces than the same words",
    ],
)
def test_an_arxiv_page_cut_inside_its_last_entry_warns(fixtures, cut_after):
    text = (fixtures / "arxiv_new.txt").read_text(encoding="utf-8")
    result = parse_dump(text[: text.index(cut_after) + len(cut_after)])
    assert len(result.papers) == 4
    (warning,) = result.warnings
    assert warning.line == 27 and "ends inside this entry" in warning.message
