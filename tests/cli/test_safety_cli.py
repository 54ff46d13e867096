"""Hostile text never reaches the terminal raw through the command line (real subprocesses).

The library is filled through its API (tests/hostile.py), so nothing here relies on the parsers
cleaning dump text; file names come from the file system.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import (
    ANY_CONTROL,
    HOSTILE_TAG,
    OSC_TITLE,
    RAW_CONTROL,
    SEQUENCES,
    build_hostile_library,
    hostile_title,
)
from tests.tmux_helpers import REPO
from tuireader.export import FORMATS  # every format, those added later too
from tuireader.library import Library
from tuireader.textsafe import one_line, visible


def cli(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """``python -m tuireader ARGS`` as a real process; its streams kept as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "tuireader", *map(str, args)],
        capture_output=True,
        timeout=60,
        cwd=cwd,
        env={**_env(), "PYTHONPATH": str(REPO)},
    )


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def assert_clean(stream: bytes, *, lines: int | None = None) -> str:
    """The stream decodes as UTF-8 and holds no control character but newline and tab."""
    text = stream.decode("utf-8")
    bad = RAW_CONTROL.search(text)
    assert bad is None, f"raw control character in: {text[max(bad.start() - 80, 0) : bad.end() + 40]!r}"
    if lines is not None:
        assert len(text.splitlines()) == lines, text
    return text


@pytest.fixture
def hostile(tmp_path) -> Path:
    return build_hostile_library(tmp_path)


def test_visible_and_one_line_show_every_control_character():
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:
        char = chr(code)
        shown = one_line(f"a{char}b")
        assert not ANY_CONTROL.search(shown), (code, shown)
        assert shown.startswith("a") and shown.endswith("b") and len(shown) > 2
        if char in "\n\t":
            assert visible(f"a{char}b") == f"a{char}b"
        else:
            assert visible(f"a{char}b") == shown
    assert one_line("ESC\x1b") == "ESC\u241b"
    assert one_line("C1\x9b") == "C1\\x9b"
    assert one_line("plain — ünïcode ✓") == "plain — ünïcode ✓"
    assert one_line(Path("a\nb")) == "a\u240ab"


def test_search_prints_no_raw_escape(hostile):
    result = cli("--library", hostile, "search", "hostile", "--limit", "50")
    assert result.returncode == 0, result.stderr
    out = assert_clean(result.stdout, lines=len(SEQUENCES))
    assert_clean(result.stderr, lines=1)
    # Each title still reads as itself, its control characters shown.
    for name in SEQUENCES:
        assert one_line(hostile_title(name)) in out


def test_search_json_is_escaped_and_faithful(hostile):
    result = cli("--library", hostile, "search", "hostile", "--json", "--limit", "50")
    assert result.returncode == 0, result.stderr
    assert_clean(result.stdout)
    titles = {record["title"] for record in json.loads(result.stdout)}
    assert titles == {hostile_title(name) for name in SEQUENCES}


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_stdout_prints_no_raw_escape(hostile, fmt):
    result = cli("--library", hostile, "export", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert_clean(result.stdout)
    assert_clean(result.stderr)
    if fmt in ("json", "jsonl"):  # JSON escapes them, so the data is kept exactly
        lines = result.stdout.decode().splitlines()
        records = json.loads(result.stdout) if fmt == "json" else [json.loads(x) for x in lines]
        assert {r["title"] for r in records} == {hostile_title(name) for name in SEQUENCES}
        assert all(r["tags"] == [HOSTILE_TAG] for r in records)


def test_stats_prints_no_raw_escape(hostile):
    result = cli("--library", hostile, "stats")
    assert result.returncode == 0, result.stderr
    out = assert_clean(result.stdout)
    assert one_line(HOSTILE_TAG) in out


def test_path_and_stats_show_a_hostile_library_name_on_one_line(tmp_path):
    folder = tmp_path / f"odd{OSC_TITLE}\nname"
    folder.mkdir()
    library = build_hostile_library(folder, name="lib\x1b[2J.db")
    for command in ("path", "stats"):
        result = cli("--library", library, command)
        assert result.returncode == 0, result.stderr
        out = assert_clean(result.stdout)
        assert one_line(library) in out
        assert not ANY_CONTROL.search(out.splitlines()[0])


@pytest.mark.parametrize("content", ["good", "empty"])
def test_import_summary_of_a_hostile_file_name_is_one_clean_line(tmp_path, fixtures, content):
    name = f"dump\n{OSC_TITLE}\x9b2J\r.txt"
    path = tmp_path / name
    if content == "good":
        shutil.copy(fixtures / "daily_papers.txt", path)
    else:
        path.write_text("", encoding="utf-8")
    result = cli("--library", tmp_path / "lib.db", "import", path)
    assert result.returncode == (0 if content == "good" else 1), result.stderr
    stream = result.stdout if content == "good" else result.stderr
    text = assert_clean(stream, lines=1)
    assert one_line(name) in text
    assert_clean(result.stdout if content != "good" else result.stderr)


def test_import_rejection_of_a_missing_hostile_path_is_one_line(tmp_path):
    result = cli("--library", tmp_path / "lib.db", "import", tmp_path / "no\nsuch\x1b]0;x\x07")
    assert result.returncode == 1
    assert_clean(result.stderr, lines=1)
    assert result.stdout == b""


def test_error_about_a_hostile_library_path_is_one_clean_line(tmp_path):
    bad = tmp_path / "not\na\x1b]0;T\x07library.db"
    bad.write_text("this is not sqlite", encoding="utf-8")
    result = cli("--library", bad, "stats")
    assert result.returncode == 2
    assert_clean(result.stderr, lines=1)


def test_demo_prints_its_path_safely(tmp_path):
    home = tmp_path / "home\x1b]0;D\x07\nnext"
    result = subprocess.run(
        [sys.executable, "-m", "tuireader", "demo", "--no-open"],
        capture_output=True,
        timeout=60,
        env={**_env(), "PYTHONPATH": str(REPO), "TUIREADER_HOME": str(home)},
    )
    assert result.returncode == 0, result.stderr
    assert_clean(result.stdout, lines=1)
    with Library.open(home / "data" / "demo.db") as library:
        assert library.count() > 0


def test_progress_bar_shows_a_hostile_file_name_visibly():
    import io

    from tuireader.cli_support import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    progress = Progress(f"dump{OSC_TITLE}\n.txt", stream, threshold=1)
    progress.note("reading")
    progress(5000, 5000)
    progress.close()
    written = stream.getvalue()
    assert "\x1b]" not in written and "\x07" not in written  # (the bar's own lines are Rich's)
    assert one_line(f"dump{OSC_TITLE}\n.txt") in written


@pytest.mark.parametrize("content", ["good", "empty"])
def test_import_of_a_file_name_that_is_not_utf8(tmp_path, fixtures, content):
    import os

    name = os.fsdecode(b"bad\x9b\xff\x1b.txt")  # a raw C1 CSI byte, an invalid byte, an ESC
    path = tmp_path / name
    try:
        if content == "good":
            shutil.copy(fixtures / "listing.txt", path)
        else:
            path.write_bytes(b"")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses such names")
    result = cli("--library", tmp_path / "lib.db", "import", path)
    assert result.returncode == (0 if content == "good" else 1), result.stderr
    stream = result.stdout if content == "good" else result.stderr
    text = assert_clean(stream, lines=1)
    assert "Traceback" not in result.stderr.decode()
    assert "bad\\x9b\\xff\u241b.txt" in text
    if content == "good":
        with Library.open(tmp_path / "lib.db") as library:
            assert library.count() == 3
            assert library.imports()[0]["file"] == "bad\ufffd\ufffd\x1b.txt"


def test_one_line_shows_the_bytes_of_a_name_that_is_not_utf8():
    import os

    assert one_line(os.fsdecode(b"a\xff\x9bb")) == "a\\xff\\x9bb"
    assert visible(os.fsdecode(b"x\xfe\ny")) == "x\\xfe\ny"
    assert one_line("\ud800") == "\\ud800"
