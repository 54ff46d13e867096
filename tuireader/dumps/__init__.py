"""Dump parsers: one module per layout, and :func:`parse_dump` that detects which applies."""

from __future__ import annotations

import datetime as dt

from tuireader.dumps.author_page import looks_like_author_page, parse_author_page
from tuireader.dumps.common import check_text, clean_lines, decode_dump
from tuireader.dumps.daily_papers import (
    has_listing_header,
    has_metadata_blocks,
    looks_like_abstract,
    parse_daily_papers,
)
from tuireader.models import (
    LAYOUT_AUTHOR_PAGE,
    LAYOUT_DAILY_PAPERS,
    LAYOUT_LISTING,
    DumpError,
    ParseResult,
)

__all__ = ["DumpError", "decode_dump", "detect", "parse_dump", "parse_bytes"]


def _looks_like_pairs(lines: list[str]) -> bool:
    """A headerless listing: most long lines follow a short one (title, abstract)."""
    content = [line.strip() for line in lines if line.strip()]
    if content and content[0][0] in "{[<":
        return False
    abstracts = [i for i, text in enumerate(content) if looks_like_abstract(text)]
    if not abstracts:
        return False
    paired = sum(1 for i in abstracts if i > 0 and not looks_like_abstract(content[i - 1]))
    return paired >= max(1, int(0.8 * len(abstracts)))


def detect(text: str) -> str:
    """Name the layout of a dump's text, or raise :class:`DumpError` when none fits."""
    check_text(text)
    return _detect_lines(clean_lines(text))


def _detect_lines(lines: list[str]) -> str:
    if looks_like_author_page(lines):
        return LAYOUT_AUTHOR_PAGE
    if has_metadata_blocks(lines):
        return LAYOUT_DAILY_PAPERS
    if has_listing_header(lines) or _looks_like_pairs(lines):
        return LAYOUT_LISTING
    raise DumpError("not a paper listing this version can read (no known layout fits)")


def parse_dump(text: str, *, year: int | None = None, today: dt.date | None = None) -> ParseResult:
    """Detect the layout of ``text`` and parse it.

    ``year`` overrides the capture year that dates without a year are resolved in; ``today``
    (default: the real date) only matters for pages that print no year at all.
    Raises :class:`DumpError` for text that is empty or in no known layout, or that holds no paper.
    """
    check_text(text)
    lines = clean_lines(text)
    if _detect_lines(lines) == LAYOUT_AUTHOR_PAGE:
        result = parse_author_page(lines, year=year, today=today)
    else:
        result = parse_daily_papers(lines, year=year, today=today)
    if not result.papers:
        reasons = "; ".join(str(w) for w in result.warnings[:3])
        raise DumpError("no complete paper found" + (f" ({reasons})" if reasons else ""))
    return result


def parse_bytes(data: bytes, *, year: int | None = None, today: dt.date | None = None) -> ParseResult:
    """Decode a dump file's bytes and parse them (see :func:`parse_dump`)."""
    return parse_dump(decode_dump(data), year=year, today=today)
