"""Pasting a whole page into the import dialog (bracketed paste) imports it; the last import."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from textual import events
from textual.widgets import Input

from tests.app_helpers import build_library, make_app, settle
from tests.power_helpers import (
    SIZE,
    open_import,
    picker_labels,
    press,
    run_import,
    shown_titles,
    started,
    status,
    text_of,
)
from tuireader.library import Library
from tuireader.screens.main import MainScreen

FIXTURES = Path(__file__).parents[1] / "fixtures"
CURRENT_TITLES = {
    "Marigold Fields: Dense Depth Estimation from Flower Photographs",
    "Slow Tokens: Why Small Models Hesitate Before Numbers",
    "Harbour: A Benchmark of Port Logistics Questions",
    "Lichen Maps from Drone Flights over Tundra",
}


async def test_pasting_a_page_into_the_import_dialog_imports_it(tmp_path: Path):
    path = build_library(tmp_path, ("author_page.txt",), decorate=False)
    page = (FIXTURES / "current_daily_papers.txt").read_text(encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        dialog = await open_import(pilot)
        field = dialog.query_one("#import-path", Input)
        field.post_message(events.Paste(page))
        await settle(pilot)
        summary = text_of(app, "#import-report")
        assert re.search(r"✓ pasted \d{4}-\d\d-\d\d \d\d:\d\d  \(daily-papers, 4 papers\)", summary)
        assert "4 new · 0 merged · 0 unchanged" in summary
        assert field.value == ""  # the page was not typed into the path field
        await press(pilot, "n")
        assert isinstance(app.screen, MainScreen)
        assert set(shown_titles(app)) == CURRENT_TITLES
    with Library.open(path) as other:
        newest = other.imports()[0]
        assert newest["file"].startswith("pasted ") and newest["path"] is None
        upvotes = dict(other.query("SELECT title, upvotes FROM papers WHERE upvotes IS NOT NULL"))
        assert upvotes["Marigold Fields: Dense Depth Estimation from Flower Photographs"] == 214


async def test_pasting_one_line_types_it_as_a_path(tmp_path: Path):
    path = build_library(tmp_path, ("author_page.txt",), decorate=False)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        dialog = await open_import(pilot)
        field = dialog.query_one("#import-path", Input)
        field.post_message(events.Paste("~/dumps/today.txt\n"))
        await settle(pilot)
        assert field.value == "~/dumps/today.txt"
        assert not dialog.query_one("#import-summary").display
    with Library.open(path) as other:
        assert len(other.imports()) == 1


async def test_a_pasted_non_dump_is_rejected_with_its_reason(tmp_path: Path):
    path = build_library(tmp_path, ("author_page.txt",), decorate=False)
    bib = (FIXTURES / "refs.bib").read_text(encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        dialog = await open_import(pilot)
        dialog.query_one("#import-path", Input).post_message(events.Paste(bib))
        await settle(pilot)
        assert "it looks like BibTeX" in text_of(app, "#import-report")
    with Library.open(path) as other:
        assert other.count() == 5


async def test_the_last_import_view_covers_every_file_of_one_dialog_import(tmp_path: Path):
    path = build_library(tmp_path, ("author_page.txt",), decorate=False)
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for name in ("listing.txt", "current_daily_papers.txt"):
        shutil.copy(FIXTURES / name, dumps / name)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_import(pilot)
        await run_import(pilot, str(dumps / "*.txt"))
        await press(pilot, "escape", "v")
        labels = picker_labels(app)
        assert labels["import"] == (
            "New in the last import (current_daily_papers.txt, listing.txt)  7"
        )
        await press(pilot, "escape")
        assert "imported 7 new papers" in status(app)
