"""Files a library must never harm: other programs' SQLite files, damaged, read-only, locked,
full disks, paths that do not exist. Each gets one clear line and is left as it was."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.app_helpers import build_library, make_app, settle
from tests.helpers import dump, paper
from tests.shared.procs import cli, dumps, scalar
from tuireader.library import DiskFull, Library, LibraryError, LibraryReadOnly


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "setup, reason",
    [
        ("CREATE VIEW v AS SELECT 1 AS x", "views"),
        ("PRAGMA application_id = 1234", "application id"),
        ("PRAGMA user_version = 7", "user version"),
    ],
)
def test_another_programs_sqlite_file_is_left_untouched(tmp_path, setup, reason):
    path = tmp_path / "theirs.db"
    conn = sqlite3.connect(path)
    conn.execute(setup)
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(LibraryError, match=f"not a tuireader library.*{reason}"):
        Library.open(path)
    result = cli(path, "import", str(Path(__file__).parents[1] / "fixtures" / "daily_papers.txt"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.db"]


def test_a_new_library_carries_our_application_id(tmp_path):
    Library.open(tmp_path / "lib.db").close()
    assert scalar(tmp_path / "lib.db", "PRAGMA application_id") == 0x54524452


@pytest.mark.parametrize("command", [["search", "x"], ["stats"], ["export", "-f", "json"]])
def test_read_commands_never_create_a_library(tmp_path, command):
    path = tmp_path / "no" / "such" / "dir" / "lib.db"
    result = cli(path, *command)
    assert result.returncode == 2
    assert "no library at" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "no").exists()


def _damage(path: Path) -> None:
    """Overwrite 4 KiB in the middle of a closed library (a disk error, a bad copy)."""
    size = path.stat().st_size
    with path.open("r+b") as handle:  # (no connection is open on it: the test's own damage)
        handle.seek((size // 2) // 4096 * 4096)
        handle.write(os.urandom(4096))


def _damaged_library(tmp_path: Path, *, keep_time: bool = False) -> Path:
    """A library damaged in the middle; ``keep_time``: as a failing disk damages it, its time
    unchanged (so tuireader still knows it as the file it found sound)."""
    path = tmp_path / "lib.db"
    (big,) = dumps(tmp_path, [3000])
    assert cli(path, "import", str(big)).returncode == 0
    with Library.open(path) as library:
        library.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stat = path.stat()
    _damage(path)
    if keep_time:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return path


def test_a_damaged_library_is_never_written(tmp_path):
    path = _damaged_library(tmp_path)
    before = _digest(path)
    (more,) = dumps(tmp_path / "more", [20])
    result = cli(path, "import", str(more))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "damaged" in lines[0] and ".recover" in lines[0]
    assert _digest(path) == before


async def test_the_reader_says_the_library_is_damaged_and_writes_nothing(tmp_path):
    # (damaged as a disk does it, the file's time unchanged: the reader trusts it at first, and
    # its check in the background finds it; a file changed visibly is refused before any
    # screen, tests/shared/test_damaged_library.py)
    path = _damaged_library(tmp_path, keep_time=True)
    with sqlite3.connect(path) as conn:  # abstracts waiting: the indexer must not write them
        pending = conn.execute("SELECT count(*) FROM pending_abstracts").fetchone()[0]
    assert pending
    before = _digest(path)
    app = make_app(path, index_in_background=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("damaged" in m for m in messages), messages
        await pilot.press("s")
        await settle(pilot)
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert sum("damaged" in m for m in messages) >= 2
    assert _digest(path) == before


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder whose files cannot be written, even by root (chattr +i); undone afterwards."""
    folder = tmp_path / "ro"
    folder.mkdir()
    frozen: list[Path] = []

    def freeze(*paths: Path) -> None:
        for path in paths:
            if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
                pytest.skip("chattr +i is not available here")
            frozen.append(path)

    yield folder, freeze
    for path in reversed(frozen):
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_a_read_only_library_is_browsed_and_every_change_says_so(read_only_folder):
    folder, freeze = read_only_folder
    path = build_library(folder)
    with Library.open(path) as library:  # leave abstracts to index: nothing may try
        library.conn.execute("DELETE FROM all_fts")
        library.conn.execute("INSERT INTO pending_abstracts(paper_id) SELECT id FROM papers")
    freeze(path, folder)  # the file and its folder (no -wal/-shm can be made either)
    before = _digest(path)
    found = cli(path, "search", "lantern")
    assert found.returncode == 0, found.stderr
    assert "Lantern" in found.stdout
    refused = cli(path, "import", str(Path(__file__).parents[1] / "fixtures" / "listing.txt"))
    assert refused.returncode in (1, 2)
    lines = (refused.stdout + refused.stderr).strip().splitlines()
    assert any("read-only" in line for line in lines), lines
    assert _digest(path) == before


async def test_the_reader_on_a_read_only_library_refuses_changes_in_one_line(tmp_path, monkeypatch):
    path = build_library(tmp_path)
    monkeypatch.setattr("tuireader.library.core.is_writable", lambda _path: False)
    before = _digest(path)
    app = make_app(path, index_in_background=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.library.readonly
        for key in ("s", "r", "u"):
            await pilot.press(key)
            await settle(pilot)
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert sum("read-only" in m for m in messages) == 3  # s, r and u: each says so
        assert app.changes.pending == []
    assert _digest(path) == before


def test_a_library_locked_by_another_program_says_who_holds_it(tmp_path):
    path = build_library(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "c.execute('PRAGMA journal_mode = DELETE')\n"
            "c.execute('PRAGMA locking_mode = EXCLUSIVE')\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "time.sleep(30)\n"
        )],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        result = cli(path, "stats")
        took = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "locked by pid" in line and str(holder.pid) in line, line
    assert "damaged" not in line
    assert took < 10


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MiB file system of its own (tmpfs), unmounted afterwards; skipped where not root."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode:
        pytest.skip("cannot mount a small file system here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> None:
    # (closing the file may fail too, flushing what the full disk did not take)
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as handle:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()


def test_a_full_disk_changes_nothing_and_says_so(tiny_disk, fixtures):
    path = tiny_disk / "lib.db"
    library = Library.open(path)  # open when the disk fills up, as the reader would be
    library.add_dump(dump(paper("A paper")), file="a.txt", path=None, sha256="a")
    first = library.ordered_ids()[0]
    _fill(tiny_disk)
    big = dump(*(paper(f"Paper number {n} " + "x" * 200) for n in range(2000)))
    with pytest.raises(DiskFull, match="the disk is full; nothing was changed"):
        library.add_dump(big, file="big.txt", path=None, sha256="big")
    assert library.counts()["papers"] == 1
    with pytest.raises(DiskFull, match="the disk is full"):
        library.set_note(first, "y" * 3_000_000)
    assert library.get_paper(first).notes is None
    result = cli(path, "import", str(fixtures / "listing.txt"))
    assert result.returncode in (1, 2)
    assert "the disk is full" in result.stdout + result.stderr
    (tiny_disk / "filler").unlink()
    assert library.set_starred([first], True) == 1  # room again: it works
    assert library.counts()["papers"] == 1
    library.close()
    assert scalar(path, "PRAGMA integrity_check") == "ok"


def test_read_only_is_a_library_error_with_nothing_changed(tmp_path):
    path = build_library(tmp_path)
    with (
        Library.open(path, readonly=True) as library,
        pytest.raises(LibraryReadOnly, match="read-only"),
    ):
        library.set_starred(library.ordered_ids()[:1], True)
