"""Keys typed ahead and refreshes racing keys: nothing crashes, no key acts on another paper."""

from __future__ import annotations

from tests.app_helpers import build_library, make_app, settle
from tests.shared.procs import scalar
from tuireader.library import Library


async def test_enter_and_s_sent_together_star_the_opened_paper(tmp_path):
    path = build_library(tmp_path)
    starred_before = scalar(path, "SELECT count(*) FROM papers WHERE starred = 1")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        opened = app.screen.papers.current_id
        following = app.screen.papers.ids[1]
        await pilot.press("enter", "s", "right_square_bracket", "s", "escape", "s")
        await settle(pilot)
        assert app.is_running
    with Library.open(path) as library:
        first, second = library.get_paper(opened), library.get_paper(following)
    assert first.starred and first.read
    assert second.read and not second.starred  # starred in the reading view, unstarred back
    assert scalar(path, "SELECT count(*) FROM papers WHERE starred = 1") == starred_before + 1


async def test_a_refresh_keeps_the_cursor_where_the_user_moved_it(tmp_path):
    path = build_library(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("j", "j", "j")
        await settle(pilot)
        # A refresh starts (another process committed) in a worker; then the user presses g
        # before its result lands: the cursor must stay on the first paper.
        screen._last_search_seconds = 1.0  # force the worker path
        screen.run_search(keep=screen.papers.current_id)
        await pilot.press("g")
        await settle(pilot)
        assert screen.papers.cursor == 0
        await pilot.press("j", "j")
        await settle(pilot)
        target = screen.papers.current_id
        screen.run_search(keep=target)  # no move in between: the same paper stays
        await settle(pilot)
        assert screen.papers.current_id == target
