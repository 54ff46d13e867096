"""Pilot tests: views, saved searches and sort orders."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.app_helpers import KESTREL, LANTERN, QFERRY, ROQ, WHISKER, build_library, make_app
from tests.power_helpers import (
    BY_ADDED,
    BY_COMMENTS,
    BY_DATE,
    BY_TITLE,
    BY_UPVOTES,
    FACTS,
    FIXTURES,
    LISTING_TITLES,
    SIZE,
    current_title,
    file_state,
    goto,
    highlight,
    paper_list,
    pick_view,
    picker_keys,
    picker_labels,
    press,
    search,
    shown_titles,
    starred_titles,
    started,
    status,
    text_of,
    type_text,
)
from tuireader.library import Library
from tuireader.screens.dialogs import NamePrompt
from tuireader.screens.main import MainScreen
from tuireader.screens.views import ViewPicker


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library: 14 papers; Lantern starred; ROQ and Whisker read; tags."""
    return build_library(tmp_path)


# -- views -------------------------------------------------------------------------------------
async def test_view_picker_lists_views_tags_with_counts_and_saved_searches(library: Path):
    with Library.open(library) as other:
        other.save_search("quantised", "quant")
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "v")
        assert isinstance(app.screen, ViewPicker)
        assert picker_keys(app) == [
            "all",
            "unread",
            "starred",
            "import",
            "tag:quantisation",  # most used first, then by name
            "tag:attention",
            "tag:audio",
            "tag:long-context",
            "tag:speech",
            "saved:quantised",
        ]
        labels = picker_labels(app)
        assert labels["all"] == "All papers  14  (current)"
        assert labels["unread"] == "Unread  12"
        assert labels["starred"] == "Starred  1"
        assert labels["import"] == "New in the last import (listing.txt)  3"
        assert labels["tag:quantisation"] == "#quantisation  2"
        assert labels["tag:speech"] == "#speech  1"
        assert labels["saved:quantised"] == "Saved: quantised — quant"
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_unread_starred_tag_and_last_import_views_show_the_right_papers(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_view(pilot, "unread")
        assert shown_titles(app) == [t for t in BY_DATE if t not in (ROQ, WHISKER)]
        assert "view: unread" in status(app)
        await pick_view(pilot, "starred")
        assert shown_titles(app) == [LANTERN]
        assert "view: starred" in status(app)
        await pick_view(pilot, "tag:quantisation")
        assert shown_titles(app) == [QFERRY, ROQ]
        assert "view: #quantisation" in status(app)
        await pick_view(pilot, "import")
        assert set(shown_titles(app)) == LISTING_TITLES
        await pick_view(pilot, "all")
        assert shown_titles(app) == BY_DATE
        assert "view: all" in status(app)


async def test_views_follow_changes_made_with_keys(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await goto(pilot, KESTREL)
        await press(pilot, "s")
        await pick_view(pilot, "starred")
        assert shown_titles(app) == [KESTREL, LANTERN]
        await press(pilot, "v")
        assert picker_labels(app)["starred"] == "Starred  2  (current)"
        await press(pilot, "escape")
    assert starred_titles(library) == {KESTREL, LANTERN}


async def test_a_view_combines_with_the_search(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_view(pilot, "unread")
        await search(pilot, "tag:quantisation")
        assert shown_titles(app) == [QFERRY]  # ROQ has the tag but is read


# -- saved searches ----------------------------------------------------------------------------
async def test_save_a_search_pick_it_later_and_delete_it(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "tag:quantisation")
        await press(pilot, "S")
        assert isinstance(app.screen, NamePrompt)
        assert "tag:quantisation" in text_of(app, ".dialog-title")
        await type_text(pilot, "my q")
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert "saved search 'my q'" in status(app)
        with Library.open(library) as other:
            assert other.saved_searches() == [("my q", "tag:quantisation")]

        await search(pilot, "")
        assert len(shown_titles(app)) == 14
        await pick_view(pilot, "saved:my q")
        assert app.screen.query_one("#search", Input).value == "tag:quantisation"
        assert shown_titles(app) == [QFERRY, ROQ]
        assert "saved search: tag:quantisation" in status(app)
        assert app.focused is app.screen.query_one("#search", Input)  # as if typed
        await press(pilot, "enter")  # Enter goes to the list (it opens nothing)

        await press(pilot, "v")
        await highlight(pilot, "saved:my q")
        await press(pilot, "x")
        assert isinstance(app.screen, ViewPicker)  # the picker stays open, refilled
        assert not any(k.startswith("saved:") for k in picker_keys(app))
        assert any("deleted saved search" in n.message for n in app._notifications)
        await press(pilot, "escape")
    with Library.open(library) as other:
        assert other.saved_searches() == []


async def test_x_in_the_picker_deletes_only_saved_searches(library: Path):
    with Library.open(library) as other:
        other.save_search("mine", "lantern")
    before = file_state(library)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "v")
        await highlight(pilot, "tag:quantisation")
        await press(pilot, "x")
        assert "tag:quantisation" in picker_keys(app)
        await press(pilot, "escape")
    assert file_state(library) == before
    with Library.open(library) as other:
        assert other.saved_searches() == [("mine", "lantern")]


async def test_save_search_with_an_empty_query_asks_for_one(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "S")
        assert isinstance(app.screen, MainScreen)
        assert "type a search first" in status(app)


async def test_escape_in_the_name_prompt_saves_nothing(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "lantern")
        await press(pilot, "S")
        await type_text(pilot, "nope")
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
    with Library.open(library) as other:
        assert other.saved_searches() == []


# -- sort --------------------------------------------------------------------------------------
def test_expected_orders_match_the_fixture_facts():
    """The hand-written orders agree with sorting the fixture facts by the stated rules."""
    undated = [t for t, published, *_ in FACTS if published is None]
    dated = sorted((f for f in FACTS if f[1]), key=lambda f: f[1], reverse=True)
    assert BY_DATE[: len(dated)] == [f[0] for f in dated]
    assert BY_DATE[len(dated) :] == undated
    commented = sorted((f for f in FACTS if f[2]), key=lambda f: f[2], reverse=True)
    assert BY_COMMENTS[: len(commented)] == [f[0] for f in commented]
    assert sorted(BY_DATE, key=str.casefold) == BY_TITLE
    dumps = [next(f[3] for f in FACTS if f[0] == t) for t in BY_ADDED]
    assert dumps == ["listing.txt"] * 3 + ["author_page.txt"] * 5 + ["daily_papers.txt"] * 6
    for name in ("listing.txt", "author_page.txt", "daily_papers.txt"):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        in_file = sorted((t for t in BY_ADDED if dumps[BY_ADDED.index(t)] == name), key=text.index)
        assert [t for t in BY_ADDED if t in in_file] == in_file[::-1]


async def test_o_cycles_the_sort_orders(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert shown_titles(app) == BY_DATE
        assert "sort: date" in status(app)
        await press(pilot, "o")
        assert "sort: upvotes" in status(app) and "sorted by upvotes" in status(app)
        assert shown_titles(app) == BY_UPVOTES
        await press(pilot, "o")
        assert "sort: comments" in status(app) and "sorted by comments" in status(app)
        assert shown_titles(app) == BY_COMMENTS
        await press(pilot, "o")
        assert "sort: title" in status(app)
        assert shown_titles(app) == BY_TITLE
        await press(pilot, "o")
        assert "sort: added" in status(app)
        assert shown_titles(app) == BY_ADDED
        await press(pilot, "o")  # a model of the starred and tagged papers (tests/ui/test_app_triage.py)
        assert "sort: for you" in status(app)
        assert set(shown_titles(app)) == set(BY_DATE)
        await press(pilot, "o")
        assert "sort: date" in status(app)
        assert shown_titles(app) == BY_DATE


async def test_sorting_keeps_the_cursor_on_its_paper(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await goto(pilot, LANTERN)
        await press(pilot, "o")
        assert current_title(app) == LANTERN
        assert paper_list(app).cursor == BY_UPVOTES.index(LANTERN)
