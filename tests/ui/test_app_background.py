"""Pilot tests: the reader's background work (the file's check, indexing) yields the CPU to the UI."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from tests.app_helpers import build_library, make_app, settle
from tests.flows_helpers import started
from tuireader.app import BACKGROUND_NICE, BACKGROUND_THREAD
from tuireader.library import Library

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="a thread's own nice value is Linux's"
)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return build_library(tmp_path)


def _recording(monkeypatch: pytest.MonkeyPatch, method: str) -> list[tuple[str, int]]:
    """Record the thread's name and nice value each time ``Library.<method>`` runs."""
    seen: list[tuple[str, int]] = []
    original = getattr(Library, method)

    def recording(self, *args, **kwargs):
        nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        seen.append((threading.current_thread().name, nice))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Library, method, recording)
    return seen


def _no_background_thread_left() -> bool:
    return not any(t.name.startswith(BACKGROUND_THREAD) for t in threading.enumerate())


async def test_the_files_check_runs_at_the_lowest_priority_in_a_thread_that_ends(
    library: Path, monkeypatch: pytest.MonkeyPatch
):
    # It read the whole file at full priority as the user started moving: the cursor waited.
    seen = _recording(monkeypatch, "verify")
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert [nice for _, nice in seen] == [BACKGROUND_NICE]
        assert seen[0][0].startswith(BACKGROUND_THREAD)
        assert _no_background_thread_left()
        main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        assert main < BACKGROUND_NICE


async def test_indexing_abstracts_runs_at_the_lowest_priority(
    library: Path, monkeypatch: pytest.MonkeyPatch
):
    seen = _recording(monkeypatch, "index_abstracts")
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        app.index_abstracts()
        await settle(pilot)
        assert seen and {nice for _, nice in seen} == {BACKGROUND_NICE}
        assert _no_background_thread_left()
