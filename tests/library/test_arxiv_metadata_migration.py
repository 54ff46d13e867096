"""Version 5 -> 6: an arXiv page's subjects, comments and journal reference get columns.

``tests/fixtures/library_v5.db.gz`` is a real library file written by tuireader at schema 5
(commit 4714b3f): ``arxiv_new.txt`` and ``daily_papers.txt`` imported, "Counting Syllables..."
read, starred, tagged ``metre`` and noted, every abstract indexed.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

from tests.helpers import snapshot
from tuireader.importer import import_file
from tuireader.library import Library
from tuireader.library.schema import SCHEMA_VERSION

OLDER = Path(__file__).parents[1] / "fixtures" / "library_v5.db.gz"
SYLLABLES = "Counting Syllables in Low-Resource Poetry with Character Models"
TOKENISERS = "Tokenisers Forget Diacritics: A Study of Twelve Languages"


def _older_library(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with gzip.open(OLDER) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


def _columns(path: Path) -> set[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {row[1] for row in conn.execute("PRAGMA table_info(papers)")}
    finally:
        conn.close()


def test_the_fixture_is_a_version_5_library(tmp_path):
    path = _older_library(tmp_path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("5",)
        assert conn.execute("SELECT count(*) FROM papers").fetchone() == (10,)
    finally:
        conn.close()
    assert not {"subjects", "arxiv_comments", "journal_ref"} & _columns(path)


def test_a_version_5_library_opens_with_the_new_columns_and_keeps_everything(tmp_path, fixtures):
    path = _older_library(tmp_path)
    before = snapshot(path)["papers"]
    with Library.open(path) as library:
        meta = dict(library.query("SELECT key, value FROM meta"))
        assert meta["schema_version"] == str(SCHEMA_VERSION) == "7"
        assert library.watches() == []  # (and on through 6 -> 7: the watches table)
        papers = {p.title: p for p in library.get_papers(library.ordered_ids())}
        assert len(papers) == 10
        syllables = papers[SYLLABLES]
        assert (syllables.read, syllables.starred, syllables.tags) == (True, True, ["metre"])
        assert syllables.notes == "read with the poetry group"
        assert (syllables.arxiv_id, syllables.category) == ("2506.00101", "cs.CL")
        # unknown until an arXiv page gives them
        assert {(p.subjects, p.arxiv_comments, p.journal_ref) for p in papers.values()} == {
            (None, None, None)
        }
    assert (tmp_path / "lib.db.v5.bak").is_file()
    after = snapshot(path)["papers"]
    assert [row[:-3] for row in after] == before  # every old column as it was, three new ones
    assert all(row[-3:] == (None, None, None) for row in after)


def test_importing_the_arxiv_page_again_fills_the_new_fields_only(tmp_path, fixtures):
    path = _older_library(tmp_path)
    with Library.open(path) as library:
        report = import_file(fixtures / "arxiv_new.txt", library)
        assert report.ok and (report.new, report.merged) == (0, 4)
        papers = {p.title: p for p in library.get_papers(library.ordered_ids())}
    syllables, tokenisers = papers[SYLLABLES], papers[TOKENISERS]
    assert (syllables.subjects, syllables.arxiv_comments, syllables.journal_ref) == (
        "cs.CL cs.LG", "9 pages, 3 figures", None,
    )  # fmt: skip
    assert (tokenisers.subjects, tokenisers.arxiv_comments, tokenisers.journal_ref) == (
        "cs.CL", "accepted at a workshop; 14 pages", "Invented Proceedings 2025",
    )  # fmt: skip
    assert (syllables.read, syllables.starred, syllables.tags) == (True, True, ["metre"])
