"""Issue 19: a damaged library is found before any command or the reader trusts it, named in
one line that says what to do, remembered, and never written again; odd paths get one line."""

from __future__ import annotations

import io
import os
import sqlite3
from pathlib import Path

import pytest

from tests.app_helpers import build_library
from tests.shared.procs import cli
from tests.shared.test_hostile_files import _damaged_library, _digest
from tuireader import cli as cli_module
from tuireader.library import Library, LibraryDamaged, LibraryError, health

READ_COMMANDS = [
    ["stats"],
    ["export", "-f", "json"],
    ["search", "model"],
    ["similar", "model"],
    ["datasette-metadata"],
    ["backup"],
]


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_every_command_refuses_a_damaged_library_in_one_line_and_writes_nothing(
    tmp_path, command
):
    path = _damaged_library(tmp_path)
    before, files = _digest(path), _files(tmp_path)
    result = cli(path, *command)
    assert result.returncode == 2, result.stdout[:300]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "damaged" in lines[0] and ".recover" in lines[0] and "tuireader restore" in lines[0]
    assert result.stdout == ""
    assert _digest(path) == before and _files(tmp_path) == files  # (no -wal, no -shm either)


def _run(path: Path, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    code = cli_module.main(["--library", str(path), *args], out=io.StringIO(), err=err)
    return code, err.getvalue()


def test_a_damage_found_is_remembered_and_later_commands_refuse_at_once(tmp_path, monkeypatch):
    path = _damaged_library(tmp_path)
    checks: list[Path] = []
    from tuireader.library import core

    real = core.quick_check

    def counted(target: Path, yield_to=None):
        checks.append(target)
        return real(target, yield_to)

    monkeypatch.setattr(core, "quick_check", counted)
    code, first = _run(path, "stats")
    assert code == 2 and "damaged" in first and len(checks) == 1
    for command in (["stats"], ["search", "model"], ["export", "-f", "json"]):
        code, line = _run(path, *command)
        assert code == 2 and "damaged" in line
    assert len(checks) == 1  # refused by the record: no check, no connection
    assert health.remembered_damage(path)


def test_a_file_known_sound_is_not_checked_again_until_someone_else_changes_it(
    tmp_path, monkeypatch
):
    path = build_library(tmp_path)
    checks: list[Path] = []
    from tuireader.library import core

    real = core.quick_check
    monkeypatch.setattr(
        core, "quick_check", lambda target, yield_to=None: checks.append(target) or real(target)
    )
    for _ in range(3):
        assert _run(path, "stats")[0] == 0
    assert checks == []  # made here: known sound, and still the same file
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # changed by another program
    assert _run(path, "stats")[0] == 0
    assert _run(path, "stats")[0] == 0
    assert len(checks) == 1  # checked once, then known sound again


def _backups(home: Path) -> Path:
    return home / "data" / "backups"


def test_the_message_names_the_newest_backup_and_restore_brings_it_back(tmp_path, _isolated_dirs):
    path = _damaged_library(tmp_path)
    # (backups made before the damage: restore the damage's page copies into a clean file)
    folder = _backups(_isolated_dirs)
    folder.mkdir(parents=True)
    clean = build_library(tmp_path / "clean")
    with Library.open(clean) as library:
        papers = library.count()
        library.backup_to(folder / "lib-20240101-090000-000000.db")
        library.backup_to(folder / "lib-20250304-101500-000000.db")
    code, line = _run(path, "stats")
    assert code == 2
    assert "lib-20250304-101500-000000.db" in line and "2025-03-04 10:15" in line, line
    newest = folder / "lib-20250304-101500-000000.db"
    err, out = io.StringIO(), io.StringIO()
    code = cli_module.main(["--library", str(path), "restore", str(newest)], out=out, err=err)
    assert code == 0, err.getvalue()
    assert _run(path, "stats")[0] == 0
    with Library.open(path) as library:
        assert library.count() == papers
    kept = [p.name for p in folder.iterdir() if "damaged" in p.name]
    assert len(kept) == 1  # the damaged file kept for .recover, never offered as a backup
    code, _ = _run(path, "import", str(Path(__file__).parents[1] / "fixtures" / "listing.txt"))
    assert code == 0


def test_a_damaged_file_is_refused_by_the_reader_before_any_screen_or_side_file(tmp_path):
    from tuireader.app import make_app

    path = _damaged_library(tmp_path)
    before, files = _digest(path), _files(tmp_path)
    state = tmp_path / "state" / "ui-state.json"
    with pytest.raises(LibraryDamaged, match=r"damaged.*\.recover"):
        make_app(path, state_path=state, poll_interval=3600, index_in_background=False)
    assert not state.parent.exists()  # no ui state, no pending spool, no ranking cache
    assert _digest(path) == before and _files(tmp_path) == files


def test_damage_sqlite_finds_mid_session_is_one_line_and_remembered(tmp_path):
    from tuireader.screens.guard import damage_found

    path = build_library(tmp_path)
    with Library.open(path) as library:
        error = sqlite3.DatabaseError("database disk image is malformed")
        line = damage_found(library, error)
        assert line and "damaged" in line and ".recover" in line
        assert damage_found(library, ValueError("something else")) is None
        with pytest.raises(LibraryDamaged):
            library.set_starred(library.ordered_ids()[:1], True)
    with pytest.raises(LibraryDamaged):
        Library.open(path)


def test_sqlite_finding_damage_in_a_read_refuses_every_later_command(tmp_path, monkeypatch):
    path = build_library(tmp_path)

    def malformed(self, *args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    with monkeypatch.context() as patched:
        patched.setattr(Library, "counts", malformed)
        code, line = _run(path, "stats")
    assert code == 2 and "damaged" in line and ".recover" in line
    code, line = _run(path, "search", "lantern")
    assert code == 2 and "damaged" in line


# -- odd paths -------------------------------------------------------------------------------
def _odd_paths(tmp_path: Path) -> dict[str, Path]:
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    (tmp_path / "a.txt").write_text("a file\n")
    return {
        "loop": loop,
        "dangling": dangling,
        "through-a-file": tmp_path / "a.txt" / "b",
        "too-long": tmp_path / ("x" * 300),
        "not-utf8": Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/gone\xff.txt")),
    }


ODD = ["loop", "dangling", "through-a-file", "too-long", "not-utf8"]


@pytest.mark.parametrize("kind", ODD)
def test_an_odd_dump_path_is_one_line_and_changes_nothing(tmp_path, kind):
    odd = _odd_paths(tmp_path)[kind]
    library = tmp_path / "lib.db"
    result = cli(library, "import", os.fsdecode(odd))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "rejected" in lines[0]
    assert not library.exists()  # not even an empty library made


@pytest.mark.parametrize("kind", ODD)
def test_an_odd_library_path_is_one_line_and_changes_nothing(tmp_path, kind):
    odd = _odd_paths(tmp_path)[kind]
    files = _files(tmp_path)
    fixture = Path(__file__).parents[1] / "fixtures" / "listing.txt"
    for command in (["import", str(fixture)], ["stats"]):
        result = cli(odd, *command)
        assert result.returncode == 2, (command, result.stdout)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert _files(tmp_path) == files  # (a dangling link's target is not made either)
    with pytest.raises(LibraryError):
        Library.open(odd)
