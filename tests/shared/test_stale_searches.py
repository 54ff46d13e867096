"""A burst of keys while searches are slow: stale searches stop at once, the newest lands."""

from __future__ import annotations

import pytest

from tests.app_helpers import build_library, make_app, settle
from tuireader.library import Library, SearchInterrupted

#: A statement that runs for seconds unless interrupted (a LIKE over a million unindexed
#: abstracts, in spirit).
SLOW = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 15000000)" \
    " SELECT paper_id FROM pending_abstracts WHERE ? != (SELECT max(x) FROM n)"


@pytest.mark.slow
async def test_a_burst_interrupts_the_stale_searches(tmp_path, monkeypatch):
    path = build_library(tmp_path)
    with Library.open(path) as library:  # abstracts waiting: searches take the slow path
        library.conn.execute("INSERT INTO pending_abstracts(paper_id) SELECT id FROM papers")
    outcomes: list[str] = []

    def slow_unindexed(self, word):
        try:
            hits = self._ids(SLOW, [word])
        except SearchInterrupted:
            outcomes.append(f"interrupted {word}")
            raise
        outcomes.append(f"finished {word}")
        return hits

    monkeypatch.setattr(Library, "unindexed_matching", slow_unindexed)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen._last_search_seconds = 1.0  # searches are slow: each key goes to a worker
        await pilot.press("slash", *"quant")
        await settle(pilot)
        assert screen.query_text == "quant"
        assert screen._shown_query == "quant"
    finished = [o for o in outcomes if o.startswith("finished")]
    assert finished == ["finished quant"]  # only the newest ran to its end
    assert any(o.startswith("interrupted") for o in outcomes)
