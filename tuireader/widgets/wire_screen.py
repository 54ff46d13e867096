"""What the terminal shows, cell by cell: each frame sends only the cells that changed, and only
the colour changes between them.

Textual writes every segment of a changed region as ``ESC[<whole style>m text ESC[0m`` and
rewrites whole chops whether or not their cells changed; over ssh each of those bytes is paid for.
:class:`WireScreen` keeps two grids of cells (a cell: its text and its *pen*, the style as the
terminal sees it): ``wanted`` (every frame painted into it) and ``sent`` (what the terminal has
been sent). :meth:`WireScreen.frame` writes the difference: for each changed run of cells a cursor
move (or a short forward step), then the text, with a style escape only where the pen changes,
and the shorter of "change what differs" and "reset, then set". Frames painted while the last one
is still on its way merge: the next frame sends the net change.

Pure: it knows Rich's ``Segment``/``Style`` and nothing of Textual. A wide character fills its cell
and the next (``""``); a zero-width one joins the cell before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from operator import eq
from typing import NamedTuple

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style


class Pen(NamedTuple):
    """A style as the terminal sees it: the SGR attribute codes that are on, the foreground and
    background codes (``""``: the terminal's default) and a hyperlink (``""``: none)."""

    attrs: frozenset[str]
    fg: str
    bg: str
    link: str


#: The terminal's state after ``ESC[0m``.
PLAIN = Pen(frozenset(), "", "", "")
#: A cell: its text (``""`` for the right half of a wide character) and its pen.
Cell = tuple[str, Pen]
#: A cell the terminal may show anything in (before the first frame, after a resize or ctrl+l).
UNKNOWN: Cell = ("\x00", PLAIN)

#: Rich's style attributes and the SGR code that turns each on, in Rich's order.
_ATTRIBUTES = (
    ("bold", "1"), ("dim", "2"), ("italic", "3"), ("underline", "4"), ("blink", "5"),
    ("blink2", "6"), ("reverse", "7"), ("conceal", "8"), ("strike", "9"),
    ("underline2", "21"), ("frame", "51"), ("encircle", "52"), ("overline", "53"),
)  # fmt: skip
#: The code that turns an attribute off (bold and dim share one: it ends both).
_OFF = {
    "1": "22", "2": "22", "3": "23", "4": "24", "21": "24", "5": "25", "6": "25", "7": "27",
    "8": "28", "9": "29", "51": "54", "52": "54", "53": "55",
}  # fmt: skip
#: Rows changed before a scroll is looked for, and the farthest scroll looked for (rows).
_SCROLL_ROWS = 4
_SCROLL_MAX = 8
#: Unchanged cells rewritten rather than stepped over (a step costs ``ESC[nC``, 4 bytes).
_GAP = 3


@lru_cache(maxsize=8192)
def pen_of(style: Style | None, system: ColorSystem) -> Pen:
    """The pen ``style`` draws with in ``system`` (what Textual's own rendering would send)."""
    if style is None:
        return PLAIN
    attrs = frozenset(code for name, code in _ATTRIBUTES if getattr(style, name))
    fg = ";".join(style.color.downgrade(system).get_ansi_codes()) if style.color else ""
    bg = ";".join(style.bgcolor.downgrade(system).get_ansi_codes(False)) if style.bgcolor else ""
    return Pen(attrs, fg, bg, style.link or "")


def _codes(pen: Pen) -> list[str]:
    attrs = [code for _, code in _ATTRIBUTES if code in pen.attrs]
    return attrs + [code for code in (pen.fg, pen.bg) if code]


@lru_cache(maxsize=16384)
def change_pen(old: Pen, new: Pen) -> str:
    """The shortest escapes that turn the terminal's pen from ``old`` to ``new``."""
    if old == new:
        return ""
    link = ""
    if old.link != new.link:
        link = f"\x1b]8;;{new.link}\x1b\\" if new.link else "\x1b]8;;\x1b\\"
    if old[:3] == new[:3]:
        return link
    reset = ["0", *_codes(new)]
    off = old.attrs - new.attrs
    turned_on = new.attrs - old.attrs
    if off & {"1", "2"}:
        turned_on |= new.attrs & {"1", "2"}  # 22 ends both
    diff = sorted({_OFF[code] for code in off}) + [
        code for _, code in _ATTRIBUTES if code in turned_on
    ]
    if old.fg != new.fg:
        diff.append(new.fg or "39")
    if old.bg != new.bg:
        diff.append(new.bg or "49")
    shortest = min(";".join(reset), ";".join(diff), key=len)
    return f"{link}\x1b[{shortest}m"


class WireScreen:
    """The terminal's cells, as sent and as wanted (see the module's docstring)."""

    def __init__(self, system: ColorSystem) -> None:
        self.system = system
        self.width = 0
        self.height = 0
        self.sent: list[list[Cell]] = []
        self.wanted: list[list[Cell]] = []
        self._dirty: set[int] = set()

    def resize(self, width: int, height: int) -> None:
        """A terminal of a new size: nothing on it is known (a resize may have scrolled it)."""
        if (width, height) == (self.width, self.height):
            return
        self.width, self.height = width, height
        self.wanted = [[UNKNOWN] * width for _ in range(height)]
        self.forget()

    def forget(self) -> None:
        """Forget what the terminal shows (another program drew on it, ctrl+l): the next frame
        sends every cell wanted."""
        self.sent = [[UNKNOWN] * self.width for _ in range(self.height)]
        self._dirty = set(range(self.height))

    @property
    def pending(self) -> bool:
        """True when cells were painted that the terminal has not been sent."""
        return bool(self._dirty)

    def paint(self, x: int, y: int, segments: Iterable[Segment]) -> None:
        """Paint ``segments`` into the wanted cells of row ``y`` from column ``x``."""
        if not 0 <= y < self.height or x >= self.width:
            return
        row = self.wanted[y]
        start = x
        width = self.width
        system = self.system
        for text, style, control in segments:
            if control:
                continue
            pen = pen_of(style, system)
            if text.isascii() and text.isprintable():
                end = min(x + len(text), width)
                if end > x:
                    row[x:end] = [(char, pen) for char in text[: end - x]]
                x += len(text)
            else:
                x = self._paint_wide(row, x, start, text, pen)
            if x >= width:
                break
        self._mend_halves(row, start, min(x, width))
        self._dirty.add(y)

    def _paint_wide(self, row: list[Cell], x: int, start: int, text: str, pen: Pen) -> int:
        for char in text:
            size = get_character_cell_size(char)
            if size == 0:
                if x > start:
                    row[x - 1] = (row[x - 1][0] + char, row[x - 1][1])
                continue
            if x + size > self.width:
                return self.width
            row[x] = (char, pen)
            if size == 2:
                row[x + 1] = ("", pen)
            x += size
        return x

    @staticmethod
    def _mend_halves(row: list[Cell], start: int, end: int) -> None:
        """A wide character half overwritten is gone: its other half shows a space."""
        left = row[start - 1][0] if 0 < start < len(row) else ""
        if left and row[start][0] and _is_wide(left):
            row[start - 1] = (" ", row[start - 1][1])
        if end < len(row) and row[end][0] == "":
            row[end] = (" ", row[end][1])

    def frame(self) -> str:
        """The bytes that bring the terminal from what it was sent to what is wanted; after this
        the terminal is taken to show what was wanted. Ends with the pen reset."""
        out: list[str] = []
        pen = PLAIN
        if len(self._dirty) >= _SCROLL_ROWS:
            self._scroll(out)
        for y in sorted(self._dirty):
            pen = self._row(y, out, pen)
        self._dirty.clear()
        out.append(change_pen(pen, PLAIN))
        return "".join(out)

    def _scroll(self, out: list[str]) -> None:
        """Scroll a band of rows with the terminal's own scrolling when the wanted rows are the
        sent ones moved up or down (a list scrolled): a few bytes instead of every row again."""
        wanted, sent, width, height = self.wanted, self.sent, self.width, self.height
        base = [_same(wanted[y], sent[y]) for y in range(height)]
        best = (width, 0, 0, 0)  # (cells gained, shift, top, bottom): at least a row's worth
        for shift in (*range(1, _SCROLL_MAX + 1), *range(-1, -_SCROLL_MAX - 1, -1)):
            rows = range(0, height - shift) if shift > 0 else range(-shift, height)
            gain = run_start = 0
            for y in rows:
                if gain <= 0:
                    gain, run_start = 0, y
                gain += _same(wanted[y], sent[y + shift]) - base[y]
                top, bottom = (run_start, y + shift) if shift > 0 else (run_start + shift, y)
                vacated = range(y + 1, bottom + 1) if shift > 0 else range(top, run_start)
                net = gain - sum(base[v] for v in vacated)
                if net > best[0]:
                    best = (net, shift, top, bottom)
        _, shift, top, bottom = best
        if not shift:
            return
        blank = [(" ", PLAIN)] * width
        out.append(f"\x1b[{top + 1};{bottom + 1}r")
        if shift > 0:  # content moves up: index at the bottom margin
            out.append(f"\x1b[{bottom + 1}H" + "\x1bD" * shift)
            sent[top : bottom + 1] = sent[top + shift : bottom + 1] + [blank[:] for _ in range(shift)]
        else:
            out.append(f"\x1b[{top + 1}H" + "\x1bM" * -shift)
            sent[top : bottom + 1] = [blank[:] for _ in range(-shift)] + sent[top : bottom + 1 + shift]
        out.append("\x1b[r")
        self._dirty.update(range(top, bottom + 1))

    def _row(self, y: int, out: list[str], pen: Pen) -> Pen:
        wanted, sent = self.wanted[y], self.sent[y]
        width = self.width
        changed = [x for x in range(width) if wanted[x] != sent[x]]
        if not changed:
            return pen
        cursor: int | None = None
        for first, last in _runs(changed, wanted):
            if first > 0 and wanted[first][0] == "":
                first -= 1  # start at the wide character whose right half changed
            if last + 1 < width and wanted[last + 1][0] == "":
                last += 1
            if cursor != first:
                step = f"\x1b[{first - cursor}C" if cursor is not None and first > cursor else ""
                move = f"\x1b[{y + 1};{first + 1}H" if first else f"\x1b[{y + 1}H"
                out.append(step if step and len(step) < len(move) else move)
            for x in range(first, last + 1):
                text, cell_pen = wanted[x]
                if cell_pen != pen:
                    out.append(change_pen(pen, cell_pen))
                    pen = cell_pen
                out.append(text)
            cursor = last + 1 if last + 1 < width else None
        sent[:] = wanted
        return pen


def _same(wanted: list[Cell], sent: list[Cell]) -> int:
    """How many cells of a row already show what is wanted."""
    return sum(map(eq, wanted, sent))


def _is_wide(text: str) -> bool:
    return get_character_cell_size(text[0]) == 2


def _runs(changed: list[int], wanted: list[Cell]) -> Iterable[tuple[int, int]]:
    """Runs of changed columns; a short gap of unchanged cells in the pen before it joins the
    run (rewriting it is cheaper than stepping over it)."""
    first = last = changed[0]
    for x in changed[1:]:
        gap = range(last + 1, x)
        pen = wanted[last][1]
        if len(gap) <= _GAP and all(
            wanted[g][1] == pen and wanted[g][0].isascii() and wanted[g][0].isprintable() for g in gap
        ):
            last = x
            continue
        yield first, last
        first = last = x
    yield first, last
