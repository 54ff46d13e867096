"""Pilot flows through the reader: every key that matters, checked on the library file itself.

Each state change is checked twice: on the screen, and in the library file read back through a
fresh ``Library.open`` (a second connection), so a change the screen shows but never wrote fails.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from textual import events
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, Static

from tests.app_helpers import (
    ADAPTERS,
    AGENTS,
    DECORATION_READ,
    GOOD_FIXTURES,
    KESTREL,
    LANTERN,
    MOSS,
    PEBBLE,
    QFERRY,
    RETRIEVAL,
    ROQ,
    WHISKER,
    build_empty_library,
    build_library,
    import_fixtures,
    make_app,
    paper_id,
    settle,
)
from tuireader.library import Library
from tuireader.screens.help import HelpScreen
from tuireader.screens.main import MainScreen
from tuireader.screens.reading import ReadingScreen
from tuireader.screens.tags import TagEditor
from tuireader.widgets.paper_list import PaperList

SIZE = (120, 40)
#: The fixture library in the default order (date, newest first; undated last, newest id first).
ORDER = [
    AGENTS,
    KESTREL,
    WHISKER,
    LANTERN,
    "Gradient Sketching with Param$Δ$",
    "Tidepool: A Benchmark for Estuary Flow Forecasting",
    ADAPTERS,
    QFERRY,
    ROQ,
    RETRIEVAL,
    "Z-Loss Is All You Need (Sometimes)",
    "Are Benchmarks Leaking Into Pretraining Data? A Case Study on Riddles",
    MOSS,
    "Small Gardens, Big Models: Curriculum Pruning Revisited",
]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library (14 papers, a few tags, one star, two read)."""
    return build_library(tmp_path)


# -- reading the screen and the file ---------------------------------------------------------------
def papers(app) -> PaperList:
    return app.screen.query_one(PaperList)


def shown_titles(app) -> list[str]:
    """Titles in the list, in display order."""
    rows = {row.id: row.title for row in app.library.rows(papers(app).ids)}
    return [rows[i] for i in papers(app).ids]


def current_title(app) -> str | None:
    current = papers(app).current_id
    return None if current is None else app.library.get_paper(current).title


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def abstract_text(app) -> str:
    from tuireader.widgets.abstract_pane import AbstractPane

    return app.screen.query_one(AbstractPane).plain_text


def stored(path: Path, title: str):
    """The paper titled ``title`` as a second connection reads it from the file."""
    with Library.open(path) as other:
        ids = {row.title: row.id for row in other.rows(other.find_ids([]))}
        return other.get_paper(ids[title])


async def search(pilot, query: str) -> None:
    """``/`` then put ``query`` in the search line at once (as a paste would), wait for results.

    Typing key by key is covered by its own test; here one search per query keeps tests fast.
    """
    field = pilot.app.screen.query_one("#search", Input)
    if pilot.app.focused is not field:
        await pilot.press("slash")
    assert pilot.app.focused is field
    field.value = query
    await settle(pilot)


def rendered_text(renderable, width: int = 120) -> str:
    """A Rich renderable (a table, say) as plain text."""
    console = Console(width=width, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


async def goto(pilot, title: str) -> None:
    """Put the list's cursor on ``title`` without keys (for tests about something else)."""
    app = pilot.app
    papers(app).move_to(shown_titles(app).index(title))
    await pilot.pause()
    assert current_title(app) == title


async def started(app, pilot) -> None:
    await settle(pilot)
    assert isinstance(app.screen, MainScreen)


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


# -- reading -------------------------------------------------------------------------------------
async def test_enter_opens_the_reading_view_and_marks_the_paper_read(library: Path):
    app = make_app(library)
    assert not stored(library, LANTERN).read
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await goto(pilot, LANTERN)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        body = abstract_text(app)
        assert body.startswith(LANTERN)
        assert "Lantern keeps a small set of anchor tokens" in body
        assert stored(library, LANTERN).read
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.focused is papers(app)
        assert current_title(app) == LANTERN
        assert "· read" in abstract_text(app)
        assert "11 unread" in text_of(app, "#status")


async def test_reading_view_steps_stars_and_closes_with_q(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert abstract_text(app).startswith(AGENTS)
        await pilot.press("right_square_bracket")
        assert abstract_text(app).startswith(KESTREL)
        assert stored(library, KESTREL).read  # stepping onto a paper reads it
        await pilot.press("s")
        assert stored(library, KESTREL).starred
        assert "starred" in abstract_text(app)
        await pilot.press("left_square_bracket", "left_square_bracket")  # stops at the first
        await pilot.pause()
        assert abstract_text(app).startswith(AGENTS)
        await pilot.press("q")  # closes the view, does not quit
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, MainScreen)
        assert "10 unread" in text_of(app, "#status")


# -- read and star -----------------------------------------------------------------------------
async def test_r_toggles_read_in_the_library(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j")
        assert current_title(app) == KESTREL
        await pilot.press("r")
        assert stored(library, KESTREL).read
        assert "read 1 paper" in text_of(app, "#status")
        assert "11 unread" in text_of(app, "#status")
        await pilot.press("r")
        assert not stored(library, KESTREL).read
        assert "unread 1 paper" in text_of(app, "#status")
        # A paper that starts read: r makes it unread.
        await pilot.press("j")
        await pilot.press("r")
        assert current_title(app) == WHISKER
        assert not stored(library, WHISKER).read


async def test_s_toggles_the_star_in_the_library(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("s")
        assert stored(library, AGENTS).starred
        assert "starred" in abstract_text(app)
        await pilot.press("s")
        assert not stored(library, AGENTS).starred
        await goto(pilot, LANTERN)
        await pilot.press("s")  # Lantern starts starred
        await pilot.pause()
        assert not stored(library, LANTERN).starred


# -- tags ----------------------------------------------------------------------------------------
def suggestions(app) -> list[str]:
    listing = app.screen.query_one("#tag-suggestions", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


def current_tags(app) -> list[str]:
    listing = app.screen.query_one("#tag-current", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_t_opens_the_tag_editor_and_enter_adds_a_tag(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("t")
        assert isinstance(app.screen, TagEditor)
        assert text_of(app, "#tag-title") == f"Tags for: {AGENTS}"
        assert app.focused is app.screen.query_one("#tag-input", Input)
        assert current_tags(app) == ["(no tags yet)"]
        await pilot.press(*"ml", "enter")
        assert stored(library, AGENTS).tags == ["ml"]
        assert current_tags(app) == ["#ml"]
        assert app.screen.query_one("#tag-input", Input).value == ""
        await pilot.press(*"to read", "enter")  # inner spaces become hyphens
        await pilot.pause()
        assert sorted(stored(library, AGENTS).tags) == ["ml", "to-read"]
        await pilot.press("enter")  # nothing typed: nothing added
        await pilot.pause()
        assert sorted(stored(library, AGENTS).tags) == ["ml", "to-read"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "#ml #to-read" in abstract_text(app)
        assert (
            app.screen.query_one("#search", Input).value == ""
        )  # the editor's keys did not leak into the search line


async def test_tag_completion_offers_existing_tags_ranked_fuzzily(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("t")
        # Nothing typed: every tag, most used first.
        assert suggestions(app)[0] == "quantisation"
        assert set(suggestions(app)) == {
            "quantisation",
            "attention",
            "audio",
            "long-context",
            "speech",
        }
        await pilot.press(*"qua")
        assert suggestions(app)[0] == "quantisation"
        field = app.screen.query_one("#tag-input", Input)
        field.value = ""
        await pilot.press(*"atention")  # a typo
        await pilot.pause()
        assert suggestions(app)[0] == "attention"
        assert "audio" not in suggestions(app)[:1]
        await pilot.press("tab")  # Tab completes with the best suggestion
        await pilot.pause()
        assert app.screen.query_one("#tag-input", Input).value == "attention"
        await pilot.press("enter")
        assert stored(library, AGENTS).tags == ["attention"]
        # A tag the paper already has is no longer offered.
        assert "attention" not in suggestions(app)
        # Down moves into the suggestions; Enter there adds the highlighted one.
        await pilot.press(*"spe", "down")
        assert app.focused is app.screen.query_one("#tag-suggestions", OptionList)
        await pilot.press("enter")
        assert sorted(stored(library, AGENTS).tags) == ["attention", "speech"]
        assert app.focused is app.screen.query_one("#tag-input", Input)


async def test_tags_are_removed_from_the_keyboard(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await goto(pilot, LANTERN)
        await pilot.press("t")
        assert current_tags(app) == ["#attention", "#long-context"]
        await pilot.press("x")  # in the input, x is just a letter
        await pilot.pause()
        assert app.screen.query_one("#tag-input", Input).value == "x"
        assert sorted(stored(library, LANTERN).tags) == ["attention", "long-context"]
        await pilot.press("backspace", "tab")  # nothing to complete: Tab goes to the paper's tags
        listing = app.screen.query_one("#tag-current", OptionList)
        assert app.focused is listing
        assert listing.highlighted == 0  # a tag is highlighted at once
        await pilot.press("x")
        assert stored(library, LANTERN).tags == ["long-context"]
        assert current_tags(app) == ["#long-context"]
        assert app.focused is listing
        assert listing.highlighted == 0  # still one highlighted after the removal
        await pilot.press("delete")
        assert stored(library, LANTERN).tags == []
        assert current_tags(app) == ["(no tags yet)"]
        await pilot.press("x", "down", "x")  # nothing left to remove: no error
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "tags:" not in abstract_text(app)
    with Library.open(library) as other:
        assert "attention" not in dict(other.tags())


async def test_escape_closes_the_tag_editor_without_changes(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("t", *"zz")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert stored(library, AGENTS).tags == []
        assert app.focused is papers(app)


async def test_tag_editor_from_the_reading_view(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"ml", "enter", "escape")
        assert isinstance(app.screen, ReadingScreen)
        assert "#ml" in abstract_text(app)
        assert stored(library, AGENTS).tags == ["ml"]


# -- help, palette, quit ------------------------------------------------------------------------
async def test_question_mark_opens_help_listing_the_keys(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(rendered_text(s.content) for s in app.screen.query(Static))
        for key, what in [
            ("/", "Search"),
            ("r", "Read"),
            ("s", "Star"),
            ("t", "Tags"),
            ("?", "Help"),
            ("q", "Quit"),
            ("Esc", "Back"),
            ("x", "Remove tag"),
            ("ctrl+p", "Command palette"),
        ]:
            assert key in text and what in text, (key, what)
        assert "tag:to-read" in text  # and the search language
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_table_names_every_key(library: Path):
    """The help's table is rich renderable: check its cells, not only the Static text."""
    from rich.table import Table

    from tuireader.screens.help import help_text
    from tuireader.screens.keys import binding_sections

    tables = [part for part in help_text(binding_sections()).renderables if isinstance(part, Table)]
    keys = [str(cell) for table in tables for cell in table.columns[0]._cells]
    for key in (
        "j ↓",
        "k ↑",
        "g Home",
        "G End",
        "PgDn ctrl+f",
        "PgUp ctrl+b",
        "/",
        "r",
        "s",
        "t",
        "?",
        "q",
        "Esc q",
        "]",
        "[",
        "Del x",
        "Tab",
        "Enter",
        "ctrl+p",
    ):
        assert key in keys, key


async def test_ctrl_p_opens_the_command_palette_and_runs_an_action(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Star")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert stored(library, AGENTS).starred


async def test_q_quits_saves_the_ui_state_and_reopening_restores_it(library: Path, tmp_path: Path):
    state = tmp_path / "state.json"
    app = make_app(library, state)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await search(pilot, "tag:quantisation")
        await pilot.press("enter", "j")
        assert current_title(app) == ROQ
        await pilot.press("q")
        assert not app.is_running
    saved = json.loads(state.read_text(encoding="utf-8"))
    entry = saved["libraries"][str(library.resolve())]
    assert entry == {
        "view": "all",
        "sort": "date",
        "query": "tag:quantisation",
        "cursor_paper": paper_id(library, ROQ),
    }
    # Reopened: the query, its results and the cursor, within them, are back.
    # (Regression: the Input's first Changed restarted the search and lost the cursor.)
    again = make_app(library, state)
    async with again.run_test(size=SIZE) as pilot:
        await started(again, pilot)
        assert again.screen.query_one("#search", Input).value == "tag:quantisation"
        assert shown_titles(again) == [QFERRY, ROQ]
        assert current_title(again) == ROQ
        assert abstract_text(again).startswith(ROQ)
        assert again.focused is papers(again)


async def test_ctrl_q_also_saves_the_ui_state(library: Path, tmp_path: Path):
    """Regression: only q saved the state; Textual's ctrl+q quit without it."""
    state = tmp_path / "state.json"
    app = make_app(library, state)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert state.exists()
    entry = json.loads(state.read_text(encoding="utf-8"))["libraries"][str(library.resolve())]
    assert entry["cursor_paper"] == paper_id(library, KESTREL)


async def test_reopening_restores_the_cursor(library: Path, tmp_path: Path):
    state = tmp_path / "state.json"
    app = make_app(library, state)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("j", "j", "j")
        assert current_title(app) == LANTERN
        await pilot.press("q")
    again = make_app(library, state)
    async with again.run_test(size=SIZE) as pilot:
        await started(again, pilot)
        assert current_title(again) == LANTERN
        assert papers(again).cursor == 3
        assert abstract_text(again).startswith(LANTERN)


async def test_restored_cursor_on_a_vanished_paper_falls_back_to_the_top(
    library: Path, tmp_path: Path
):
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps({"libraries": {str(library.resolve()): {"query": "", "cursor_paper": 999}}}),
        encoding="utf-8",
    )
    app = make_app(library, state)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert papers(app).cursor == 0
        assert current_title(app) == AGENTS


async def test_damaged_state_file_is_ignored(library: Path, tmp_path: Path):
    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")
    app = make_app(library, state)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert shown_titles(app) == ORDER


# -- the empty library ---------------------------------------------------------------------------
async def test_empty_library_shows_the_welcome(tmp_path: Path):
    path = build_empty_library(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        welcome = app.screen.query_one("#welcome", Static)
        assert welcome.display
        assert not papers(app).display
        assert not app.screen.query_one("#abstract").display
        text = text_of(app, "#welcome")
        assert "Your library is empty." in text
        assert "tuireader import FILE" in text
        assert "tuireader demo" in text
        assert text_of(app, "#status").startswith("0 of 0 papers")
        for key in ("j", "k", "G", "enter", "r", "s", "t", "f5"):  # nothing to act on: no crash
            await pilot.press(key)
        assert isinstance(app.screen, MainScreen)
        await search(pilot, "anything")
        assert papers(app).ids == []
    with Library.open(path) as other:
        assert other.count() == 0


async def test_empty_library_fills_after_an_import_and_refresh(tmp_path: Path):
    path = build_empty_library(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        with Library.open(path) as other:
            import_fixtures(other, GOOD_FIXTURES)
        await pilot.press("f5")
        await settle(pilot)
        assert not app.screen.query_one("#welcome").display
        assert papers(app).display
        assert len(papers(app).ids) == 14
        await pilot.press("j", "r")
        assert stored(path, KESTREL).read


# -- other writers -------------------------------------------------------------------------------
async def test_import_by_another_connection_appears_after_f5(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await goto(pilot, WHISKER)
        with Library.open(library) as other:
            import_fixtures(other, ["listing_bare.txt"])
        await settle(pilot)
        assert PEBBLE not in shown_titles(app)  # no poll for an hour: not yet
        await pilot.press("f5")
        await settle(pilot)
        assert PEBBLE in shown_titles(app)
        assert len(shown_titles(app)) == 16
        assert current_title(app) == WHISKER  # the cursor stays on its paper
        assert "refreshed" in text_of(app, "#status")
        assert text_of(app, "#status").startswith("16 of 16 papers")
        await search(pilot, "sensor")  # the new abstracts are searchable
        assert shown_titles(app) == [PEBBLE]


async def test_import_by_another_connection_appears_through_the_poll(library: Path):
    app = make_app(library, poll_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        with Library.open(library) as other:
            import_fixtures(other, ["listing_bare.txt"])
        for _ in range(200):  # wait for the poll (every 0.05 s) to notice, 4 s at most
            await pilot.pause(0.02)
            await settle(pilot)
            if PEBBLE in shown_titles(app):
                break
        assert PEBBLE in shown_titles(app)
        assert text_of(app, "#status").startswith("16 of 16 papers")


async def test_state_changed_by_another_connection_shows_through_the_poll(library: Path):
    app = make_app(library, poll_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        with Library.open(library) as other:
            other.set_starred([paper_id(library, AGENTS)], True)
        for _ in range(200):
            await pilot.pause(0.02)
            if "starred" in abstract_text(app):
                break
        assert "· starred" in abstract_text(app)


# -- small things seen on screen -------------------------------------------------------------------
async def test_abstract_pane_says_1_author_not_1_authors(library: Path):
    """Regression: "1 authors"."""
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await goto(pilot, WHISKER)
        assert "1 author\n" in abstract_text(app)
