"""Opening a library file, refusing what is not one, migrating an older one."""

from __future__ import annotations

import os
import sqlite3

import pytest

from tests.helpers import dump, paper
from tests.library_helpers import (
    add,
    by_title,
)
from tuireader.library import Library, LibraryError, preparing
from tuireader.library.schema import MIGRATIONS, SCHEMA_VERSION


@pytest.fixture
def lib(tmp_path):
    library = Library.open(tmp_path / "lib.db")
    yield library
    library.close()


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
        assert [p.title for p in library.get_papers(library.ordered_ids())] == [
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


def test_a_new_library_has_bigger_pages_and_an_older_file_keeps_its_own(lib, tmp_path):
    assert lib.query("PRAGMA page_size") == [(8192,)]
    older = tmp_path / "older.db"
    conn = sqlite3.connect(older)  # (SQLite's default pages: what earlier versions created)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('app', 'tuireader'), ('schema_version', '0')")
    conn.commit()
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    conn.close()
    with Library.open(older) as library:
        add(library, dump(paper("Kept on small pages")))
        assert library.query("PRAGMA page_size") == [(4096,)]
        assert library.count() == 1


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
                library.set_read(library.ordered_ids())
            library.close()
        assert path.read_bytes() == before
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_migration_copies_the_old_file_aside(tmp_path, monkeypatch):
    path = tmp_path / "lib.db"
    with Library.open(path) as library:
        add(library, dump(paper("Kept Across Migrations")))
        library.set_starred(library.ordered_ids())
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


def test_any_sqlite_failure_in_a_write_is_a_library_error_with_nothing_kept(tmp_path):
    """Callers outside the library never see sqlite3's errors (they may not import sqlite3)."""
    with Library.open(tmp_path / "lib.db") as library:
        add(library, dump(paper("Kept")))
        with pytest.raises(LibraryError, match="could not be written.*no such table"):  # noqa: SIM117
            with library.transaction() as conn:
                conn.execute("UPDATE papers SET starred = 1")
                conn.execute("UPDATE no_such_table SET x = 1")
        assert library.query("SELECT count(*) FROM papers WHERE starred = 1")[0][0] == 0
