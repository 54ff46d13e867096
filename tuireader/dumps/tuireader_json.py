"""Layout E: tuireader's own JSON and JSON Lines exports, read back (one library to another).

Only what a dump can say is taken: the paper's fields. The reader's state in the export (read,
starred, tags, notes) is not imported: an import never touches it.
"""

from __future__ import annotations

import datetime as dt
import json

from tuireader.models import (
    LAYOUT_TUIREADER_JSON,
    ParsedPaper,
    ParseResult,
    ParseWarning,
    WarningKind,
)

#: Keys every record of a tuireader export has (see tuireader.export.EXPORT_KEYS).
OUR_KEYS = frozenset({"title", "abstract", "authors", "published", "read", "starred", "tags"})
_TEXT = (
    "organization",
    "org_handle",
    "published",
    "published_raw",
    "category",
    "arxiv_id",
    "subjects",
    "arxiv_comments",
    "journal_ref",
)
_NUMBERS = ("author_count", "upvotes", "comments")


def json_records(lines: list[str]) -> list[tuple[int, object]] | None:
    """(line, record) pairs of a JSON document or of JSON Lines, or None when it is neither."""
    content = [(n, line) for n, line in enumerate(lines, start=1) if line]
    if not content:
        return None
    try:
        data = json.loads("\n".join(lines))
    except ValueError:
        data = None
    else:
        if not isinstance(data, list):
            return [(content[0][0], data)]
        # Our export puts each record's "{" on a line of its own: number records by it.
        starts = [n for n, line in content if line == "{"]
        if len(starts) != len(data):
            starts = [content[0][0]] * len(data)
        return list(zip(starts, data, strict=True))
    records = []
    for number, line in content:
        try:
            records.append((number, json.loads(line)))
        except ValueError:
            return None
    return records


def is_ours(record: object) -> bool:
    """Is ``record`` a paper as tuireader exports it?"""
    return isinstance(record, dict) and record.keys() >= OUR_KEYS


def looks_like_tuireader_json(lines: list[str]) -> bool:
    """True when the (cleaned) lines are a tuireader JSON or JSON Lines export."""
    first = next((line for line in lines if line), "")
    if first[:1] not in ("[", "{"):  # (not ``in "[{"``: the empty string is in every string)
        return False
    records = json_records(lines)
    return records is not None and bool(records) and all(is_ours(r) for _, r in records)


def _paper(number: int, record: dict) -> ParsedPaper | None:
    title, abstract = record.get("title"), record.get("abstract")
    if not isinstance(title, str) or not title.strip():
        return None
    authors = record.get("authors")
    paper = ParsedPaper(
        title=title.strip(),
        abstract=abstract if isinstance(abstract, str) else "",
        line=number,
        authors=[str(a) for a in authors] if isinstance(authors, list) and authors else None,
        authors_truncated=record.get("authors_truncated") is True,
    )
    for name in _TEXT:
        value = record.get(name)
        setattr(paper, name, value if isinstance(value, str) and value else None)
    for name in _NUMBERS:
        value = record.get(name)
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        setattr(paper, name, value if ok else None)
    if isinstance(record.get("has_code"), bool):
        paper.has_code = record["has_code"]
    if isinstance(record.get("score"), int | float) and not isinstance(record["score"], bool):
        paper.score = float(record["score"])
    if paper.published:
        try:
            dt.date.fromisoformat(paper.published)
        except ValueError:
            paper.published = None
    return paper


def parse_tuireader_json(
    text: str | list[str], *, year: int | None = None, today=None
) -> ParseResult:
    """Read a tuireader JSON (or JSON Lines) export back into papers.

    Dates are stored whole in an export, so ``year`` and ``today`` change nothing.
    """
    lines = text if isinstance(text, list) else text.split("\n")
    result = ParseResult(LAYOUT_TUIREADER_JSON, [])
    for number, record in json_records(lines) or []:
        paper = _paper(number, record) if isinstance(record, dict) else None
        if paper is None:
            result.warnings.append(ParseWarning(number, "skipped a record with no title", WarningKind.SKIPPED))
        else:
            result.papers.append(paper)
    years = [int(p.published[:4]) for p in result.papers if p.published]
    result.capture_year = max(years) if years else (year or (today or dt.date.today()).year)
    return result
