"""End to end through a real terminal: marks, a bulk read and its undo, checked in the file.

The reader runs in tmux (through ../shared/tools/tui-drive, on a tmux socket of this test's own)
and is driven by keys; the library file is read by a second connection while the reader is still
running (WAL lets a reader in beside the writer). Skipped when tmux or the tool is missing.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.app_helpers import AGENTS, KESTREL, WHISKER, build_library
from tests.tmux_helpers import FOCUS_PAUSE, TMUX_MARKS, Terminal
from tuireader.library import Library

pytestmark = TMUX_MARKS


def read_flags(path: Path) -> dict[str, bool]:
    """Title -> read, through a connection of this process's own (the app still holds its own)."""
    with Library.open(path) as other:
        return {row[0]: bool(row[1]) for row in other.query("SELECT title, read FROM papers")}


def test_mark_three_bulk_read_then_undo_in_a_real_terminal(tmp_path: Path):
    library = build_library(tmp_path, decorate=False)  # every paper unread, an empty journal
    assert not any(read_flags(library).values())
    session = Terminal("tuireader-bulk-undo")
    try:
        session.start_reader(library, tmp_path / "home")
        session.wait(AGENTS, timeout=20)
        session.wait("14 of 14 papers · 14 unread")

        # space marks the paper under the cursor and moves down: the first three by date
        for count in (1, 2, 3):
            session.keys("Space")
            session.wait(f"{count} marked")
        time.sleep(FOCUS_PAUSE)

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
        assert session.status(wait=10) == "exited 0", session.screen()
    finally:
        session.stop()

    assert not any(read_flags(library).values())
    with Library.open(library) as other:
        assert [(e.summary, e.undone) for e in other.history()] == [("read 3 papers", True)]
