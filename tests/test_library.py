"""The library file: opening and refusing files, merging imports, atomicity, state and undo."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import threading

import pytest

from tests.helpers import dump, paper, snapshot
from tuireader.library import Library, LibraryError, preparing
from tuireader.library.schema import MIGRATIONS, SCHEMA_VERSION
from tuireader.models import Clause


def add(library: Library, result, file: str = "dump.txt", **kwargs):
    """Write ``result`` as if it came from ``file`` (its sha256 derived from the titles)."""
    digest = hashlib.sha256(
        (file + "|" + "|".join(p.title for p in result.papers)).encode()
    ).hexdigest()
    return library.add_dump(result, file=file, path=f"/dumps/{file}", sha256=digest, **kwargs)


def by_title(library: Library, title: str):
    """The stored paper whose title is exactly ``title``."""
    rows = library.query("SELECT id FROM papers WHERE title = ?", (title,))
    assert len(rows) == 1, f"{title!r} stored {len(rows)} times"
    return library.get_paper(rows[0][0])


@pytest.fixture
def lib(tmp_path):
    library = Library.open(tmp_path / "lib.db")
    yield library
    library.close()


def _stamp(text: str) -> dt.datetime:
    """An ISO timestamp as written by the library (it must parse and carry a time zone)."""
    value = dt.datetime.fromisoformat(text)
    assert value.tzinfo is not None
    return value


# -- opening and refusing files ---------------------------------------------------------------


def test_open_creates_the_file_and_missing_folders(tmp_path):
    path = tmp_path / "deep" / "er" / "lib.db"
    with Library.open(path) as library:
        assert library.count() == 0
        assert library.path == path
    assert path.is_file()
    assert path.read_bytes().startswith(b"SQLite format 3\x00")


def test_reopening_keeps_what_was_written(tmp_path):
    path = tmp_path / "lib.db"
    with Library.open(path) as library:
        add(library, dump(paper("Persistent Homology for Sourdough")))
    with Library.open(path) as library:
        assert [p.title for p in library.get_papers(library.find_ids())] == [
            "Persistent Homology for Sourdough"
        ]


def test_open_without_create_refuses_a_missing_file(tmp_path):
    with pytest.raises(LibraryError, match="no library"):
        Library.open(tmp_path / "nothing.db", create=False)
    assert not (tmp_path / "nothing.db").exists()


def test_wal_mode_and_schema_version_in_meta(lib, tmp_path):
    assert lib.query("PRAGMA journal_mode")[0][0].lower() == "wal"
    conn = sqlite3.connect(tmp_path / "lib.db")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    finally:
        conn.close()
    assert meta["app"] == "tuireader"
    assert meta["schema_version"] == str(SCHEMA_VERSION)


def _refused(path, match: str) -> None:
    """Opening ``path`` raises a clear LibraryError and leaves the file and its folder as they were."""
    before = path.read_bytes()
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(LibraryError, match=match) as info:
        Library.open(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == siblings


@pytest.mark.parametrize(
    "content",
    [
        b"Shopping list\n\n- eggs\n- oat milk\n",
        b"SQLite",  # shorter than a header
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40),
    ],
)
def test_refuses_a_file_that_is_not_sqlite(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    _refused(path, "not a tuireader library")


def test_refuses_another_sqlite_database(tmp_path):
    path = tmp_path / "bookmarks.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks (url TEXT, title TEXT)")
    conn.execute("INSERT INTO bookmarks VALUES ('https://example.org', 'Example')")
    conn.commit()
    conn.close()
    _refused(path, "not a tuireader library")


def test_refuses_sqlite_whose_meta_table_belongs_to_another_app(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('app', 'someone-else'), ('schema_version', '1')")
    conn.commit()
    conn.close()
    _refused(path, "not a tuireader library")


def test_refuses_a_damaged_file(tmp_path):
    path = tmp_path / "damaged.db"
    garbage = bytes((i * 37 + 11) % 256 for i in range(8192))
    path.write_bytes(b"SQLite format 3\x00" + garbage)
    _refused(path, "damaged")


def test_refuses_a_library_whose_pages_were_overwritten(tmp_path):
    path = tmp_path / "lib.db"
    with Library.open(path) as library:
        add(library, dump(paper("A Paper That Will Be Lost")))
    data = bytearray(path.read_bytes())
    data[100:] = bytes((i * 91 + 7) % 256 for i in range(len(data) - 100))
    path.write_bytes(bytes(data))
    _refused(path, "damaged|not a tuireader library")


def test_refuses_a_folder(tmp_path):
    folder = tmp_path / "library.db"
    folder.mkdir()
    with pytest.raises(LibraryError, match="folder"):
        Library.open(folder)
    assert folder.is_dir() and not any(folder.iterdir())


def test_refuses_a_library_from_a_newer_version(tmp_path):
    path = tmp_path / "lib.db"
    Library.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 5),))
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="newer"):
        Library.open(path)
    assert path.read_bytes() == before


def test_refuses_a_location_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be\n")
    with pytest.raises(LibraryError, match="cannot create"):
        Library.open(blocker / "lib.db")
    assert blocker.read_text() == "a file where a folder should be\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_refuses_a_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(LibraryError):
            Library.open(folder / "lib.db")
        assert not any(folder.iterdir())
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_refuses_a_read_only_library(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "lib.db"
    with Library.open(path) as library:
        add(library, dump(paper("Read Only Paper")))
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        before = path.read_bytes()
        try:
            library = Library.open(path)
        except LibraryError:
            pass
        else:  # opened: then writing must fail cleanly, not corrupt anything
            with pytest.raises((LibraryError, sqlite3.OperationalError)):
                library.set_read(library.find_ids())
            library.close()
        assert path.read_bytes() == before
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_migration_copies_the_old_file_aside(tmp_path, monkeypatch):
    path = tmp_path / "lib.db"
    with Library.open(path) as library:
        add(library, dump(paper("Kept Across Migrations")))
        library.set_starred(library.find_ids())
    monkeypatch.setattr(preparing, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION, ["ALTER TABLE papers ADD COLUMN venue TEXT;"])

    with Library.open(path) as library:
        meta = dict(library.query("SELECT key, value FROM meta"))
        assert meta["schema_version"] == str(SCHEMA_VERSION + 1)
        columns = [row[1] for row in library.query("PRAGMA table_info(papers)")]
        assert "venue" in columns
        kept = by_title(library, "Kept Across Migrations")
        assert kept.starred

    backup = tmp_path / f"lib.db.v{SCHEMA_VERSION}.bak"
    assert backup.is_file()
    conn = sqlite3.connect(backup)
    try:
        assert dict(conn.execute("SELECT key, value FROM meta"))["schema_version"] == str(
            SCHEMA_VERSION
        )
        assert "venue" not in [row[1] for row in conn.execute("PRAGMA table_info(papers)")]
        assert conn.execute("SELECT title, starred FROM papers").fetchall() == [
            ("Kept Across Migrations", 1)
        ]
    finally:
        conn.close()

    # Opening again does not migrate (or back up) twice.
    backup.unlink()
    Library.open(path).close()
    assert not backup.exists()


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
    assert {p.title for p in lib.get_papers(lib.find_ids())} == {
        "Qwen2.5 Technical Report",
        "Café Au Lait Networks",
    }


def test_similar_titles_stay_separate(lib):
    counts = add(lib, dump(paper("Qwen2.5 Technical Report"), paper("Qwen2.5-1M Technical Report")))
    assert counts.new == 2
    add(lib, dump(paper("Qwen2.5 Technical Report", line=7)), file="again.txt")
    assert sorted(p.title for p in lib.get_papers(lib.find_ids())) == [
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
    assert lib.find_ids([Clause("text", "checkpoints")]) == [merged.id]
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


# -- the reader's state, undo and redo --------------------------------------------------------


@pytest.fixture
def three(lib):
    add(lib, dump(paper("First Paper"), paper("Second Paper"), paper("Third Paper")))
    ids = [by_title(lib, t).id for t in ("First Paper", "Second Paper", "Third Paper")]
    return lib, ids


def _state(lib, paper_id):
    row = lib.query(
        "SELECT read, read_at, starred, starred_at, notes, notes_at FROM papers WHERE id = ?",
        (paper_id,),
    )[0]
    return tuple(row)


def test_set_read_and_starred_with_timestamps(three):
    lib, (a, b, c) = three
    assert _state(lib, a) == (0, None, 0, None, None, None)
    assert lib.set_read([a, b]) == 2
    assert lib.set_read([a, b]) == 0  # already read: nothing changes, no journal entry
    assert lib.set_starred([b]) == 1
    read, read_at, starred, starred_at, _, _ = _state(lib, b)
    assert read == 1 and starred == 1
    assert _stamp(read_at) and _stamp(starred_at)
    assert _state(lib, c)[:4] == (0, None, 0, None)
    assert [p.read for p in lib.get_papers([a, b, c])] == [True, True, False]
    assert lib.set_read([a], False) == 1
    assert not lib.get_paper(a).read
    assert len(lib.history()) == 3


def test_tags_with_timestamps(three):
    lib, (a, b, c) = three
    assert lib.add_tag([a, b], "  to read ") == 2
    assert lib.add_tag([a, b, c], "TO-READ") == 1  # same tag, any case; only c gains it
    assert lib.tags() == [("to-read", 3)]
    added = lib.query("SELECT added_at FROM paper_tags")
    assert len(added) == 3 and all(_stamp(row[0]) for row in added)
    assert lib.get_paper(a).tags == ["to-read"]
    assert lib.remove_tag([a, c], "to-read") == 2
    assert lib.get_paper(b).tags == ["to-read"] and lib.get_paper(a).tags == []
    assert lib.remove_tag([a], "never-made") == 0
    with pytest.raises(ValueError):
        lib.add_tag([a], "   ")


def test_remove_tag_accepts_the_spelling_add_tag_accepted(three):
    lib, (a, _, _) = three
    lib.add_tag([a], "to read")
    assert lib.remove_tag([a], "to read") == 1
    assert lib.get_paper(a).tags == []


def test_set_note(three):
    lib, (a, _, _) = three
    assert lib.set_note(a, "Read section 3 again.") is True
    assert lib.set_note(a, "Read section 3 again.") is False
    paper_a = lib.get_paper(a)
    assert paper_a.notes == "Read section 3 again."
    assert _stamp(_state(lib, a)[5])
    assert lib.set_note(a, "   ") is True
    assert lib.get_paper(a).notes is None


def test_undo_and_redo_across_kinds_of_change(three):
    lib, (a, b, c) = three
    lib.set_read([a])
    lib.set_starred([b])
    lib.add_tag([a, c], "later")
    lib.set_note(c, "a note")
    lib.remove_tag([a], "later")

    assert lib.undo() is not None  # the untag
    assert lib.get_paper(a).tags == ["later"]
    assert lib.undo() is not None  # the note
    assert lib.get_paper(c).notes is None and _state(lib, c)[5] is None
    assert lib.undo() is not None  # the tag
    assert lib.tags() == []
    assert lib.undo() is not None  # the star
    assert _state(lib, b)[2:4] == (0, None)
    assert lib.undo() is not None  # the read
    assert _state(lib, a) == (0, None, 0, None, None, None)
    assert lib.undo() is None

    assert lib.redo() is not None  # read
    assert lib.get_paper(a).read
    assert lib.redo() is not None  # star
    assert lib.redo() is not None  # tag
    assert lib.get_paper(c).tags == ["later"] and lib.get_paper(a).tags == ["later"]
    assert lib.redo() is not None  # note
    assert lib.get_paper(c).notes == "a note"
    assert lib.redo() is not None  # untag
    assert lib.get_paper(a).tags == [] and lib.get_paper(c).tags == ["later"]
    assert lib.redo() is None


def test_undo_restores_the_old_timestamps(three):
    lib, (a, _, _) = three
    lib.set_read([a])
    first = _state(lib, a)
    lib.set_read([a], False)
    lib.undo()
    assert _state(lib, a) == first
    lib.redo()
    assert _state(lib, a)[0] == 0


def test_a_bulk_change_is_one_undo_step(three):
    lib, ids = three
    lib.set_read([ids[0]])
    assert lib.set_starred(ids) == 3
    assert lib.set_read(ids) == 2
    lib.undo()
    assert [p.read for p in lib.get_papers(ids)] == [True, False, False]
    assert all(p.starred for p in lib.get_papers(ids))
    lib.undo()
    assert not any(p.starred for p in lib.get_papers(ids))
    assert lib.add_tag(ids, "bulk") == 3
    lib.undo()
    assert lib.tags() == []
    lib.redo()
    assert lib.tags() == [("bulk", 3)]


def test_undo_history_survives_close_and_reopen(tmp_path):
    path = tmp_path / "lib.db"
    with Library.open(path) as lib:
        add(lib, dump(paper("Durable")))
        pid = lib.find_ids()[0]
        lib.set_starred([pid])
        lib.add_tag([pid], "keep")
    with Library.open(path) as lib:
        assert [e.action for e in lib.history()] == ["tag", "star"]
        lib.undo()
        assert lib.get_paper(pid).tags == []
    with Library.open(path) as lib:
        assert lib.redo() is not None
        assert lib.get_paper(pid).tags == ["keep"]
        lib.undo()
        lib.undo()
        assert not lib.get_paper(pid).starred


def test_a_new_change_after_undo_clears_redo(three):
    lib, (a, b, _) = three
    lib.set_read([a])
    lib.set_starred([a])
    lib.undo()
    lib.set_starred([b])
    assert lib.redo() is None
    assert not lib.get_paper(a).starred and lib.get_paper(b).starred
    assert [e.undone for e in lib.history()] == [False, False]


def test_a_change_that_changes_nothing_keeps_redo(three):
    lib, (a, _, _) = three
    lib.set_starred([a])
    lib.undo()
    assert lib.set_read([]) == 0
    assert lib.redo() is not None
    assert lib.get_paper(a).starred


# -- saved searches and the abstract index ----------------------------------------------------


def test_saved_searches(lib):
    assert lib.saved_searches() == []
    lib.save_search("unread llm", "is:unread llm")
    lib.save_search("Agents", "agent tag:to-read")
    lib.save_search("  budget  ", "budget year:2025")
    assert lib.saved_searches() == [
        ("Agents", "agent tag:to-read"),
        ("budget", "budget year:2025"),
        ("unread llm", "is:unread llm"),
    ]
    lib.save_search("Agents", "agent -is:read")
    assert ("Agents", "agent -is:read") in lib.saved_searches()
    lib.delete_saved_search("unread llm")
    assert [name for name, _ in lib.saved_searches()] == ["Agents", "budget"]


def test_index_abstracts_in_batches(lib):
    papers = [paper(f"Untitled number {i}", abstract=f"Abstract {i} mentions zymurgy.") for i in range(5)]
    add(lib, dump(*papers))
    assert lib.pending_abstracts() == 5
    assert lib.index_abstracts(batch=2) == 3
    assert lib.index_abstracts(batch=2) == 1
    assert lib.index_abstracts(batch=2) == 0
    assert lib.index_abstracts() == 0
    rows = lib.query("SELECT rowid FROM all_fts WHERE all_fts MATCH 'zymurgy'")
    assert len(rows) == 5


# -- two connections on one file --------------------------------------------------------------


def test_two_libraries_on_one_file_never_see_database_locked(tmp_path):
    path = tmp_path / "shared.db"
    writer, reader = Library.open(path), Library.open(path)
    try:
        add(writer, dump(*[paper(f"Seed paper {i}") for i in range(30)]))
        ids = writer.find_ids()
        errors: list[BaseException] = []

        def write() -> None:
            try:
                for round_ in range(40):
                    writer.set_read(ids[round_ % 10 :: 3], round_ % 2 == 0)
                    add(writer, dump(paper(f"Thread paper {round_}")), file=f"thread{round_}.txt")
                    writer.index_abstracts()
                    if round_ % 5 == 0:
                        writer.undo()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        thread = threading.Thread(target=write)
        thread.start()
        for round_ in range(40):
            reader.count()
            reader.find_ids([Clause("text", "paper")])
            reader.get_papers(ids[:5])
            reader.add_tag(ids[round_ % 30 : round_ % 30 + 2], f"t{round_ % 4}")
            reader.set_starred([ids[round_ % 30]], round_ % 3 != 0)
        thread.join(timeout=120)
        assert not thread.is_alive()
        assert errors == []
        assert reader.count() == 70 and writer.count() == 70
        assert reader.counts()["imports"] == 41
    finally:
        writer.close()
        reader.close()


def test_a_migration_step_can_use_sqlite_utils(tmp_path, monkeypatch):
    path = tmp_path / "lib.db"
    with Library.open(path) as library:
        add(library, dump(paper("Kept Across Migrations")))
    monkeypatch.setattr(preparing, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(
        MIGRATIONS, SCHEMA_VERSION, [lambda db: db["papers"].add_column("venue", str)]
    )
    with Library.open(path) as library:
        assert "venue" in [row[1] for row in library.query("PRAGMA table_info(papers)")]
        assert dict(library.query("SELECT key, value FROM meta"))["schema_version"] == str(
            SCHEMA_VERSION + 1
        )
        assert by_title(library, "Kept Across Migrations").title == "Kept Across Migrations"
    assert (tmp_path / f"lib.db.v{SCHEMA_VERSION}.bak").is_file()
