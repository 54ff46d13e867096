"""The library file as a database others open: sqlite-utils, Datasette, and the v1 -> v2 migration."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import dump, make_v1, paper
from tuireader.cli import main
from tuireader.library import Library
from tuireader.search import Searcher

TIDES = "Deep Tides: Forecasting Estuaries"
POOLS = "Shallow Pools of Attention"


def _library(path: Path) -> None:
    with Library.open(path) as library:
        library.add_dump(
            dump(
                paper(TIDES, abstract="We forecast zymurgical estuary flows.", upvotes=7),
                paper(
                    POOLS,
                    abstract="Attention pools over lecture transcripts.",
                    organization="Ocean Lab",
                ),
                page_date="2025-05-01",
            ),
            file="a.txt",
            path=None,
            sha256="a" * 64,
        )
        while library.index_abstracts():
            pass
        ids = {p.title: p.id for p in library.get_papers(library.ordered_ids())}
        library.add_tag([ids[TIDES], ids[POOLS]], "ocean")
        library.add_tag([ids[TIDES]], "to-read")
        library.set_starred([ids[TIDES]])


def test_sqlite_utils_finds_the_full_text_index(tmp_path):
    import sqlite_utils

    path = tmp_path / "lib.db"
    _library(path)
    db = sqlite_utils.Database(path)
    assert db["papers"].detect_fts() in {"papers_fts", "all_fts"}
    assert [row["title"] for row in db["papers"].search("estuaries")] == [TIDES]
    db.close()


def test_the_migration_redeclares_the_indexes_and_renames_the_date_column(tmp_path):
    import sqlite_utils

    path = tmp_path / "lib.db"
    _library(path)
    make_v1(path)
    db = sqlite_utils.Database(path)
    assert db["papers"].detect_fts() is None  # what users of schema 1 ran into
    db.close()

    with Library.open(path) as library:
        columns = {row[1] for row in library.query("PRAGMA table_info(papers)")}
        assert "upvotes_seen_on" in columns and "upvotes_seen" not in columns
        assert "comments_seen_on" in columns and "comments_seen" not in columns
        # Schema 1's one number was the comment count: it moved, with its date.
        assert library.query("SELECT comments, comments_seen_on FROM papers WHERE comments = 7")[
            0
        ] == (7, "2025-05-01")
        # Titles are searchable at once; abstracts once indexed again (lazily, as after imports).
        assert library.pending_abstracts() == 2
        assert Searcher(library).search("zymurgical").ids  # found by LIKE while pending
        while library.index_abstracts():
            pass
        hits = library.query("SELECT rowid FROM all_fts WHERE all_fts MATCH 'zymurgical'")
        assert len(hits) == 1
        tags = library.query("SELECT tags FROM papers_with_tags WHERE title = ?", (TIDES,))
        assert sorted(json.loads(tags[0][0])) == ["ocean", "to-read"]
    db = sqlite_utils.Database(path)
    assert [row["title"] for row in db["papers"].search("forecasting")] == [TIDES]
    db.close()


def test_the_readme_names_every_table_and_column_that_needs_naming():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    with sqlite3.connect(":memory:") as conn:
        from tuireader.library.schema import CREATE_V1

        conn.executescript(CREATE_V1)
        names = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                " AND name NOT LIKE '%fts_%' AND name NOT LIKE 'sqlite_%'"
            )
        }
    for name in names:
        assert f"`{name}`" in readme, name
    for column in ("cite_key", "upvotes_seen_on"):
        assert f"`{column}`" in readme, column
    assert "abstracts_fts" not in readme


def test_datasette_metadata_command(tmp_path):
    path = tmp_path / "lib.db"
    _library(path)
    out = tmp_path / "metadata.json"
    assert main(["--library", str(path), "datasette-metadata", "-o", str(out)]) == 0
    metadata = json.loads(out.read_text())
    tables = metadata["databases"]["lib"]["tables"]
    assert tables["papers"]["fts_table"] == "all_fts"
    assert {"array": "tags"} in tables["papers_with_tags"]["facets"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def test_datasette_serves_the_library_with_search_and_facets(tmp_path):
    pytest.importorskip("datasette")
    path = tmp_path / "lib.db"
    _library(path)
    metadata = tmp_path / "metadata.json"
    assert main(["--library", str(path), "datasette-metadata", "-o", str(metadata)]) == 0
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(path), "-m", str(metadata),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(f"{base}/-/versions.json")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        assert _get(f"{base}/-/metadata.json")["title"] == "tuireader library"
        # The search box: ?_search= goes through all_fts, abstracts included.
        found = _get(f"{base}/lib/papers.json?_search=zymurgical&_shape=objects")
        assert [row["title"] for row in found["rows"]] == [TIDES]
        view = _get(f"{base}/lib/papers_with_tags.json?_search=lecture&_shape=objects")
        assert [row["title"] for row in view["rows"]] == [POOLS]
        facets = _get(f"{base}/lib/papers_with_tags.json")["facet_results"]
        tag_counts = {r["value"]: r["count"] for r in facets["tags"]["results"]}
        assert tag_counts == {"ocean": 2, "to-read": 1}
        assert {r["value"]: r["count"] for r in facets["starred"]["results"]} == {0: 1, 1: 1}
        assert {r["value"] for r in facets["organization"]["results"]} >= {"Ocean Lab"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()
