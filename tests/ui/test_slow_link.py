"""Issue 18, a slow link stays usable: the reader in a pty behind the slow-link benchmark's relay
(50 KB/s, 75 ms each way; benchmarks/sections/slow_link.py describes the model), ``j`` held at
autorepeat's pace. Once everything has arrived, the screen a terminal shows (pyte) is the one the
same keys typed slowly leave, the cursor on the paper as many places down. How long that takes is
measured by the benchmark, not here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks.generate import write_dump
from benchmarks.sections.pty_session import terminal_env
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
