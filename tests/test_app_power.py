"""Pilot tests of the reader's power features, each checked on the library file itself.

Marks and bulk changes, undo/redo (several levels, across a restart), notes, views and saved
searches, sort orders, importing from the dialog, copying through OSC 52, the web search and
what is remembered between runs. Every state change is read back from the library file through
a fresh ``Library.open`` (a second connection), not only from the screen.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from textual.widgets import Input, OptionList, Static, TextArea

from tests.app_helpers import (
    ADAPTERS,
    AGENTS,
    KESTREL,
    LANTERN,
    MOSS,
    QFERRY,
    RETRIEVAL,
    ROQ,
    WHISKER,
    build_library,
    make_app,
    settle,
)
from tests.helpers import dump, paper
from tuireader.importer import import_file
from tuireader.library import Library
from tuireader.screens.dialogs import CopyMenu, NamePrompt, NoteEditor, UrlDialog
from tuireader.screens.import_dialog import ImportDialog
from tuireader.screens.main import MainScreen
from tuireader.screens.tags import TagEditor
from tuireader.screens.views import ViewPicker
from tuireader.widgets.paper_list import PaperList

SIZE = (120, 40)
FIXTURES = Path(__file__).parent / "fixtures"

GRADIENT = "Gradient Sketching with Param$Δ$"
TIDEPOOL = "Tidepool: A Benchmark for Estuary Flow Forecasting"
ZLOSS = "Z-Loss Is All You Need (Sometimes)"
RIDDLES = "Are Benchmarks Leaking Into Pretraining Data? A Case Study on Riddles"
GARDENS = "Small Gardens, Big Models: Curriculum Pruning Revisited"
# in missing_abstract_daily_papers.txt (not in the fixture library)
SUNDIAL = "Sundial: Predicting Solar Panel Output from Shadows"
PANTRY = "Pantry: Learning to Plan Meals from Leftovers"

#: The 14 fixture papers with the facts the sort orders use: (title, published, comments, dump).
#: (The fixtures are pages of the 2025 kind: the number after a date is the comment count, and
#: no paper has an upvote count.)
FACTS = [
    (AGENTS, "2025-08-12", None, "author_page.txt"),
    (KESTREL, "2025-04-08", 31, "daily_papers.txt"),
    (WHISKER, "2025-03-30", 12, "daily_papers.txt"),
    (LANTERN, "2025-03-18", 7, "daily_papers.txt"),
    (GRADIENT, "2025-03-03", None, "author_page.txt"),
    (TIDEPOOL, "2025-02-02", None, "daily_papers.txt"),
    (ADAPTERS, "2025-01-27", None, "author_page.txt"),
    (QFERRY, "2024-11-05", None, "daily_papers.txt"),
    (ROQ, "2024-10-04", None, "author_page.txt"),
    (RETRIEVAL, "2023-05-30", None, "author_page.txt"),
    (ZLOSS, None, None, "listing.txt"),
    (RIDDLES, None, None, "listing.txt"),
    (MOSS, None, None, "listing.txt"),
    (GARDENS, None, None, "daily_papers.txt"),
]
LISTING_TITLES = {title for title, *_, dump in FACTS if dump == "listing.txt"}
#: By date, newest first; the four undated papers last (newest first among themselves).
BY_DATE = [title for title, *_ in FACTS]
#: By upvotes: none has any, so by date as above.
BY_UPVOTES = BY_DATE
#: By comments, most first; papers without a comment count after them, by date as above.
BY_COMMENTS = [KESTREL, WHISKER, LANTERN] + [
    t for t in BY_DATE if t not in (KESTREL, WHISKER, LANTERN)
]
#: By title, case-insensitively.
BY_TITLE = [
    RIDDLES,  # "Are ..."
    ADAPTERS,  # "Cheap ..."
    GRADIENT,
    KESTREL,
    LANTERN,
    MOSS,
    QFERRY,  # "Q-Ferry" before "ROQ"
    ROQ,
    AGENTS,  # "Self-..." before "Small ..."
    GARDENS,
    TIDEPOOL,
    RETRIEVAL,  # "WHAT ..." before "Whisker" (a < i)
    WHISKER,
    ZLOSS,
]
#: By when they were added: the last import first (daily_papers, author_page, then listing were
#: imported, in that order), and within one import the later in the file first.
BY_ADDED = [
    ZLOSS,  # listing.txt, bottom to top
    RIDDLES,
    MOSS,
    RETRIEVAL,  # author_page.txt
    AGENTS,
    ADAPTERS,
    GRADIENT,
    ROQ,
    KESTREL,  # daily_papers.txt
    QFERRY,
    WHISKER,
    GARDENS,
    TIDEPOOL,
    LANTERN,
]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library: 14 papers; Lantern starred; ROQ and Whisker read; tags."""
    return build_library(tmp_path)


# -- reading the screen ------------------------------------------------------------------------
def main_screen(app) -> MainScreen:
    return next(s for s in reversed(app.screen_stack) if isinstance(s, MainScreen))


def paper_list(app) -> PaperList:
    return main_screen(app).query_one(PaperList)


def titles_of(app, ids) -> list[str]:
    rows = {row.id: row.title for row in app.library.rows(ids)}
    return [rows[i] for i in ids]


def shown_titles(app) -> list[str]:
    return titles_of(app, paper_list(app).ids)


def current_title(app) -> str | None:
    current = paper_list(app).current_id
    return None if current is None else app.library.get_paper(current).title


def marked_titles(app) -> set[str]:
    return set(titles_of(app, sorted(paper_list(app).marks)))


def text_of(app, selector: str, screen=None) -> str:
    return str((screen or app.screen).query_one(selector, Static).render())


def status(app) -> str:
    return text_of(app, "#status", main_screen(app))


def abstract_text(app) -> str:
    from tuireader.widgets.abstract_pane import AbstractPane

    return app.screen.query_one(AbstractPane).plain_text


# -- reading the file --------------------------------------------------------------------------
def file_state(path: Path) -> dict[str, object]:
    """The reader's state as a fresh connection reads it: per title, every state column and tag."""
    with Library.open(path) as other:
        papers = {
            row[0]: tuple(row[1:])
            for row in other.query(
                "SELECT title, read, read_at, starred, starred_at, notes, notes_at FROM papers"
            )
        }
        tags = sorted(
            tuple(row)
            for row in other.query(
                "SELECT p.title, t.name, pt.added_at FROM paper_tags pt"
                " JOIN papers p ON p.id = pt.paper_id JOIN tags t ON t.id = pt.tag_id"
            )
        )
    return {"papers": papers, "tags": tags}


def stored(path: Path, title: str):
    """The paper titled ``title`` read through a second connection."""
    with Library.open(path) as other:
        ids = {row.title: row.id for row in other.rows(other.ordered_ids())}
        return other.get_paper(ids[title])


def read_titles(path: Path) -> set[str]:
    with Library.open(path) as other:
        return {row[0] for row in other.query("SELECT title FROM papers WHERE read = 1")}


def starred_titles(path: Path) -> set[str]:
    with Library.open(path) as other:
        return {row[0] for row in other.query("SELECT title FROM papers WHERE starred = 1")}


def tagged(path: Path, tag: str) -> set[str]:
    with Library.open(path) as other:
        return {
            row[0]
            for row in other.query(
                "SELECT p.title FROM paper_tags pt JOIN papers p ON p.id = pt.paper_id"
                " JOIN tags t ON t.id = pt.tag_id WHERE t.name = ?",
                (tag,),
            )
        }


def journal(path: Path) -> list[tuple[str, bool]]:
    """(summary, undone) of every journal entry, oldest first."""
    with Library.open(path) as other:
        return [(e.summary, e.undone) for e in reversed(other.history())]


# -- driving -----------------------------------------------------------------------------------
async def started(pilot) -> None:
    await settle(pilot)
    assert isinstance(pilot.app.screen, MainScreen)


async def press(pilot, *keys: str) -> None:
    """Press keys, then let searches and their results land."""
    await pilot.press(*keys)
    await settle(pilot)


async def type_text(pilot, text: str) -> None:
    """Type ``text`` key by key (spaces as the space key)."""
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def goto(pilot, title: str) -> None:
    """Walk the cursor to ``title`` with j/k."""
    app = pilot.app
    target = shown_titles(app).index(title)
    while paper_list(app).cursor != target:
        await pilot.press("j" if paper_list(app).cursor < target else "k")
    await pilot.pause()
    assert current_title(app) == title


async def search(pilot, query: str) -> None:
    """``/``, type the query, Enter: back on the list at its first result."""
    await pilot.press("slash")
    field = pilot.app.screen.query_one("#search", Input)
    assert pilot.app.focused is field
    field.value = query
    await settle(pilot)
    await press(pilot, "enter")
    assert pilot.app.focused is paper_list(pilot.app)


def picker_keys(app) -> list[str]:
    listing = app.screen.query_one("#view-options", OptionList)
    return [listing.get_option_at_index(i).id for i in range(listing.option_count)]


def picker_labels(app) -> dict[str, str]:
    listing = app.screen.query_one("#view-options", OptionList)
    return {
        option.id: str(option.prompt)
        for option in (listing.get_option_at_index(i) for i in range(listing.option_count))
    }


async def highlight(pilot, key: str) -> None:
    """Move the picker's highlight onto option ``key`` with the arrow keys."""
    listing = pilot.app.screen.query_one("#view-options", OptionList)
    target = picker_keys(pilot.app).index(key)
    while listing.highlighted != target:
        await pilot.press("down" if (listing.highlighted or 0) < target else "up")
    await pilot.pause()


async def pick_view(pilot, key: str) -> None:
    """``v``, arrow to ``key``, Enter; then let the search land."""
    await press(pilot, "v")
    assert isinstance(pilot.app.screen, ViewPicker)
    await highlight(pilot, key)
    await press(pilot, "enter")
    assert isinstance(pilot.app.screen, MainScreen)


async def mark_first(pilot, count: int) -> list[str]:
    """From the top of the list, mark ``count`` papers with space; return their titles."""
    app = pilot.app
    await press(pilot, "g")
    titles = shown_titles(app)[:count]
    for _ in range(count):
        await pilot.press("space")
    await pilot.pause()
    assert marked_titles(app) == set(titles)
    return titles


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


# -- importing from the dialog -----------------------------------------------------------------
async def open_import(pilot) -> ImportDialog:
    await press(pilot, "i")
    dialog = pilot.app.screen
    assert isinstance(dialog, ImportDialog)
    assert pilot.app.focused is dialog.query_one("#import-path", Input)
    return dialog


async def run_import(pilot, text: str) -> None:
    """Put ``text`` in the path field, Enter, wait for the import worker and its summary."""
    field = pilot.app.screen.query_one("#import-path", Input)
    field.value = text
    await pilot.press("enter")
    await settle(pilot)


async def test_import_a_good_dump_from_the_dialog_then_n_shows_the_new_papers(tmp_path: Path):
    path = build_library(tmp_path, ("daily_papers.txt", "author_page.txt"), decorate=False)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert len(shown_titles(app)) == 11
        dialog = await open_import(pilot)
        await run_import(pilot, str(FIXTURES / "listing.txt"))
        assert dialog.query_one("#import-summary").display
        summary = text_of(app, "#import-report")
        assert "✓ listing.txt  (listing, 3 papers)" in summary
        assert "3 new · 0 merged · 0 unchanged" in summary
        assert "n show the new papers" in text_of(app, "#import-hint")
        assert not dialog.query_one("#import-progress").display
        # the list behind the dialog already has them
        assert "imported 3 new papers" in status(app)
        await press(pilot, "n")
        assert isinstance(app.screen, MainScreen)
        assert set(shown_titles(app)) == LISTING_TITLES
        assert re.search(r"view: new in import \d+", status(app))
    with Library.open(path) as other:
        assert other.count() == 14
        assert [i["file"] for i in other.imports()][0] == "listing.txt"


async def test_import_dialog_summary_counts_merges_and_warnings(library: Path, tmp_path: Path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for name in ("cr_daily_papers.txt", "missing_abstract_daily_papers.txt", "daily_papers.txt"):
        shutil.copy(FIXTURES / name, dumps / name)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        dialog = await open_import(pilot)
        await run_import(pilot, str(dumps / "*.txt"))
        summary = text_of(app, "#import-report")
        assert "✓ cr_daily_papers.txt  (daily-papers, 6 papers)" in summary
        assert "0 new · 6 merged · 0 unchanged" in summary
        assert "✓ missing_abstract_daily_papers.txt  (daily-papers, 2 papers)" in summary
        assert "2 new · 0 merged · 0 unchanged · 1 skipped" in summary
        assert "! line 13: skipped a title with no abstract" in summary
        assert "already imported: nothing changed" in summary  # daily_papers.txt again
        assert len(dialog.reports) == 3
        await press(pilot, "n")
        assert set(shown_titles(app)) == {SUNDIAL, PANTRY}
    with Library.open(library) as other:
        assert other.count() == 16


async def test_a_rejected_file_shows_its_reason_and_leaves_the_library_alone(
    library: Path, tmp_path: Path
):
    before = file_state(library)
    with Library.open(library) as other:
        imports = other.imports()
    scratch = tmp_path / "scratch.db"
    with Library.open(scratch) as other:
        reason = import_file(FIXTURES / "shopping_list.txt", other).reason
    assert reason
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        dialog = await open_import(pilot)
        await run_import(pilot, str(FIXTURES / "shopping_list.txt"))
        summary = text_of(app, "#import-report")
        assert f"✗ shopping_list.txt: rejected — {reason}" in summary
        assert "n show the new papers" not in text_of(app, "#import-hint")
        assert app.focused is dialog.query_one("#import-path", Input)  # try another path
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        assert "1 file(s) rejected" in status(app)
        assert len(shown_titles(app)) == 14
    assert file_state(library) == before
    with Library.open(library) as other:
        assert other.imports() == imports
        assert other.count() == 14


async def test_a_path_that_matches_nothing_says_so(library: Path, tmp_path: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_import(pilot)
        await run_import(pilot, str(tmp_path / "nothing-*.txt"))
        assert "nothing matches" in text_of(app, "#import-report")
        await run_import(pilot, str(tmp_path / "missing.txt"))
        assert "rejected — no such file" in text_of(app, "#import-report")
    with Library.open(library) as other:
        assert other.count() == 14


async def test_n_after_importing_several_files_shows_every_new_paper(tmp_path: Path):
    path = build_library(tmp_path, ("daily_papers.txt",), decorate=False)
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for name in ("author_page.txt", "listing.txt"):
        shutil.copy(FIXTURES / name, dumps / name)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_import(pilot)
        await run_import(pilot, str(dumps / "*.txt"))
        summary = text_of(app, "#import-report")
        assert "5 new · 0 merged" in summary and "3 new · 0 merged" in summary
        assert "imported 8 new papers" in status(app)
        await press(pilot, "n")
        assert isinstance(app.screen, MainScreen)
        assert len(shown_titles(app)) == 8


def gate_imports(monkeypatch) -> threading.Event:
    """Hold the dialog's import worker before it starts importing, until the event is set."""
    import tuireader.screens.import_dialog as dialog_module

    gate = threading.Event()
    real = dialog_module.import_file

    def held(*args, **kwargs):
        assert gate.wait(10), "the test never opened the gate"
        return real(*args, **kwargs)

    monkeypatch.setattr(dialog_module, "import_file", held)
    return gate


async def test_the_dialog_shows_progress_while_an_import_runs(library: Path, monkeypatch):
    gate = gate_imports(monkeypatch)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        dialog = await open_import(pilot)
        dialog.query_one("#import-path", Input).value = str(FIXTURES / "listing_bare.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.busy
        assert dialog.query_one("#import-progress").display
        assert dialog.query_one("#import-path", Input).disabled
        assert not dialog.query_one("#import-summary").display
        await pilot.press("n")  # nothing to show yet: the dialog stays
        await pilot.pause()
        assert app.screen is dialog
        gate.set()
        await settle(pilot)
        assert not dialog.busy
        assert not dialog.query_one("#import-progress").display
        assert "2 new · 0 merged" in text_of(app, "#import-report")
    with Library.open(library) as other:
        assert other.count() == 16


async def test_closing_the_dialog_lets_the_import_finish_in_the_background(
    library: Path, monkeypatch
):
    gate = gate_imports(monkeypatch)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        dialog = await open_import(pilot)
        dialog.query_one("#import-path", Input).value = str(FIXTURES / "listing_bare.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.busy
        await press(pilot, "escape")  # "an import under way finishes in the background"
        assert isinstance(app.screen, MainScreen)
        gate.set()
        for _ in range(20):  # the worker left with its screen: wait for the file instead
            await pilot.pause(0.05)
            with Library.open(library) as other:
                if other.count() == 16:
                    break
        await settle(pilot)
        with Library.open(library) as other:
            assert other.count() == 16
        assert "imported 2 new papers" in status(app)
        assert len(shown_titles(app)) == 16


async def test_after_an_import_tab_returns_to_the_path_for_another(tmp_path: Path):
    path = build_library(tmp_path, ("daily_papers.txt",), decorate=False)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        dialog = await open_import(pilot)
        field = dialog.query_one("#import-path", Input)
        await run_import(pilot, str(FIXTURES / "listing.txt"))
        assert app.focused is None  # so that n reaches the dialog, not the field
        assert field.value == ""
        await press(pilot, "tab")
        assert app.focused is field
        await run_import(pilot, str(FIXTURES / "author_page.txt"))
        assert "✓ author_page.txt" in text_of(app, "#import-report")
        assert "✓ listing.txt" not in text_of(app, "#import-report")
        await press(pilot, "n")
        assert len(shown_titles(app)) == 5  # the papers new in the second import
    with Library.open(path) as other:
        assert other.count() == 14


async def test_tab_completes_a_path_under_the_home_folder(
    library: Path, tmp_path: Path, monkeypatch
):
    home = tmp_path / "user"
    (home / "saved-dumps").mkdir(parents=True)
    shutil.copy(FIXTURES / "listing.txt", home / "saved-dumps" / "listing.txt")
    monkeypatch.setenv("HOME", str(home))
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        dialog = await open_import(pilot)
        field = dialog.query_one("#import-path", Input)
        await type_text(pilot, "~/sa")
        await press(pilot, "tab")
        assert field.value == "~/saved-dumps/"
        await press(pilot, "tab")
        assert field.value == "~/saved-dumps/listing.txt"


async def test_tab_completes_the_import_path(library: Path, tmp_path: Path):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    shutil.copy(FIXTURES / "listing.txt", dumps / "listing_one.txt")
    shutil.copy(FIXTURES / "listing_bare.txt", dumps / "listing_two.txt")
    shutil.copy(FIXTURES / "author_page.txt", dumps / "author_page.txt")
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        dialog = await open_import(pilot)
        field = dialog.query_one("#import-path", Input)
        field.value = str(tmp_path / "du")
        await press(pilot, "tab")
        assert field.value == str(dumps) + "/"
        await type_text(pilot, "au")
        await press(pilot, "tab")
        assert field.value == str(dumps / "author_page.txt")
        field.value = str(dumps / "li")
        await press(pilot, "tab")
        assert field.value == str(dumps / "listing_")  # as far as it is unambiguous
        await type_text(pilot, "t")
        await press(pilot, "tab")
        assert field.value == str(dumps / "listing_two.txt")
        await press(pilot, "enter")
        await settle(pilot)
        assert "✓ listing_two.txt" in text_of(app, "#import-report")


# -- copying -----------------------------------------------------------------------------------
def capture_osc52(app, monkeypatch) -> list[str]:
    """Record the texts the app sends to the terminal's clipboard (OSC 52), decoded."""
    copied: list[str] = []
    write = app._driver.write

    def spy(data: str) -> None:
        for payload in re.findall(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", data):
            copied.append(base64.b64decode(payload).decode("utf-8"))
        write(data)

    monkeypatch.setattr(app._driver, "write", spy)
    return copied


async def copy_as(pilot, key: str) -> None:
    await press(pilot, "y")
    assert isinstance(pilot.app.screen, CopyMenu)
    await press(pilot, key)
    assert isinstance(pilot.app.screen, MainScreen)


async def test_copy_title_bibtex_and_markdown_through_osc52(library: Path, monkeypatch):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        await goto(pilot, KESTREL)

        await copy_as(pilot, "t")
        assert copied[-1] == KESTREL
        assert app.clipboard == KESTREL
        assert "copied title of 1 paper to the clipboard" in status(app)
        assert any(
            n.message == "copied title of 1 paper to the clipboard" for n in app._notifications
        )

        await copy_as(pilot, "b")
        bib = copied[-1]
        assert bib.startswith("@misc{")
        assert "  title = {{Kestrel-7B Technical Report}}" in bib
        assert "  year = {2025}" in bib and "  month = apr" in bib
        assert bib.rstrip().endswith("}")
        assert "copied BibTeX of 1 paper" in status(app)

        await copy_as(pilot, "m")
        line = copied[-1]
        paper = stored(library, KESTREL)
        assert line.startswith(f"- **{KESTREL}** — ")
        assert line.endswith(" — 2025-04-08")
        assert paper.who in line
        assert "\n" not in line
        assert len(copied) == 3


async def test_copy_menu_by_enter_and_escape(library: Path, monkeypatch):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        await goto(pilot, LANTERN)
        await press(pilot, "y")
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        assert copied == []
        await press(pilot, "y")
        await press(pilot, "down", "down", "down", "enter")  # the fourth entry: Markdown
        assert copied[-1].startswith(f"- **{LANTERN}**")
        assert copied[-1].endswith("`#attention` `#long-context`")


async def test_copy_with_marks_copies_every_marked_paper(library: Path, monkeypatch):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        marked = await mark_first(pilot, 3)
        await press(pilot, "y")
        assert "3 marked papers" in text_of(app, ".dialog-title")
        await press(pilot, "t")
        assert copied[-1] == "\n".join(marked)
        assert "copied title of 3 papers" in status(app)
        await copy_as(pilot, "b")
        assert copied[-1].count("@misc{") == 3


async def test_copied_bibtex_of_marked_papers_has_unique_keys(tmp_path: Path, monkeypatch):
    path = tmp_path / "same.db"
    with Library.open(path) as other:
        other.add_dump(
            dump(
                paper(
                    "Sparse Attention for Lectures", authors=["Ada Smith"], published="2025-03-01"
                ),
                paper(
                    "Sparse Attention for Podcasts", authors=["Ada Smith"], published="2025-05-01"
                ),
            ),
            file="same.txt",
            path=None,
            sha256="0" * 64,
        )
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        await mark_first(pilot, 2)
        await copy_as(pilot, "b")
        keys = re.findall(r"^@misc\{([^,]+),", copied[-1], re.MULTILINE)
        assert len(keys) == 2
        assert len(set(keys)) == 2, keys


async def test_copy_csl_json_of_marked_papers(library: Path, monkeypatch):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        marked = await mark_first(pilot, 2)
        await copy_as(pilot, "c")
        items = json.loads(copied[-1])
        assert [item["title"] for item in items] == marked
        stored_keys = [stored(library, title).cite_key for title in marked]
        assert [item["id"] for item in items] == stored_keys
        assert "copied CSL-JSON of 2 papers" in status(app)


# -- web search --------------------------------------------------------------------------------
def arxiv_url(title: str) -> str:
    return "https://arxiv.org/search/?searchtype=title&query=" + quote_plus(title)


async def test_w_without_a_browser_shows_the_url(library: Path, monkeypatch):
    import tuireader.web

    monkeypatch.delenv("TUIREADER_SEARCH_URL", raising=False)
    monkeypatch.setattr(
        tuireader.web,
        "browser_problem",
        lambda: "No graphical browser here: open this URL elsewhere",
    )
    opened: list[str] = []
    monkeypatch.setattr(tuireader.web.webbrowser, "open", lambda url, new=0: opened.append(url))
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        await goto(pilot, KESTREL)
        await press(pilot, "w")
        assert isinstance(app.screen, UrlDialog)
        assert text_of(app, "#url") == arxiv_url(KESTREL)
        assert "No graphical browser here" in text_of(app, ".dialog-title")
        await press(pilot, "y")
        assert copied == [arxiv_url(KESTREL)]
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
    assert opened == []


async def test_w_over_ssh_shows_the_url(library: Path, monkeypatch):
    import tuireader.web

    monkeypatch.delenv("TUIREADER_SEARCH_URL", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setattr(tuireader.web.webbrowser, "open", lambda *a, **k: pytest.fail("opened"))
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "w")
        assert isinstance(app.screen, UrlDialog)
        assert text_of(app, "#url") == arxiv_url(AGENTS)
        assert "ssh" in text_of(app, ".dialog-title")


async def test_w_with_a_browser_opens_it_and_shows_no_dialog(library: Path, monkeypatch):
    import tuireader.web

    monkeypatch.delenv("TUIREADER_SEARCH_URL", raising=False)
    monkeypatch.setattr(tuireader.web, "browser_problem", lambda: None)
    opened: list[str] = []
    monkeypatch.setattr(
        tuireader.web.webbrowser, "open", lambda url, new=0: opened.append(url) or True
    )
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await goto(pilot, LANTERN)
        await press(pilot, "w")
        assert isinstance(app.screen, MainScreen)
        assert "opened a web search in the browser" in status(app)
    assert opened == [arxiv_url(LANTERN)]


async def test_w_uses_the_configured_search_url(library: Path, monkeypatch):
    import tuireader.web

    monkeypatch.setenv("TUIREADER_SEARCH_URL", "https://example.org/?q={query}")
    opened: list[str] = []
    monkeypatch.setattr(tuireader.web, "open_in_browser", lambda url: opened.append(url))
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "w")
        assert isinstance(app.screen, MainScreen)
    assert opened == ["https://example.org/?q=" + quote_plus(AGENTS)]


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
