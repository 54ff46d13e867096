"""The rule of the library layer: no Python file I/O on a database file SQLite has open.

Every open of the library file (or its -wal/-shm/-journal) through Python's own I/O fails
these tests, while the library does everything the app and the CLI do with it.
"""

from __future__ import annotations

import builtins
import io
import os
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import dump, paper
from tuireader import cli
from tuireader.importer import import_file
from tuireader.library import Library, preparing
from tuireader.library import core as library_core


@pytest.fixture
def forbid_python_io(monkeypatch):
    """Make any Python open() of the guarded files raise; returns the list to guard."""
    guarded: list[Path] = []

    def is_guarded(target) -> bool:
        if isinstance(target, int):
            return False
        target = Path(os.fsdecode(target)).resolve()
        return any(
            target == Path(str(g) + suffix).resolve()
            for g in guarded
            for suffix in library_core.COMPANION_SUFFIXES
        )

    def wrap(original):
        def guarded_open(file, *args, **kwargs):
            if is_guarded(file):
                raise AssertionError(f"Python I/O on the open library file {file}")
            return original(file, *args, **kwargs)

        return guarded_open

    monkeypatch.setattr(builtins, "open", wrap(builtins.open))
    monkeypatch.setattr(io, "open", wrap(io.open))
    monkeypatch.setattr(os, "open", wrap(os.open))
    return guarded


def test_open_share_import_index_backup_never_touch_the_file(tmp_path, forbid_python_io, fixtures):
    path = tmp_path / "lib.db"
    forbid_python_io.append(path)
    first = Library.open(path)
    second = Library.open(path)  # what the indexer and the import dialog do
    report = import_file(fixtures / "daily_papers.txt", first)
    assert report.ok, report.summary()
    while second.index_abstracts():
        pass
    first.backup_to(tmp_path / "copy.db")
    third = Library.open(path)  # a third open with two connections alive
    assert third.counts()["papers"] == report.papers
    for library in (first, second, third):
        library.close()
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("SELECT count(*) FROM papers").fetchone()[0] == report.papers


def test_importing_the_library_itself_is_refused_without_reading_it(tmp_path, forbid_python_io):
    path = tmp_path / "lib.db"
    forbid_python_io.append(path)
    with Library.open(path) as library:
        library.add_dump(dump(paper("A paper")), file="a.txt", path=None, sha256="a")
        for target in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
            report = import_file(target, library)
            assert not report.ok
            assert "library file itself" in report.reason


def test_a_file_that_is_not_sqlite_is_refused_by_sqlite_and_left_as_it_was(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my notes, not a database\n" * 50)
    before = path.read_bytes()
    with pytest.raises(library_core.LibraryError, match="not an SQLite file"):
        Library.open(path)
    assert path.read_bytes() == before
    assert not Path(str(path) + "-wal").exists()


def test_a_migration_backs_up_through_sqlite_not_a_file_copy(tmp_path, forbid_python_io, monkeypatch):
    path = tmp_path / "lib.db"
    with Library.open(path) as library:
        library.add_dump(dump(paper("A paper")), file="a.txt", path=None, sha256="a")
    version = preparing.SCHEMA_VERSION
    # Pretend a newer schema one no-op step away, so opening the file migrates it.
    monkeypatch.setattr(preparing, "SCHEMA_VERSION", version + 1)
    monkeypatch.setitem(preparing.MIGRATIONS, version, ["SELECT 1"])
    forbid_python_io.append(path)
    keep = Library.open(path, create=False)  # another connection is open while it migrates
    with Library.open(path) as library:
        assert library.counts()["papers"] == 1
    keep.close()
    assert sqlite3.connect(path).execute(
        "SELECT value FROM meta WHERE key = 'schema_version'"
    ).fetchone()[0] == str(version + 1)
    backup = tmp_path / f"lib.db.v{version}.bak"
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 1
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_cli_import_of_the_library_itself_is_refused(tmp_path, forbid_python_io, capsys):
    path = tmp_path / "lib.db"
    Library.open(path).close()
    forbid_python_io.append(path)
    code = cli.main(["--library", str(path), "import", str(path)])
    assert code == 1
    captured = capsys.readouterr()
    assert "library file itself" in captured.out + captured.err
