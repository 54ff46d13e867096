"""Upvotes and comment counts kept apart: migration, merging, sightings, sort, search, display."""

from __future__ import annotations

import sqlite3

import pytest

from tests.helpers import dump, make_v1, paper
from tests.library_helpers import add, by_title
from tuireader.importer import import_file
from tuireader.library import Library
from tuireader.library.schema import SCHEMA_VERSION
from tuireader.search import QueryError, Searcher


@pytest.fixture
def lib(tmp_path):
    library = Library.open(tmp_path / "lib.db")
    yield library
    library.close()


def test_migration_moves_old_upvotes_to_comments(tmp_path, fixtures):
    path = tmp_path / "lib.db"
    with Library.open(path) as library:
        assert import_file(fixtures / "daily_papers.txt", library).ok
    make_v1(path)
    with sqlite3.connect(path) as conn:
        old = dict(conn.execute("SELECT title, upvotes FROM papers WHERE upvotes IS NOT NULL"))
    assert len(old) == 3  # Lantern 7, Whisker 12, Kestrel 31, as the fixture prints them
    with Library.open(path) as library:
        meta = dict(library.query("SELECT key, value FROM meta"))
        assert meta["schema_version"] == str(SCHEMA_VERSION)
        for title, number in old.items():
            moved = by_title(library, title)
            assert (moved.upvotes, moved.comments) == (None, number)
        rows = library.query("SELECT upvotes, comments FROM sightings WHERE comments IS NOT NULL")
        assert sorted(r[1] for r in rows) == sorted(old.values())
        assert all(r[0] is None for r in rows)
        # and the next import merges into the migrated rows without a hitch
        report = import_file(fixtures / "current_daily_papers.txt", library)
        assert report.ok and report.new == 4
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("lib.db.v1")]
    assert backups, "a migration copies the old file aside first"


def test_sightings_keep_both_counts_across_dumps(lib):
    title = "Marigold Fields"
    add(lib, dump(paper(title, upvotes=40, comments=2), page_date="2026-05-01"), file="may.txt")
    add(lib, dump(paper(title, upvotes=90, comments=5), page_date="2026-06-01"), file="june.txt")
    add(lib, dump(paper(title, comments=1), page_date="2025-06-01"), file="seed.txt")
    stored = by_title(lib, title)
    assert (stored.upvotes, stored.comments) == (90, 5)  # the newest page wins, each on its own
    history = lib.query(
        "SELECT i.file, s.upvotes, s.comments FROM sightings s JOIN imports i ON i.id = s.import_id"
        " ORDER BY i.id"
    )
    assert [tuple(r) for r in history] == [("may.txt", 40, 2), ("june.txt", 90, 5), ("seed.txt", None, 1)]


def test_a_newer_page_replaces_comments_without_touching_upvotes(lib):
    title = "Slow Tokens"
    add(lib, dump(paper(title, upvotes=12, comments=1), page_date="2026-05-01"), file="a.txt")
    add(lib, dump(paper(title, comments=4), page_date="2026-05-09"), file="b.txt")
    stored = by_title(lib, title)
    assert (stored.upvotes, stored.comments) == (12, 4)


def test_sort_by_comments_and_has_clauses(lib):
    add(
        lib,
        dump(
            paper("Many Upvotes Few Comments", upvotes=300, comments=1, published="2026-05-01"),
            paper("Few Upvotes Many Comments", upvotes=2, comments=40, published="2026-05-02"),
            paper("Nobody Upvoted", upvotes=0, published="2026-05-03"),
            paper("Seed Era", comments=7, published="2026-05-04"),
        ),
    )
    searcher = Searcher(lib)
    titles = lambda ids: [lib.get_paper(i).title for i in ids]  # noqa: E731
    assert titles(searcher.search("", sort="upvotes").ids)[:2] == [
        "Many Upvotes Few Comments",
        "Few Upvotes Many Comments",
    ]
    assert titles(searcher.search("", sort="comments").ids)[:3] == [
        "Few Upvotes Many Comments",
        "Seed Era",
        "Many Upvotes Few Comments",
    ]
    assert set(titles(searcher.search("has:upvotes").ids)) == {
        "Many Upvotes Few Comments",
        "Few Upvotes Many Comments",
    }
    assert set(titles(searcher.search("has:comments").ids)) == {
        "Many Upvotes Few Comments",
        "Few Upvotes Many Comments",
        "Seed Era",
    }
    assert titles(searcher.search("-has:comments").ids) == ["Nobody Upvoted"]
    with pytest.raises(QueryError, match="has:upvotes, has:comments"):
        searcher.search("has:votes")


def test_list_rows_and_the_pane_say_which_is_which(lib):
    from tuireader.widgets.abstract_pane import paper_text

    add(lib, dump(paper("Both Counts", upvotes=214, comments=6), paper("Seed Era", comments=1)))
    rows = {row.title: row for row in lib.rows(lib.ordered_ids())}
    assert (rows["Both Counts"].upvotes, rows["Both Counts"].comments) == (214, 6)
    assert (rows["Seed Era"].upvotes, rows["Seed Era"].comments) == (None, 1)
    text = paper_text(by_title(lib, "Both Counts")).plain
    assert "214 upvotes · 6 comments" in text
    seed = paper_text(by_title(lib, "Seed Era")).plain
    assert "1 comment" in seed and "upvote" not in seed
