"""Pilot tests: marks and bulk changes (read, star, tag) on marked papers, checked on the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.app_helpers import AGENTS, KESTREL, LANTERN, ROQ, WHISKER, build_library, make_app
from tests.power_helpers import (
    SIZE,
    current_title,
    file_state,
    goto,
    journal,
    mark_first,
    marked_titles,
    paper_list,
    press,
    read_titles,
    search,
    shown_titles,
    starred_titles,
    started,
    status,
    tagged,
    text_of,
    type_text,
)
from tuireader.screens.main import MainScreen
from tuireader.screens.tags import TagEditor


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library: 14 papers; Lantern starred; ROQ and Whisker read; tags."""
    return build_library(tmp_path)


# -- marks -------------------------------------------------------------------------------------
async def test_space_marks_moves_down_and_the_status_counts_marks(library: Path):
    before, history = file_state(library), journal(library)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert "marked" not in status(app)
        await pilot.press("space")
        await pilot.pause()
        assert marked_titles(app) == {AGENTS}
        assert current_title(app) == KESTREL
        assert "1 marked" in status(app)
        await pilot.press("space", "space")
        await pilot.pause()
        assert marked_titles(app) == {AGENTS, KESTREL, WHISKER}
        assert current_title(app) == LANTERN
        assert "3 marked" in status(app)
        # space on a marked paper unmarks it
        await pilot.press("k", "space")
        await pilot.pause()
        assert marked_titles(app) == {AGENTS, KESTREL}
        assert "2 marked" in status(app)
    # marking is not a change to the library: nothing in the journal, nothing written
    assert journal(library) == history
    assert file_state(library) == before


async def test_escape_clears_marks_then_keys_act_on_the_cursor_only(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await mark_first(pilot, 2)
        await press(pilot, "escape")
        assert paper_list(app).marks == set()
        assert "marked" not in status(app).split("│")[0]
        assert "marks cleared" in status(app)
        assert current_title(app) == WHISKER
        await press(pilot, "s")
    assert starred_titles(library) == {LANTERN, WHISKER}


async def test_bulk_read_undo_restores_exactly_then_redo(library: Path):
    before = file_state(library)
    whisker_read_at = before["papers"][WHISKER][1]
    assert before["papers"][WHISKER][0] == 1 and whisker_read_at
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        # Agents and Kestrel unread, Whisker already read: r makes all three read
        assert await mark_first(pilot, 3) == [AGENTS, KESTREL, WHISKER]
        assert "3 marked" in status(app)
        await press(pilot, "r")
        after = file_state(library)
        assert read_titles(library) == {AGENTS, KESTREL, WHISKER, ROQ}
        for title in (AGENTS, KESTREL):
            assert after["papers"][title][1], "read_at is set"
        # the paper that was already read keeps its own timestamp
        assert after["papers"][WHISKER][:2] == (1, whisker_read_at)
        assert "read 2 papers" in status(app)
        assert journal(library)[-1] == ("read 2 papers", False)

        await press(pilot, "u")
        assert file_state(library) == before  # flags and read_at timestamps back, exactly
        assert "undid: read 2 papers" in status(app)

        await press(pilot, "ctrl+r")
        assert file_state(library) == after  # the same timestamps as the first time
        assert "redid: read 2 papers" in status(app)
        # the rows on screen follow the file
        rows = {row.title: row for row in app.library.rows(paper_list(app).ids)}
        assert rows[AGENTS].read and rows[KESTREL].read


async def test_bulk_read_when_all_marked_are_read_makes_them_unread(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await mark_first(pilot, 3)
        await press(pilot, "r")
        assert read_titles(library) >= {AGENTS, KESTREL, WHISKER}
        await press(pilot, "r")  # the marks stay: all three are read now, so r unreads them
        assert read_titles(library) == {ROQ}
        assert "unread 3 papers" in status(app)


async def test_bulk_star_on_marked_papers_is_one_undo_step(library: Path):
    before = file_state(library)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        marked = await mark_first(pilot, 4)
        assert marked == [AGENTS, KESTREL, WHISKER, LANTERN]
        await press(pilot, "s")
        assert starred_titles(library) == set(marked)
        assert "starred 3 papers" in status(app)  # Lantern was starred already
        await press(pilot, "u")
        assert file_state(library) == before
        assert "undid: star 3 papers" in status(app)


async def test_bulk_tag_adds_the_tag_to_every_marked_paper(library: Path):
    before = file_state(library)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        marked = await mark_first(pilot, 3)
        await press(pilot, "t")
        editor = app.screen
        assert isinstance(editor, TagEditor)
        assert editor.paper_ids == [paper_list(app).ids[i] for i in range(3)]
        assert "3 marked papers" in text_of(app, "#tag-title")
        await type_text(pilot, "survey")
        await press(pilot, "enter")
        assert tagged(library, "survey") == set(marked)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        assert all("survey" in r.tags for r in app.library.rows(paper_list(app).ids[:3]))
        assert journal(library)[-1] == ("tag 3 papers 'survey'", False)
        await press(pilot, "u")
        assert tagged(library, "survey") == set()
        assert file_state(library) == before
        assert "undid: tag 3 papers 'survey'" in status(app)


async def test_marks_hidden_by_the_search_are_still_acted_on_when_none_is_shown(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await mark_first(pilot, 2)  # Agents, Kestrel
        await search(pilot, "tag:quantisation")
        assert set(shown_titles(app)).isdisjoint({AGENTS, KESTREL})
        assert "2 marked" in status(app)
        await press(pilot, "s")
        assert "starred 2 papers" in status(app)
    assert starred_titles(library) == {AGENTS, KESTREL, LANTERN}


async def test_bulk_read_acts_on_every_marked_paper_even_when_a_search_hides_some(
    library: Path,
):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await mark_first(pilot, 3)  # Agents, Kestrel, Whisker (read already)
        await search(pilot, "kestrel")
        assert shown_titles(app) == [KESTREL]
        assert "3 marked" in status(app)
        await press(pilot, "r")
        # Agents is marked but hidden by the search; Whisker was read already
        assert read_titles(library) == {AGENTS, KESTREL, WHISKER, ROQ}
        assert "read 2 papers" in status(app)


async def test_bulk_star_when_every_marked_paper_is_starred_unstars_them(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await mark_first(pilot, 4)
        await press(pilot, "s")
        await press(pilot, "s")
        assert "unstarred 4 papers" in status(app)
        assert starred_titles(library) == set()
        await press(pilot, "u")
        assert "undid: unstar 4 papers" in status(app)
        assert starred_titles(library) == {AGENTS, KESTREL, WHISKER, LANTERN}


async def test_undoing_a_tag_removal_brings_back_its_original_date(library: Path):
    before = file_state(library)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await goto(pilot, LANTERN)
        await press(pilot, "t")
        editor = app.screen
        assert isinstance(editor, TagEditor)
        current = editor.query_one("#tag-current", OptionList)
        while app.focused is not current:
            await pilot.press("tab")
        await pilot.pause()
        assert current.get_option_at_index(current.highlighted).id == "attention"
        await press(pilot, "x")
        await press(pilot, "escape")
        assert tagged(library, "attention") == set()
        await press(pilot, "u")
        assert "undid: untag 1 paper 'attention'" in status(app)
    assert file_state(library) == before  # the link is back with the date it was first made
