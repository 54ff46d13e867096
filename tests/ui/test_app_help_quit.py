"""Pilot tests: help, the command palette, quitting and what it saves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Static

from tests.app_helpers import (
    AGENTS,
    KESTREL,
    LANTERN,
    QFERRY,
    ROQ,
    build_library,
    make_app,
    paper_id,
    settle,
)
from tests.flows_helpers import (
    ORDER,
    SIZE,
    abstract_text,
    current_title,
    papers,
    rendered_text,
    search,
    shown_titles,
    started,
    stored,
)
from tuireader.screens.help import HelpScreen
from tuireader.screens.main import MainScreen


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library (14 papers, a few tags, one star, two read)."""
    return build_library(tmp_path)


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
