"""Keypress -> screen latency through a tmux control-mode client, without a process per poll.

``tui-drive keys --until`` starts a tmux client to send the key (a fork and exec, while the clock
runs) and then forks another one for every look at the screen, every 10 ms: on this machine a
Textual app that only echoes the key measures 14-17 ms p50 that way, against 4-6 ms here. That
difference is the harness's, not the app's. Here one client, attached to the session in control
mode (``tmux -C``, the protocol terminal emulators such as iTerm2 use), takes the commands: the
key is sent and the screen read over its pipe, every POLL seconds, so the time is taken when the
text is on tmux's screen, to about a millisecond. The client asks tmux for no ``%output``: unread
between two keys, the program's output would pile up for it (tmux then holds the pane back, and
the program stalls).
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Callable

#: How often the screen is read while waiting (seconds): ~0.2 ms of tmux's time each.
POLL = 0.001


class ControlError(RuntimeError):
    """The control client failed: tmux refused a command, timed out, or the session ended."""


class ControlClient:
    """A tmux control-mode client attached to one session (its size ignored, read and write)."""

    def __init__(self, socket: str, session: str) -> None:
        self.session = session
        self._proc = subprocess.Popen(
            [
                "tmux",
                "-L",
                socket,
                "-f",
                "/dev/null",
                "-C",
                "attach-session",
                "-t",
                f"={session}",
                "-f",
                "ignore-size,no-output",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._in = self._proc.stdin
        self._out = self._proc.stdout.fileno()
        self._buffer = b""

    def close(self) -> None:
        """Detach (the session goes on)."""
        try:
            self._in.close()
            self._proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self._proc.kill()
            self._proc.wait()

    def _line(self, deadline: float) -> str | None:
        """The next line from tmux, None if nothing came before ``deadline``."""
        while b"\n" not in self._buffer:
            wait = deadline - time.perf_counter()
            if wait <= 0 or not select.select([self._out], [], [], wait)[0]:
                return None
            chunk = os.read(self._out, 1 << 16)
            if not chunk:
                raise ControlError(f"tmux control client for {self.session!r} ended")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        text = line.decode("utf-8", "replace")
        if text.startswith("%exit"):
            raise ControlError(f"tmux ended the control client: {text}")
        return text

    def command(self, command: str, timeout: float = 10) -> list[str]:
        """Run one tmux command; its output lines.

        Notifications in between are skipped, and so are answers tmux gives to commands this
        client did not send (``%begin TIME NUMBER 0``: the attach itself, answered when tmux
        gets to it, possibly after the first command written here).
        """
        self._in.write(command.encode() + b"\n")
        deadline = time.perf_counter() + timeout
        lines: list[str] | None = None
        block = ""  # "TIME NUMBER FLAGS" of the answer being read: its %end repeats them
        while True:
            line = self._line(deadline)
            if line is None:
                raise ControlError(f"no answer to {command!r} within {timeout} s")
            if not block:
                if line.startswith("%begin "):
                    block = line.removeprefix("%begin ")
                    lines = [] if block.endswith(" 1") else None
            elif line in (f"%end {block}", f"%error {block}"):
                if lines is None:
                    block = ""  # (an answer to another client's command: skipped)
                    continue
                if line.startswith("%error"):
                    raise ControlError(f"tmux refused {command!r}: {' '.join(lines)}")
                return lines
            elif lines is not None:
                lines.append(line)

    def screen(self) -> str:
        """The pane's text, as ``tui-drive screen`` gives it."""
        return "\n".join(self.command(f"capture-pane -p -t ={self.session}:")) + "\n"

    def press(
        self, keys: str, done: Callable[[str], bool], *, literal: bool, timeout: float
    ) -> float:
        """Send ``keys`` (tmux key names, or text if ``literal``); seconds until ``done(screen)``."""
        flag = "-l " if literal else ""
        send = f"send-keys -t ={self.session}: {flag}{_quoted(keys)}"
        start = time.perf_counter()
        self.command(send, timeout)
        deadline = start + timeout
        while True:
            if done(self.screen()):
                return time.perf_counter() - start
            time.sleep(POLL)
            if time.perf_counter() > deadline:
                raise ControlError(f"the screen did not show it within {timeout} s after {keys!r}")


def _quoted(text: str) -> str:
    """``text`` as one argument of a tmux command (single quotes, as in sh)."""
    return "'" + text.replace("'", "'\\''") + "'"
