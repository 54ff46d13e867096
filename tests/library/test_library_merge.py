"""Identity and merging: one paper per folded title, fields filled, the reader state untouched."""

from __future__ import annotations

import pytest

from tests.helpers import dump, paper, snapshot
from tests.library_helpers import (
    add,
    by_title,
)
from tuireader.library import Library
from tuireader.models import Clause, Kind
from tuireader.search import Engine


@pytest.fixture
def lib(tmp_path):
    library = Library.open(tmp_path / "lib.db")
    yield library
    library.close()


# -- identity and merging ---------------------------------------------------------------------


def test_folded_titles_are_one_paper(lib):
    add(lib, dump(paper("Qwen2.5 Technical Report")), file="a.txt")
    counts = add(
        lib,
        dump(paper("QWEN 2.5: technical report"), paper("qwen2.5 — Technical  Report!")),
        file="b.txt",
    )
    assert counts.new == 0
    assert lib.count() == 1
    add(lib, dump(paper("Café Au Lait Networks")), file="c.txt")
    assert add(lib, dump(paper("Cafe au lait networks")), file="d.txt").new == 0
    assert lib.count() == 2
    # The first spelling seen is the one kept.
    assert {p.title for p in lib.get_papers(lib.ordered_ids())} == {
        "Qwen2.5 Technical Report",
        "Café Au Lait Networks",
    }


def test_similar_titles_stay_separate(lib):
    counts = add(lib, dump(paper("Qwen2.5 Technical Report"), paper("Qwen2.5-1M Technical Report")))
    assert counts.new == 2
    add(lib, dump(paper("Qwen2.5 Technical Report", line=7)), file="again.txt")
    assert sorted(p.title for p in lib.get_papers(lib.ordered_ids())) == [
        "Qwen2.5 Technical Report",
        "Qwen2.5-1M Technical Report",
    ]


def test_merge_fills_missing_fields_and_keeps_known_ones(lib):
    add(
        lib,
        dump(
            paper(
                "Gradient Sketching with Param$Δ$",
                abstract="",
                authors=["Ingrid Solberg", "Jean-Luc Moreau"],
                author_count=2,
                published="2025-03-03",
                published_raw="Mar 3",
                has_code=True,
                category="AI",
                score=61.2,
            )
        ),
        file="author.txt",
    )
    lib.index_abstracts()
    counts = add(
        lib,
        dump(
            paper(
                "Gradient sketching with Param$Δ$",
                abstract="We sketch the difference between two checkpoints with a random projection.",
                author_count=5,
                organization="Sketch Lab",
                org_handle="sketchlab",
                published="2024-03-03",
                published_raw="Mar 3, 2024",
                upvotes=12,
            ),
            page_date="2025-04-01",
        ),
        file="daily.txt",
    )
    assert (counts.new, counts.merged, counts.unchanged) == (0, 1, 0)
    merged = by_title(lib, "Gradient Sketching with Param$Δ$")
    assert merged.abstract.startswith("We sketch the difference")
    assert merged.organization == "Sketch Lab" and merged.org_handle == "sketchlab"
    assert merged.upvotes == 12
    # Known fields are not overwritten by a later dump.
    assert merged.authors == ["Ingrid Solberg", "Jean-Luc Moreau"]
    assert merged.author_count == 2
    assert merged.published == "2025-03-03" and merged.published_raw == "Mar 3"
    assert merged.has_code is True and merged.category == "AI" and merged.score == 61.2
    # The newly filled abstract is re-indexed at once (the paper was indexed already) and found.
    assert lib.pending_abstracts() == 0
    assert Engine(lib).find_ids([Clause(Kind.TEXT, "checkpoints")]) == [merged.id]
    assert lib.query("SELECT rowid FROM all_fts WHERE all_fts MATCH 'projection'") == [
        (merged.id,)
    ]


def test_merge_prefers_a_complete_author_list(lib):
    add(lib, dump(paper("Self-Correcting Agents", authors=["Kenji Watanabe"], authors_truncated=True)))
    add(
        lib,
        dump(paper("Self-Correcting Agents", authors=["Kenji Watanabe", "Ana Ruiz", "Li Wei"])),
        file="full.txt",
    )
    merged = by_title(lib, "Self-Correcting Agents")
    assert merged.authors == ["Kenji Watanabe", "Ana Ruiz", "Li Wei"]
    assert not merged.authors_truncated


def test_merge_keeps_the_upvotes_of_the_newest_page(lib):
    title = "Lantern: Sparse Attention for Very Long Lecture Transcripts"
    add(lib, dump(paper(title, upvotes=10), page_date="2025-06-10"), file="june.txt")
    add(lib, dump(paper(title, upvotes=3), page_date="2025-05-01"), file="may.txt")
    assert by_title(lib, title).upvotes == 10
    add(lib, dump(paper(title, upvotes=25), page_date="2025-07-01"), file="july.txt")
    assert by_title(lib, title).upvotes == 25
    add(lib, dump(paper(title), page_date="2025-08-01"), file="august.txt")
    assert by_title(lib, title).upvotes == 25


def test_merge_records_where_each_paper_was_seen(lib):
    add(lib, dump(paper("Tidepool", line=21, upvotes=4), paper("Whisker", line=33)), file="one.txt")
    add(lib, dump(paper("Tidepool", line=5, upvotes=9)), file="two.txt")
    tidepool, whisker = by_title(lib, "Tidepool"), by_title(lib, "Whisker")
    assert tidepool.sources == ["one.txt", "two.txt"]
    assert whisker.sources == ["one.txt"]
    rows = lib.query(
        "SELECT i.file, s.line, s.upvotes FROM sightings s JOIN imports i ON i.id = s.import_id"
        " WHERE s.paper_id = ? ORDER BY i.id",
        (tidepool.id,),
    )
    assert [tuple(r) for r in rows] == [("one.txt", 21, 4), ("two.txt", 5, 9)]


def test_merge_never_touches_the_readers_state(lib):
    add(lib, dump(paper("Kestrel-7B Technical Report", upvotes=1), page_date="2025-04-01"))
    kestrel = by_title(lib, "Kestrel-7B Technical Report")
    lib.set_read([kestrel.id])
    lib.set_starred([kestrel.id])
    lib.add_tag([kestrel.id], "llm")
    lib.set_note(kestrel.id, "compare with Meridian")
    state_sql = (
        "SELECT read, read_at, starred, starred_at, notes, notes_at FROM papers WHERE id = ?"
    )
    before = [tuple(r) for r in lib.query(state_sql, (kestrel.id,))]
    tags_before = [tuple(r) for r in lib.query("SELECT * FROM paper_tags")]
    journal_before = [tuple(r) for r in lib.query("SELECT * FROM journal")]

    counts = add(
        lib,
        dump(
            paper("KESTREL-7B technical report", organization="Kestrel", upvotes=31),
            page_date="2025-04-09",
        ),
        file="later.txt",
    )
    assert counts.merged == 1
    after = by_title(lib, "Kestrel-7B Technical Report")
    assert after.upvotes == 31 and after.organization == "Kestrel"
    assert [tuple(r) for r in lib.query(state_sql, (kestrel.id,))] == before
    assert [tuple(r) for r in lib.query("SELECT * FROM paper_tags")] == tags_before
    assert [tuple(r) for r in lib.query("SELECT * FROM journal")] == journal_before
    assert after.read and after.starred and after.tags == ["llm"]
    assert after.notes == "compare with Meridian"


def test_reimporting_the_same_dump_writes_nothing(lib, tmp_path):
    result = dump(
        paper("Lantern", upvotes=7, author_count=4),
        paper("Tidepool", organization="Ocean Lab Kiel", org_handle="oceanlab"),
        paper("Small Gardens, Big Models"),
        page_date="2026-04-09",
    )
    first = add(lib, result)
    assert first.new == 3
    before = snapshot(tmp_path / "lib.db")
    again = add(lib, result)
    assert (again.new, again.merged, again.unchanged) == (0, 0, 3)
    assert again.already_imported
    assert snapshot(tmp_path / "lib.db") == before


def test_reimporting_an_undated_dump_on_a_later_day_writes_nothing(lib, tmp_path, monkeypatch):
    """A dump without a page date is dated by its first import, not by every later one."""
    from tuireader.library import merge

    result = dump(paper("Lantern", upvotes=7), paper("Whisker", upvotes=12), paper("Q-Ferry"))
    monkeypatch.setattr(merge, "now", lambda: "2026-01-01T09:00:00+00:00")
    assert add(lib, result).new == 3
    before = snapshot(tmp_path / "lib.db")
    monkeypatch.setattr(merge, "now", lambda: "2026-01-05T09:00:00+00:00")
    again = add(lib, result)
    assert (again.new, again.merged) == (0, 0)
    assert again.already_imported
    assert snapshot(tmp_path / "lib.db") == before


def test_dry_run_counts_but_writes_nothing(lib, tmp_path):
    add(lib, dump(paper("Known Paper", upvotes=1), page_date="2025-01-01"), file="first.txt")
    before = snapshot(tmp_path / "lib.db")
    counts = add(
        lib,
        dump(paper("Known Paper", upvotes=5), paper("Brand New Paper"), page_date="2025-02-01"),
        file="second.txt",
        dry_run=True,
    )
    assert (counts.new, counts.merged) == (1, 1)
    assert snapshot(tmp_path / "lib.db") == before


@pytest.mark.parametrize("fail_after", [0, 1, 3])
def test_a_failed_import_leaves_the_library_exactly_as_before(lib, tmp_path, fail_after):
    add(lib, dump(paper("Alpha", upvotes=1), paper("Beta", abstract=""), page_date="2025-01-01"))
    alpha = by_title(lib, "Alpha")
    lib.set_read([alpha.id])
    lib.add_tag([alpha.id], "keep")
    before = snapshot(tmp_path / "lib.db")
    result = dump(
        paper("Alpha", upvotes=50, organization="Org"),
        paper("Beta", abstract="Now Beta has an abstract of its own."),
        paper("Gamma"),
        paper("Delta"),
        page_date="2025-03-01",
    )
    with pytest.raises(RuntimeError, match="simulated failure"):
        add(lib, result, file="broken.txt", fail_after=fail_after)
    assert snapshot(tmp_path / "lib.db") == before
    # The library still works, and the same dump imports fine afterwards.
    counts = add(lib, result, file="broken.txt")
    assert (counts.new, counts.merged) == (2, 2)
    assert lib.count() == 4


def test_progress_reports_papers_written(lib):
    calls = []
    add(lib, dump(*[paper(f"Paper number {i}") for i in range(7)]), progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1] == (7, 7)


def test_a_dump_is_written_with_the_import_cache_and_the_reading_cache_comes_back(lib):
    from tuireader.library import merge, preparing

    seen = []
    lib.add_dump(
        dump(paper("Cached Pages")),
        file="a.txt",
        path=None,
        sha256="a" * 64,
        progress=lambda done, total: seen.append(lib.query("PRAGMA cache_size")[0][0]),
    )
    assert seen == [-merge.IMPORT_CACHE_KIB]
    assert lib.query("PRAGMA cache_size") == [(-preparing.CACHE_KIB,)]
    with pytest.raises(RuntimeError):
        lib.add_dump(dump(paper("Failing")), file="b.txt", path=None, sha256="b" * 64, fail_after=0)
    assert lib.query("PRAGMA cache_size") == [(-preparing.CACHE_KIB,)]


def _indexes(conn) -> list[tuple]:
    return conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    ).fetchall()


def test_a_big_import_builds_the_unordered_indexes_at_its_end_and_readers_never_miss_them(
    tmp_path, monkeypatch
):
    import sqlite3

    from tuireader.library import preparing, writing

    monkeypatch.setattr(writing, "DEFER_MIN_PAPERS", 2)
    papers = [paper(f"Paper {n}", upvotes=n % 7, comments=n % 5) for n in range(30)]
    plain = Library.open(tmp_path / "plain.db")
    expected_indexes = _indexes(plain.conn)
    monkeypatch.setattr(writing, "DEFER_MIN_PAPERS", 10**9)
    add(plain, dump(*papers))
    monkeypatch.setattr(writing, "DEFER_MIN_PAPERS", 2)
    library = Library.open(tmp_path / "lib.db")
    reader = sqlite3.connect(tmp_path / "lib.db")
    during = []

    def look(done: int, total: int) -> None:
        during.append(({n for n, _ in _indexes(library.conn)}, {n for n, _ in _indexes(reader)}))

    library.add_dump(dump(*papers), file="a.txt", path=None, sha256="a" * 64, progress=look)
    ((mine, theirs),) = during
    assert not mine & set(writing.DEFERRED_INDEXES)  # dropped inside the import's transaction
    assert set(writing.DEFERRED_INDEXES) <= theirs  # while a reader still has them
    assert _indexes(library.conn) == expected_indexes
    assert library.query("PRAGMA cache_size") == [(-preparing.CACHE_KIB,)]  # (sorted, restored)
    rows = "SELECT id, key, title, upvotes, comments, published, cite_key FROM papers ORDER BY id"
    assert library.query(rows) == plain.query(rows) and library.count() == 30
    assert library.query("PRAGMA integrity_check") == [("ok",)]
    reader.close()


def test_a_big_import_that_fails_keeps_every_index(tmp_path, monkeypatch):
    from tuireader.library import writing

    monkeypatch.setattr(writing, "DEFER_MIN_PAPERS", 2)
    library = Library.open(tmp_path / "lib.db")
    before = _indexes(library.conn)
    papers = [paper(f"Paper {n}") for n in range(10)]
    with pytest.raises(RuntimeError):
        library.add_dump(dump(*papers), file="a.txt", path=None, sha256="a" * 64, fail_after=5)
    assert _indexes(library.conn) == before and library.count() == 0


def test_an_import_smaller_than_the_library_keeps_its_indexes_throughout(tmp_path, monkeypatch):
    from tuireader.library import writing

    monkeypatch.setattr(writing, "DEFER_MIN_PAPERS", 2)
    library = Library.open(tmp_path / "lib.db")
    add(library, dump(*[paper(f"Paper {n}") for n in range(20)]), file="a.txt")
    during = []
    library.add_dump(
        dump(paper("One more"), paper("And another")),
        file="b.txt",
        path=None,
        sha256="b" * 64,
        progress=lambda done, total: during.append({n for n, _ in _indexes(library.conn)}),
    )
    assert set(writing.DEFERRED_INDEXES) <= during[0]
