"""Every use of Textual's private API, in one place.

Why any: the reader redraws the filtered list in the frame of the typed letter, and a change of
a widget's virtual size is a layout of the whole screen in Textual's public API (tens of ms at
1M papers); an unexpected error must end in one line and a log file, not Textual's traceback
with locals over the terminal. Textual offers no public hook for either, so these few
private names are used, here alone. ``tests/ui/test_textual_compat.py`` fails when a Textual
release renames them or changes what they take, before any user sees it (pin: textual<9).
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from rich.console import Console
from rich.segment import Segment
from textual import constants
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual._parser import Parser
from textual._time import get_time
from textual._xterm_parser import (
    SPECIAL_SEQUENCES,
    XTermParser,
    _re_cursor_position,
    _re_extended_key,
    _re_in_band_window_resize,
    _re_mouse_event,
    _re_terminal_mode_response,
)
from textual.app import App
from textual.drivers import linux_driver
from textual.geometry import Size
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

from tuireader.widgets.frame_pacer import PROBE, FramePacer
from tuireader.widgets.terminal_input import ESC, Cut, split_input
from tuireader.widgets.wire_screen import WireScreen

#: The private names used below, by owner (the test checks each one still exists).
PRIVATE_NAMES: dict[type, tuple[str, ...]] = {
    Widget: ("_scroll_update",),
    Input: ("_watch_value",),
    App: (
        "_handle_exception", "_fatal_error", "_close_messages_no_wait", "_keymap", "_display",
        "_batch_count", "_running", "_closed", "_begin_update", "_end_update", "_on_exit_app",
    ),
    Console: ("_color_system",),
    ChopsUpdate: ("chops", "spans", "chop_ends"),
    LayoutUpdate: ("strips", "region"),
    MessagePump: ("_next_callbacks", "_pending_message"),
    Screen: ("_callbacks",),
    Parser: ("_timeout_time",),
    XTermParser: ("_sequence_to_key_events",),
}

ReturnType = TypeVar("ReturnType")


def set_virtual_size(widget: ScrollView, size: Size) -> None:
    """Give ``widget`` a new virtual size; lay out the screen only if its scrollbar comes or goes.

    Assigning ``virtual_size`` is a layout change, and a layout redraws every widget on the
    screen; a list or a pane whose content grows within the same box only needs its scrollbars
    updated and itself redrawn. (``set_reactive`` sets it without the watcher's layout;
    ``_scroll_update`` is what Textual itself runs for a new virtual size.)
    """
    if size == widget.virtual_size:
        return
    had_scrollbar = widget.show_vertical_scrollbar
    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)
    widget.refresh(layout=widget.show_vertical_scrollbar != had_scrollbar)


def keymap(app: App[Any]) -> Mapping[str, str]:
    """The keymap the app was given (binding id -> keys); Textual keeps it private."""
    return app._keymap


class ValueHookInput(Input):
    """An Input that calls :meth:`before_value_drawn` before its own value watcher runs.

    Input.Changed arrives a frame after the letter is drawn; the hook runs in the same frame,
    so whatever the value filters can be redrawn with it.
    """

    def before_value_drawn(self, value: str) -> None:
        """Called with each new value before Input draws it (nothing here; subclasses act)."""

    def _watch_value(self, value: str) -> None:
        self.before_value_drawn(value)
        super()._watch_value(value)


class CrashHooksApp(App[ReturnType], Generic[ReturnType]):
    """An App that hears of an unexpected error and exits without printing Textual's traceback.

    Textual calls ``_handle_exception`` for any unhandled exception and then ``_fatal_error``
    to print a traceback with locals (which may hold a paper's text) over the terminal.
    """

    def on_unexpected_error(self, error: Exception) -> None:
        """Called with an unhandled exception, before Textual ends the app (override)."""

    def _handle_exception(self, error: Exception) -> None:
        self.on_unexpected_error(error)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Exit without printing Textual's traceback (with locals) over the terminal."""
        self.bell()
        self._close_messages_no_wait()


# -- keys typed ahead ---------------------------------------------------------------------------
def pump_is_idle(node: MessagePump) -> bool:
    """True when ``node`` has nothing left to handle: no message queued or peeked, no callback
    due after the current message, and (a screen) none due after its next refresh."""
    if node.message_queue_size or node._next_callbacks or node._pending_message is not None:
        return False
    return not (isinstance(node, Screen) and node._callbacks)


def _parser_knows(sequence: str) -> bool:
    """True for a complete control sequence Textual's parser reads as something."""
    return (
        sequence in ANSI_SEQUENCES_KEYS
        or sequence in SPECIAL_SEQUENCES
        or any(
            pattern.match(sequence)
            for pattern in (_re_mouse_event, _re_terminal_mode_response, _re_cursor_position)
        )
        or _re_extended_key.fullmatch(sequence) is not None
        or _re_in_band_window_resize.fullmatch(sequence) is not None
    )


class AnswerCount:
    """Answers the terminal gave, counted as the input thread reads them (thread-safe)."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        """One more answer."""
        with self._lock:
            self.value += 1


#: Every frame question the terminal has answered in this process.
ANSWERS = AnswerCount()
#: The longest the reader waits, when it quits, for answers still on their way (seconds).
EXIT_WAIT = 1.0
#: A terminal's answer to Primary Device Attributes (``ESC [ ? 62 ; 22 c``): a frame arrived.
_DEVICE_ATTRIBUTES = re.compile(r"\x1b\[\?[0-9;]*c")


class BurstSafeParser(XTermParser):
    """Textual's input parser, given what the terminal sent cut where keys end.

    (See :mod:`tuireader.widgets.terminal_input`.) A lone Escape is handed over as the Escape
    key at once, as Textual's own parser does when nothing follows it for ESCAPE_DELAY: its
    timeout is made due now. An unfinished sequence at the end of a read waits for the next
    read, or for ESCAPE_DELAY (then it was typed: an Escape, and its characters as keys).
    """

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._rest = ""
        self._rest_since = 0.0
        self._in_paste = False

    def feed(self, data: str) -> Iterable[Message]:
        """Parse ``data`` (see the class's docstring); ``""`` is the end of the input."""
        if not data:
            yield from self._give_up_rest()
            yield from super().feed(data)
            return
        split = split_input(self._rest + data, _parser_knows, self._in_paste)
        self._rest, self._in_paste = split.rest, split.in_paste
        self._rest_since = get_time()
        for kind, piece in split.pieces:
            if kind is Cut.TEXT:
                yield from super().feed(piece)
            elif kind is Cut.ESCAPE:
                yield from self._escape_key()
            elif _DEVICE_ATTRIBUTES.fullmatch(piece):
                ANSWERS.add()
                yield TerminalAnswered()

    def tick(self) -> Iterable[Message]:
        """Check for timeouts: an unfinished sequence left for ESCAPE_DELAY was typed."""
        if self._rest and get_time() - self._rest_since >= constants.ESCAPE_DELAY:
            yield from self._give_up_rest()
        yield from super().tick()

    def _give_up_rest(self) -> Iterable[Message]:
        rest, self._rest = self._rest, ""
        if not rest:
            return
        if self._in_paste or not rest.startswith(ESC):
            yield from super().feed(rest)
            return
        yield from self._escape_key()
        if rest[1:]:
            yield from self.feed(rest[1:])

    def _escape_key(self) -> Iterable[Message]:
        """The Escape key: an ESC, and the parser's wait for more made due now."""
        yield from super().feed(ESC)
        self._timeout_time = get_time() - 1.0
        yield from super().tick()


def install_burst_safe_parser() -> None:
    """Make Textual's Linux driver read keys with :class:`BurstSafeParser` (idempotent)."""
    linux_driver.XTermParser = BurstSafeParser  # type: ignore[misc]


# -- bytes on the wire --------------------------------------------------------------------------
class TerminalAnswered(Message):
    """The terminal answered a frame's question (see :mod:`tuireader.widgets.frame_pacer`)."""


class WireApp(App[ReturnType], Generic[ReturnType]):
    """An App whose frames send only the cells that changed (see
    :mod:`tuireader.widgets.wire_screen`), paced by the terminal's answers (see
    :mod:`tuireader.widgets.frame_pacer`). Textual's own frame is every segment of each changed
    region with its whole style, set and reset, written however fast the link drains it.

    Textual hands ``_display`` the compositor's update (a full layout or the changed chops);
    its pieces are painted into a :class:`WireScreen`, and the difference is written when the
    pacer lets it go (else on the terminal's next answer, or after PATIENCE at the latest).
    """

    wire: WireScreen | None = None
    pacer: FramePacer | None = None
    _pace_timer: Timer | None = None
    _answers_before = 0

    def redraw_terminal(self) -> None:
        """Send every cell again on the next frame (the terminal was drawn over: ctrl+l)."""
        if self.wire is not None:
            self.wire.forget()
        self.screen.refresh()

    def on_terminal_answered(self, message: TerminalAnswered) -> None:
        """The terminal has everything up to a frame's question: a held frame may go."""
        message.stop()
        if self.pacer is not None:
            self.pacer.answered()
            self._write_frame()

    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        driver = self._driver
        system = self.console._color_system
        if (
            not isinstance(renderable, LayoutUpdate | ChopsUpdate)
            or self.is_headless
            or system is None
            or driver is None
            or driver.is_inline
        ):
            super()._display(screen, renderable)
            return
        try:
            if self._batch_count or not self._running or self._closed:
                return
            if self.wire is None:
                self.wire, self.pacer = WireScreen(system), FramePacer()
                self._answers_before = ANSWERS.value
            self.wire.resize(*self.size)
            paint_update(self.wire, renderable)
            self._write_frame()
        finally:
            self.post_display_hook()

    def _write_frame(self) -> None:
        """Write the cells that changed, if the pacer lets them go now; else try again later."""
        wire, pacer, driver = self.wire, self.pacer, self._driver
        if wire is None or pacer is None or driver is None or not wire.pending:
            return
        now = time.monotonic()
        if not pacer.may_send(now):
            if self._pace_timer is None:
                self._pace_timer = self.set_timer(pacer.wait(now) + 0.01, self._after_patience)
            return
        cursor = self.screen.outer_size.clamp_offset(self.cursor_position)
        data = f"{wire.frame()}\x1b[{cursor.y + 1};{cursor.x + 1}H{PROBE}"
        self._begin_update()
        driver.write(data)
        self._end_update()
        driver.flush()
        pacer.sent(len(data.encode("utf-8", "replace")), now)

    async def _on_exit_app(self) -> None:
        """Wait (EXIT_WAIT at most) for the answers to frames still on their way before the
        terminal is handed back: an answer arriving after would be typed at the shell's prompt.
        (Textual hands it back, and stops reading it, as soon as this message loop ends.)"""
        pacer = self.pacer
        if pacer is not None and pacer.answers:
            deadline = time.monotonic() + EXIT_WAIT
            while (
                ANSWERS.value - self._answers_before < pacer.asked
                and time.monotonic() < deadline
            ):
                await asyncio.sleep(0.01)
        await super()._on_exit_app()

    def _after_patience(self) -> None:
        self._pace_timer = None
        self._write_frame()


def paint_update(wire: WireScreen, update: LayoutUpdate | ChopsUpdate) -> None:
    """Paint what a compositor update draws into ``wire``'s wanted cells."""
    for x, y, segments in update_pieces(update):
        wire.paint(x, y, segments)


def update_pieces(update: LayoutUpdate | ChopsUpdate) -> Iterable[tuple[int, int, list[Segment]]]:
    """The (x, y, segments) a compositor update draws, as its own ``render_segments`` does."""
    if isinstance(update, LayoutUpdate):
        x = update.region.x
        for y, line in enumerate(update.strips, update.region.y):
            segments: list[Segment] = []
            for part in line:
                segments.extend(part)
            yield x, y, segments
        return
    for y, x1, x2 in update.spans:
        for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            whole = x2 > x >= x1 and end <= x2
            yield x, y, list(strip if whole else strip.crop(0, min(end, x2) - x))
