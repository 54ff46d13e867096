"""Version 4 -> 5: the table of everything is declared with prefixes of four and five letters."""

from __future__ import annotations

import sqlite3

from tests.helpers import dump, paper
from tuireader.library import Library
from tuireader.library.schema import SCHEMA_VERSION
from tuireader.search import Searcher

OLD_ALL_FTS = """
CREATE VIRTUAL TABLE all_fts USING fts5(
    title, authors, organization, org_handle, notes, abstract,
    content="papers", content_rowid='id', tokenize='unicode61 remove_diacritics 2',
    prefix='2 3 4'
);
"""


def _version_4_library(path):
    """A library as version 4 left it: all_fts with 2-, 3- and 4-letter prefixes, indexed."""
    with Library.open(path) as library:
        library.add_dump(
            dump(
                paper("Tidal pools", "A study of reefs and transformers in tidal pools at dusk."),
                paper("Sparse lanterns"),
            ),
            file="a.txt",
            path=None,
            sha256="a",
        )
        library.set_starred(library.ordered_ids()[:1])
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("DROP TABLE all_fts")
            conn.execute(OLD_ALL_FTS)
            conn.execute("INSERT INTO all_fts(all_fts) VALUES ('rebuild')")
            conn.execute("DELETE FROM pending_abstracts")
            conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    finally:
        conn.close()


def _all_fts_sql(library):
    return library.query("SELECT sql FROM sqlite_master WHERE name = 'all_fts'")[0][0]


def test_a_version_4_library_gets_its_new_prefixes_and_reindexes_in_the_background(tmp_path):
    path = tmp_path / "lib.db"
    _version_4_library(path)
    with Library.open(path) as library:
        assert "prefix='4 5'" in _all_fts_sql(library)
        # (brought up to the latest schema, through 5)
        assert dict(library.query("SELECT key, value FROM meta"))["schema_version"] == str(SCHEMA_VERSION)
        assert library.pending_abstracts() == 2  # every abstract waits to be indexed again
        searcher = Searcher(library)
        found = {p.title for p in library.get_papers(list(searcher.search("transfo").ids))}
        assert found == {"Tidal pools"}  # meanwhile found by LIKE
        while library.index_abstracts():
            pass
        searcher = Searcher(library)
        for query in ("transfo", "trans", "transformers", "reefs", "tidal"):
            ids = list(searcher.search(query).ids)
            assert [p.title for p in library.get_papers(ids)] == ["Tidal pools"], query
        assert sum(p.starred for p in library.get_papers(library.ordered_ids())) == 1
    with Library.open(path) as library:  # opened again: nothing to migrate, nothing pending
        assert library.pending_abstracts() == 0


def test_a_new_library_is_made_with_prefixes_of_four_and_five_letters(tmp_path):
    with Library.open(tmp_path / "lib.db") as library:
        assert "prefix='4 5'" in _all_fts_sql(library)
