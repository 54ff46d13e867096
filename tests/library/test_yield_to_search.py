"""Background work (the file check, abstract indexing) pauses while a search runs."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from tests.helpers import dump, paper
from tuireader.library import Library, opening
from tuireader.library.opening import pause_while
from tuireader.search import Searcher

COUNT_TO = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)"


def _run_in_thread(conn: sqlite3.Connection) -> tuple[threading.Thread, list[int]]:
    out: list[int] = []
    thread = threading.Thread(
        target=lambda: out.append(conn.execute(f"{COUNT_TO} SELECT count(*) FROM n").fetchone()[0])
    )
    thread.start()
    return thread, out


def test_a_statement_waits_while_the_foreground_is_busy_then_goes_on():
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    busy = threading.Event()
    busy.set()
    pause_while(conn, busy.is_set)
    thread, out = _run_in_thread(conn)
    thread.join(0.6)
    assert thread.is_alive() and not out  # (unpaused it takes a few tens of ms)
    busy.clear()
    thread.join(10)
    assert out == [300000]  # went on where it was, and finished


def test_without_a_foreground_nothing_waits():
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    pause_while(conn, lambda: False)
    thread, out = _run_in_thread(conn)
    thread.join(10)
    assert out == [300000]
    pause_while(conn, None)  # removed: the same statement runs with no handler at all
    assert conn.execute(f"{COUNT_TO} SELECT count(*) FROM n").fetchone()[0] == 300000


def test_the_searcher_is_busy_exactly_while_a_search_runs(tmp_path, monkeypatch):
    library = Library.open(tmp_path / "lib.db")
    library.add_dump(dump(paper("Sparse lanterns")), file="a.txt", path=None, sha256="a")
    searcher = Searcher(library)
    seen: list[bool] = []
    find = searcher.engine.find

    def find_and_look(*args, **kwargs):
        seen.append(searcher.busy())
        return find(*args, **kwargs)

    monkeypatch.setattr(searcher.engine, "find", find_and_look)
    assert not searcher.busy()
    assert len(searcher.search("lanterns").ids) == 1
    assert seen == [True]
    assert not searcher.busy()
    monkeypatch.setattr(searcher.engine, "find", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        searcher.search("lanterns")
    assert not searcher.busy()  # a failed search does not leave background work paused
    library.close()


def test_the_indexer_and_the_check_wait_for_a_search(tmp_path, monkeypatch):
    # A tiny library's statements are short: look every few steps, as a big one's long ones do.
    monkeypatch.setattr(opening, "PROGRESS_STEPS", 10)
    path = tmp_path / "lib.db"
    library = Library.open(path)
    library.add_dump(
        dump(*(paper(f"Paper {i}") for i in range(50))), file="a.txt", path=None, sha256="a"
    )
    assert library.pending_abstracts() == 50
    busy = threading.Event()
    busy.set()
    indexer = Library.open(path)
    indexer.yield_to(busy.is_set)
    done: list[object] = []
    thread = threading.Thread(target=lambda: done.append(indexer.index_abstracts()))
    thread.start()
    thread.join(0.5)
    assert thread.is_alive() and library.pending_abstracts() == 50
    busy.clear()
    thread.join(10)
    assert done == [0] and library.pending_abstracts() == 0
    busy.set()
    checked: list[object] = []
    check = threading.Thread(target=lambda: checked.append(library.verify(yield_to=busy.is_set)))
    check.start()
    check.join(0.5)
    assert check.is_alive()
    busy.clear()
    check.join(10)
    assert checked == [None]
    indexer.close()
    library.close()
