"""The reader state with undo and redo, saved searches, the abstract index, two connections."""

from __future__ import annotations

import threading

import pytest

from tests.helpers import dump, paper
from tests.library_helpers import (
    _stamp,
    add,
    by_title,
)
from tuireader.library import Library, preparing
from tuireader.library.schema import MIGRATIONS, SCHEMA_VERSION
from tuireader.models import Clause, Kind
from tuireader.search import Engine


@pytest.fixture
def lib(tmp_path):
    library = Library.open(tmp_path / "lib.db")
    yield library
    library.close()


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
        pid = lib.ordered_ids()[0]
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
        ids = writer.ordered_ids()
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
            Engine(reader).find_ids([Clause(Kind.TEXT, "paper")])
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
