"""Frames that send only what changed leave the terminal showing exactly what Textual's own frames
would: both byte streams are fed to a terminal emulator (pyte) and the cells compared, for random
paints (Hypothesis) and for the real reader's frames under real keys."""

from __future__ import annotations

import pyte
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tests.app_helpers import build_library, make_app, settle
from tuireader.widgets.textual_compat import paint_update
from tuireader.widgets.wire_screen import PLAIN, WireScreen, change_pen, pen_of

SYSTEMS = (ColorSystem.EIGHT_BIT, ColorSystem.TRUECOLOR)


class Terminal:
    """A terminal emulator of ``width`` x ``height``, and the bytes fed to it."""

    def __init__(self, width: int, height: int) -> None:
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.Stream(self.screen)
        self.fed = 0

    def feed(self, data: str) -> None:
        self.fed += len(data.encode())
        self.stream.feed(data)

    def cells(self) -> list[list[tuple]]:
        """Every cell's character and look (colours and attributes)."""
        return [
            [
                (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse)
                for c in (self.screen.buffer[y][x] for x in range(self.screen.columns))
            ]
            for y in range(self.screen.lines)
        ]


def textual_bytes(x: int, y: int, segments: list[Segment], system: ColorSystem) -> str:
    """What Textual writes for this piece: a cursor move, then each segment styled and reset."""
    # (Strip.render_style caches a style's codes on the style, whatever the colour system: one
    # per process in Textual, two here; so the codes are made afresh.)
    out = [f"\x1b[{y + 1};{x + 1}H"]
    for text, style, _ in segments:
        codes = Strip.render_ansi(style, system) if style is not None else ""
        out.append(f"\x1b[{codes}m{text}\x1b[0m" if codes else text)
    return "".join(out)


colours = st.one_of(
    st.none(),
    st.sampled_from(["red", "blue", "grey50", "#1e1e2e", "#fab387", "color(200)", "default"]),
)
styles = st.builds(
    Style,
    color=colours,
    bgcolor=colours,
    bold=st.none() | st.booleans(),
    dim=st.none() | st.booleans(),
    italic=st.none() | st.booleans(),
    underline=st.none() | st.booleans(),
    reverse=st.none() | st.booleans(),
    strike=st.none() | st.booleans(),
)
texts = st.text(alphabet="ab xyz│─é—▲", min_size=1, max_size=12)
pieces = st.tuples(
    st.integers(0, 29),
    st.integers(0, 7),
    st.lists(st.tuples(texts, st.none() | styles).map(lambda ts: Segment(*ts)), min_size=1, max_size=5),
)


@settings(max_examples=80, deadline=None)
@given(frames=st.lists(st.lists(pieces, min_size=1, max_size=6), min_size=1, max_size=6),
       system=st.sampled_from(SYSTEMS), skip=st.integers(0, 3))  # fmt: skip
def test_any_paints_leave_the_terminal_as_textuals_own_frames_would(frames, system, skip):
    # ``skip``: frames painted while the last one was on its way are sent as one.
    plain, wire_terminal = Terminal(30, 8), Terminal(30, 8)
    wire = WireScreen(system)
    wire.resize(30, 8)
    for number, frame in enumerate(frames):
        for x, y, whole in frame:
            segments = list(Strip(whole).crop(0, 30 - x))  # Textual never paints past the edge
            plain.feed(textual_bytes(x, y, segments, system) + "\x1b[0m")
            wire.paint(x, y, segments)
        if number % (skip + 1) == 0 or number == len(frames) - 1:
            wire_terminal.feed(wire.frame())
    assert wire_terminal.cells() == plain.cells()


def test_wide_and_combining_characters_take_the_cells_they_take_on_the_terminal():
    system = ColorSystem.TRUECOLOR
    plain, wire_terminal = Terminal(20, 3), Terminal(20, 3)
    wire = WireScreen(system)
    wire.resize(20, 3)
    blue = Style(color="blue")
    rows = [
        (0, 0, [Segment("中文 abc", blue), Segment("e\u0301x", None)]),
        (0, 1, [Segment("ab中c", None)]),
        (0, 0, [Segment("中文 abd", blue), Segment("e\u0301y", None)]),  # only "d", "y" change
        (0, 1, [Segment("ab文c", blue)]),
    ]
    for x, y, segments in rows:
        plain.feed(textual_bytes(x, y, segments, system) + "\x1b[0m")
        wire.paint(x, y, segments)
        wire_terminal.feed(wire.frame())
    assert wire_terminal.cells() == plain.cells()
    assert wire_terminal.screen.display[0].startswith("中文 abd")


def test_an_unchanged_frame_sends_nothing_and_a_changed_cell_only_itself():
    wire = WireScreen(ColorSystem.EIGHT_BIT)
    wire.resize(40, 2)
    row = [Segment("Lantern: Sparse Attention", Style(color="red", bold=True))]
    wire.paint(0, 0, row)
    first = wire.frame()
    assert "Lantern" in first
    wire.paint(0, 0, row)
    assert wire.frame() == ""
    wire.paint(0, 0, [Segment("Lantern: Sparse Attentio!", Style(color="red", bold=True))])
    again = wire.frame()
    assert "Lantern" not in again and "!" in again and len(again) < 20


def test_a_forgotten_terminal_gets_every_cell_again():
    wire = WireScreen(ColorSystem.EIGHT_BIT)
    wire.resize(10, 1)
    wire.paint(0, 0, [Segment("abcdefghij")])
    wire.frame()
    wire.forget()
    assert "abcdefghij" in wire.frame()


@pytest.mark.parametrize("old_style, new_style", [
    (Style(bold=True, color="red"), Style(dim=True, color="red")),
    (Style(bold=True, dim=True), Style(dim=True)),
    (Style(reverse=True, bgcolor="blue"), Style(bgcolor="blue")),
    (Style(color="red", bgcolor="blue"), Style()),
    (Style(underline=True), Style(italic=True, underline=True)),
])  # fmt: skip
def test_a_pen_change_gives_the_terminal_the_new_pen_exactly(old_style, new_style):
    system = ColorSystem.EIGHT_BIT
    old, new = pen_of(old_style, system), pen_of(new_style, system)
    direct, stepped = Terminal(4, 1), Terminal(4, 1)
    direct.feed(textual_bytes(0, 0, [Segment("x", new_style)], system))
    stepped.feed(change_pen(PLAIN, old) + change_pen(old, new) + "x")
    assert stepped.cells()[0][0] == direct.cells()[0][0]


KEYS = [
    "j", "j", "j", "k", "end", "home", "enter", "escape", "slash", *"model", "enter", "j", "s",
    "t", *"tagB", "enter", "escape", "question_mark", "escape", "v", "escape", "o", "escape",
    "slash", "ctrl+u", "enter", "n", *"a note", "escape", "r", "u",
]  # fmt: skip


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_readers_frames_leave_the_terminal_as_textuals_own_would(tmp_path, size):
    path = build_library(tmp_path)
    app = make_app(path)
    updates: list = []
    display = app._display

    def capture(screen, renderable):
        updates.append(renderable)
        display(screen, renderable)

    app._display = capture
    compared = 0
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        system = app.console._color_system or ColorSystem.TRUECOLOR
        plain, wire_terminal = Terminal(*size), Terminal(*size)
        wire = WireScreen(system)
        wire.resize(*size)
        for key in KEYS:
            await pilot.press(key)
            await settle(pilot)
            for update in updates:
                if not hasattr(update, "render_segments"):
                    continue
                plain.feed(update.render_segments(app.console))
                paint_update(wire, update)
                wire_terminal.feed(wire.frame())
                compared += 1
            updates.clear()
            assert wire_terminal.cells() == plain.cells(), key
    assert compared > len(KEYS) / 2
    # And it is cheaper: most of Textual's bytes re-send what the terminal already shows.
    assert wire_terminal.fed < plain.fed / 2


rows_of_text = st.lists(st.text(alphabet="abc xyz│é", min_size=0, max_size=30), min_size=12, max_size=12)


@settings(max_examples=60, deadline=None)
@given(rows=rows_of_text, shift=st.integers(-9, 9), top=st.integers(0, 5), side=texts)
def test_a_list_scrolled_is_scrolled_on_the_terminal_and_shows_the_same(rows, shift, top, side):
    # A list pane scrolled by ``shift`` rows between ``top`` and the last row, the pane beside it
    # (the last 6 columns) repainted: the terminal's own scrolling, then the rows that differ.
    system = ColorSystem.EIGHT_BIT
    plain, wire_terminal = Terminal(30, 12), Terminal(30, 12)
    wire = WireScreen(system)
    wire.resize(30, 12)
    blue = Style(color="blue", bgcolor="grey50")

    def paint(lines):
        for y, line in enumerate(lines):
            segments = [Segment(line.ljust(24)[:24], blue), Segment(side.ljust(6)[:6], None)]
            plain.feed(textual_bytes(0, y, segments, system) + "\x1b[0m")
            wire.paint(0, y, segments)
        wire_terminal.feed(wire.frame())

    paint(rows)
    moved = rows[:top] + (rows[top + shift :] + rows[top:top + shift] if shift >= 0
                          else rows[shift:] + rows[top:shift])[: 12 - top]
    paint(moved[:12])
    assert wire_terminal.cells() == plain.cells()


def test_a_scrolled_list_costs_a_scroll_and_the_new_row():
    wire = WireScreen(ColorSystem.EIGHT_BIT)
    wire.resize(40, 20)
    # Rows unlike each other (titles), each a row below the last: one scroll and one new row.
    lines = [f"{n:03} " + "".join(chr(97 + (n * 7 + i * i) % 26) for i in range(36)) for n in range(40)]
    for y in range(20):
        wire.paint(0, y, [Segment(lines[y].ljust(40), Style(color="red"))])
    wire.frame()
    for y in range(20):
        wire.paint(0, y, [Segment(lines[y + 1].ljust(40), Style(color="red"))])
    scrolled = wire.frame()
    assert "\x1bD" in scrolled and lines[20] in scrolled
    assert lines[10] not in scrolled and len(scrolled) < 120
