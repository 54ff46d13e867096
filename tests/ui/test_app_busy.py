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
            first = library.ordered_ids()[0]
            try:
                library.set_read([first], True)
            except LibraryBusy as exc:
                assert "busy" in str(exc)
            else:
                raise AssertionError("a write under another process's lock must raise LibraryBusy")
    finally:
        blocker.rollback()
        blocker.close()


def _app(path, tmp_path):
    return make_app(
        path,
        state_path=tmp_path / "state.json",
        poll_interval=3600,
        index_in_background=False,
        busy_timeout=0.05,
    )


def _state(path, paper):
    with Library.open(path) as library:
        found = library.get_paper(paper)
        return found.read, found.starred, tuple(found.tags)


async def test_keys_while_another_process_writes_wait_in_order_and_are_written_after(
    tmp_path, fixtures
):
    path = _library(tmp_path, fixtures)
    app = _app(path, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        papers = app.screen.query_one(PaperList)
        paper = papers.current_id
        blocker = sqlite3.connect(path)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("r", "s", "s", "s")  # read, star, unstar, star: in that order
            await pilot.pause()
            assert app.is_running
            assert len(app.changes.pending) == 4
            row = papers.current_row()
            assert (row.read, row.starred) == (True, True)  # shown as it will be
            assert "4 changes pending" in str(app.screen.query_one("#status").render())
            assert _state(path, paper)[:2] == (False, False)  # nothing written yet
        finally:
            blocker.rollback()
            blocker.close()
        await pilot.pause(0.6)  # the queue is tried again every FLUSH_INTERVAL
        assert app.changes.pending == []
        assert _state(path, paper)[:2] == (True, True)
        await pilot.press("u")  # undo works on what was written: the last star
        await pilot.pause()
    assert _state(path, paper)[:2] == (True, False)


async def test_undo_of_a_pending_change_takes_it_back(tmp_path, fixtures):
    path = _library(tmp_path, fixtures)
    app = _app(path, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        paper = app.screen.query_one(PaperList).current_id
        blocker = sqlite3.connect(path)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("s", "r", "u")  # star, read, undo the read (still pending)
            await pilot.pause()
            assert [c.kind for c in app.changes.pending] == ["star"]
        finally:
            blocker.rollback()
            blocker.close()
        await pilot.pause(0.6)
    assert _state(path, paper)[:2] == (False, True)


async def test_closing_the_reader_with_changes_pending_keeps_them_for_the_next(
    tmp_path, fixtures
):
    path = _library(tmp_path, fixtures)
    app = _app(path, tmp_path)
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            paper = app.screen.query_one(PaperList).current_id
            await pilot.press("s", "t", *"later", "enter", "escape")
            await pilot.pause()
            assert len(app.changes.pending) == 2
            await pilot.press("q")
        spools = list((tmp_path / "pending").glob("*.json"))
        assert len(spools) == 1
        assert _state(path, paper) == (False, False, ())
    finally:
        blocker.rollback()
        blocker.close()
    second = _app(path, tmp_path)
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.6)
        assert second.changes.pending == []
        row = second.screen.query_one(PaperList).current_row()
        assert row.starred and row.tags == ("later",)
    assert _state(path, paper) == (False, True, ("later",))
    assert list((tmp_path / "pending").glob("*.json")) == []


async def _busy_search_by_a_pending_tag(path, tmp_path, keys, *, in_one_burst: bool):
    from tests.app_helpers import settle
    from tests.keys_helpers import type_keys

    app = _app(path, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        blocker = sqlite3.connect(path)
        blocker.execute("BEGIN IMMEDIATE")  # another process writes: changes wait
        try:
            await type_keys(pilot, keys, in_one_burst=in_one_burst)
            shown = list(app.screen.papers.ids)
        finally:
            blocker.rollback()
            blocker.close()
        await pilot.pause(0.6)  # written once the lock is free
        assert app.changes.pending == []
    return shown


async def test_a_search_by_a_tag_still_waiting_finds_its_papers(tmp_path, fixtures):
    # Issue 18, step 3: tag two papers while another process holds the lock, search by the
    # tag, star the first found: as when the file is free, whether typed slowly or at once.
    keys = ["t", *"grpB", "enter", "escape", "j", "t", *"grpB", "enter", "escape",
            "slash", *"tag:grpB", "enter", "s"]
    results = []
    for number, in_one_burst in enumerate((False, True)):
        path = _library(tmp_path / str(number), fixtures)
        with Library.open(path) as library:
            first, second = library.ordered_ids("date")[:2]
        shown = await _busy_search_by_a_pending_tag(
            path, tmp_path / str(number), keys, in_one_burst=in_one_burst
        )
        assert shown == [first, second]
        with Library.open(path) as library:
            assert library.get_paper(first).starred and not library.get_paper(second).starred
            assert "grpB" in library.get_paper(second).tags
        results.append(shown)
    assert results[0] == results[1]
