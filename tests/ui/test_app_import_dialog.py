"""Pilot tests: importing from the dialog (progress, summary, completion, the new papers' view)."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.app_helpers import build_library, make_app, settle
from tests.power_helpers import (
    FIXTURES,
    LISTING_TITLES,
    PANTRY,
    SIZE,
    SUNDIAL,
    file_state,
    open_import,
    press,
    run_import,
    shown_titles,
    started,
    status,
    text_of,
    type_text,
)
from tuireader.importer import import_file
from tuireader.library import Library
from tuireader.screens.main import MainScreen


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library: 14 papers; Lantern starred; ROQ and Whisker read; tags."""
    return build_library(tmp_path)


# -- importing from the dialog -----------------------------------------------------------------
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


# -- issue 19: odd paths in the dialog -----------------------------------------------------------
@pytest.mark.parametrize("kind", ["loop", "dangling", "through-a-file", "too-long"])
async def test_an_odd_path_in_the_dialog_is_one_line_and_changes_nothing(library: Path, tmp_path: Path, kind):
    odd = {
        "loop": tmp_path / "loop",
        "dangling": tmp_path / "dangling",
        "through-a-file": tmp_path / "a.txt" / "b",
        "too-long": tmp_path / ("x" * 300),
    }[kind]
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "a.txt").write_text("a file\n")
    before = file_state(library)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await open_import(pilot)
        await run_import(pilot, str(odd))
        assert app.is_running
        summary = text_of(app, "#import-report")
        assert "rejected" in summary or "✗" in summary, summary
        assert len([line for line in summary.splitlines() if line.strip()]) <= 2, summary
    assert file_state(library) == before
