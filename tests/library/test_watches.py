"""Watched authors and organisations (schema 7), and a version-6 library brought up to them."""

from __future__ import annotations

import sqlite3

import pytest

from tests.helpers import dump, paper
from tuireader.library import Library
from tuireader.models import Clause, Kind
from tuireader.search.expressions import name_expression


def _add(library: Library, *papers, name: str = "a.txt") -> None:
    library.add_dump(dump(*papers), file=name, path=None, sha256=name)


def _version_6_library(path) -> None:
    """A library as version 6 left it: no watches table."""
    with Library.open(path) as library:
        _add(library, paper("Tidal pools", authors=["Sheng Cao", "Ada Li"]), paper("Reefs"))
        library.set_starred(library.ordered_ids()[:1])
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("DROP TABLE watches")
            conn.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    finally:
        conn.close()


def test_a_version_6_library_gains_watches_and_keeps_everything(tmp_path):
    path = tmp_path / "lib.db"
    _version_6_library(path)
    with Library.open(path) as library:
        assert dict(library.query("SELECT key, value FROM meta"))["schema_version"] == "7"
        assert library.counts()["papers"] == 2 and library.counts()["starred"] == 1
        assert library.watches() == []
        assert library.watch("author", "Sheng Cao") is True
        assert [w.name for w in library.watches()] == ["Sheng Cao"]
    assert (tmp_path / "lib.db.v6.bak").exists()  # the old file, copied aside first


def test_watching_counts_the_papers_new_since_its_view_was_opened(tmp_path, monkeypatch):
    with Library.open(tmp_path / "lib.db") as library:
        _add(library, paper("Tidal pools", authors=["Sheng Cao"]), paper("Reefs", organization="Meta"))
        assert library.watch("author", "Sheng Cao") is True
        assert library.watch("author", "sheng cao") is False  # (names fold case)
        library.watch("org", "Meta")
        expression = name_expression(Clause(Kind.AUTHOR, "Sheng Cao"))
        watch = library.watches()[0]
        assert library.watch_counts(expression, watch.opened_at) == (1, 0)
        monkeypatch.setattr("tuireader.library.merge.now", lambda: "2999-01-01T00:00:00+00:00")
        _add(library, paper("Estuaries", authors=["Sheng Cao", "B. Ode"]), name="b.txt")
        assert library.watch_counts(expression, watch.opened_at) == (2, 1)
        library.watch_opened("author", "Sheng Cao")
        monkeypatch.setattr("tuireader.library.watches.now", lambda: "3000-01-01T00:00:00+00:00")
        library.watch_opened("author", "Sheng Cao")
        opened = library.watches()[0].opened_at
        assert library.watch_counts(expression, opened) == (2, 0)
        assert library.unwatch("author", "Sheng Cao") is True
        assert [(w.kind, w.name) for w in library.watches()] == [("org", "Meta")]
        with pytest.raises(ValueError):
            library.watch("venue", "NeurIPS")
