"""A slow link stays usable (issue 18): ``j`` held for two seconds over a link of 50 KB/s and
150 ms of round-trip latency builds no backlog; the screen catches up within 300 ms of the key's
release, and the final screen is right.

The model of the link (``Link``, ``LinkSession``):

* The reader runs in a pty of SIZE (120x40, TERM=xterm-256color) on a library of PAPERS papers,
  its home a fresh folder (so it opens at the top of the list).
* A relay thread reads the pty's master side and carries the bytes to the "terminal side" through
  a link of ``rate`` bytes a second (LINK_RATE = 50,000 B/s), first in first out: a chunk of n
  bytes leaves the link n/rate seconds after the one before it has (or after it was read, if the
  link was idle), and reaches the terminal ``one_way`` seconds later (ONE_WAY = 75 ms: the
  150 ms round trip split evenly; a variant has 150 ms each way).
* Throttled relay (the main figure): the relay reads at most RELAY_CHUNK bytes, and only when the
  link has carried what it read before. What the program writes meanwhile waits in the pty's
  buffer; once that is full the program's write() blocks, as it would behind a full ssh channel
  or TCP window.
* Eager relay (a variant): the relay reads everything at once into an unbounded buffer before the
  link, as sshd does with a large channel window: the program never blocks, the backlog waits in
  the relay.
* The user's keys reach the program ``one_way`` after they are typed. The terminal side answers
  the program's query for synchronized output (``CSI ? 2026 $ p``: supported, as most terminals
  people ssh from do; the answer travels back with the same latency), so every frame Textual
  writes is bracketed by ``CSI ? 2026 h`` ... ``l`` and frames can be counted. It answers
  Primary Device Attributes (``CSI c``, which every terminal answers; the reader ends each frame
  with it and paces its frames by the answers) when the question reaches it, the answer
  travelling back with the same latency; no other query.
* Holding ``j``: autorepeat at REPEAT_RATE (30 keys a second, one ``j`` every 33 ms, the first at
  t=0) for HOLD seconds: HOLD_KEYS keys. The release is when the user sends the last one.
* Catch-up: from the release to when the last byte of the final frame reaches the terminal side
  (the program then stays quiet for QUIET seconds). Its floor is the round trip plus the time the
  last frame takes to cross the link (8 KB at 50 KB/s: 160 ms).
* The final screen is right when the delivered bytes, fed to a VT emulator (pyte), show the
  cursor on the paper HOLD_KEYS places down (or the last one) and the same text as a reference
  screen: the same keys sent one at a time, each once the last frame was done, through an
  unthrottled pty with no latency (``DIRECT``).
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyte

from benchmarks.bench import TUIREADER, Bench, fmt_size
from benchmarks.sections.link import (
    FAR_ONE_WAY,
    LINK_RATE,
    ONE_WAY,
    SYNC_START,
    Link,
    LinkSession,
    pending,
    pty_capacity,
)
from benchmarks.sections.pty_session import terminal_env

SIZE = (120, 40)
PAPERS = 1_000
REPEAT_RATE = 30.0
HOLD = 2.0
HOLD_KEYS = round(HOLD * REPEAT_RATE)
CURSOR_GLYPH = "▌"
#: The links measured: the throttled relay (the target's), the eager one, and 150 ms each way.
DIRECT = Link(None, 0.0, label="direct")
THROTTLED = Link(LINK_RATE, ONE_WAY)
EAGER = Link(LINK_RATE, ONE_WAY, eager=True, label="eager relay")
FAR = Link(LINK_RATE, FAR_ONE_WAY, label="150 ms each way")
_DATE = re.compile(r"\s\d{4}-\d{2}-\d{2}(\s|$)")


def screen_text(data: bytes, size: tuple[int, int] = SIZE) -> list[str]:
    """The text a VT emulator shows after ``data``, line by line."""
    screen = pyte.Screen(*size)
    pyte.ByteStream(screen).feed(data)
    return list(screen.display)


def cursor_on(lines: Sequence[str], title: str) -> bool:
    """Whether the one row the list's cursor is on shows ``title`` (as far as it fits)."""
    rows = [line for line in lines if line.startswith(CURSOR_GLYPH)]
    if len(rows) != 1:
        return False
    date = _DATE.search(rows[0])
    if date is None:
        return False
    shown = rows[0][: date.start()].rstrip().removesuffix("…")
    start = shown.find(title[:10])
    return start >= 0 and title.startswith(shown[start:]) and len(shown) - start >= min(10, len(title))


@dataclass(slots=True)
class Hold:
    """What holding a key over a link did."""

    keys: int
    #: Seconds from the release to the last byte of the final frame reaching the terminal.
    catch_up: float
    #: What the program wrote from the first key on.
    output: bytes
    #: The backlog at the release: every byte the terminal side had still to receive then (it
    #: came after the release), and of those, how many sat in the pty (FIONREAD: it sees only
    #: the line discipline's 4 KB) and on the link or in the relay's buffer. The rest was still
    #: inside the program (Textual's writer queue, or frames not yet drawn).
    backlog: int
    backlog_pty: int
    backlog_link: int
    #: The most bytes the throttled relay saw waiting in the pty.
    pending_max: int
    lines: list[str]

    @property
    def frames(self) -> int:
        """Frames written (each bracketed by synchronized output)."""
        return self.output.count(SYNC_START)

    @property
    def per_frame(self) -> float:
        return len(self.output) / self.frames if self.frames else float("nan")

    @property
    def in_program(self) -> int:
        return self.backlog - self.backlog_pty - self.backlog_link


def reader_argv(library: Path) -> list[str]:
    """The reader on ``library``."""
    return [str(TUIREADER), "--library", str(library)]


def _ready(session: LinkSession) -> None:
    session.wait_for(b"papers", timeout=30)
    session.settle(0.6)


def reference_lines(argv: Sequence[str], env: dict[str, str], key: bytes, count: int) -> list[str]:
    """The screen after ``count`` ``key``s sent one at a time (each once the last frame is done)
    through an unthrottled pty with no latency."""
    with LinkSession(argv, SIZE, env, DIRECT) as session:
        _ready(session)
        for _ in range(count):
            session.send(key)
            session.settle(0.25)
        return screen_text(session.since(0))


def hold(
    argv: Sequence[str], env: dict[str, str], link: Link, key: bytes = b"j",
    count: int = HOLD_KEYS,
) -> Hold:
    """Hold ``key`` (``count`` keys at REPEAT_RATE) over ``link`` once the first screen is in."""
    with LinkSession(argv, SIZE, env, link) as session:
        _ready(session)
        mark = session.mark()
        start = time.monotonic() + 0.05
        for index in range(count):
            session.type_at(start + index / REPEAT_RATE, key)
        release = start + (count - 1) / REPEAT_RATE
        time.sleep(max(0.0, release - time.monotonic()))
        in_pty = pending(session.fd)
        last = session.settle()
        delivered = session.delivered_by(release)
        return Hold(
            keys=count,
            catch_up=last - release,
            output=session.since(mark),
            backlog=session.mark() - delivered,
            backlog_pty=in_pty,
            backlog_link=session.read_by(release) - delivered,
            pending_max=session.pending_max,
            lines=screen_text(session.since(0)),
        )


def title_at(library: Path, places: int) -> str:
    """The title of the paper ``places`` down the reader's first list (or of the last one)."""
    from tuireader.library import Library
    from tuireader.textsafe import one_line

    with Library.open(library, readonly=True) as opened:
        ids = opened.ordered_ids("date")
        paper = opened.get_papers([ids[min(places, len(ids) - 1)]])[0]
    return one_line(paper.title)


def _report(bench: Bench, shown: int, link: Link, run: Hold, right: bool, why: str) -> None:
    suffix = f", {link.label}" if link.label else ""
    kb = 1024
    bench.report(
        shown, f"slow link: catch-up after holding j {HOLD:g} s{suffix}", run.catch_up * 1000,
        "ms", f"{run.keys} keys, {run.frames} frames of {run.per_frame / kb:.1f} KB",
    )
    bench.report(
        shown, f"slow link{suffix}: backlog at release", run.backlog / kb, "KB",
        f"{run.backlog_pty / kb:.0f} KB in the pty, {run.backlog_link / kb:.0f} KB on the link"
        f" or in the relay, {run.in_program / kb:.0f} KB still in the reader",
    )
    bench.report(shown, f"slow link{suffix}: bytes written while holding j",
                 len(run.output) / kb, "KB", f"{run.keys} keys sent")
    bench.report(shown, f"slow link{suffix}: frames for {run.keys} keys", run.frames, "")
    bench.report(shown, f"slow link{suffix}: final screen right", float(right), "yes", why)


def _measure(bench: Bench, shown: int, library: Path) -> None:
    title = title_at(library, HOLD_KEYS)
    with tempfile.TemporaryDirectory() as home:
        reference = reference_lines(reader_argv(library), terminal_env(Path(home)), b"j", HOLD_KEYS)
    if not cursor_on(reference, title):
        bench.log(f"slow link: the reference screen's cursor is not on {title!r}")
    for link in (THROTTLED, EAGER, FAR):
        with tempfile.TemporaryDirectory() as home:
            run = hold(reader_argv(library), terminal_env(Path(home)), link)
        right = run.lines == reference and cursor_on(run.lines, title)
        why = "cursor and text as the reference" if right else _wrong(run.lines, reference, title)
        _report(bench, shown, link, run, right, why)
        if link is THROTTLED:
            bench.log(f"slow link: at most {run.pending_max} bytes seen waiting in the pty"
                      f" (FIONREAD); a pty takes {pty_capacity()} bytes before write() blocks")


def _wrong(lines: list[str], reference: list[str], title: str) -> str:
    differ = [row for row, (a, b) in enumerate(zip(lines, reference, strict=True)) if a != b]
    cursor = "cursor right" if cursor_on(lines, title) else f"cursor not on {title!r}"
    return f"{cursor}; rows {differ[:8]} differ from the reference"


def section_slow_link(bench: Bench, size: int) -> None:
    """Runs once per benchmark run (reported at PAPERS)."""
    if "slow_link" in bench.done:
        return
    bench.done.add("slow_link")
    shown = min(size, PAPERS)
    try:
        _measure(bench, shown, bench.library(shown))
    except TimeoutError as error:
        bench.log(f"{fmt_size(shown)}  slow_link: FAILED, no figures: {error}")
        bench.failures.append(f"{fmt_size(shown)} slow_link")
