"""Issue 10, the bugs a daily user met: light themes, keys in the reading view, tag removal,
path completion, invalid queries, help, footer, status messages, palette, undo, TERM=linux.

Each test drives the real app through Pilot and fails on the code before its fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import Color as RichColor
from textual.color import Color
from textual.widgets import Input, OptionList, Static

from tests.app_helpers import (  # noqa: F401 - steady_terminal is a fixture
    AGENTS,
    LANTERN,
    ROQ,
    build_library,
    make_app,
    settle,
    steady_terminal,
)
from tests.flows_helpers import abstract_text, goto, search, shown_titles, stored
from tuireader.library import Library
from tuireader.screens.main import MainScreen
from tuireader.screens.reading import ReadingScreen
from tuireader.widgets.paper_list import PaperList

SIZE = (120, 40)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library (14 papers, a few tags, one star, two read)."""
    return build_library(tmp_path)


def _luminance(colour: Color) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour.normalized)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _ratio(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.usefixtures("steady_terminal")
@pytest.mark.parametrize("theme", ["textual-light", "solarized-light", "textual-dark"])
async def test_list_text_is_readable_in_every_theme(library: Path, theme: str):
    """Titles (read and unread), dates and tags stand out from the list's background."""
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        papers.action_cursor_down()  # the cursor off row 0: rows 0 and 2.. are plain rows
        await settle(pilot)
        background = papers.background_colors[1]
        checked = 0
        for y in (0, 2, 3, 8):
            for segment in papers.render_line(y):
                if segment.text.strip() and segment.style and segment.style.color:
                    # 60% text (read rows, dates) must still be above 3:1 on its background.
                    assert _ratio_of(segment.style.color, background) >= 3.0, (
                        theme, y, segment.text
                    )
                    checked += 1
        assert checked > 10


def _ratio_of(colour: RichColor, background: Color) -> float:
    r, g, b = colour.get_truecolor()
    return _ratio(Color(r, g, b), background)


def status(app) -> str:
    """The main screen's status line, as plain text."""
    main = next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))
    return str(main.query_one("#status", Static).render())


def screen_lines(app) -> list[str]:
    """What the terminal shows, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]  # noqa: SLF001


async def open_reading(pilot, title: str) -> ReadingScreen:
    await settle(pilot)
    await goto(pilot, title)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReadingScreen)
    return pilot.app.screen


# -- the reading view: every key on the current paper --------------------------------------------
async def test_reading_view_toggles_read_notes_and_undo_with_the_list_keys(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        reading = await open_reading(pilot, AGENTS)
        assert stored(library, AGENTS).read  # Enter marked it read
        await pilot.press("r")
        assert not stored(library, AGENTS).read
        assert "unread 1 paper" in str(reading.query_one("#reading-status", Static).render())
        await pilot.press("u")  # undo: read again
        assert stored(library, AGENTS).read
        await pilot.press("ctrl+r")  # redo: unread again
        assert not stored(library, AGENTS).read
        await pilot.press("n")
        await settle(pilot)
        from textual.widgets import TextArea

        area = app.screen.query_one(TextArea)
        area.insert("see also Lantern")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored(library, AGENTS).notes == "see also Lantern"
        assert app.screen is reading and "see also Lantern" in abstract_text(app)


async def test_reading_view_copies_searches_the_web_and_reaches_list_actions(
    library: Path, monkeypatch: pytest.MonkeyPatch
):
    from tuireader.screens.dialogs import CopyMenu, UrlDialog
    from tuireader.screens.import_dialog import ImportDialog
    from tuireader.screens.views import ViewPicker

    monkeypatch.setenv("SSH_CONNECTION", "1 2 3 4")  # no browser: w shows the URL
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await open_reading(pilot, LANTERN)
        await pilot.press("y")
        assert isinstance(app.screen, CopyMenu)
        await pilot.press("t")
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, UrlDialog)
        assert "Lantern" in app.screen.url
        await pilot.press("escape")
        for key, screen_type in (("v", ViewPicker), ("i", ImportDialog)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen_type), key
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            await pilot.press("enter")  # back into the reading view, on the same paper
            await settle(pilot)
            assert isinstance(app.screen, ReadingScreen)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.sort == "upvotes"


# -- tags: removing one is Tab, x -----------------------------------------------------------------
async def test_tab_then_x_removes_a_tag(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, LANTERN)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("tab")
        listing = app.screen.query_one("#tag-current", OptionList)
        assert app.focused is listing and listing.highlighted == 0
        await pilot.press("x")
        assert stored(library, LANTERN).tags == ["long-context"]
        await pilot.press("tab")  # and back to the input
        assert app.focused is app.screen.query_one("#tag-input", Input)


# -- import: completion shows only what Enter takes ----------------------------------------------
async def test_path_completion_never_shows_one_of_several_files(library: Path, tmp_path: Path):
    from tuireader.screens.import_dialog import PathSuggester

    dumps = tmp_path / "dumps"
    dumps.mkdir()
    source = (Path(__file__).parents[1] / "fixtures" / "daily_papers_later.txt").read_text()
    for name in ("000_first.txt", "000_second.txt", "017_only.txt"):
        (dumps / name).write_text(source)
    suggester = PathSuggester()
    assert await suggester.get_suggestion(f"{dumps}/0") is None  # nothing all three share
    assert await suggester.get_suggestion(f"{dumps}/00") == f"{dumps}/000_"  # not a file
    assert await suggester.get_suggestion(f"{dumps}/01") == f"{dumps}/017_only.txt"
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        field = app.screen.query_one(Input)
        field.value = f"{dumps}/00"
        await pilot.press("tab")
        assert field.value == f"{dumps}/000_"
        listed = str(app.screen.query_one("#import-matches", Static).render())
        assert "000_first.txt" in listed and "000_second.txt" in listed
        field.value = f"{dumps}/01"  # one file fits: Enter takes it, as shown
        await pilot.press("enter")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
    with Library.open(library) as other:
        assert other.count() == 15  # the one new paper of the dump


# -- an invalid query says which query the list shows --------------------------------------------
async def test_a_bad_query_says_the_list_still_shows_the_last_good_one(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "year")
        shown = shown_titles(app)
        await search(pilot, "year:abc")
        error = str(app.screen.query_one("#query-error", Static).render())
        assert "year:abc" in error and "still shows 'year'" in error
        assert shown_titles(app) == shown


async def test_no_match_says_so_in_the_list(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "zzyzxq")
        papers = app.screen.query_one(PaperList)
        assert papers.ids == []
        assert "No papers match 'zzyzxq'" in "".join(s.text for s in papers.render_line(1))


# -- help, footer, status, palette --------------------------------------------------------------
async def test_help_scrolls_with_j_and_k(library: Path):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        box = app.screen.query_one("#help")
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert box.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert box.scroll_y == 2


@pytest.mark.parametrize("width", [40, 60, 80])
async def test_footer_shows_whole_keys_at_any_width(library: Path, width: int):
    app = make_app(library)
    async with app.run_test(size=(width, 20)) as pilot:
        await settle(pilot)
        footer = screen_lines(app)[-1].split()
        labels = {"/": "Search", "space": "Mark", "r": "Read", "s": "Star", "t": "Tags"}
        labels |= {"u": "Undo", "v": "View", "?": "Help", "q": "Quit", "^p": "palette"}
        labels |= {"T": "Triage"}
        assert footer, "an empty footer"
        pairs = list(zip(footer[::2], footer[1::2], strict=True))
        for key, label in pairs:
            assert labels.get(key) == label, (width, key, label)
        assert len(footer) % 2 == 0


async def test_status_messages_go_away(library: Path, monkeypatch: pytest.MonkeyPatch):
    import tuireader.screens.main_base as main

    monkeypatch.setattr(main, "MESSAGE_SECONDS", 0.2)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert "starred 1 paper" in status(app)
        await pilot.pause(0.4)
        assert "starred" not in status(app)
        assert status(app).startswith("14 of 14 papers")


async def test_palette_names_keys_as_typed_and_quits_once(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = list(app.get_system_commands(app.screen))
        helps = [c.help for c in commands]
        assert not any("question_mark" in h or "percent_sign" in h for h in helps)
        assert any(h.endswith("(key: ?)") for h in helps)
        assert [c.title for c in commands].count("Quit") == 1


async def test_the_open_library_is_on_screen(library: Path):
    app = make_app(library)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert screen_lines(app)[-2].rstrip().endswith(str(library))
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_lines(app)[-2].rstrip().endswith(library.name)  # the name, where narrow


# -- saved searches, undo -------------------------------------------------------------------------
async def test_enter_after_picking_a_saved_search_opens_nothing(library: Path):
    with Library.open(library) as lib:
        lib.save_search("quant", "quantised")
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("end", "enter")
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "quantised"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        with Library.open(library) as other:
            assert other.counts()["unread"] == 12  # nothing was opened and marked read


async def test_undo_names_the_paper_and_moves_to_it(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, LANTERN)
        await pilot.press("s")  # unstar Lantern
        await goto(pilot, AGENTS)
        await pilot.press("u")
        assert "undid: unstar 1 paper — Lantern: Sparse Attention" in status(app)
        assert app.screen.query_one(PaperList).current_id == stored(library, LANTERN).id
        assert stored(library, LANTERN).starred


# -- the Linux console -------------------------------------------------------------------------
async def test_linux_console_gets_ascii_borders_and_an_unread_mark_unlike_a_star(
    library: Path, monkeypatch: pytest.MonkeyPatch
):
    from tuireader.widgets.abstract_pane import AbstractPane
    from tuireader.widgets.paper_list import Glyphs

    monkeypatch.setenv("TERM", "linux")
    glyphs = Glyphs.for_terminal()
    assert glyphs.unread not in ("*", glyphs.star)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        border = app.screen.query_one(AbstractPane).styles.border_left[0]
        assert border == "ascii"
        for line in screen_lines(app):
            assert not set(line) & set("▔▁▏▕"), line


# -- small words ---------------------------------------------------------------------------------
def test_one_upvote_and_the_score_explained():
    from tuireader.models import Paper
    from tuireader.widgets.abstract_pane import paper_text

    paper = Paper(
        1, "T", "A", None, False, None, None, None, None, None, 1, None, "CL", 54.7,
        False, False, None, "2025-01-01",
    )  # fmt: skip
    text = paper_text(paper).plain
    assert "1 upvote " in text + " " and "1 upvotes" not in text
    assert "author-page score 54.7" in text
