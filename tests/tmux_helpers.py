"""Driving the reader through a real terminal: tmux via ../shared/tools/tui-drive.

Each Terminal gets a tmux socket of its own, and stop() ends that server and removes its socket.
Tests using it are skipped where tmux or the tool is missing (TMUX_MARKS).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TUI_DRIVE = Path(__file__).resolve().parents[2] / "shared" / "tools" / "tui-drive"

TMUX_MARKS = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not TUI_DRIVE.is_file(), reason=f"{TUI_DRIVE} is missing"),
]

#: Between keys that move focus or change screens (a burst can race the change in the app).
FOCUS_PAUSE = 0.2


class Terminal:
    """One tui-drive session on a socket of its own."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.env = {**os.environ, "TUI_DRIVE_SOCKET": f"tuireader-test-{uuid.uuid4().hex[:12]}"}

    def run(self, *args: str, check: bool = True, timeout: float = 30) -> str:
        result = subprocess.run(
            [sys.executable, str(TUI_DRIVE), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode:
            raise AssertionError(
                f"tui-drive {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stderr}\n--- screen ---\n{self.screen()}"
            )
        return result.stdout

    def start(self, *cmd: str, size: str = "100x30", env: dict[str, str] | None = None) -> None:
        extra = [f"--env={k}={v}" for k, v in (env or {}).items()]
        self.run("start", self.name, "--size", size, *extra, "--", *cmd)

    def wait(self, text: str, *, gone: bool = False, timeout: float = 10) -> None:
        self.run("wait", self.name, text, "--timeout", str(timeout), *(["--gone"] if gone else []))

    def keys(self, *keys: str) -> None:
        self.run("keys", self.name, *keys)

    def type(self, text: str) -> None:
        self.run("type", self.name, text)

    def screen(self, history: bool = False) -> str:
        result = subprocess.run(
            [sys.executable, str(TUI_DRIVE), "screen", self.name]
            + (["--history"] if history else []),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        return result.stdout

    def status(self, wait: float = 0) -> str:
        return self.run("status", self.name, "--wait", str(wait)).strip()

    def stop(self) -> None:
        """Stop our tmux server (its socket is ours alone) and remove the socket file it leaves."""
        self.run("stop", "--all", check=False)
        tmpdir = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (tmpdir / self.env["TUI_DRIVE_SOCKET"]).unlink(missing_ok=True)

    def start_reader(self, library: Path, home: Path, size: str = "100x30") -> None:
        """Start ``python -m tuireader --library LIBRARY`` with TUIREADER_HOME=HOME."""
        self.start(
            sys.executable,
            "-m",
            "tuireader",
            "--library",
            str(library),
            size=size,
            env={"TUIREADER_HOME": str(home), "PYTHONPATH": str(REPO)},
        )
