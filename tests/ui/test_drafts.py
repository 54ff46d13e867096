"""What is typed survives the reader stopping (a signal, an error): drafts, offered back (issue 18)."""

from __future__ import annotations

import contextlib
import signal

from tests.app_helpers import LANTERN, build_library, make_app, paper_id, settle
from tuireader.drafts import NOTE, TAG, Draft, Drafts
from tuireader.library import Library
from tuireader.screens.dialogs import DRAFT_PAUSE, DRAFT_RESTORED, NoteEditor
from tuireader.screens.tags import TagEditor

PARAGRAPH = "A paragraph typed over ssh,\nthen the link drops."


def _drafts(path):
    return sorted((path.parent / "pending").glob("*.draft"))


async def _type_note_then_stop(path, text=PARAGRAPH, how="signal"):
    app = make_app(path)
    with contextlib.suppress(RuntimeError):  # (run_test raises the error that ended the app)
        await _type_note_in(app, text, how)
    return app, app.first_paper


async def _type_note_in(app, text, how) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.first_paper = app.screen.papers.current_id
        await pilot.press("n")
        await settle(pilot)
        area = app.screen.query_one("#note-text")
        area.insert(text)
        await settle(pilot)
        if how == "signal":
            app.stop_on_signal(signal.SIGHUP)
        else:
            app._handle_exception(RuntimeError("boom"))
        await pilot.pause()


async def test_a_note_being_typed_when_the_link_drops_is_offered_back(tmp_path):
    path = build_library(tmp_path)
    app, first = await _type_note_then_stop(path)
    assert app.return_code == 128 + signal.SIGHUP
    assert len(_drafts(path)) == 1
    with Library.open(path) as library:
        assert library.get_paper(first).notes is None  # nothing written: a draft only
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.paper_id == first
        assert editor.query_one("#note-text").text == PARAGRAPH
        assert DRAFT_RESTORED in str(editor.query_one(".draft-restored").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Library.open(path) as library:
        assert library.get_paper(first).notes == PARAGRAPH
    assert _drafts(path) == []


async def test_escape_discards_a_restored_draft_and_it_is_not_offered_again(tmp_path):
    path = build_library(tmp_path)
    _, first = await _type_note_then_stop(path)
    for _ in range(2):
        app = make_app(path)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            if isinstance(app.screen, NoteEditor):
                await pilot.press("escape")
                await settle(pilot)
            opened = type(app.screen).__name__
        assert opened == "MainScreen"
    with Library.open(path) as library:
        assert library.get_paper(first).notes is None
    assert _drafts(path) == []


async def test_a_reader_stopped_by_an_error_keeps_the_draft(tmp_path):
    path = build_library(tmp_path)
    app, first = await _type_note_then_stop(path, how="error")
    assert app.crash_report is not None
    (draft_file,) = _drafts(path)
    assert PARAGRAPH in draft_file.read_text(encoding="utf-8").replace("\\n", "\n")


async def test_a_pause_in_typing_keeps_the_draft_even_before_any_signal(tmp_path):
    # (kill -9 cannot be caught: what was typed up to the last pause is on disk already)
    path = build_library(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"half a thought")
        await pilot.pause(DRAFT_PAUSE + 0.3)
        assert len(_drafts(path)) == 1


async def test_a_tag_being_typed_is_offered_back_on_its_papers(tmp_path):
    path = build_library(tmp_path)
    lantern = paper_id(path, LANTERN)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.papers.move_to(screen.papers.ids.index(lantern))
        await pilot.press("t", *"to-rea")
        await settle(pilot)
        app.stop_on_signal(signal.SIGTERM)
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGTERM
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, TagEditor) and editor.paper_ids == [lantern]
        await pilot.press("d", "enter", "escape")
        await settle(pilot)
    with Library.open(path) as library:
        assert "to-read" in library.get_paper(lantern).tags


async def test_a_draft_for_a_paper_no_longer_there_is_let_go_with_a_line(tmp_path):
    path = build_library(tmp_path)
    spool = tmp_path / "pending"
    Drafts(spool / "0000000000000000-1-x.draft").save(Draft(NOTE, (99999,), "orphan"))
    # (named for this library: the reader's own key)
    from tuireader.changes import _library_key

    with Library.open(path) as library:
        key = _library_key(library)
    (spool / "0000000000000000-1-x.draft").rename(spool / f"{key}-1-x.draft")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert "its paper is gone" in str(app.screen.query_one("#status").render())
    assert _drafts(path) == []


def test_drafts_are_adopted_only_from_readers_that_ended(tmp_path):
    mine = Drafts(tmp_path / "k-2-b.draft")
    Drafts(tmp_path / "k-1-a.draft").save(Draft(TAG, (1, 2), "running"))
    Drafts(tmp_path / "other-1-c.draft").save(Draft(NOTE, (3,), "another library"))
    assert mine.adopt("k", claim=lambda lock: False) is None  # its reader still runs
    assert (tmp_path / "k-1-a.draft").exists()
    adopted = mine.adopt("k", claim=lambda lock: True)
    assert adopted == Draft(TAG, (1, 2), "running")
    assert not (tmp_path / "k-1-a.draft").exists()
    assert (tmp_path / "k-2-b.draft").exists()  # ours now, until used
    assert (tmp_path / "other-1-c.draft").exists()


def test_a_damaged_draft_file_is_left_alone(tmp_path):
    (tmp_path / "k-1-a.draft").write_text("{not json", encoding="utf-8")
    (tmp_path / "k-3-c.draft").write_text('{"kind": "rm -rf", "paper_ids": [1], "text": "x"}')
    assert Drafts(tmp_path / "k-2-b.draft").adopt("k", claim=lambda lock: True) is None
    assert (tmp_path / "k-1-a.draft").exists()


def test_an_empty_draft_is_no_draft(tmp_path):
    drafts = Drafts(tmp_path / "k-1-a.draft")
    drafts.save(Draft(NOTE, (1,), "kept"))
    drafts.save(Draft(NOTE, (1,), "   \n"))
    assert not drafts.path.exists()
