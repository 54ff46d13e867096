"""End to end through a real terminal: the reader in tmux, driven by keys like a person would.

Uses ../shared/tools/tui-drive (a tmux wrapper on a private socket); skipped when tmux or the
tool is missing. Each test gets its own tmux socket, and the tmux server is always stopped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.app_helpers import QFERRY, build_library, paper_id
from tuireader.library import Library

REPO = Path(__file__).resolve().parents[1]
TUI_DRIVE = Path(__file__).resolve().parents[2] / "shared" / "tools" / "tui-drive"

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not TUI_DRIVE.is_file(), reason=f"{TUI_DRIVE} is missing"),
]

#: Between keys that move focus (a burst can race the focus change in the app).
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

    def screen(self) -> str:
        result = subprocess.run(
            [sys.executable, str(TUI_DRIVE), "screen", self.name],
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


def test_search_star_tag_and_quit_in_a_real_terminal(tmp_path: Path):
    library = build_library(tmp_path)
    home = tmp_path / "home"
    term = Terminal("tuireader-e2e")
    try:
        term.start(
            sys.executable,
            "-m",
            "tuireader",
            "--library",
            str(library),
            size="100x30",
            env={"TUIREADER_HOME": str(home), "PYTHONPATH": str(REPO)},
        )
        term.wait("Self-Correcting Agents via GPTs", timeout=20)
        term.wait("14 of 14 papers")

        # Search: / focuses the search line, typing refilters, Enter returns to the list.
        term.keys("/")
        time.sleep(FOCUS_PAUSE)
        term.type("quant")
        term.wait("3 of 14 papers")
        term.keys("Enter")
        time.sleep(FOCUS_PAUSE)

        # Star the first result.
        term.keys("s")
        term.wait("starred 1 paper")

        # Tag it in the tag editor.
        term.keys("t")
        term.wait("Tags for: " + QFERRY)
        time.sleep(FOCUS_PAUSE)
        term.type("e2e")
        term.keys("Enter")
        term.wait("#e2e")
        term.keys("Escape")
        term.wait("Tags for:", gone=True)
        time.sleep(FOCUS_PAUSE)
        term.wait("tags: #e2e #quantisation")  # the abstract pane, back on the main screen

        term.keys("q")
        assert term.status(wait=10) == "exited 0", term.screen()
    finally:
        term.stop()

    with Library.open(library) as other:
        ids = {row.title: row for row in other.rows(other.find_ids([]))}
        row = ids[QFERRY]
        assert row.starred
        assert sorted(row.tags) == ["e2e", "quantisation"]
        assert other.counts()["starred"] == 2  # Lantern's star from the fixture, and this one
    # q also saved where we were, in the state folder under TUIREADER_HOME.
    states = list(home.rglob("*.json"))
    assert states, f"no state file under {home}"
    saved = json.loads(states[0].read_text(encoding="utf-8"))
    entry = saved["libraries"][str(library.resolve())]
    assert entry["query"] == "quant"
    assert entry["cursor_paper"] == paper_id(library, QFERRY)
