"""Pilot tests: what is remembered between runs (view, sort, query, cursor, theme)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.app_helpers import LANTERN, MOSS, QFERRY, ROQ, WHISKER, build_library, make_app
from tests.power_helpers import (
    BY_TITLE,
    SIZE,
    abstract_text,
    current_title,
    goto,
    pick_view,
    press,
    search,
    shown_titles,
    started,
    status,
    stored,
)
from tuireader.screens.reading import ReadingScreen


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library: 14 papers; Lantern starred; ROQ and Whisker read; tags."""
    return build_library(tmp_path)


# -- remembered between runs -------------------------------------------------------------------
async def leave_in_unread_by_title(library: Path, state: Path, query: str, title: str) -> list:
    """Run the app: unread view, sorted by title, ``query``, cursor on ``title``; quit with q."""
    app = make_app(library, state)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_view(pilot, "unread")
        await press(pilot, "o", "o", "o")  # date -> upvotes -> comments -> title
        if query:
            await search(pilot, query)
        await goto(pilot, title)
        shown = shown_titles(app)
        await press(pilot, "q")
        assert not app.is_running
    entry = json.loads(state.read_text(encoding="utf-8"))["libraries"][str(library.resolve())]
    assert entry["view"] == "unread"
    assert entry["sort"] == "title"
    assert entry["query"] == query
    assert entry["cursor_paper"] == stored(library, title).id
    return shown


async def test_view_sort_query_and_cursor_are_restored(library: Path, tmp_path: Path):
    state = tmp_path / "state.json"
    shown = await leave_in_unread_by_title(library, state, "-tag:attention", MOSS)
    assert shown == [t for t in BY_TITLE if t not in (ROQ, WHISKER, LANTERN)]
    again = make_app(library, state)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert again.screen.query_one("#search", Input).value == "-tag:attention"
        assert "view: unread" in status(again)
        assert "sort: title" in status(again)
        assert shown_titles(again) == shown
        assert current_title(again) == MOSS
        assert abstract_text(again).startswith(MOSS)


async def test_view_sort_and_cursor_are_restored_without_a_query(library: Path, tmp_path: Path):
    state = tmp_path / "state.json"
    shown = await leave_in_unread_by_title(library, state, "", MOSS)
    assert shown == [t for t in BY_TITLE if t not in (ROQ, WHISKER)]
    again = make_app(library, state)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert "view: unread" in status(again)
        assert "sort: title" in status(again)
        assert shown_titles(again) == shown
        assert current_title(again) == MOSS
        assert abstract_text(again).startswith(MOSS)


async def test_a_tag_view_is_restored(library: Path, tmp_path: Path):
    state = tmp_path / "state.json"
    app = make_app(library, state)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_view(pilot, "tag:quantisation")
        await press(pilot, "j", "q")
    again = make_app(library, state)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert "view: #quantisation" in status(again)
        assert shown_titles(again) == [QFERRY, ROQ]
        assert current_title(again) == ROQ


async def test_the_theme_is_remembered(library: Path, tmp_path: Path):
    state = tmp_path / "state.json"
    app = make_app(library, state)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.theme != "nord"
        app.theme = "nord"
        await pilot.pause()
        await press(pilot, "q")
    assert json.loads(state.read_text(encoding="utf-8"))["theme"] == "nord"
    again = make_app(library, state)
    assert again.theme == "nord"
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert again.theme == "nord"
        assert again.current_theme.name == "nord"


async def test_an_unknown_remembered_theme_is_ignored(library: Path, tmp_path: Path):
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"theme": "no-such-theme"}), encoding="utf-8")
    app = make_app(library, state)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.theme != "no-such-theme"


async def test_the_place_is_remembered_when_quitting_from_the_reading_view(
    library: Path, tmp_path: Path
):
    """The main screen saves its place as it goes, whichever screen the quit came from."""
    state = tmp_path / "state.json"
    app = make_app(library, state)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_view(pilot, "tag:quantisation")
        await press(pilot, "j", "enter")  # the reading view of the second paper
        assert isinstance(app.screen, ReadingScreen)
        await press(pilot, "ctrl+q")
        assert not app.is_running
    entry = json.loads(state.read_text(encoding="utf-8"))["libraries"][str(library.resolve())]
    assert entry["view"] == "tag:quantisation"
    assert entry["cursor_paper"] == stored(library, ROQ).id


async def test_a_view_from_another_version_falls_back_to_every_paper(
    library: Path, tmp_path: Path
):
    state = tmp_path / "state.json"
    key = str(library.resolve())
    state.write_text(json.dumps({"libraries": {key: {"view": "folder:x"}}}), encoding="utf-8")
    app = make_app(library, state)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert "view: all" in status(app)
        assert len(shown_titles(app)) == 14
