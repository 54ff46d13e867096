"""The reader's poll re-searches when another process changed what it shows, not when the
background indexer only indexed abstracts."""

from __future__ import annotations

from tests.app_helpers import build_library, make_app, settle
from tuireader.library import Library


async def test_indexing_elsewhere_does_not_search_again_but_a_star_does(tmp_path, monkeypatch):
    path = build_library(tmp_path, decorate=False)
    with Library.open(path) as library:
        library.conn.execute("INSERT OR IGNORE INTO pending_abstracts SELECT id FROM papers")
        library.conn.commit()
        assert library.pending_abstracts() > 0
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        searches: list[str] = []
        search = app.searcher.search

        def counted(text, **kwargs):
            searches.append(text)
            return search(text, **kwargs)

        monkeypatch.setattr(app.searcher, "search", counted)
        with Library.open(path) as other:
            while other.index_abstracts(batch=5):
                pass
        screen._poll_library()
        await settle(pilot)
        assert searches == []  # the file changed, what the reader shows did not
        with Library.open(path) as other:
            other.set_starred(other.ordered_ids()[:2], True)
        screen._poll_library()
        await settle(pilot)
        assert len(searches) == 1
        assert screen._counts["starred"] == 2
