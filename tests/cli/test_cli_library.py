"""The command line: stats, path, demo, bad libraries, the real entry point."""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import (
    _one_line_error,
    run,
)
from tests.helpers import snapshot
from tuireader.cli import main
from tuireader.library import Library


@pytest.fixture
def lib_path(tmp_path: Path) -> Path:
    return tmp_path / "lib.db"


@pytest.fixture
def imported(lib_path, fixtures) -> Path:
    """A library holding daily_papers.txt, author_page.txt and listing.txt (14 papers)."""
    code, _, _ = run(
        "--library", lib_path, "import",
        fixtures / "daily_papers.txt", fixtures / "author_page.txt", fixtures / "listing.txt",
    )  # fmt: skip
    assert code == 0
    return lib_path


# -- stats, path, demo ------------------------------------------------------------------------


def test_stats(imported):
    with Library.open(imported) as library:
        ids = library.ordered_ids()
        library.set_read(ids[:3])
        library.set_starred(ids[:1])
        library.add_tag(ids[:2], "to-read")
        library.set_note(ids[0], "note")
    code, out, _ = run("--library", imported, "stats")
    assert code == 0
    values = {}
    for line in out.splitlines():
        name, _, value = line.rpartition(" ")
        values[name.strip()] = value
    assert values["papers"] == "14"
    assert values["unread"] == "11"
    assert values["starred"] == "1"
    assert values["tagged"] == "2"
    assert values["with notes"] == "1"
    assert values["imports"] == "3"
    assert str(imported) in out
    assert "to-read (2)" in out


def test_path_default_env_and_option(monkeypatch, _isolated_dirs, tmp_path):
    home = _isolated_dirs
    code, out, _ = run("path")
    assert code == 0 and out.strip() == str(home / "data" / "library.db")
    monkeypatch.setenv("TUIREADER_LIBRARY", str(tmp_path / "from-env.db"))
    assert run("path")[1].strip() == str(tmp_path / "from-env.db")
    assert run("--library", tmp_path / "option.db", "path")[1].strip() == str(tmp_path / "option.db")
    assert not (tmp_path / "from-env.db").exists() and not (tmp_path / "option.db").exists()


def test_commands_use_the_library_from_the_environment(monkeypatch, tmp_path, fixtures):
    path = tmp_path / "env.db"
    monkeypatch.setenv("TUIREADER_LIBRARY", str(path))
    assert run("import", fixtures / "listing_bare.txt")[0] == 0
    with Library.open(path) as library:
        assert library.count() == 2


def test_commands_use_the_default_library(_isolated_dirs, fixtures):
    assert run("import", fixtures / "listing_bare.txt")[0] == 0
    with Library.open(_isolated_dirs / "data" / "library.db") as library:
        assert library.count() == 2


def test_demo_no_open_builds_the_demo_library(_isolated_dirs):
    code, out, _ = run("demo", "--no-open")
    assert code == 0
    path = Path(out.strip())
    assert path == _isolated_dirs / "data" / "demo.db"
    with Library.open(path) as library:
        assert library.count() == 40
        assert library.pending_abstracts() == 0
        papers = library.get_papers(library.ordered_ids())
    assert all(p.abstract.startswith("This is an invented sample paper") for p in papers)
    assert any(p.title.startswith("Sample:") for p in papers)
    # Building it again leaves the same library.
    assert run("demo", "--no-open") == (0, out, "")
    with Library.open(path) as library:
        assert library.count() == 40
    assert not (_isolated_dirs / "data" / "library.db").exists()


def test_demo_never_writes_into_the_library_given(tmp_path, imported, _isolated_dirs):
    before = snapshot(imported)
    raw = imported.read_bytes()
    code, out, err = run("--library", imported, "demo", "--no-open")
    assert code == 0
    assert Path(out.strip()) == _isolated_dirs / "data" / "demo.db"
    assert len(err.splitlines()) == 1 and "--library is ignored" in err
    assert snapshot(imported) == before and imported.read_bytes() == raw
    with Library.open(Path(out.strip())) as library:
        assert library.count() == 40


# -- bad libraries ----------------------------------------------------------------------------


def _other_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, file TEXT)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("kind", ["text", "sqlite", "folder", "damaged"])
@pytest.mark.parametrize("command", [["stats"], ["search", "x"], ["export"], ["import", "FILE"]])
def test_a_path_that_is_not_a_library_is_a_one_line_error(tmp_path, fixtures, kind, command):
    path = tmp_path / "not-a-library"
    if kind == "text":
        path.write_text("my diary\n")
    elif kind == "sqlite":
        _other_sqlite(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    before = None if kind == "folder" else path.read_bytes()
    argv = [str(fixtures / "daily_papers.txt") if a == "FILE" else a for a in command]
    code, out, err = run("--library", path, *argv)
    assert code == 2 and out == ""
    assert str(path) in _one_line_error(err)
    if before is not None:
        assert path.read_bytes() == before


def test_the_reader_refusing_a_file_leaves_garbage_collection_on(tmp_path):
    # Opening the reader turns collection off while the app starts (tuireader.cli.open_app).
    path = tmp_path / "not-a-library"
    path.write_text("my diary\n")
    assert gc.isenabled()
    code, out, err = run("--library", path)
    assert code == 2 and out == ""
    assert str(path) in _one_line_error(err)
    assert gc.isenabled()


def test_demo_leaves_any_file_given_as_library_alone(tmp_path):
    path = tmp_path / "diary.txt"
    path.write_text("dear diary\n")
    code, out, _ = run("--library", path, "demo", "--no-open")
    assert code == 0 and Path(out.strip()).name == "demo.db"
    assert path.read_text() == "dear diary\n"


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("tuireader ")


# -- as a real subprocess ---------------------------------------------------------------------


def _subprocess(*argv: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tuireader", *map(str, argv)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def test_the_real_entry_point(tmp_path, fixtures):
    path = tmp_path / "sub.db"
    done = _subprocess(
        "--library", path, "import", fixtures / "author_page.txt", fixtures / "shopping_list.txt"
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "author_page.txt: 5 papers (author-page): 5 new, 0 merged, 0 unchanged"
    ]
    assert done.stderr.startswith("tuireader: shopping_list.txt: rejected: ")
    assert "Traceback" not in done.stderr

    done = _subprocess("--library", path, "search", "--json", "author:lindqvist")
    assert done.returncode == 0
    (record,) = json.loads(done.stdout)
    assert record["authors"] == ["Åsa Lindqvist", "Tomás O'Reilly-Núñez", "Wei Zhang"]

    done = _subprocess("--library", tmp_path, "stats")
    assert done.returncode == 2 and done.stdout == ""
    _one_line_error(done.stderr)

    done = _subprocess("--library", path, "search", '"unclosed')
    assert done.returncode == 2
    _one_line_error(done.stderr)


def test_an_sqlite_error_during_a_command_is_one_line_naming_the_library(imported: Path):
    with sqlite3.connect(imported) as conn:  # (the library is not open in this process)
        conn.execute("DROP TABLE tags")
    code, out, err = run("--library", imported, "stats")
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"tuireader: error: the library {imported} could not be read (")
    assert "no such table" in err and "Traceback" not in err
