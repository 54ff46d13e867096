"""Snapshot tests of the power features' dialogs, compared with SVGs in tests/ui/__snapshots__/.

The view picker (tags with counts, saved searches, the last import), the import dialog mid-way
and with its summary, the copy menu, the note editor, the URL box and the marks on the list.

Deterministic by construction: the fixture library (dates read in a fixed capture year, and the
dialog's imports read in that year too), fixed terminal sizes, the UI state file in tmp_path, no
poll, no background indexing, no blinking cursor. NO_COLOR (set by the shared conftest) is lifted
so colours are part of the picture, and TERM is fixed (it picks the list's glyphs). Update with
``pytest tests/ui/test_snapshots_power.py --snapshot-update`` and look at the result
(../shared/tools/svg2png) before committing.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, ProgressBar

from tests.app_helpers import (  # noqa: F401 - steady_terminal is a fixture
    CAPTURE_YEAR,
    FIXTURES,
    TODAY,
    build_library,
    make_app,
    no_blink,
    settle,
    steady_terminal,
)
from tuireader.library import Library
from tuireader.screens.import_dialog import ImportDialog

SIZE = (100, 30)


pytestmark = pytest.mark.usefixtures("steady_terminal")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library, with two saved searches."""
    path = build_library(tmp_path)
    with Library.open(path) as library:
        library.save_search("quantised", "tag:quantisation")
        library.save_search("long reads", "attention -is:read")
    return path


def steps(*keys: str, then=None):
    """A run_before: press ``keys`` (letting searches land after each), run ``then``, no blink."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)
        no_blink(pilot.app)
        await pilot.pause()

    return run_before


def test_view_picker(snap_compare, library: Path):
    """v: all, unread, starred, the last import, each tag with its count, the saved searches."""
    assert snap_compare(make_app(library), terminal_size=SIZE, run_before=steps("v"))


def test_view_picker_on_a_tag_view(snap_compare, library: Path):
    """The picker opened from the #quantisation view marks it current and highlights it."""
    keys = ("v", "down", "down", "down", "down", "enter", "v")
    assert snap_compare(make_app(library), terminal_size=SIZE, run_before=steps(*keys))


async def _import_midway(pilot) -> None:
    """The dialog as an import 40% done shows it: path disabled, the bar at 40 of 100."""
    dialog = pilot.app.screen
    assert isinstance(dialog, ImportDialog)
    field = dialog.query_one("#import-path", Input)
    field.value = "dumps/2025-04-09_daily_papers.txt"
    field.cursor_position = len(field.value)
    await pilot.pause()
    dialog.busy = True
    field.disabled = True
    bar = dialog.query_one("#import-progress", ProgressBar)
    bar.display = True
    dialog._progress(40, 100)


def test_import_dialog_progress_midway(snap_compare, library: Path):
    assert snap_compare(
        make_app(library), terminal_size=SIZE, run_before=steps("i", then=_import_midway)
    )


def test_import_dialog_empty(snap_compare, library: Path):
    """i: the path field, focused, with its placeholder."""
    assert snap_compare(make_app(library), terminal_size=SIZE, run_before=steps("i"))


def test_import_dialog_summary(snap_compare, library: Path, tmp_path: Path, monkeypatch):
    """Three files by one pattern: merged papers, new ones with a skipped entry, a rejected file."""
    import tuireader.screens.import_dialog as dialog_module

    monkeypatch.setattr(
        dialog_module,
        "import_file",
        functools.partial(dialog_module.import_file, year=CAPTURE_YEAR, today=TODAY),
    )
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for name in ("cr_daily_papers.txt", "missing_abstract_daily_papers.txt", "shopping_list.txt"):
        shutil.copy(FIXTURES / name, dumps / name)

    async def import_all(pilot) -> None:
        field = pilot.app.screen.query_one("#import-path", Input)
        field.value = str(dumps / "*.txt")
        await pilot.press("enter")
        await settle(pilot)
        assert len(pilot.app.screen.reports) == 3

    assert snap_compare(
        make_app(library), terminal_size=SIZE, run_before=steps("i", then=import_all)
    )


def test_copy_menu(snap_compare, library: Path):
    """y on one paper: title, BibTeX, Markdown."""
    assert snap_compare(make_app(library), terminal_size=SIZE, run_before=steps("j", "y"))


def test_copy_menu_for_marked_papers(snap_compare, library: Path):
    """Two papers marked with space, then y: the menu names the count; the marks show behind."""
    keys = ("space", "space", "y")
    assert snap_compare(make_app(library), terminal_size=SIZE, run_before=steps(*keys))


def test_marked_papers_and_the_status_line(snap_compare, library: Path):
    """Three papers marked: the mark glyph and colour, and "3 marked" in the status line."""
    keys = ("space", "j", "space", "space")
    assert snap_compare(make_app(library), terminal_size=SIZE, run_before=steps(*keys))


def test_note_editor(snap_compare, library: Path):
    """n: the note editor with a two-line note typed."""
    keys = ("n", *"first line", "enter", *"second line")
    keys = tuple("space" if k == " " else k for k in keys)
    assert snap_compare(make_app(library), terminal_size=SIZE, run_before=steps(*keys))


def test_url_dialog(snap_compare, library: Path, monkeypatch):
    """w where no browser can open: the URL to copy."""
    import tuireader.web

    monkeypatch.delenv("TUIREADER_SEARCH_URL", raising=False)
    monkeypatch.setattr(
        tuireader.web,
        "browser_problem",
        lambda: "No graphical browser here: open this URL elsewhere",
    )
    assert snap_compare(make_app(library), terminal_size=SIZE, run_before=steps("w"))
