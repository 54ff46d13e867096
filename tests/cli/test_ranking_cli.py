"""`tuireader similar`, `tuireader triage --help`, and scikit-learn kept out of start-up."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

from tests.ranking_helpers import build_topic_library
from tuireader.cli import main


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_similar_lists_the_papers_most_like_a_title_or_words(tmp_path):
    library = str(build_topic_library(tmp_path))
    code, out, err = _run("--library", library, "similar", "--limit", "4", "redshift", "telescope")
    assert code == 0 and "4 papers: the most like the words" in err
    lines = out.splitlines()
    assert len(lines) == 4 and all("Stars study" in line for line in lines)
    code, out, err = _run("--library", library, "similar", "Kitchen study 0: Oven Flour Crumb", "--limit", "3")
    assert code == 0 and "the most like the paper" in err
    assert len(out.splitlines()) == 3 and all("Kitchen study" in line for line in out.splitlines())
    assert "Kitchen study 0:" not in out  # not the paper itself
    code, out, _ = _run("--library", library, "similar", "--json", "--limit", "1", "cipher")
    assert code == 0 and '"title": "Ciphers study' in out


def test_triage_is_a_command_with_its_keys_in_the_help(capsys):
    try:
        main(["triage", "--help"])
    except SystemExit as done:
        assert done.code == 0
    text = capsys.readouterr().out
    assert "triage mode" in text and "s star" in text and "u undo" in text


def test_the_reader_starts_without_scikit_learn_or_scipy():
    """The models are fitted in the background when first wanted: nothing of them at start-up."""
    code = textwrap.dedent(
        """
        import sys
        import tuireader.app, tuireader.screens.main, tuireader.ranking
        from tuireader.cli import build_parser
        heavy = sorted(n for n in sys.modules if n.split(".")[0] in ("sklearn", "scipy"))
        assert not heavy, heavy
        print("light")
        """
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "light"
    assert "sklearn" not in done.stderr and "scipy" not in done.stderr  # (the import-time log)
