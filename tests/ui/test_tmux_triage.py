"""Triage, the "for you" order, more like this and watches through a real terminal (tmux)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tests.ranking_helpers import build_topic_library
from tests.tmux_helpers import FOCUS_PAUSE, REPO, TMUX_MARKS, Terminal
from tuireader.library import Library

pytestmark = TMUX_MARKS


def _state(path: Path) -> dict[str, tuple[bool, bool]]:
    with Library.open(path) as other:
        return {r.title: (r.read, r.starred) for r in other.rows(other.ordered_ids())}


def test_tuireader_triage_decides_undoes_and_leaves_in_a_real_terminal(tmp_path: Path):
    library = build_topic_library(tmp_path)
    term = Terminal("tuireader-triage")
    try:
        term.start(
            sys.executable, "-m", "tuireader", "--library", str(library), "triage",
            size="80x24",
            env={"TUIREADER_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO)},
        )
        # Twelve starred kitchen papers: the new ones, kitchen first, each with its reasons.
        term.wait("Triage · new in the last import · for you", timeout=30)
        term.wait("9 of 9 left")
        assert "why: " in term.screen()
        first = next(line.strip() for line in term.screen().splitlines() if "Kitchen study" in line)
        term.keys("s")
        term.wait("8 of 9 left")
        term.keys("d")
        term.wait("7 of 9 left")
        term.keys("u")
        term.wait("8 of 9 left")
        term.keys("l")
        term.wait("7 of 9 left · 1 starred · 1 later")
        term.keys("Escape")
        term.wait("view: all")
        time.sleep(FOCUS_PAUSE)
        # More like this on the paper reached, then watch its first author.
        term.keys("m")
        term.wait("view: like “")
        term.keys("W")  # (its message is past the status line's end at 80 columns)
        deadline = time.monotonic() + 10
        while not _watches(library) and time.monotonic() < deadline:
            time.sleep(0.1)
        term.keys("q")
        term.wait("view: like", gone=True, timeout=10)
    finally:
        term.stop()
    state = _state(library)
    assert state[first] == (True, True)  # starred (and read: decided)
    assert sum(1 for read, _ in state.values() if not read) == 8  # one decided; the undo held
    assert len(_watches(library)) == 1


def _watches(path: Path) -> list:
    with Library.open(path) as other:
        return other.watches()
