"""End to end through a real terminal: marks, a bulk read and its undo, checked in the file.

The reader runs in tmux (through ../shared/tools/tui-drive, on a tmux socket of this test's own)
and is driven by keys; the library file is read by a second connection while the reader is still
running (WAL lets a reader in beside the writer). Skipped when tmux or the tool is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.app_helpers import AGENTS, KESTREL, WHISKER, build_library
from tuireader.library import Library

REPO = Path(__file__).resolve().parents[1]
TUI_DRIVE = Path(__file__).resolve().parents[2] / "shared" / "tools" / "tui-drive"

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not TUI_DRIVE.is_file(), reason=f"{TUI_DRIVE} is missing"),
]

#: Between keys that change focus or screens (a burst can race the change in the app).
PAUSE = 0.2


class Session:
    """One tui-drive session, on a tmux socket no other test or person uses."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.env = {**os.environ, "TUI_DRIVE_SOCKET": f"tuireader-bulk-{uuid.uuid4().hex[:12]}"}

    def drive(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            [sys.executable, str(TUI_DRIVE), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if check and result.returncode:
            raise AssertionError(
                f"tui-drive {' '.join(args)} failed ({result.returncode}):\n{result.stderr}"
                f"\n--- screen ---\n{self.screen()}"
            )
        return result.stdout

    def screen(self) -> str:
        return self.drive("screen", self.name, check=False)

    def wait(self, text: str, timeout: float = 10) -> None:
        self.drive("wait", self.name, text, "--timeout", str(timeout))

    def keys(self, *keys: str) -> None:
        self.drive("keys", self.name, *keys)

    def stop(self) -> None:
        """Stop this test's tmux server (the socket is ours alone) and remove its socket file."""
        self.drive("stop", "--all", check=False)
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / self.env["TUI_DRIVE_SOCKET"]).unlink(missing_ok=True)


def read_flags(path: Path) -> dict[str, bool]:
    """Title -> read, through a connection of this process's own (the app still holds its own)."""
    with Library.open(path) as other:
        return {row[0]: bool(row[1]) for row in other.query("SELECT title, read FROM papers")}


def test_mark_three_bulk_read_then_undo_in_a_real_terminal(tmp_path: Path):
    library = build_library(tmp_path, decorate=False)  # every paper unread, an empty journal
    assert not any(read_flags(library).values())
    session = Session("tuireader-bulk-undo")
    try:
        session.drive(
            "start",
            session.name,
            "--size",
            "100x30",
            f"--env=TUIREADER_HOME={tmp_path / 'home'}",
            f"--env=PYTHONPATH={REPO}",
            "--",
            sys.executable,
            "-m",
            "tuireader",
            "--library",
            str(library),
        )
        session.wait(AGENTS, timeout=20)
        session.wait("14 of 14 papers · 14 unread")

        # space marks the paper under the cursor and moves down: the first three by date
        for count in (1, 2, 3):
            session.keys("Space")
            session.wait(f"{count} marked")
        time.sleep(PAUSE)

        session.keys("r")
        session.wait("read 3 papers")
        session.wait("11 unread")
        flags = read_flags(library)  # the app is still running
        assert {title for title, read in flags.items() if read} == {AGENTS, KESTREL, WHISKER}

        session.keys("u")
        session.wait("undid: read 3 papers")
        session.wait("14 unread")
        assert not any(read_flags(library).values())

        session.keys("q")
        assert session.drive("status", session.name, "--wait", "10").strip() == "exited 0", (
            session.screen()
        )
    finally:
        session.stop()

    assert not any(read_flags(library).values())
    with Library.open(library) as other:
        assert [(e.summary, e.undone) for e in other.history()] == [("read 3 papers", True)]
