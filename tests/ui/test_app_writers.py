"""Pilot tests: the empty library, other writers on the same file, small things seen on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.app_helpers import (
    AGENTS,
    GOOD_FIXTURES,
    KESTREL,
    PEBBLE,
    WHISKER,
    build_empty_library,
    build_library,
    import_fixtures,
    make_app,
    paper_id,
    settle,
)
from tests.flows_helpers import (
    SIZE,
    abstract_text,
    current_title,
    goto,
    papers,
    search,
    shown_titles,
    started,
    stored,
    text_of,
)
from tuireader.library import Library
from tuireader.screens.main import MainScreen


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library (14 papers, a few tags, one star, two read)."""
    return build_library(tmp_path)


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
