"""The app when another process holds the library's write lock: a warning, no crash, no loss."""

from __future__ import annotations

import sqlite3

from tuireader.app import make_app
from tuireader.importer import import_file
from tuireader.library import Library, LibraryBusy
from tuireader.widgets.paper_list import PaperList


def _library(tmp_path, fixtures):
    path = tmp_path / "lib.db"
    with Library.open(path) as library:
        assert import_file(fixtures / "daily_papers.txt", library).ok
    return path


def test_library_busy_is_a_library_error(tmp_path, fixtures):
    path = _library(tmp_path, fixtures)
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with Library.open(path, busy_timeout=0.05) as library:
            first = library.find_ids()[0]
            try:
                library.set_read([first], True)
            except LibraryBusy as exc:
                assert "busy" in str(exc)
            else:
                raise AssertionError("a write under another process's lock must raise LibraryBusy")
    finally:
        blocker.rollback()
        blocker.close()


async def test_read_key_while_another_process_writes_warns_and_changes_nothing(tmp_path, fixtures):
    path = _library(tmp_path, fixtures)
    app = make_app(
        path,
        state_path=tmp_path / "state.json",
        poll_interval=3600,
        index_in_background=False,
        busy_timeout=0.05,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        paper = app.screen.query_one(PaperList).current_id
        blocker = sqlite3.connect(path)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("r")
            await pilot.pause()
            assert app.is_running
            messages = [n.message for n in app._notifications]
            assert any("busy" in m for m in messages), messages
        finally:
            blocker.rollback()
            blocker.close()
        await pilot.press("r")  # the lock is gone: now it works
        await pilot.pause()
    with Library.open(path) as library:
        assert library.get_paper(paper).read is True
