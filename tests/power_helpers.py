"""What the pilot tests of the power features share (tests/test_app_*.py split from one
module): the fixture library's facts, reading the screen and the file, driving the app.

Every state change is read back from the library file through a fresh ``Library.open`` (a
second connection), not only from the screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

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
    settle,
)
from tuireader.library import Library
from tuireader.screens.import_dialog import ImportDialog
from tuireader.screens.main import MainScreen
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


# -- the import dialog ---------------------------------------------------------------------------
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
