"""What the parser tests share (tests/dumps/test_parsers_*.py): parsing a fixture, checking papers
field by field against what the file says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

from tuireader.dumps import parse_bytes
from tuireader.models import (
    ParsedPaper,
    ParseResult,
)

TODAY = dt.date(2026, 11, 22)

# Every field a paper can carry besides title, abstract and line, with its "unknown" value.
UNKNOWN = {
    "authors": None,
    "authors_truncated": False,
    "author_count": None,
    "organization": None,
    "org_handle": None,
    "published": None,
    "published_raw": None,
    "upvotes": None,
    "comments": None,
    "has_code": None,
    "category": None,
    "score": None,
    "arxiv_id": None,
    "subjects": None,
    "arxiv_comments": None,
    "journal_ref": None,
}


def parse_fixture(folder: Path, name: str, **kwargs) -> ParseResult:
    kwargs.setdefault("today", TODAY)
    return parse_bytes((folder / name).read_bytes(), **kwargs)


def source_line(folder: Path, name: str, number: int) -> str:
    """Line ``number`` (1-based) of a fixture, as written in the file."""
    return (folder / name).read_text(encoding="utf-8").splitlines()[number - 1].strip()


def check(paper: ParsedPaper, **expected) -> None:
    """Compare every field of ``paper``: those not named in ``expected`` must be unknown."""
    want = {**UNKNOWN, **expected}
    got = asdict(paper)
    for name, value in want.items():
        assert got[name] == value, f"{paper.title!r}: {name}"


def without_line(result: ParseResult) -> list[dict]:
    rows = []
    for paper in result.papers:
        row = asdict(paper)
        row.pop("line")
        rows.append(row)
    return rows
