"""What the command-line tests share (tests/cli/test_cli_*.py): running main, the fixture library.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.helpers import EXPORT_KEYS_AS_SPECIFIED
from tuireader.cli import main

KEYS = EXPORT_KEYS_AS_SPECIFIED
TIDEPOOL = "Tidepool: A Benchmark for Estuary Flow Forecasting"
MOSS = "Moss: Tiny Vision Transformers for Lichen Identification"


def run(*argv: object) -> tuple[int, str, str]:
    """Run ``tuireader ARGV`` in-process; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("tuireader: error: ")
    return lines[0]


@pytest.fixture
def lib_path(tmp_path) -> Path:
    return tmp_path / "lib.db"


@pytest.fixture
def imported(lib_path, fixtures) -> Path:
    """A library holding daily_papers.txt, author_page.txt and listing.txt (14 papers)."""
    code, _, _ = run(
        "--library", lib_path, "import",
        fixtures / "daily_papers.txt", fixtures / "author_page.txt", fixtures / "listing.txt",
    )  # fmt: skip
    assert code == 0
    return lib_path
