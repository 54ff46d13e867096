"""End to end through a real terminal: the reader in tmux, driven by keys like a person would.

Uses ../shared/tools/tui-drive (a tmux wrapper on a private socket); skipped when tmux or the
tool is missing. Each test gets its own tmux socket, and the tmux server is always stopped.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from tests.app_helpers import QFERRY, build_library, paper_id
from tests.tmux_helpers import FOCUS_PAUSE, REPO, TMUX_MARKS, Terminal
from tuireader.library import Library

pytestmark = TMUX_MARKS


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
        ids = {row.title: row for row in other.rows(other.ordered_ids())}
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
