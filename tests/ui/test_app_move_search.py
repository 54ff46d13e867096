"""Pilot tests: moving through the list and searching from the search line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, Static

from tests.app_helpers import (
    ADAPTERS,
    AGENTS,
    DECORATION_READ,
    LANTERN,
    QFERRY,
    RETRIEVAL,
    ROQ,
    build_library,
    make_app,
    settle,
)
from tests.flows_helpers import (
    ORDER,
    SIZE,
    abstract_text,
    current_title,
    papers,
    search,
    shown_titles,
    started,
    text_of,
)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library (14 papers, a few tags, one star, two read)."""
    return build_library(tmp_path)


# -- moving ----------------------------------------------------------------------------------------
async def test_first_screen_lists_every_paper_and_shows_the_first(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert shown_titles(app) == ORDER
        assert app.focused is papers(app)
        assert papers(app).cursor == 0
        assert abstract_text(app).startswith(AGENTS)
        assert text_of(app, "#status").startswith("14 of 14 papers · 12 unread")


async def test_j_k_and_arrows_move_the_cursor(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        steps = [("j", 1), ("down", 2), ("j", 3), ("k", 2), ("up", 1), ("k", 0), ("up", 0)]
        for key, expected in steps:
            await pilot.press(key)
            assert papers(app).cursor == expected, key
            assert current_title(app) == ORDER[expected]
            assert abstract_text(app).startswith(ORDER[expected] + "\n")


async def test_g_and_capital_g_jump_to_the_ends(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("G")
        assert papers(app).cursor == len(ORDER) - 1
        assert abstract_text(app).startswith(ORDER[-1])
        await pilot.press("j")  # already at the bottom: stays
        await pilot.pause()
        assert papers(app).cursor == len(ORDER) - 1
        await pilot.press("g")
        assert papers(app).cursor == 0
        assert abstract_text(app).startswith(ORDER[0])
        await pilot.press("end")
        assert papers(app).cursor == len(ORDER) - 1
        await pilot.press("home")
        assert papers(app).cursor == 0


async def test_page_down_and_page_up_move_a_screenful(library: Path):
    app = make_app(library)
    async with app.run_test(size=(120, 9)) as pilot:  # a short window: 6 list rows
        await started(app, pilot)
        height = papers(app).size.height
        assert height == 6
        last = len(ORDER) - 1
        for expected in (5, 10, last, last):  # a screenful less one row; clamped at the bottom
            await pilot.press("pagedown")
            assert papers(app).cursor == expected
            assert abstract_text(app).startswith(ORDER[expected])
            top = papers(app).scroll_y
            assert top <= expected < top + height  # the cursor row is in view
        for expected in (last - 5, last - 10, 0, 0):
            await pilot.press("pageup")
            assert papers(app).cursor == expected
            assert abstract_text(app).startswith(ORDER[expected])
            top = papers(app).scroll_y
            assert top <= expected < top + height
        await pilot.press("ctrl+f")
        assert papers(app).cursor == 5
        await pilot.press("ctrl+b")
        assert papers(app).cursor == 0


# -- searching -------------------------------------------------------------------------------------
async def test_slash_focuses_search_and_typing_refilters(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#search", Input)
        await pilot.press(*"quant")
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "quant"
        assert set(shown_titles(app)) == {QFERRY, ROQ, ADAPTERS}  # ADAPTERS: "quantised" abstract
        assert text_of(app, "#status").startswith("3 of 14 papers")
        await pilot.press(*"isa")
        await settle(pilot)
        assert shown_titles(app) == [ROQ]
        assert abstract_text(app).startswith(ROQ)


async def test_enter_in_search_returns_to_the_list_on_the_first_result(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j", "j", "j")
        await search(pilot, "year:2024")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is papers(app)
        assert papers(app).cursor == 0
        assert shown_titles(app) == [QFERRY, ROQ]
        assert current_title(app) == QFERRY
        assert abstract_text(app).startswith(QFERRY)
        await pilot.press("j")  # the list has the keys again, not the search line
        await pilot.pause()
        assert current_title(app) == ROQ
        assert app.screen.query_one("#search", Input).value == "year:2024"


async def test_escape_clears_the_search(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await search(pilot, "quant")
        assert len(shown_titles(app)) == 3
        await pilot.press("escape")  # in the search line: clears it and leaves it
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == ""
        assert app.focused is papers(app)
        assert shown_titles(app) == ORDER
        # From the list, Esc clears a search that is still set.
        await search(pilot, "quant")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is papers(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == ""
        assert shown_titles(app) == ORDER


FILTERS = [
    ("tag:quantisation", {QFERRY, ROQ}),
    ("tag:quantisation -tag:speech", {QFERRY}),
    ("tag:QUANTISATION", {QFERRY, ROQ}),
    ("author:solberg", {"Gradient Sketching with Param$Δ$"}),
    ("author:petrovic", {ADAPTERS}),  # folded: matches Petrović
    ('author:"maja petrovic"', {ADAPTERS}),
    ("org:kiel", {"Tidepool: A Benchmark for Estuary Flow Forecasting"}),
    ("year:2024", {QFERRY, ROQ}),
    ("year:..2023", {RETRIEVAL}),
    ("year:2025 is:starred", {LANTERN}),
    ("is:unread", set(ORDER) - set(DECORATION_READ)),
    ("-is:read", set(ORDER) - set(DECORATION_READ)),
    ("is:read", set(DECORATION_READ)),
    ("has:tags -is:read", {LANTERN, QFERRY}),
    ("quant -tag:quantisation", {ADAPTERS}),
    ("-quant year:2024..2025", set(ORDER[:6])),
    ("atention", {LANTERN}),  # a typo still finds it
    ("tag:nosuchtag", set()),
]


async def test_field_filters_show_the_right_papers(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        for query, expected in FILTERS:
            await search(pilot, query)
            assert set(shown_titles(app)) == expected, query
            assert text_of(app, "#status").startswith(f"{len(expected)} of 14 papers"), query
            assert not app.screen.query_one("#query-error").display, query
            if expected:
                assert abstract_text(app).startswith(current_title(app)), query
            else:
                assert papers(app).current_id is None, query
                assert "No paper selected." in abstract_text(app), query


MALFORMED = [
    ("foo:bar", "unknown field foo:"),
    ("year:20x", "year:20x is not a year or range"),
    ("year:2025..2023", "runs backwards"),
    ('"unclosed quote', "a quote is not closed"),
    ("is:maybe", "is:maybe?"),
    ("has:wings", "has:wings?"),
]


async def test_malformed_queries_show_their_message(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        error = app.screen.query_one("#query-error", Static)
        await pilot.press("slash", *"a:b")  # typed key by key: every prefix is searched
        await settle(pilot)
        assert error.display
        assert "unknown field a:" in text_of(app, "#query-error")
        assert app.focused is app.screen.query_one("#search", Input)
        for query, message in MALFORMED:
            # A good query hides the message; a bad one after it keeps the good result on screen.
            await search(pilot, "tag:quantisation")
            assert not error.display, query
            assert set(shown_titles(app)) == {QFERRY, ROQ}
            await search(pilot, query)
            assert error.display, query
            assert message in text_of(app, "#query-error"), query
            assert set(shown_titles(app)) == {QFERRY, ROQ}, query
            assert app.is_running
        await pilot.press("escape")
        await settle(pilot)
        assert not error.display
        assert shown_titles(app) == ORDER


async def test_search_highlights_the_words_in_the_titles(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await search(pilot, "quantisation")
        pattern = papers(app)._pattern
        assert pattern is not None and pattern.search(ROQ)


async def test_pasting_a_nul_character_into_search_does_not_crash(library: Path):
    """Regression: a NUL reached FTS5 and killed the search worker, and the app with it."""
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("slash")
        field = app.screen.query_one("#search", Input)
        field.post_message(events.Paste("x\x00y"))
        await settle(pilot)
        assert app.is_running
        assert app._exception is None
