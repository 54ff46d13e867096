"""The README's own workflow: the reader open while `tuireader import` runs in another shell."""

from __future__ import annotations

import asyncio

from tests.app_helpers import make_app, settle
from tests.shared.procs import cli, dumps, integrity, scalar


async def _wait_for(pilot, condition, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
        await pilot.pause()
    raise AssertionError("the reader did not catch up")


async def test_reader_open_while_other_shells_import(tmp_path):
    library = tmp_path / "lib.db"
    first, second, third = dumps(tmp_path, [400, 300, 350])
    assert cli(library, "import", str(first)).returncode == 0  # abstracts left pending
    app = make_app(library, poll_interval=0.1, index_in_background=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert cli(library, "import", str(second)).returncode == 0
        await _wait_for(pilot, lambda: app.screen._counts["papers"] == 700)
        await settle(pilot)
        for _ in range(3):
            await pilot.press("s", "j")
        await settle(pilot)
        assert cli(library, "import", str(third)).returncode == 0
        await _wait_for(pilot, lambda: app.screen._counts["papers"] == 1050)
        await settle(pilot)
        assert len(app.screen.papers.ids) == 1050
        await pilot.press("slash", *"model")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("q")
    assert app.return_code in (0, None)
    assert integrity(library) == "ok"
    assert scalar(library, "SELECT count(*) FROM papers WHERE starred = 1") == 3
    assert scalar(library, "SELECT count(*) FROM papers") == 1050
    assert cli(library, "stats").returncode == 0
