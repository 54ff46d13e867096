"""The reader follows changes other processes make: stars, tags, undo, imports; F5 re-reads."""

from __future__ import annotations

from tests.app_helpers import build_library, make_app, settle
from tests.shared.procs import cli, dumps
from tuireader.library import Library
from tuireader.models import View, ViewKind
from tuireader.widgets.abstract_pane import AbstractPane


async def test_changes_from_another_process_show_on_f5_with_the_cursor_kept(tmp_path):
    path = build_library(tmp_path, decorate=False)
    app = make_app(path)  # no polling: F5 alone must re-read
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.set_view(View(ViewKind.STARRED))  # (what v, then "starred", does)
        await settle(pilot)
        assert app.screen.papers.ids == []
        with Library.open(path) as other:
            ids = other.ordered_ids()
            other.set_starred(ids[:3], True)
            other.add_tag([ids[1]], "elsewhere")
            other.set_starred([ids[2]], False)
            other.undo()  # the unstar, undone: three starred
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert sorted(screen.papers.ids) == sorted(ids[:3])
        assert screen._counts["starred"] == 3
        await pilot.press("j")
        await settle(pilot)
        assert screen.papers.current_id == ids[1]
        assert "elsewhere" in str(screen.papers.current_row().tags)
        assert "elsewhere" in screen.query_one(AbstractPane).plain_text
        (more,) = dumps(tmp_path, [50])
        assert cli(path, "import", str(more)).returncode == 0
        await pilot.press("f5")
        await settle(pilot)
        assert screen._counts["papers"] == 64
        assert screen.papers.current_id == ids[1]  # the cursor stayed on its paper
