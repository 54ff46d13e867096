"""Issue 19: the disk fills while the reader changes things: every action says so in one line,
loses nothing that was there, the reader keeps running, and the same action works once there
is room again. On a real small file system (tmpfs) where the machine allows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.app_helpers import build_library, make_app, settle
from tests.shared.test_hostile_files import _fill, tiny_disk  # noqa: F401 (a fixture)
from tuireader.library import Library

SIZE = (120, 40)


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def _full_said(app, before: int) -> bool:
    return any("disk is full" in m for m in _messages(app)[before:])


def _state(path: Path) -> list[tuple]:
    with Library.open(path, readonly=True) as library:
        ids = library.ordered_ids()
        return [
            (p.id, p.read, p.starred, tuple(sorted(p.tags)), p.notes)
            for p in library.get_papers(ids)
        ]


def _make_room_scarce(app, disk: Path) -> None:
    """Fill the disk, the library's WAL emptied first (so each write needs a new block)."""
    with app.library.lock:
        app.library.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _fill(disk)


async def _tag_marked(pilot, tag: str) -> None:
    await pilot.press("space", "space", "space", "t")
    await settle(pilot)
    field = pilot.app.screen.query_one("#tag-input", Input)
    field.value = tag
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)


ACTIONS = ["star", "read", "tag-marked", "note", "undo"]


@pytest.mark.parametrize("action", ACTIONS)
async def test_a_full_disk_during_an_action_is_one_line_and_loses_nothing(tiny_disk, action):  # noqa: F811
    path = build_library(tiny_disk)
    if action == "undo":
        with Library.open(path) as library:
            library.set_starred(library.ordered_ids()[:1], True)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before_state = _state(path)
        _make_room_scarce(app, tiny_disk)
        said = len(_messages(app))
        await _act(pilot, action)
        assert app.is_running
        assert _full_said(app, said), _messages(app)[said:]
        assert _state(path) == before_state  # nothing lost, nothing half-written
        assert app.changes.pending == []
        (tiny_disk / "filler").unlink()  # room again: the same action works
        said = len(_messages(app))
        await _act(pilot, action)
        assert app.is_running
        assert not _full_said(app, said), _messages(app)[said:]
        assert _state(path) != before_state


async def _act(pilot, action: str) -> None:
    if action == "star":
        await pilot.press("s")
    elif action == "read":
        await pilot.press("r")
    elif action == "tag-marked":
        await _tag_marked(pilot, "full-disk")
        return
    elif action == "note":
        await pilot.press("n")
        await settle(pilot)
        area = pilot.app.screen.query_one("TextArea")
        area.text = "a note " * 400
        await pilot.press("ctrl+s")
    elif action == "undo":
        await pilot.press("u")
    await settle(pilot)


async def test_changes_waiting_for_a_busy_library_survive_a_full_disk(tiny_disk):  # noqa: F811
    import sqlite3

    path = build_library(tiny_disk)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before_state = _state(path)
        _make_room_scarce(app, tiny_disk)
        holder = sqlite3.connect(path, isolation_level=None)  # another process writing
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("s")  # queued: the spool cannot be written either
            await settle(pilot)
            assert app.is_running and len(app.changes.pending) == 1
            assert app.changes.unsaved
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        said = len(_messages(app))
        main = app.screen
        main._flush_changes()  # (the poll's timer) the lock is free, the disk still full
        await settle(pilot)
        assert app.is_running and len(app.changes.pending) == 1  # kept, not dropped
        assert _full_said(app, said), _messages(app)[said:]
        assert _state(path) == before_state
        (tiny_disk / "filler").unlink()
        main._flush_changes()
        await settle(pilot)
        assert app.changes.pending == []
        assert _state(path) != before_state
