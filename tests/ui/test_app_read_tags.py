"""Pilot tests: the reading view, read and star, and the tag editor, checked on the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.app_helpers import AGENTS, KESTREL, LANTERN, WHISKER, build_library, make_app, settle
from tests.flows_helpers import (
    SIZE,
    abstract_text,
    current_title,
    goto,
    papers,
    started,
    stored,
    text_of,
)
from tuireader.library import Library
from tuireader.screens.main import MainScreen
from tuireader.screens.reading import ReadingScreen
from tuireader.screens.tags import TagEditor


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library (14 papers, a few tags, one star, two read)."""
    return build_library(tmp_path)


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
