"""``tuireader merge``, ``backup`` and ``restore`` from the command line, with real processes
where the issue asks for them (the JSONL pipe, a backup while another connection writes)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.app_helpers import build_library, title_ids
from tests.helpers import snapshot
from tests.library.test_sync import outcome
from tests.shared.procs import integrity
from tuireader.cli import main
from tuireader.library import Library


def run(*argv: object, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def tuireader(*args: str) -> list[str]:
    return [sys.executable, "-m", "tuireader", *args]


@pytest.fixture
def two(tmp_path) -> tuple[Path, Path]:
    """A library of the fixture dumps with state, and another with one dump and other state."""
    a = build_library(tmp_path, name="a.db")
    b = build_library(tmp_path, ["daily_papers.txt", "listing_bare.txt"], name="b.db",
                      decorate=False)  # fmt: skip
    with Library.open(a) as library:
        shared = sorted(title_ids(library))
    with Library.open(b) as library:
        ids = title_ids(library)
        shared = [title for title in shared if title in ids]
        library.set_read([ids[t] for t in shared[:3]])
        library.add_tag([ids[t] for t in shared[1:4]], "from-b")
        library.set_note(ids[shared[0]], "written on b")
    return a, b


def test_the_jsonl_pipe_between_two_processes_merges_both_ways(two):
    a, b = two
    export = subprocess.Popen(tuireader("--library", str(b), "export", "-f", "jsonl"),
                              stdout=subprocess.PIPE)  # fmt: skip
    merged = subprocess.run(tuireader("--library", str(a), "merge", "-"), stdin=export.stdout,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    export.stdout.close()
    assert export.wait(timeout=60) == 0
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.startswith("merged stdin: 2 new papers,")  # listing_bare.txt
    back = subprocess.run(
        f"{' '.join(tuireader('--library', str(a), 'export', '-f', 'jsonl'))} |"
        f" {' '.join(tuireader('--library', str(b), 'merge', '-'))}",
        shell=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert back.returncode == 0, back.stderr
    got_a, got_b = outcome(a), outcome(b)
    # Sightings name imports as each side stored them: the same dumps, imported on each side.
    for record in (*got_a.values(), *got_b.values()):
        record.pop("sightings")
    assert got_a == got_b
    again = subprocess.run(
        f"{' '.join(tuireader('--library', str(b), 'export', '-f', 'jsonl'))} |"
        f" {' '.join(tuireader('--library', str(a), 'merge', '-'))}",
        shell=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "0 new papers, 0 merged" in again.stdout


def test_merge_dry_run_writes_nothing_and_names_conflicts(two):
    a, b = two
    with Library.open(b) as library:
        in_b = set(title_ids(library))
    with Library.open(a) as library:
        ids = title_ids(library)
        library.set_note(ids[sorted(set(ids) & in_b)[0]], "written on a, later")
    before = snapshot(a)
    code, out, err = run("--library", a, "merge", "--dry-run", b)
    assert code == 0, err
    assert out.startswith("would merge b.db:") and "1 conflict" in out
    assert "conflict:" in out and "written on b" in out
    assert snapshot(a) == before
    code, out, _ = run("--library", a, "merge", b)
    assert code == 0 and out.startswith("merged b.db:")


def test_merge_refuses_bad_input_with_one_line_and_changes_nothing(two, tmp_path):
    a, _ = two
    before = snapshot(a)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "A paper with a title"}\n{broken\n', encoding="utf-8")
    code, out, err = run("--library", a, "merge", bad)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "line 2" in err and "nothing merged" in err
    text = tmp_path / "other.db"
    text.write_text("not a library", encoding="utf-8")
    code, _, err = run("--library", a, "merge", text)
    assert code == 2 and err.count("\n") == 1
    assert snapshot(a) == before


def test_merge_dry_run_into_no_library_creates_none(two, tmp_path):
    _, b = two
    target = tmp_path / "none.db"
    code, out, _ = run("--library", target, "merge", "--dry-run", b)
    assert code == 0 and "would merge" in out
    assert not target.exists()


def test_backup_keeps_the_last_n_in_the_data_folder(two, _isolated_dirs):
    a, _ = two
    for _ in range(4):
        code, out, _ = run("--library", a, "backup", "--keep", "3")
        assert code == 0
    folder = _isolated_dirs / "data" / "backups"
    kept = sorted(folder.glob("a-*.db"))
    assert len(kept) == 3
    assert str(kept[-1]) in out  # the newest is kept
    assert all(integrity(path) == "ok" for path in kept)
    assert outcome(kept[-1]) == outcome(a)


def test_backup_to_a_path_refuses_the_library_and_foreign_files(two, tmp_path):
    a, _ = two
    code, _, err = run("--library", a, "backup", a)
    assert code == 2 and "the library itself" in err
    other = tmp_path / "notes.txt"
    other.write_text("mine", encoding="utf-8")
    code, _, err = run("--library", a, "backup", other)
    assert code == 2 and other.read_text(encoding="utf-8") == "mine"


def test_a_backup_while_another_connection_writes_is_consistent(two, tmp_path):
    a, _ = two
    stop = threading.Event()
    written = []

    def writer() -> None:
        with Library.open(a) as library:
            ids = list(title_ids(library).values())
            flag = True
            while not stop.is_set():
                library.set_starred(ids, flag)  # all starred, or none: never half
                written.append(flag)
                flag = not flag

    thread = threading.Thread(target=writer)
    thread.start()
    while not written and thread.is_alive():  # (before the first write one paper is starred)
        stop.wait(0.01)
    try:
        copies = []
        for number in range(5):
            target = tmp_path / f"copy{number}.db"
            assert run("--library", a, "backup", target)[0] == 0
            copies.append(target)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert len(written) > 1
    for copy in copies:
        assert integrity(copy) == "ok"
        starred = {record["starred"] for record in outcome(copy).values()}
        assert len(starred) == 1  # one transaction or the other, never between


def test_restore_backs_up_first_and_an_open_reader_sees_the_restored_library(two, _isolated_dirs):
    a, b = two
    saved = outcome(b)
    reader = Library.open(a)  # a reader open all along (another connection)
    try:
        assert reader.count() == 14
        code, out, err = run("--library", a, "restore", b)
        assert code == 0, err
        assert "backed up the current library" in out and "restored" in out
        assert reader.count() == len(saved) == 8
        assert outcome(a) == saved
        backups = sorted((_isolated_dirs / "data" / "backups").glob("a-*.db"))
        assert len(backups) == 1 and len(outcome(backups[0])) == 14
        reader.set_read([min(title_ids(reader).values())])  # it goes on writing, to the restored file
    finally:
        reader.close()
    assert integrity(a) == "ok"
    with Library.open(a) as library:
        assert library.count() == 8


def test_restore_refuses_what_is_not_a_library_and_changes_nothing(two, tmp_path, _isolated_dirs):
    a, _ = two
    before = snapshot(a)
    text = tmp_path / "text.db"
    text.write_text("not a database at all", encoding="utf-8")
    code, out, err = run("--library", a, "restore", text)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert snapshot(a) == before
    assert not (_isolated_dirs / "data" / "backups").exists()  # refused before any backup
    assert os.path.getsize(text) == len("not a database at all")


async def test_a_reader_open_during_a_restore_shows_the_restored_library(two):
    """The reader keeps running; F5 (or its poll) shows the restored papers and state."""
    from tests.app_helpers import make_app, settle
    from tuireader.widgets.paper_list import PaperList

    a, b = two
    restored = outcome(b)
    app = make_app(a)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(app.screen.query_one(PaperList).ids) == 14
        code, _, err = run("--library", a, "restore", b)
        assert code == 0, err
        await pilot.press("f5")
        await settle(pilot)
        shown = app.screen.query_one(PaperList).ids
        assert sorted(row.title for row in app.library.rows(shown)) == sorted(restored)
        await pilot.press("r")  # a change made now goes to the restored library
        await settle(pilot)
    assert integrity(a) == "ok"
    after = outcome(a)
    assert set(after) == set(restored)
    assert sum(r["read"] for r in after.values()) != sum(r["read"] for r in restored.values())
