"""Pilot tests: undo and redo (several levels, across a restart) and notes, checked on the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tests.app_helpers import (
    AGENTS,
    KESTREL,
    MOSS,
    QFERRY,
    RETRIEVAL,
    ROQ,
    WHISKER,
    build_library,
    make_app,
)
from tests.power_helpers import (
    SIZE,
    TIDEPOOL,
    abstract_text,
    current_title,
    file_state,
    goto,
    journal,
    press,
    read_titles,
    search,
    shown_titles,
    starred_titles,
    started,
    status,
    stored,
    text_of,
    type_text,
)
from tuireader.screens.dialogs import NoteEditor
from tuireader.screens.main import MainScreen


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library: 14 papers; Lantern starred; ROQ and Whisker read; tags."""
    return build_library(tmp_path)


# -- undo and redo -----------------------------------------------------------------------------
async def test_several_undo_levels_across_read_star_tag_and_note(library: Path):
    states = [file_state(library)]
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await goto(pilot, AGENTS)
        await press(pilot, "r")
        states.append(file_state(library))
        await goto(pilot, KESTREL)
        await press(pilot, "s")
        states.append(file_state(library))
        await goto(pilot, TIDEPOOL)
        await press(pilot, "t")
        await type_text(pilot, "oceans")
        await press(pilot, "enter", "escape")
        states.append(file_state(library))
        await goto(pilot, MOSS)
        await press(pilot, "n")
        await type_text(pilot, "lichens")
        await press(pilot, "ctrl+s")
        states.append(file_state(library))
        assert len({json.dumps(s, sort_keys=True) for s in states}) == 5, "each step changed"

        undone = [
            "undid: note on 1 paper",
            "undid: tag 1 paper 'oceans'",
            "undid: star 1 paper",
            "undid: read 1 paper",
        ]
        for level, message in enumerate(undone, start=1):
            await press(pilot, "u")
            assert message in status(app)
            assert file_state(library) == states[-1 - level]

        redone = ["redid: read 1 paper", "redid: star 1 paper", "redid: tag 1 paper 'oceans'"]
        for level, message in enumerate(redone, start=1):
            await press(pilot, "ctrl+r")
            assert message in status(app)
            assert file_state(library) == states[level]
        await press(pilot, "ctrl+r")
        assert "redid: note on 1 paper" in status(app)
        assert file_state(library) == states[4]
        assert "lichens" in abstract_text(app) or current_title(app) != MOSS
        await press(pilot, "ctrl+r")
        assert "nothing to redo" in status(app)


async def test_undo_reaches_changes_made_before_the_app_started(library: Path):
    """The fixture's own state changes (made through the library) are in the journal too."""
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "u")
        assert "undid: read 2 papers" in status(app)  # build_library read ROQ and Whisker
        assert read_titles(library) == set()
        await press(pilot, "u")
        assert "undid: star 1 paper" in status(app)
        assert starred_titles(library) == set()


async def test_undo_and_redo_with_an_empty_journal_say_so(tmp_path: Path):
    path = build_library(tmp_path, decorate=False)
    before = file_state(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "u")
        assert "nothing to undo" in status(app)
        await press(pilot, "ctrl+r")
        assert "nothing to redo" in status(app)
    assert file_state(path) == before


async def test_undo_after_a_restart(library: Path):
    before = file_state(library)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await goto(pilot, QFERRY)
        await press(pilot, "space", "space", "space")  # Q-Ferry, ROQ (read), Retrieval
        await press(pilot, "r")
        assert read_titles(library) == {QFERRY, ROQ, RETRIEVAL, WHISKER}
        await press(pilot, "q")
        assert not app.is_running
    after = file_state(library)

    again = make_app(library)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert "undid" not in status(again)
        await press(pilot, "u")
        assert "undid: read 2 papers" in status(again)
        assert file_state(library) == before
        await press(pilot, "ctrl+r")
        assert "redid: read 2 papers" in status(again)
        assert file_state(library) == after


async def test_a_new_change_after_an_undo_clears_redo(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "r")  # Agents read
        await press(pilot, "u")
        assert AGENTS not in read_titles(library)
        assert journal(library)[-1] == ("read 1 paper", True)
        await press(pilot, "s")  # a new change: Agents starred
        assert ("read 1 paper", True) not in journal(library)
        await press(pilot, "ctrl+r")
        assert "nothing to redo" in status(app)
        assert AGENTS not in read_titles(library)
        assert AGENTS in starred_titles(library)
        await press(pilot, "u")
        assert "undid: star 1 paper" in status(app)
        assert AGENTS not in starred_titles(library)


# -- notes -------------------------------------------------------------------------------------
async def test_note_is_saved_multi_line_shown_and_searchable(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await goto(pilot, KESTREL)
        await press(pilot, "n")
        assert isinstance(app.screen, NoteEditor)
        assert KESTREL in text_of(app, ".dialog-title")
        await type_text(pilot, "vs llama")
        await pilot.press("enter")
        await type_text(pilot, "zymurgy data")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, MainScreen)
        assert stored(library, KESTREL).notes == "vs llama\nzymurgy data"
        assert "note saved" in status(app)
        pane = abstract_text(app)
        assert "note:" in pane
        assert "vs llama\nzymurgy data" in pane

        await search(pilot, "zymurgy")
        assert shown_titles(app) == [KESTREL]
        await search(pilot, "has:notes")
        assert shown_titles(app) == [KESTREL]

        # n again opens the editor on the saved text; emptying it removes the note
        await press(pilot, "n")
        area = app.screen.query_one(TextArea)
        assert area.text == "vs llama\nzymurgy data"
        area.clear()
        await press(pilot, "ctrl+s")
        assert stored(library, KESTREL).notes is None
        assert "note removed" in status(app)


async def test_escape_in_the_note_editor_changes_nothing(library: Path):
    before = file_state(library)
    history = journal(library)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "n")
        assert isinstance(app.screen, NoteEditor)
        await type_text(pilot, "nope")
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        assert "nope" not in abstract_text(app)
    assert file_state(library) == before
    assert journal(library) == history
