"""A program in a pseudo-terminal of a given size, every byte it writes counted (and optionally
delivered through a slow link): what an ssh session carries from the program to the terminal.

``PtySession`` starts ``argv`` on the slave side of a new pty (a session of its own, the pty its
controlling terminal, TERM as given), reads the master side in a thread (``read_chunk``, which a
subclass may slow down: benchmarks/sections/slow_link.py) and keeps every byte with the time it
was read. ``quiet()`` waits until the program has written nothing for a while (a frame is done);
``mark()``/``since()`` count the bytes of one step.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import signal
import struct
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from tuireader.widgets.frame_pacer import PROBE

#: The question the reader ends each frame with (a terminal answers it: DEVICE_ATTRIBUTES).
_QUESTION = PROBE.encode()


def terminal_env(home: Path) -> dict[str, str]:
    """This process's environment as a terminal of TERM=xterm-256color would give it (no tmux, no
    COLORTERM, no NO_COLOR), the reader's home in ``home``."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "TMUX", "NO_COLOR")}
    env.update(TERM="xterm-256color", TUIREADER_HOME=str(home), LANG="C.UTF-8")
    env.pop("FZF_DEFAULT_OPTS", None)
    return env


class PtySession:
    """One program in a pty of ``size`` (columns, rows)."""

    def __init__(self, argv: Sequence[str], size: tuple[int, int], env: dict[str, str]) -> None:
        self.size = size
        self.data = bytearray()
        self.times: list[tuple[float, int]] = []  # (when, total bytes by then)
        self._lock = threading.Lock()
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its terminal
            columns, rows = size
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.execvpe(argv[0], list(argv), env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    #: A terminal answers Primary Device Attributes (the reader ends each frame with the
    #: question, ``ESC [ c``, and paces its frames by the answers).
    DEVICE_ATTRIBUTES = b"\x1b[?62;22c"

    def _read(self) -> None:
        tail = b""
        while True:
            try:
                chunk = self.read_chunk()
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.data.extend(chunk)
                self.times.append((time.monotonic(), len(self.data)))
            self.on_output(chunk)
            questions = (tail + chunk).count(_QUESTION)
            tail = chunk[-(len(_QUESTION) - 1) :]
            if questions:
                self.answer(self.DEVICE_ATTRIBUTES * questions)

    def answer(self, data: bytes) -> None:
        """The terminal's answer to a question the program asked (sent back at once here;
        a slow link's session delays it as it delays keys)."""
        with contextlib.suppress(OSError):
            os.write(self.fd, data)

    def read_chunk(self) -> bytes:
        """Read (blocking, in the reader thread) what the program wrote; b"" at its end.

        Reads all there is, at once. A subclass may read less, or later (a slow link does)."""
        return os.read(self.fd, 65536)

    def on_output(self, chunk: bytes) -> None:
        """Called (in the reader thread) with each chunk read (subclasses act)."""

    def send(self, data: bytes) -> None:
        """Type ``data`` (one write: the keys arrive together)."""
        os.write(self.fd, data)

    def mark(self) -> int:
        """The byte count so far (to count a step's bytes with :meth:`since`)."""
        with self._lock:
            return len(self.data)

    def since(self, mark: int) -> bytes:
        """The bytes written since ``mark``."""
        with self._lock:
            return bytes(self.data[mark:])

    def quiet(self, idle: float = 0.3, timeout: float = 20.0) -> float:
        """Wait until nothing has been written for ``idle`` seconds; returns when the last byte
        came (monotonic seconds). Raises TimeoutError after ``timeout``."""
        start = time.monotonic()
        while True:
            with self._lock:
                last = self.times[-1][0] if self.times else start
            now = time.monotonic()
            if now - max(last, start) >= idle:
                return last
            if now - start > timeout:
                raise TimeoutError("the program never stopped writing")
            time.sleep(0.01)

    def wait_for(self, text: bytes, timeout: float = 20.0, since: int = 0) -> None:
        """Wait until ``text`` appears in what was written after ``since``."""
        deadline = time.monotonic() + timeout
        while text not in self.since(since):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} never appeared")
            time.sleep(0.01)

    def close(self) -> None:
        """End the program (SIGTERM, then SIGKILL) and the pty."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                break
            for _ in range(50):
                if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                    break
                time.sleep(0.02)
            else:
                continue
            break
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def __enter__(self) -> PtySession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
