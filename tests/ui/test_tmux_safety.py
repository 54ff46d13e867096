"""Through a real terminal: hostile titles never change tmux's pane title or its clipboard.

tmux runs with ``set-clipboard on``, so an ``ESC ] 52`` reaching it would fill a paste buffer,
and an ``ESC ] 0 ;`` / ``ESC ] 2 ;`` would rename the pane. The reader is walked through the
list, the abstract pane, the reading view, the tag and note editors, the view picker and the
import dialog (with hostile file names), then quit; the title and the buffers are checked after
each step.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.hostile import OSC_TITLE, build_hostile_library
from tests.tmux_helpers import FOCUS_PAUSE, REPO, TMUX_MARKS, Terminal

pytestmark = TMUX_MARKS


class Watched(Terminal):
    """A Terminal whose tmux server copies OSC 52 into its buffers (set-clipboard on)."""

    def tmux(self, *args: str) -> str:
        socket = self.env["TUI_DRIVE_SOCKET"]
        result = subprocess.run(
            ["tmux", "-L", socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return result.stdout

    def pane_title(self) -> str:
        return self.tmux("display-message", "-p", "-t", f"={self.name}:", "#{pane_title}").strip()

    def buffers(self) -> str:
        return self.tmux("list-buffers").strip()


def test_hostile_text_changes_neither_pane_title_nor_clipboard(tmp_path: Path, fixtures: Path):
    library = build_hostile_library(tmp_path)
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    shutil.copy(fixtures / "listing_bare.txt", dumps / f"a{OSC_TITLE}\nb.txt")
    home = tmp_path / "home"
    term = Watched("tuireader-safety")
    keeper = Terminal("keeper")
    keeper.env = term.env  # the same tmux server: it keeps the server up while options are set
    try:
        keeper.start("sleep", "60")
        term.tmux("set-option", "-g", "set-clipboard", "on")
        term.start(
            sys.executable,
            "-m",
            "tuireader",
            "--library",
            str(library),
            size="120x40",
            env={"TUIREADER_HOME": str(home), "PYTHONPATH": str(REPO)},
        )
        title = term.pane_title()
        term.wait("of 8 papers", timeout=20)

        def unharmed(step: str) -> None:
            time.sleep(0.3)
            assert term.pane_title() == title, f"{step}: pane title is now {term.pane_title()!r}"
            assert term.buffers() == "", f"{step}: tmux buffers: {term.buffers()!r}"
            assert term.status() == "running", f"{step}: {term.screen()}"

        unharmed("first screen")
        assert "\u241b" in term.screen()  # the escapes are shown, as control pictures
        for _ in range(8):
            term.keys("j")
        unharmed("list and abstract pane")

        term.keys("Enter")
        term.wait("] Next")
        for _ in range(8):
            term.keys("]")
        unharmed("reading view")
        term.keys("Escape")
        term.wait("] Next", gone=True)

        term.keys("t")
        term.wait("Tags for:")
        unharmed("tag editor")
        term.keys("Escape")
        term.wait("Tags for:", gone=True)

        term.keys("n")
        term.wait("Note on:")
        unharmed("note editor")
        term.keys("Escape")
        term.wait("Note on:", gone=True)

        term.keys("v")
        term.wait("Show…")
        unharmed("view picker")
        term.keys("Escape")
        term.wait("Show…", gone=True)

        term.keys("i")
        term.wait("Import dumps")
        time.sleep(FOCUS_PAUSE)
        term.type(str(dumps / "*.txt"))
        term.keys("Enter")
        term.wait("new", timeout=15)
        unharmed("import dialog")
        term.keys("Escape")
        term.wait("Import dumps", gone=True)
        unharmed("status line after the import")

        term.keys("q")
        assert term.status(wait=10) == "exited 0", term.screen()
        assert term.pane_title() == title
        assert term.buffers() == ""
    finally:
        term.stop()
