"""The reader never dies silently: one line, a non-zero exit, the traceback in a log file."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.app_helpers import build_library
from tests.shared.procs import scalar
from tests.tmux_helpers import REPO, TMUX_MARKS, Terminal

pytestmark = TMUX_MARKS

#: Starts the reader with ``r`` failing (a stand-in for any bug).
BROKEN_READER = """
import sys
from tuireader.screens.main import MainScreen
def action_toggle_read(self):
    raise RuntimeError("boom \\x1b]0;owned\\x07")
MainScreen.action_toggle_read = action_toggle_read
from tuireader.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_an_unexpected_error_is_one_line_an_exit_status_and_a_log(tmp_path: Path):
    library = build_library(tmp_path)
    home = tmp_path / "home"
    script = tmp_path / "broken.py"
    script.write_text(BROKEN_READER)
    term = Terminal("tuireader-crash")
    try:
        term.start(
            sys.executable,
            str(script),
            "--library",
            str(library),
            size="120x30",
            env={"TUIREADER_HOME": str(home), "PYTHONPATH": str(REPO)},
        )
        term.wait("of 14 papers", timeout=20)
        term.keys("s")  # a change made before the error must survive it
        term.wait("starred 1 paper")
        term.keys("r")
        status = term.status(wait=10)
        screen = term.screen(history=True)
    finally:
        term.stop()
    assert status == "exited 1", screen
    logs = list((home / "log").glob("crash-*.log"))
    assert len(logs) == 1
    assert "RuntimeError: boom" in logs[0].read_text()
    assert "Traceback" in logs[0].read_text()
    text = "".join(line.strip() for line in screen.splitlines())  # (the terminal wraps it)
    assert text.count("unexpected error") == 1 and logs[0].name in text, screen
    assert "Traceback" not in screen and "\x1b" not in screen
    assert scalar(library, "SELECT count(*) FROM papers WHERE starred = 1") == 2
