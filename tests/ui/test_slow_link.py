"""Issue 18, a slow link stays usable: the reader in a pty behind the slow-link benchmark's relay
(50 KB/s, 75 ms each way; benchmarks/sections/slow_link.py describes the model), ``j`` held at
autorepeat's pace. Once everything has arrived, the screen a terminal shows (pyte) is the one the
same keys typed slowly leave, the cursor on the paper as many places down. How long that takes is
measured by the benchmark, not here."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks.generate import write_dump
from benchmarks.sections.pty_session import PtySession, terminal_env
from benchmarks.sections.slow_link import (
    EAGER,
    THROTTLED,
    cursor_on,
    hold,
    reference_lines,
    title_at,
)
from tests.app_helpers import import_fixtures
from tuireader.library import Library

pytestmark = pytest.mark.slow

#: Keys held: fewer than the list's rows (the cursor moves on the first screen), enough that
#: they come faster than the link carries the frames.
KEYS = 20


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("slow-link")
    dump = folder / "dump.txt"
    write_dump(200, dump, seed=18)
    path = folder / "library.db"
    with Library.open(path) as opened:
        import_fixtures(opened, [dump])
    return path


def _argv(library: Path) -> list[str]:
    return [sys.executable, "-m", "tuireader", "--library", str(library)]


def _env(folder: Path) -> dict[str, str]:
    folder.mkdir()
    return terminal_env(folder)


@pytest.fixture(scope="module")
def reference(library: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    home = tmp_path_factory.mktemp("reference-home")
    return reference_lines(_argv(library), terminal_env(home), b"j", KEYS)


def test_the_slow_reference_has_its_cursor_on_the_paper_as_many_places_down(library, reference):
    assert cursor_on(reference, title_at(library, KEYS)), "\n".join(reference)
    assert not cursor_on(reference, title_at(library, KEYS - 1))


@pytest.mark.parametrize("link", [THROTTLED, EAGER], ids=["throttled", "eager"])
def test_holding_j_over_a_slow_link_ends_on_the_screen_typing_slowly_does(
    library, reference, tmp_path, link
):
    run = hold(_argv(library), _env(tmp_path / "home"), link, count=KEYS)
    assert run.frames > 0  # the frames crossed the link (synchronized output was answered)
    assert cursor_on(run.lines, title_at(library, KEYS)), "\n".join(run.lines)
    assert run.lines == reference


class _LateAnswers(PtySession):
    """A terminal at the end of a slow link: each answer comes back LATE seconds after the
    question; when each was sent back is kept."""

    LATE = 0.8

    def __init__(self, *args, **kwargs) -> None:
        self.answered_at: list[float] = []
        super().__init__(*args, **kwargs)

    def answer(self, data: bytes) -> None:
        def later() -> None:
            self.answered_at.append(time.monotonic())
            super(_LateAnswers, self).answer(data)

        threading.Timer(self.LATE, later).start()


def test_quitting_waits_for_the_answers_on_their_way_so_none_reaches_the_shell(library, tmp_path):
    # An answer arriving once the reader has handed the terminal back would be typed at the
    # shell's prompt ("62;22c"): the reader waits for the answers to its last frames first.
    with _LateAnswers(_argv(library), (100, 30), _env(tmp_path / "home")) as session:
        session.wait_for(b"of 200 papers")
        session.quiet(idle=1.0)
        session.send(b"j")
        time.sleep(0.05)  # the frame of j is drawn, its question on its way
        session.send(b"q")
        deadline = time.monotonic() + 10
        while os.waitpid(session.pid, os.WNOHANG) == (0, 0):
            assert time.monotonic() < deadline, "the reader never quit"
            time.sleep(0.005)
        exited = time.monotonic()
        time.sleep(_LateAnswers.LATE + 0.2)
    assert session.answered_at, "the reader asked nothing"
    assert max(session.answered_at) < exited
