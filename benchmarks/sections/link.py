"""The relay of a slow link: a program in a pty whose output reaches the terminal side through a
link of a given rate and latency, with or without backpressure on the program (``LinkSession``).

The model, and what is measured with it, is described in benchmarks/sections/slow_link.py.
"""

from __future__ import annotations

import bisect
import fcntl
import heapq
import os
import pty
import struct
import termios
import threading
import time
import tty
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.sections.pty_session import PtySession

LINK_RATE = 50_000.0
ONE_WAY = 0.075
#: The variant of 150 ms each way (300 ms round trip).
FAR_ONE_WAY = 0.150
#: The most the throttled relay reads at a time (20 ms of the link).
RELAY_CHUNK = 1024
QUIET = 0.5
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_ANSWER = b"\x1b[?2026;2$y"
SYNC_START = b"\x1b[?2026h"


@dataclass(frozen=True, slots=True)
class Link:
    """A link from the program to the terminal: ``rate`` bytes a second (None: unthrottled),
    ``one_way`` seconds of latency each way; ``eager``: the relay reads all it can at once."""

    rate: float | None
    one_way: float
    eager: bool = False
    label: str = ""


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
        self._arrives = 0.0
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
        self._arrives = arrives
        return chunk

    def answer(self, data: bytes) -> None:
        """Answer the questions of the chunk just read when it reaches the terminal, the
        answer one way back (the reader thread calls this right after :meth:`read_chunk`)."""
        self._later.at(self._arrives + self.link.one_way, data)

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
