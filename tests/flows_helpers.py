"""What the pilot tests of the everyday flows share (tests/test_app_*.py): the fixture library,
reading the screen and the file, driving the app.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, Static

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
from tuireader.screens.main import MainScreen
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
        ids = {row.title: row.id for row in other.rows(other.ordered_ids())}
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
