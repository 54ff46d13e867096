"""The reader in a real terminal while other processes share its library (tmux, real kills)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.app_helpers import build_library
from tests.shared.procs import dumps, integrity, scalar, start_cli
from tests.tmux_helpers import FOCUS_PAUSE, TMUX_MARKS, Terminal
from tuireader.library import Library
from tuireader.search import Engine, parse_query

pytestmark = [*TMUX_MARKS, pytest.mark.slow]


def _pid(term: Terminal) -> int:
    out = subprocess.run(
        ["tmux", "-L", term.env["TUI_DRIVE_SOCKET"], "display", "-p", "-t", f"={term.name}:",
         "#{pane_pid}"],
        capture_output=True, text=True, check=True,
    ).stdout
    return int(out.strip())


def _state(path: Path) -> dict[str, object]:
    with Library.open(path) as library:
        conn = library.conn
        return {
            "papers": conn.execute(
                "SELECT id, read, starred, read_at, starred_at FROM papers ORDER BY id"
            ).fetchall(),
            "tags": conn.execute("SELECT * FROM paper_tags ORDER BY paper_id, tag_id").fetchall(),
            "journal": conn.execute(
                "SELECT id, at, summary, changes, undone FROM journal ORDER BY id"
            ).fetchall(),
        }


def _order(path: Path) -> list[int]:
    with Library.open(path) as library:
        return library.ordered_ids("date")


def test_enter_and_s_typed_together_never_crash(tmp_path):
    library = build_library(tmp_path, decorate=False)
    first = _order(library)[0]
    term = Terminal("typed-ahead")
    try:
        term.start_reader(library, tmp_path / "home")
        term.wait("of 14 papers", timeout=20)
        term.keys("Enter", "s")  # one send-keys: both reach the app before the view is up
        term.wait("starred")
        time.sleep(FOCUS_PAUSE)
        term.keys("Escape")
        time.sleep(FOCUS_PAUSE)
        term.keys("q")
        assert term.status(wait=10) == "exited 0", term.screen(history=True)
    finally:
        term.stop()
    with Library.open(library) as lib:
        paper = lib.get_paper(first)
    assert paper.read and paper.starred


#: Keys of each trial, and what they do.
TRIALS = [("s",), ("r",), ("t", "killtag", "Enter"), ("u",), ("s",), ("t", "killtag", "Enter")]


def test_kill_9_right_after_a_change_keeps_all_or_nothing(tmp_path):
    library = build_library(tmp_path, decorate=False)
    with Library.open(library) as lib:  # something for "u" to undo
        lib.set_starred([_order(library)[3]], True)
    rng = random.Random(7)
    landed = sum(
        _kill_after(library, tmp_path, f"kill-{number}", keys, rng.uniform(0, 0.05))
        for number, keys in enumerate(TRIALS)
    )
    # On a loaded machine every kill may come before its key is read: wait longer each time
    # until one change lands (else the test tests nothing).
    for attempt in range(6):
        if landed:
            break
        landed += _kill_after(library, tmp_path, f"kill-late-{attempt}", ("s",), 0.1 * 2**attempt)
    assert landed >= 1


def _kill_after(library: Path, tmp_path: Path, name: str, keys: tuple[str, ...], delay: float) -> bool:
    """Type ``keys`` into a reader, kill -9 it ``delay`` s later; check the library holds the
    change whole or not at all (then undo it). True when the change landed."""
    before = _state(library)
    term = Terminal(name)
    try:
        term.start_reader(library, tmp_path / "home")
        term.wait("of 14 papers", timeout=20)
        if keys[0] == "t":
            term.keys("t")
            term.wait("Tags for")
            time.sleep(FOCUS_PAUSE)
            term.type(keys[1])
            keys = keys[2:]
        term.keys(*keys)
        time.sleep(delay)
        os.kill(_pid(term), signal.SIGKILL)
        time.sleep(0.1)
    finally:
        term.stop()
    assert integrity(library) == "ok"
    after = _state(library)
    if after == before:
        return False
    # Exactly one journal step was made (a new entry) or undone (an entry flipped).
    made = [row for row in after["journal"] if row[:4] not in {r[:4] for r in before["journal"]}]
    flipped = [row for row in after["journal"] if row[:4] + (1 - row[4],) in before["journal"]]
    assert (len(made), len(flipped)) in ((1, 0), (0, 1)), (keys, before, after)
    assert not made or made[0][4] == 0
    with Library.open(library) as lib:
        assert (lib.undo() if made else lib.redo()) is not None
    restored = _state(library)
    assert restored["papers"] == before["papers"] and restored["tags"] == before["tags"]
    return True


@contextmanager
def _two_readers_while_an_import_writes(
    tmp_path: Path, names: tuple[str, str]
) -> Iterator[tuple[Path, list[int], Terminal, Terminal, subprocess.Popen]]:
    """Two readers on one library, then an import of 20,000 papers into it holding the write
    lock; yields (library, its papers in order, reader one, reader two, the import). Both readers
    must quit cleanly at the end, and the file pass its integrity check."""
    library = build_library(tmp_path, decorate=False)
    order = _order(library)
    (big,) = dumps(tmp_path, [20000])
    home = tmp_path / "home"
    one, two = Terminal(names[0]), Terminal(names[1])
    try:
        for term in (one, two):
            term.start_reader(library, home)
            term.wait("of 14 papers", timeout=20)
        importer = start_cli(library, "import", str(big))
        time.sleep(0.4)  # the import holds the write lock now
        yield library, order, one, two, importer
        for term in (one, two):
            time.sleep(FOCUS_PAUSE)
            term.keys("q")
            assert term.status(wait=15) == "exited 0", term.screen(history=True)
    finally:
        one.stop()
        two.stop()
    assert integrity(library) == "ok"


def test_two_readers_and_an_import_at_once_lose_no_star(tmp_path):
    names = ("reader-one", "reader-two")
    with _two_readers_while_an_import_writes(tmp_path, names) as (library, order, one, two, importer):
        one.keys("s")
        one.keys("j", "j", "s")
        two.keys("G", "s")
        two.keys("k", "s")
        assert importer.wait(timeout=120) == 0, importer.stderr.read()
        for term in (one, two):
            term.wait("of 20014 papers", timeout=40)
        # A refresh kept each cursor on its paper: s now unstars the paper it starred.
        one.keys("s")
        one.wait("unstarred 1 paper", timeout=20)
    with Library.open(library) as lib:
        starred = set(Engine(lib).find_ids(parse_query("is:starred")))
    assert starred == {order[0], order[-1], order[-2]}
    assert scalar(library, "SELECT count(*) FROM papers") == 20014


def test_keys_typed_ahead_while_an_import_writes_act_as_typed_slowly(tmp_path):
    # Issue 18, step 3: a reader's keys typed ahead (one burst) while another process imports:
    # the tags it typed are written once the import is done, its search by them filters, and
    # its star goes to the paper that search shows first; the other reader's star to its paper.
    names = ("ahead-one", "ahead-two")
    with _two_readers_while_an_import_writes(tmp_path, names) as (library, order, one, two, importer):
        one.keys("t", "grpB", "Enter", "Escape", "j", "t", "grpB", "Enter", "Escape",
                 "/", "tag:grpB", "Enter", "s")
        two.keys("G", "s")
        assert importer.wait(timeout=120) == 0, importer.stderr.read()
        one.wait("2 of 20014 papers", timeout=40)
        two.wait("of 20014 papers", timeout=40)
    with Library.open(library) as lib:
        engine = Engine(lib)
        assert set(engine.find_ids(parse_query("tag:grpB"))) == {order[0], order[1]}
        assert set(engine.find_ids(parse_query("is:starred"))) == {order[0], order[-1]}
