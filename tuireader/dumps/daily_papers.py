"""Layouts B and C: Hugging Face Daily Papers pages and bare listings.

After a page header and a page date, each paper is a title line and an abstract line. In the
Daily Papers layout (B) an optional metadata block follows its paper::

    <title>
    <abstract>
      • 5 authors          or   facebook AI at Meta      (who-line)
    ·
    Oct 13 3                                             (date, optional upvotes)

The bare listing (C) has title/abstract pairs and nothing else.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from tuireader.dumps.common import (
    DATE_TEXT,
    MONTHS,
    capture_year,
    clean_lines,
    looks_like_abstract,
    resolve_date,
)
from tuireader.models import (
    LAYOUT_DAILY_PAPERS,
    LAYOUT_LISTING,
    ParsedPaper,
    ParseResult,
    ParseWarning,
)

HEADER_LINES = frozenset(
    {
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    }
)
_AUTHORS = re.compile(r"^•\s*(?P<count>\d+)\s+authors?$")
_DOT = "·"
_DATE_LINE = re.compile(rf"^(?P<date>{DATE_TEXT})(?:\s+(?P<upvotes>\d+))?$")
_PAGE_DATE = re.compile(rf"^{DATE_TEXT}$")
#: How far into the file the page date may stand (header lines before it).
_HEADER_SPAN = 12


@dataclass(slots=True)
class _Item:
    """One non-blank line, classified."""

    line: int
    kind: str  # "text" | "authors" | "dot" | "date"
    text: str


_MONTH_STARTS = frozenset(MONTHS)
#: Metadata lines are short; anything longer is a title or an abstract (skips the regexes).
_MAX_META_LENGTH = 40


def _classify(number: int, text: str) -> _Item:
    if len(text) <= _MAX_META_LENGTH:
        if text == _DOT:
            return _Item(number, "dot", text)
        if text[0] == "•" and _AUTHORS.match(text):
            return _Item(number, "authors", text)
        if text[:3] in _MONTH_STARTS and _DATE_LINE.match(text):
            return _Item(number, "date", text)
    return _Item(number, "text", text)


def _split_header(lines: list[str]) -> tuple[list[_Item], str | None]:
    """Drop the page header; return the remaining items and the page date, if any."""
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line]
    page_date = None
    start = 0
    for index, (_, text) in enumerate(numbered[:_HEADER_SPAN]):
        if _PAGE_DATE.match(text) and all(t in HEADER_LINES for _, t in numbered[:index]):
            page_date, start = text, index + 1
            break
    if page_date is None:
        while start < len(numbered) and numbered[start][1] in HEADER_LINES:
            start += 1
    # Most lines are titles and abstracts, longer than any metadata line: no call for those.
    longest = _MAX_META_LENGTH
    return [
        _Item(n, "text", text) if len(text) > longest else _classify(n, text)
        for n, text in numbered[start:]
    ], page_date


def has_listing_header(lines: list[str]) -> bool:
    """True when the (cleaned) lines open with the header of a listing page."""
    head = itertools.islice((line for line in lines if line), 3)
    return any(text in HEADER_LINES for text in head)


def has_metadata_blocks(lines: list[str]) -> bool:
    """True when some (cleaned) line is a Daily Papers metadata separator or author count."""
    return any(line == _DOT or (line[:1] == "•" and _AUTHORS.match(line)) for line in lines)


def _read_block(items: list[_Item], i: int, paper: ParsedPaper, warnings: list[ParseWarning]) -> int:
    """Read the metadata block starting at ``items[i]`` into ``paper``; return the next index."""
    who = items[i]
    if who.kind == "authors":
        match = _AUTHORS.match(who.text)
        assert match is not None
        paper.author_count = int(match["count"])
    else:
        handle, _, name = who.text.partition(" ")
        paper.org_handle = handle
        paper.organization = name.strip() or handle
    i += 1
    if i < len(items) and items[i].kind == "dot":
        i += 1
    if i < len(items) and items[i].kind == "date":
        match = _DATE_LINE.match(items[i].text)
        assert match is not None
        paper.published_raw = match["date"]
        paper.upvotes = int(match["upvotes"]) if match["upvotes"] else None
        i += 1
    else:
        warnings.append(ParseWarning(who.line, "metadata block has no date line; date left empty"))
    return i


def _is_block_start(items: list[_Item], i: int) -> bool:
    """Does a metadata block start at ``items[i]`` (an author count, or an org before a dot)?"""
    if items[i].kind == "authors":
        return True
    return (
        items[i].kind == "text"
        and i + 1 < len(items)
        and items[i + 1].kind == "dot"
        and not looks_like_abstract(items[i].text)
    )


def parse_daily_papers(text: str | list[str], *, year: int | None = None, today=None) -> ParseResult:
    """Parse a Daily Papers dump (layout B) or a bare listing (layout C)."""
    lines = clean_lines(text)
    items, page_date = _split_header(lines)
    layout = LAYOUT_DAILY_PAPERS if has_metadata_blocks(lines) else LAYOUT_LISTING
    papers: list[ParsedPaper] = []
    warnings: list[ParseWarning] = []
    i = 0
    while i < len(items):
        item = items[i]
        if item.kind != "text" or _is_block_start(items, i):
            if _is_block_start(items, i):
                warnings.append(ParseWarning(item.line, "metadata block with no paper before it"))
                i = _read_block(items, i, ParsedPaper("", "", item.line), [])
            else:
                warnings.append(ParseWarning(item.line, f"unexpected line skipped: {item.text!r}"))
                i += 1
            continue
        nxt = items[i + 1] if i + 1 < len(items) else None
        after = items[i + 2] if i + 2 < len(items) else None
        if nxt is None or nxt.kind != "text" or _is_block_start(items, i + 1):
            warnings.append(ParseWarning(item.line, f"skipped a title with no abstract: {item.text!r}"))
            i += 1
            continue
        title_next = not looks_like_abstract(nxt.text)
        if title_next and after is not None and after.kind == "text" and looks_like_abstract(after.text):
            # "title, title, abstract": the first title lost its abstract.
            warnings.append(ParseWarning(item.line, f"skipped a title with no abstract: {item.text!r}"))
            i += 1
            continue
        paper = ParsedPaper(title=item.text, abstract=nxt.text, line=item.line)
        i += 2
        if i < len(items) and _is_block_start(items, i):
            i = _read_block(items, i, paper, warnings)
        papers.append(paper)
    dates = [p.published_raw for p in papers if p.published_raw]
    resolved_year = year or capture_year(dates, page_date, today=today)
    for paper in papers:
        if paper.published_raw:
            paper.published = resolve_date(paper.published_raw, resolved_year)
    return ParseResult(
        layout,
        papers,
        warnings,
        page_date=resolve_date(page_date, resolved_year) if page_date else None,
        capture_year=resolved_year,
    )
