"""Issue 18 in a real terminal: keys in one tmux ``send-keys`` (one write to the terminal, as an
ssh link delivers keys typed ahead), a tmux session killed while a note is typed (SIGHUP, the
terminal gone), and SIGTERM (the terminal must be put back)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest

from tests.app_helpers import LANTERN, build_library, paper_id
from tests.tmux_helpers import TMUX_MARKS, Terminal
from tuireader.library import Library
from tuireader.search import Engine, parse_query

pytestmark = TMUX_MARKS

STAR_TAG_NEXT = ["s", "t", "tagB", "Enter", "Escape", "j"]


def _tmux(term: Terminal, *args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", term.env["TUI_DRIVE_SOCKET"], *args],
        capture_output=True, text=True, check=False,
    ).stdout.strip()


def _pane(term: Terminal, fmt: str) -> str:
    return _tmux(term, "display-message", "-p", "-t", f"={term.name}:", fmt)


def _found(path, query: str) -> set[int]:
    with Library.open(path) as library:
        return set(Engine(library).find_ids(parse_query(query)))


def _wait_for_exit(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _reader_pid(term: Terminal) -> int:
    return int(_pane(term, "#{pane_pid}"))


def test_star_tag_next_five_times_in_one_send_keys(tmp_path):
    path = build_library(tmp_path, decorate=False)
    with Library.open(path) as library:
        first_five = set(library.ordered_ids("date")[:5])
    term = Terminal("burst")
    try:
        term.start_reader(path, tmp_path / "home")
        term.wait("of 14 papers", timeout=20)
        term.keys(*(STAR_TAG_NEXT * 5), "q")  # all in one write, the q last
        assert term.status(wait=15) == "exited 0", term.screen(history=True)
    finally:
        term.stop()
    assert _found(path, "is:starred") == _found(path, "tag:tagB") == first_five


def test_search_enter_s_in_one_send_keys_stars_the_paper_found(tmp_path):
    path = build_library(tmp_path, decorate=False)
    term = Terminal("search-burst")
    try:
        term.start_reader(path, tmp_path / "home")
        term.wait("of 14 papers", timeout=20)
        term.keys("/", "lantern", "Enter", "s", "q")
        assert term.status(wait=15) == "exited 0", term.screen(history=True)
    finally:
        term.stop()
    assert _found(path, "is:starred") == {paper_id(path, LANTERN)}


def test_a_note_typed_when_the_session_dies_is_offered_back(tmp_path):
    path = build_library(tmp_path, decorate=False)
    home = tmp_path / "home"
    with Library.open(path) as library:
        first = library.ordered_ids("date")[0]
    term = Terminal("hangup")
    try:
        term.start_reader(path, home)
        term.wait("of 14 papers", timeout=20)
        term.keys("n")
        term.wait("Note on")
        term.type("A paragraph typed over ssh, then the link drops.")
        term.wait("the link drops.")  # on screen: the reader has every letter
        # At once (well within the draft's pause after the last letter): the hangup keeps it.
        pid = _reader_pid(term)
        _tmux(term, "kill-session", "-t", f"={term.name}")  # the terminal goes: SIGHUP
        assert _wait_for_exit(pid), "the reader did not end after its terminal went"
    finally:
        term.stop()
    with Library.open(path) as library:
        assert library.get_paper(first).notes is None  # a draft, not a note yet
    again = Terminal("hangup-again")
    try:
        again.start_reader(path, home)
        again.wait("draft restored", timeout=20)
        assert "A paragraph typed over ssh, then the link drops." in again.screen()
        again.keys("C-s")
        again.wait("note saved")
        again.keys("q")
        assert again.status(wait=15) == "exited 0", again.screen(history=True)
    finally:
        again.stop()
    with Library.open(path) as library:
        assert library.get_paper(first).notes == "A paragraph typed over ssh, then the link drops."


def _modes_left_on(output: bytes) -> list[str]:
    """The terminal modes the reader turned on (``ESC [ ? N h``) and did not turn off after."""
    state: dict[str, bool] = {}
    for mode, switch in re.findall(rb"\x1b\[\?(\d+)([hl])", output):
        state[mode.decode()] = switch == b"h"
    return sorted(mode for mode, on in state.items() if on)


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_puts_the_terminal_back_and_exits_non_zero(tmp_path, number):
    path = build_library(tmp_path, decorate=False)
    term = Terminal(f"signal-{number}")
    written = tmp_path / "written"
    try:
        term.start_reader(path, tmp_path / "home")
        _tmux(term, "pipe-pane", "-t", f"={term.name}:", f"cat > {written}")
        term.wait("of 14 papers", timeout=20)
        flags = "#{alternate_on} #{mouse_any_flag} #{mouse_sgr_flag}"
        assert _pane(term, flags) == "1 1 1"  # the reader's modes, on
        os.kill(_reader_pid(term), number)
        assert term.status(wait=10) == f"exited {128 + number}", term.screen(history=True)
        assert _pane(term, flags) == "0 0 0"  # the main screen back, no mouse reporting
        assert f"stopped by {signal.Signals(number).name}" in term.screen(history=True)
    finally:
        term.stop()
    output = written.read_bytes()
    # Everything switched on was switched off again: the cursor (25) shown; none of the
    # alternate screen (1049), mouse (1000, 1003, 1006, 1015), bracketed paste (2004) or
    # focus reports (1004) is left on; 7 (line wrap) is the terminal's usual state.
    assert _modes_left_on(output) == ["25", "7"]
    assert output.rindex(b"\x1b[?25h") > output.rindex(b"\x1b[?1049l")
