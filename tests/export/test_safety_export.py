"""Exported data is safe to open: no spreadsheet formulas, no live Markdown, no file destroyed."""

from __future__ import annotations

import csv
import io
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.cli_helpers import run
from tests.helpers import dump, paper, snapshot
from tests.hostile import MARKUP, SEQUENCES, build_hostile_library, hostile_title
from tests.tmux_helpers import REPO
from tuireader.export import to_csv, to_markdown
from tuireader.library import Library
from tuireader.textsafe import visible

FORMULAS = [
    "=HYPERLINK(\"https://evil.example\",\"click\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1 tab first",
    "\r=1+1 carriage return first",
]

#: Titles that carry everything Markdown could read as syntax.
MARKDOWN_TITLES = [
    "A*-Decoding: Planning with Tokens",
    "<img src=x onerror=alert(1)> Images",
    "[click me](javascript:alert(1)) Links",
    "![pixel](https://evil.example/p.png) Pictures",
    "Bold **inside** and __under__ _it_",
    "Code `rm -rf` spans and ``double``",
    "Auto <https://evil.example> links and &lt;entities&amp;",
    "<script>alert(1)</script> blocks",
    "~~struck~~ | table | cells",
    "Back\\slash \\*escaped\\* already",
]


@pytest.fixture
def library(tmp_path):
    with Library.open(tmp_path / "lib.db") as lib:
        yield lib


def _add(library: Library, titles: list[str], **fields) -> None:
    papers = [paper(t, line=i + 1, **fields) for i, t in enumerate(titles)]
    library.add_dump(dump(*papers), file="t.txt", path=None, sha256=str(len(titles)) * 64)


# -- CSV ------------------------------------------------------------------------------------------


def test_csv_defuses_formulas_as_owasp_recommends(library):
    _add(library, FORMULAS, authors=["=cmd|'/C calc'!A0"])
    ids = library.ordered_ids()
    library.add_tag(ids, "@tag")
    library.set_note(ids[0], "+note")
    rows = list(csv.DictReader(io.StringIO(to_csv(library.get_papers(ids)))))
    assert len(rows) == len(FORMULAS)
    for row in rows:
        for key in ("title", "authors", "tags"):
            cell = row[key]
            assert cell.startswith("'"), (key, cell)
            assert cell[1] in "=+-@\t\u240d", (key, cell)  # (a carriage return is shown as ␍)
    titles = sorted(row["title"][1:] for row in rows)
    assert titles == sorted(map(visible, FORMULAS))  # nothing else changed: the quote comes off
    assert any(row["notes"] == "'+note" for row in rows)
    # Harmless text, numbers and booleans are untouched.
    for row in rows:
        assert row["read"] == "false" and row["abstract"].startswith("An abstract")


def test_csv_keeps_a_negative_score_a_number(library):
    _add(library, ["Plain Title"], score=-1.5)
    (row,) = csv.DictReader(io.StringIO(to_csv(library.get_papers(library.ordered_ids()))))
    assert row["score"] == "-1.5" and row["title"] == "Plain Title"


# -- Markdown -------------------------------------------------------------------------------------


def _tokens(text: str):
    md = MarkdownIt("commonmark").enable("strikethrough").enable("table")
    for token in md.parse(text):
        yield token
        yield from token.children or []


def test_markdown_export_has_no_live_syntax_from_titles(library):
    _add(library, MARKDOWN_TITLES, authors=["Eve <b>Bold</b> *Star*"])
    library.add_tag(library.ordered_ids(), "x`y")
    papers = library.get_papers(library.ordered_ids())
    text = to_markdown(papers)
    kinds = [t.type for t in _tokens(text)]
    for bad in ("html_inline", "html_block", "link_open", "image", "em_open", "s_open", "table_open"):
        assert bad not in kinds, (bad, text)
    # Our own markup only: one bold title and one code span (the tag) per paper.
    assert kinds.count("strong_open") == len(papers)
    assert kinds.count("code_inline") == len(papers)
    # Every title reads literally, exactly as it is.
    strong_texts = []
    tokens = list(_tokens(text))
    for i, token in enumerate(tokens):
        if token.type == "strong_open":
            strong_texts.append(tokens[i + 1].content)
    assert sorted(strong_texts) == sorted(MARKDOWN_TITLES)
    codes = {t.content for t in tokens if t.type == "code_inline"}
    assert codes == {"#x`y"}


def test_a_star_in_a_real_title_renders_literally(library):
    _add(library, ["A*-Decoding: Token-Efficient Inference Scaling"])
    html = MarkdownIt("commonmark").render(to_markdown(library.get_papers(library.ordered_ids())))
    assert "<em>" not in html
    assert "<strong>A*-Decoding: Token-Efficient Inference Scaling</strong>" in html


def test_markdown_of_hostile_titles_is_one_line_each(tmp_path):
    path = build_hostile_library(tmp_path)
    with Library.open(path) as lib:
        text = to_markdown(lib.get_papers(lib.ordered_ids()))
    assert len(text.splitlines()) == len(SEQUENCES)
    assert "html_inline" not in [t.type for t in _tokens(text)]
    assert MARKUP not in text  # its brackets and angle brackets are escaped


# -- never destroy a file -------------------------------------------------------------------------


@pytest.fixture
def small_lib(tmp_path) -> Path:
    path = tmp_path / "lib.db"
    with Library.open(path) as lib:
        _add(lib, ["One Paper", "Two Paper"])
    return path


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_refuses_to_write_over_the_library(small_lib, suffix):
    target = Path(str(small_lib) + suffix)
    before = snapshot(small_lib)
    existed = target.exists()
    raw = target.read_bytes() if existed else None
    code, out, err = run("--library", small_lib, "export", "-o", target)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "library" in err and "Traceback" not in err
    assert snapshot(small_lib) == before
    if suffix == "":
        assert target.read_bytes() == raw
    elif not existed:
        assert not target.exists() or target.read_bytes()[:1] != b"["


def test_export_refuses_the_library_under_another_name(small_lib, tmp_path):
    link = tmp_path / "alias.json"
    link.symlink_to(small_lib)
    raw = small_lib.read_bytes()
    code, _, err = run("--library", small_lib, "export", "-o", link)
    assert code == 2 and "library file" in err
    assert small_lib.read_bytes() == raw


def test_export_refuses_any_sqlite_file(small_lib, tmp_path):
    other = tmp_path / "photos.db"
    with Library.open(other) as lib:
        _add(lib, ["Someone Else's"])
    raw = other.read_bytes()
    code, out, err = run("--library", small_lib, "export", "-o", other)
    assert code == 2 and "SQLite" in err and len(err.splitlines()) == 1
    assert other.read_bytes() == raw


def test_export_replaces_an_ordinary_file_whole(small_lib, tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    code, _, err = run("--library", small_lib, "export", "-o", target)
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("[")
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_failed_export_leaves_the_old_file_and_no_half_file(tmp_path):
    """A write that fails midway (here: a file-size limit, as a full disk would) changes nothing."""
    lib_path = tmp_path / "lib.db"
    with Library.open(lib_path) as lib:
        _add(lib, [f"Paper number {i}" for i in range(300)])
    target = tmp_path / "out.json"
    target.write_text("precious old export\n", encoding="utf-8")
    limit = 64 * 1024

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "tuireader", "--library", str(lib_path), "export", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=small_files,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "cannot write" in result.stderr
    assert target.read_text(encoding="utf-8") == "precious old export\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("lib.db", "out.json")]
    assert not [name for name in leftovers if not name.startswith("lib.db-")], leftovers


def test_export_query_of_two_dashes_is_no_traceback(small_lib):
    code, out, err = run("--library", small_lib, "export", "--query=--")
    assert "Traceback" not in err
    assert code in (0, 2)
    if code == 2:
        assert len(err.splitlines()) == 1
    else:
        assert out.startswith("[")


def test_hostile_titles_reach_a_file_intact_in_json(tmp_path):
    import json

    path = build_hostile_library(tmp_path)
    target = tmp_path / "all.json"
    assert run("--library", path, "export", "-o", target)[0] == 0
    titles = {r["title"] for r in json.loads(target.read_text(encoding="utf-8"))}
    assert titles == {hostile_title(name) for name in SEQUENCES}


@pytest.mark.parametrize("companion", ["-wal", "-shm", "-journal"])
def test_export_refuses_the_companion_files_of_another_database(small_lib, tmp_path, companion):
    import sqlite3

    other = tmp_path / "photos.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    target = Path(str(other) + companion)
    target.write_bytes(b"\x00" * 64)  # what matters is whose file it is
    code, _, err = run("--library", small_lib, "export", "-o", target)
    assert code == 2 and "SQLite" in err
    assert target.read_bytes() == b"\x00" * 64


def test_export_refuses_a_file_that_starts_like_a_wal(small_lib, tmp_path):
    target = tmp_path / "log.bin"
    target.write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 28)
    code, _, err = run("--library", small_lib, "export", "-o", target)
    assert code == 2 and "SQLite" in err
