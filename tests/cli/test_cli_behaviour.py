"""How the command line behaves around its commands: formats from file names, queries that
start with "-", closed pipes, $BROWSER, help, completion, the debug log, progress, packaging."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

import pytest

from tests.helpers import dump, paper
from tuireader.cli import main
from tuireader.cli_support import Progress, protect_query_words
from tuireader.library import Library

ROOT = Path(__file__).resolve().parents[2]


def run(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def imported(tmp_path, fixtures) -> Path:
    path = tmp_path / "lib.db"
    code, _, _ = run(
        "--library", path, "import",
        fixtures / "daily_papers.txt", fixtures / "author_page.txt", fixtures / "listing.txt",
    )  # fmt: skip
    assert code == 0
    with Library.open(path) as library:
        library.set_read(library.ordered_ids()[:4])
    return path


# -- the export format from -o's extension -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("refs.bib", "@misc{"),
        ("refs.BIB", "@misc{"),
        ("refs.ris", "TY  - UNPB"),
        ("refs.csl.json", '[\n  {\n    "id": '),
        ("refs.json", '[\n  {\n    "title": '),
        ("refs.md", "- **"),
        ("refs.jsonl", '{"title": '),
    ],
)
def test_the_format_follows_the_file_name(imported, tmp_path, name, starts):
    target = tmp_path / name
    code, _, err = run("--library", imported, "export", "-o", target)
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith(starts)


def test_a_format_that_contradicts_the_file_name_is_refused(imported, tmp_path):
    target = tmp_path / "refs.bib"
    code, out, err = run("--library", imported, "export", "-f", "json", "-o", target)
    assert code == 2 and out == "" and not target.exists()
    assert err.startswith("tuireader: error: ") and "refs.bib" in err and "BibTeX" in err
    # A name the format also uses is fine (CSL-JSON in .json), and so is an unknown extension.
    assert run("--library", imported, "export", "-f", "csl-json", "-o", tmp_path / "a.json")[0] == 0
    assert run("--library", imported, "export", "-f", "ris", "-o", tmp_path / "a.txt")[0] == 0


def test_an_unknown_extension_without_a_format_is_refused(imported, tmp_path):
    code, _, err = run("--library", imported, "export", "-o", tmp_path / "refs.txt")
    assert code == 2 and "--format" in err and not (tmp_path / "refs.txt").exists()


# -- queries that start with "-" -----------------------------------------------------------------


def _titles(out: str) -> list[str]:
    return [line[15:].split("  — ")[0] for line in out.splitlines()]


def test_a_search_may_start_with_a_minus(imported):
    code, out, err = run("--library", imported, "search", "-is:read", "--limit", "100")
    assert code == 0, err
    assert "10 of 10 matching papers" in err  # 14 papers, 4 read
    code, out2, err = run("--library", imported, "search", "is:unread", "--limit", "100")
    assert _titles(out) == _titles(out2)


def test_minus_words_after_other_words_and_around_options(imported):
    code, out, err = run(
        "--library", imported, "search", "--limit", "50", "a", "-is:read", "--json"
    )
    assert code == 0, err
    assert all(not record["read"] for record in json.loads(out))
    code, out, err = run("--library", imported, "search", "-is:unread", "-is:starred", "--limit=50")
    assert code == 0 and "4 of 4 matching papers" in err


def test_an_export_query_may_start_with_a_minus(imported):
    code, out, err = run("--library", imported, "export", "-q", "-is:read", "-f", "jsonl")
    assert code == 0, err
    assert len(out.splitlines()) == 10
    code, out, err = run("--library", imported, "export", "--query", "-is:unread")
    assert code == 0 and len(json.loads(out)) == 4


def test_mistyped_long_options_stay_errors():
    assert protect_query_words(["search", "--jsno", "x"]) == ["search", "--jsno", "--", "x"]
    assert protect_query_words(["--library", "l.db", "search", "-x", "--lim", "3"]) == [
        "--library", "l.db", "search", "--lim", "3", "--", "-x",
    ]  # fmt: skip


# -- a closed pipe ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["export", "-f", "jsonl"], ["search", "paper", "--limit", "5000"]]
)
def test_a_closed_pipe_ends_quietly_like_cat(tmp_path, command):
    path = tmp_path / "big.db"
    with Library.open(path) as library:
        library.add_dump(
            dump(
                *[paper(f"Paper number {n} about pipes", abstract="x" * 400) for n in range(3000)]
            ),
            file="big.txt",
            path=None,
            sha256="b" * 64,
        )
    reader = subprocess.Popen(
        [sys.executable, "-m", "tuireader", "--library", str(path), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout.readline()
    reader.stdout.close()  # as `| head -1` does
    stderr = reader.stderr.read()
    reader.stderr.close()
    assert reader.wait(timeout=60) == -signal.SIGPIPE  # status 141 in the shell, as for cat
    assert stderr == b""


# -- $BROWSER ------------------------------------------------------------------------------------


def test_browser_is_honoured_without_a_display_and_over_ssh(tmp_path, monkeypatch):
    from tuireader import web

    record = tmp_path / "opened.txt"
    script = tmp_path / "remote-browser"
    script.write_text(f'#!/bin/sh\nprintf %s "$1" > {record}\n')
    script.chmod(0o755)
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")
    monkeypatch.setenv("BROWSER", str(script))
    assert web.open_in_browser("https://example.org/?q=a+b") is None
    deadline = time.monotonic() + 10
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert record.read_text() == "https://example.org/?q=a+b"


def test_a_terminal_browser_in_browser_is_not_started(monkeypatch):
    from tuireader import web

    monkeypatch.setenv("BROWSER", "w3m")
    assert "terminal browser" in web.browser_problem()


# -- help, completion, debug log -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (
            "search",
            [
                "QUERY",
                "--limit N",
                "is:unread",
                "year:2023..2025",
                "TUIREADER_LIBRARY",
                "TUIREADER_SEARCH_URL",
            ],
        ),
        (
            "export",
            [
                "--format FORMAT",
                "QUERY",
                "-o FILE",
                ".bib",
                "csl-json",
                "tag:to-read",
                "TUIREADER_HOME",
            ],
        ),
        ("import", ["FILE", "--year YEAR", "TUIREADER_HOME", "BROWSER"]),
        ("completion", ["SHELL", "fish"]),
    ],
)
def test_help_of_each_command_names_arguments_language_and_environment(capsys, command, words):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for word in words:
        assert word in text, word


def test_the_search_language_in_the_help_is_the_readmes():
    from tuireader.cli_support import SEARCH_LANGUAGE

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for term in ("tag:to-read", 'author:"sheng cao"', "year:..2022", "has:notes", "-tag:x"):
        assert term in SEARCH_LANGUAGE and term in readme


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_come_from_argcomplete(shell):
    code, out, _ = run("completion", shell)
    assert code == 0 and "tuireader" in out and "_ARGCOMPLETE" in out


def test_completion_answers_the_shell(tmp_path):
    answer = tmp_path / "answer"
    line = "tuireader export --format b"
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\n",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
    }
    subprocess.run(
        [sys.executable, "-m", "tuireader"], env=env, timeout=60, check=False, capture_output=True
    )
    assert answer.read_text().split() == ["bibtex"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_loads_the_completion_script(tmp_path):
    code, script, _ = run("completion", "bash")
    (tmp_path / "c.sh").write_text(script)
    done = subprocess.run(
        ["bash", "-c", f"source {tmp_path / 'c.sh'} && complete -p tuireader"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0 and "tuireader" in done.stdout, done.stderr


def test_debug_writes_a_log_file(imported, _isolated_dirs):
    code, _, err = run("--debug", "--library", imported, "stats")
    assert code == 0
    log = _isolated_dirs / "log" / "tuireader.log"
    assert f"debug log in {log}" in err
    text = log.read_text(encoding="utf-8")
    assert "'stats'" in text and "command Namespace(" in text
    code, _, err = run("--debug", "--library", imported.parent, "stats")  # a folder: an error
    assert code == 2
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text  # the details go to the log
    assert text.count("arguments:") == 2  # one handler a run: nothing logged twice
    run("--library", imported, "stats")
    assert log.read_text(encoding="utf-8") == text  # no --debug, no log


# -- progress --------------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_rich_bar_with_rate_and_time_left_on_a_terminal():
    stream = _Terminal()
    progress = Progress("dump.txt", stream, threshold=10)
    for done in range(0, 5001, 500):
        progress(done, 5000)
        time.sleep(0.01)
    progress.close()
    text = stream.getvalue()
    assert "dump.txt" in text and "5000/5000" in text
    assert "papers/s" in text and "0:00:0" in text  # the rate and the time left


def test_progress_is_silent_off_a_terminal(tmp_path, fixtures):
    stream = io.StringIO()
    progress = Progress("dump.txt", stream, threshold=10)
    progress.note("reading")
    progress(50, 100)
    progress.close()
    assert stream.getvalue() == ""
    # The import then prints one line per file and nothing else.
    code, out, err = run(
        "--library",
        tmp_path / "l.db",
        "import",
        fixtures / "daily_papers.txt",
        fixtures / "listing.txt",
    )
    assert code == 0 and err == "" and len(out.splitlines()) == 2


# -- packaging -------------------------------------------------------------------------------------


def test_one_version_source():
    from importlib.metadata import version

    import tuireader

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert version("tuireader") == tuireader.__version__
    assert any(
        c.startswith("Programming Language :: Python :: 3.11") for c in project["classifiers"]
    )


def test_the_sdist_ships_the_whole_test_suite(tmp_path):
    pytest.importorskip("setuptools", minversion="77")
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "MANIFEST.in", "README.md", "LICENSE"):
        if not (ROOT / name).exists():
            continue
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("tuireader", "tests"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    done = subprocess.run(
        [sys.executable, "-c", "from setuptools import build_meta as b; print(b.build_sdist('dist'))"],
        cwd=source, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    sdist = source / "dist" / done.stdout.split()[-1]
    with tarfile.open(sdist) as tar:
        shipped = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    wanted = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert wanted <= shipped, sorted(wanted - shipped)[:10]
