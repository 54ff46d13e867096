"""In the reader, hostile text is shown, never obeyed: no escape reaches the terminal, no markup.

Every test records everything the app writes to its terminal (the driver's output) and looks for
the hostile payloads there, and also reads the screen's drawn text for raw control characters.
The library is filled through its API (tests/hostile.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from textual import events

from tests.app_helpers import make_app, settle
from tests.hostile import (
    ANY_CONTROL,
    HOSTILE_SEARCH_NAME,
    HOSTILE_TAG,
    OSC_TITLE,
    build_hostile_library,
)
from tuireader.library import Library
from tuireader.screens.dialogs import CopyMenu, NoteEditor, UrlDialog
from tuireader.screens.import_dialog import ImportDialog
from tuireader.screens.main import MainScreen
from tuireader.screens.reading import ReadingScreen
from tuireader.screens.tags import TagEditor
from tuireader.screens.views import ViewPicker
from tuireader.textsafe import one_line

SIZE = (120, 40)

#: Pieces of the hostile sequences that must never be in what the app writes to the terminal.
PAYLOADS = {
    "osc title": "\x1b]0;PWNED",
    "osc title (ST)": "\x1b]2;PWNED",
    "osc title (file name)": "\x1b]0;FILE",
    "osc 52": "\x1b]52;c;cm0g",
    "osc 52 (ST)": "\x1b]52;c;Y3Vyb",
    "C1 CSI": "\x9b",
    "C1 OSC": "\x9d",
    "C1 ST": "\x9c",
    "DEL": "\x7f",
    "NUL": "\x00",
    "backspace": "\x08",
    "vertical tab": "\x0b",
}


class Output:
    """Everything the app sent to its terminal since ``watch``."""

    def __init__(self, app, monkeypatch) -> None:
        self.chunks: list[str] = []
        write = app._driver.write

        def spy(data: str) -> None:
            self.chunks.append(data)
            write(data)

        monkeypatch.setattr(app._driver, "write", spy)

    def assert_clean(self) -> None:
        sent = "".join(self.chunks)
        found = {name: sent.count(bad) for name, bad in PAYLOADS.items() if bad in sent}
        assert not found, f"hostile sequences sent to the terminal: {found}"


def screen_text(app) -> str:
    """The text of every cell drawn on the screen (no Textual control segments)."""
    lines = []
    for strip in app.screen._compositor.render_strips():
        lines.append("".join(seg.text for seg in strip if not seg.control))
    return "\n".join(lines)


def assert_screen_clean(app) -> str:
    text = screen_text(app)
    for line in text.split("\n"):
        bad = ANY_CONTROL.search(line)
        assert bad is None, f"raw control character {bad[0]!r} drawn in: {line!r}"
    return text


@pytest.fixture
def hostile(tmp_path) -> Path:
    return build_hostile_library(tmp_path)


async def _start(pilot) -> None:
    await settle(pilot)
    assert isinstance(pilot.app.screen, MainScreen)


async def test_list_and_abstract_pane_show_every_hostile_paper_visibly(hostile, monkeypatch):
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        output = Output(app, monkeypatch)
        await _start(pilot)
        for _ in range(9):
            text = assert_screen_clean(app)
            await pilot.press("j")
            await settle(pilot)
        assert "\u241b]0;PWNED-TITLE\u2407" in text or "\u241b" in text  # shown, as pictures
        assert "[b]bold[/b]" in text  # markup in a title is shown as typed, not applied
        output.assert_clean()


async def test_reading_view_steps_through_hostile_papers(hostile, monkeypatch):
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        output = Output(app, monkeypatch)
        await _start(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        for _ in range(9):
            text = assert_screen_clean(app)
            await pilot.press("right_square_bracket")
            await settle(pilot)
        assert "a note" in text and "[b]not bold[/b]" in text
        output.assert_clean()


async def test_tag_editor_shows_hostile_tags_and_takes_markup_tags(hostile, monkeypatch):
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        output = Output(app, monkeypatch)
        await _start(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagEditor)
        text = assert_screen_clean(app)
        assert one_line(f"#{HOSTILE_TAG}") in text
        # A tag that looks like markup is just a tag: no MarkupError, shown as typed.
        for key in ["left_square_bracket", "slash", "x", "right_square_bracket", "enter"]:
            await pilot.press(key)
        await settle(pilot)
        text = assert_screen_clean(app)
        assert "#[/x]" in text.replace(one_line(f"#{HOSTILE_TAG}"), "")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert_screen_clean(app)
        output.assert_clean()
    with Library.open(hostile) as library:
        assert ("[/x]", 1) in library.tags()


async def test_note_editor_shows_a_hostile_note_visibly(hostile, monkeypatch):
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        output = Output(app, monkeypatch)
        await _start(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        text = assert_screen_clean(app)
        assert "\u241b]52;c;" in text
        # Pasting an escape into the note inserts it visibly too.
        area = app.screen.query_one("#note-text")
        area.post_message(events.Paste("pasted\x1b]0;PASTE\x07"))
        await settle(pilot)
        assert "\x1b" not in area.text and "pasted\u241b]0;PASTE\u2407" in area.text
        assert_screen_clean(app)
        await pilot.press("escape")
        output.assert_clean()


async def test_view_picker_and_status_line_show_hostile_names_visibly(hostile, monkeypatch):
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        output = Output(app, monkeypatch)
        await _start(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ViewPicker)
        text = assert_screen_clean(app)
        assert one_line(HOSTILE_SEARCH_NAME) in text and one_line(HOSTILE_TAG) in text
        assert one_line("hostile\x1b]0;FILE\x07.txt") in text  # the last import's file name
        # Pick the hostile tag's view, then the hostile saved search: the status line says so.
        picker = app.screen.query_one("#view-options")
        keys = list(app.screen.choices)
        picker.highlighted = keys.index(f"tag:{HOSTILE_TAG}")
        await pilot.press("enter")
        await settle(pilot)
        assert one_line(HOSTILE_TAG) in assert_screen_clean(app)
        await pilot.press("v")
        await settle(pilot)
        picker = app.screen.query_one("#view-options")
        picker.highlighted = list(app.screen.choices).index(f"saved:{HOSTILE_SEARCH_NAME}")
        await pilot.press("x")  # delete it: the notification names it
        await settle(pilot)
        assert_screen_clean(app)
        output.assert_clean()


async def test_undo_message_naming_a_hostile_tag_is_shown_visibly(hostile, monkeypatch):
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        output = Output(app, monkeypatch)
        await _start(pilot)
        await pilot.press("u")  # undoes the last note; then the tag
        await settle(pilot)
        for _ in range(9):
            await pilot.press("u")
            await settle(pilot)
            assert_screen_clean(app)
        output.assert_clean()


async def test_search_line_shows_a_pasted_escape_visibly(hostile, monkeypatch):
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        output = Output(app, monkeypatch)
        await _start(pilot)
        await pilot.press("slash")
        search = app.screen.query_one("#search")
        search.post_message(events.Paste(f"hostile{OSC_TITLE}"))
        await settle(pilot)
        assert "\x1b" not in search.value and "\x07" not in search.value
        assert_screen_clean(app)
        output.assert_clean()


async def test_copy_menu_copies_a_title_without_its_escapes(hostile, monkeypatch):
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        output = Output(app, monkeypatch)
        await _start(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CopyMenu)
        assert_screen_clean(app)
        await pilot.press("t")
        await settle(pilot)
        assert app.clipboard and not ANY_CONTROL.search(app.clipboard)
        for kind in ("b", "m"):
            await pilot.press("y", kind)
            await settle(pilot)
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", app.clipboard)
        assert_screen_clean(app)
        output.assert_clean()


async def test_url_box_shows_text_visibly(hostile, monkeypatch):
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        output = Output(app, monkeypatch)
        await _start(pilot)
        app.push_screen(UrlDialog(f"https://x.example/?q={OSC_TITLE}", f"why {OSC_TITLE}"))
        await settle(pilot)
        assert isinstance(app.screen, UrlDialog)
        assert_screen_clean(app)
        output.assert_clean()


async def test_import_dialog_shows_hostile_file_names_visibly(hostile, monkeypatch, tmp_path, fixtures):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    shutil.copy(fixtures / "listing_bare.txt", dumps / f"new{OSC_TITLE}\nline.txt")
    (dumps / "empty\x9b2J.txt").write_text("", encoding="utf-8")
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        output = Output(app, monkeypatch)
        await _start(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportDialog)
        field = app.screen.query_one("#import-path")
        field.value = str(dumps / "*.txt")
        await pilot.press("enter")
        await settle(pilot)
        while app.screen.busy:
            await pilot.pause(0.05)
        await settle(pilot)
        text = assert_screen_clean(app)
        assert one_line(f"new{OSC_TITLE}\nline.txt") in text
        assert one_line("empty\x9b2J.txt") in text
        await pilot.press("escape")
        await settle(pilot)
        assert_screen_clean(app)
        output.assert_clean()


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
async def test_import_dialog_refuses_a_fifo_or_device_and_q_still_quits(hostile, tmp_path, kind):
    import os

    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        target = tmp_path / "pipe.txt"
        os.mkfifo(target)
        said = "pipe"
    else:
        target = Path(kind)
        if not target.exists():
            pytest.skip(f"{kind} is not here")
        said = "device"
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#import-path").value = str(target)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if not app.screen.busy:
                break
        await settle(pilot)
        assert not app.screen.busy
        assert said in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


async def test_a_tag_that_looks_like_markup_is_just_a_tag(tmp_path, monkeypatch):
    from tests.app_helpers import build_library

    path = build_library(tmp_path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        for tag in ("[/x]", "[b]bold[/b]", "[link=x]y"):
            await pilot.press("t")
            await settle(pilot)
            app.screen.query_one("#tag-input").value = tag
            await pilot.press("enter")
            await settle(pilot)
            assert f"#{tag}" in screen_text(app)  # in the editor, as typed
            await pilot.press("escape")
            await settle(pilot)
        text = screen_text(app)  # the abstract pane and the list show them as typed too
        assert "#[/x] #[b]bold[/b] #[link=x]y" in text
        await pilot.press("v")
        await settle(pilot)
        assert "#[b]bold[/b]" in screen_text(app)
    with Library.open(path) as library:
        tags = dict(library.tags())
    assert tags["[/x]"] == tags["[b]bold[/b]"] == tags["[link=x]y"] == 1
