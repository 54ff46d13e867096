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
  writes is bracketed by ``CSI ? 2026 h`` ... ``l`` and frames can be counted. It answers no
  other query (as benchmarks/sections/wire.py's terminal).
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

import bisect
import fcntl
import heapq
import os
import pty
import re
import struct
import tempfile
import termios
import threading
import time
import tty
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyte

from benchmarks.bench import TUIREADER, Bench, fmt_size
from benchmarks.sections.pty_session import PtySession

SIZE = (120, 40)
PAPERS = 1_000
LINK_RATE = 50_000.0
ONE_WAY = 0.075
REPEAT_RATE = 30.0
HOLD = 2.0
HOLD_KEYS = round(HOLD * REPEAT_RATE)
#: The most the throttled relay reads at a time (20 ms of the link).
RELAY_CHUNK = 1024
QUIET = 0.5
CURSOR_GLYPH = "▌"
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_ANSWER = b"\x1b[?2026;2$y"
SYNC_START = b"\x1b[?2026h"
_DATE = re.compile(r"\s\d{4}-\d{2}-\d{2}(\s|$)")


@dataclass(frozen=True, slots=True)
class Link:
    """A link from the program to the terminal: ``rate`` bytes a second (None: unthrottled),
    ``one_way`` seconds of latency each way; ``eager``: the relay reads all it can at once."""

    rate: float | None
    one_way: float
    eager: bool = False
    label: str = ""


DIRECT = Link(None, 0.0, label="direct")
THROTTLED = Link(LINK_RATE, ONE_WAY)
EAGER = Link(LINK_RATE, ONE_WAY, eager=True, label="eager relay")
FAR = Link(LINK_RATE, 2 * ONE_WAY, label="150 ms each way")


def pending(fd: int) -> int:
    """Bytes waiting to be read on ``fd`` (FIONREAD)."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


def pty_capacity() -> int:
    """How many bytes a program can write into a pty nobody reads before write() would block."""
    master, slave = pty.openpty()
    try:
        tty.setraw(slave)
        os.set_blocking(slave, False)
        total = 0
        try:
            while True:
                total += os.write(slave, b"x" * 1024)
        except BlockingIOError:
            return total
    finally:
        os.close(slave)
        os.close(master)


class _Later(threading.Thread):
    """Writes bytes to the program at given times (keys and answers, after the link's latency)."""

    def __init__(self, session: PtySession) -> None:
        super().__init__(daemon=True)
        self._session = session
        self._due: list[tuple[float, int, bytes]] = []
        self._wake = threading.Condition()
        self._stopped = False

    def at(self, when: float, data: bytes) -> None:
        """Write ``data`` at monotonic time ``when``."""
        with self._wake:
            heapq.heappush(self._due, (when, len(self._due), data))
            self._wake.notify()

    def run(self) -> None:
        while True:
            with self._wake:
                while not self._stopped and (
                    not self._due or self._due[0][0] > time.monotonic()
                ):
                    timeout = self._due[0][0] - time.monotonic() if self._due else None
                    self._wake.wait(timeout)
                if self._stopped:
                    return
                data = heapq.heappop(self._due)[2]
            try:
                os.write(self._session.fd, data)
            except OSError:
                return

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()


class LinkSession(PtySession):
    """A program in a pty whose output reaches the terminal through ``link`` (see the module)."""

    def __init__(
        self, argv: Sequence[str], size: tuple[int, int], env: dict[str, str], link: Link
    ) -> None:
        self.link = link
        #: (when a chunk reaches the terminal side, total bytes delivered by then).
        self.deliveries: list[tuple[float, int]] = []
        #: The most bytes seen waiting in the pty when the throttled relay came to read.
        self.pending_max = 0
        self._link_free = 0.0
        self._delivered = 0
        self._tail = b""
        self._later = _Later(self)
        super().__init__(argv, size, env)
        self._later.start()

    def read_chunk(self) -> bytes:
        """Read as the link allows; note when the bytes reach the terminal side."""
        link = self.link
        if link.rate is None or link.eager:
            chunk = os.read(self.fd, 65536)
        else:
            wait = self._link_free - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self.pending_max = max(self.pending_max, pending(self.fd))
            chunk = os.read(self.fd, RELAY_CHUNK)
        now = time.monotonic()
        done = now
        if link.rate is not None:
            done = self._link_free = max(now, self._link_free) + len(chunk) / link.rate
        arrives = done + link.one_way
        with self._lock:
            self._delivered += len(chunk)
            self.deliveries.append((arrives, self._delivered))
        if SYNC_QUERY in self._tail + chunk:
            self._later.at(arrives + link.one_way, SYNC_ANSWER)
        self._tail = chunk[-len(SYNC_QUERY) :]
        return chunk

    def send(self, data: bytes) -> None:
        """Type ``data`` now: it reaches the program one way later."""
        self._later.at(time.monotonic() + self.link.one_way, data)

    def type_at(self, when: float, data: bytes) -> None:
        """Type ``data`` at monotonic time ``when``."""
        self._later.at(when + self.link.one_way, data)

    def settle(self, idle: float = QUIET, timeout: float = 60.0) -> float:
        """Wait until nothing has been read nor delivered for ``idle`` seconds; returns when the
        last byte reached the terminal side. Raises TimeoutError after ``timeout``."""
        start = time.monotonic()
        while True:
            with self._lock:
                read = self.times[-1][0] if self.times else start
                arrived = self.deliveries[-1][0] if self.deliveries else start
            now = time.monotonic()
            if now - max(read, arrived, start) >= idle:
                return arrived
            if now - start > timeout:
                raise TimeoutError("the program never stopped writing")
            time.sleep(0.01)

    def delivered_by(self, when: float) -> int:
        """Bytes that had reached the terminal side at ``when``."""
        with self._lock:
            index = bisect.bisect_right(self.deliveries, (when, float("inf")))
            return self.deliveries[index - 1][1] if index else 0

    def read_by(self, when: float) -> int:
        """Bytes the relay had read from the pty at ``when``."""
        with self._lock:
            index = bisect.bisect_right(self.times, (when, float("inf")))
            return self.times[index - 1][1] if index else 0

    def close(self) -> None:
        self._later.stop()
        super().close()


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
    #: Bytes the program wrote from the first key on.
    written: int
    #: At the release: bytes written but not delivered (in the pty, and read but still on the
    #: link or in the relay's buffer); bytes that reached the terminal after the release.
    backlog_pty: int
    backlog_link: int
    after_release: int
    frames: int
    pending_max: int
    lines: list[str]

    @property
    def backlog(self) -> int:
        return self.backlog_pty + self.backlog_link

    @property
    def per_frame(self) -> float:
        return self.written / self.frames if self.frames else float("nan")


def reader_argv(library: Path) -> list[str]:
    """The reader on ``library``."""
    return [str(TUIREADER), "--library", str(library)]


def reader_env(home: Path) -> dict[str, str]:
    """The reader's environment: a terminal of TERM=xterm-256color, its home in ``home``."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "TMUX", "NO_COLOR")}
    env.update(TERM="xterm-256color", TUIREADER_HOME=str(home), LANG="C.UTF-8")
    return env


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
        backlog_pty = pending(session.fd)
        # (read_by may still grow for a moment after ``release``: it is looked up by time.)
        time.sleep(0.02)
        last = session.settle()
        data = session.since(mark)
        delivered = session.delivered_by(release)
        return Hold(
            keys=count,
            catch_up=last - release,
            written=len(data),
            backlog_pty=backlog_pty,
            backlog_link=session.read_by(release) - delivered,
            after_release=session.mark() - delivered,
            frames=data.count(SYNC_START),
            pending_max=session.pending_max,
            lines=screen_text(session.since(0)),
        )


def _expected_title(library: Path, places: int) -> str:
    """The title of the paper ``places`` down the reader's first list (or of the last one)."""
    from tuireader.library import Library
    from tuireader.textsafe import one_line

    with Library.open(library, readonly=True) as opened:
        ids = opened.ordered_ids("date")
        paper = opened.get_papers([ids[min(places, len(ids) - 1)]])[0]
    return one_line(paper.title)


def _measure(bench: Bench, shown: int, library: Path) -> None:
    title = _expected_title(library, HOLD_KEYS)
    with tempfile.TemporaryDirectory() as home:
        reference = reference_lines(reader_argv(library), reader_env(Path(home)), b"j", HOLD_KEYS)
    if not cursor_on(reference, title):
        bench.log(f"slow link: the reference screen's cursor is not on {title!r}")
    name = f"slow link: catch-up after holding j {HOLD:g} s"
    for link in (THROTTLED, EAGER, FAR):
        with tempfile.TemporaryDirectory() as home:
            run = hold(reader_argv(library), reader_env(Path(home)), link)
        suffix = f", {link.label}" if link.label else ""
        right = run.lines == reference and cursor_on(run.lines, title)
        bench.report(
            shown, name + suffix, run.catch_up * 1000, "ms",
            f"{run.keys} keys, {run.frames} frames, {run.per_frame / 1024:.1f} KB a frame;"
            f" backlog at release {run.backlog / 1024:.0f} KB ({run.backlog_pty / 1024:.0f} KB"
            f" in the pty, {run.backlog_link / 1024:.0f} KB on the link),"
            f" {run.after_release / 1024:.0f} KB delivered after it",
        )
        bench.report(shown, f"slow link{suffix}: backlog at release", run.backlog / 1024, "KB")
        bench.report(shown, f"slow link{suffix}: bytes written while holding j",
                     run.written / 1024, "KB", f"{run.keys} keys sent")
        bench.report(shown, f"slow link{suffix}: frames for {run.keys} keys", run.frames, "")
        bench.report(
            shown, f"slow link{suffix}: final screen right", float(right), "yes",
            "cursor and text as the reference" if right else _wrong(run.lines, reference, title),
        )
        if link is THROTTLED:
            bench.log(f"slow link: at most {run.pending_max} bytes seen waiting in the pty;"
                      f" a pty holds {pty_capacity()} bytes nobody reads")


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
