"""Dump parsers: one module per layout, one registry of layouts, and :func:`parse_dump`.

A layout is registered by one line in :data:`LAYOUTS`: its names, how it is recognised and how
it is parsed. :func:`parse_dump` cleans the text, refuses files that are plainly something else
(BibTeX, RIS, CSV, JSON, HTML, source code), recognises the layout once and parses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from tuireader.dumps.arxiv import looks_like_arxiv, parse_arxiv
from tuireader.dumps.author_page import entry_start, looks_like_author_page, parse_author_page
from tuireader.dumps.common import check_text, clean_lines, decode_dump, strip_controls
from tuireader.dumps.daily_papers import parse_daily_papers
from tuireader.dumps.daily_papers_lines import (
    has_metadata_blocks,
    looks_like_papers_page,
    paper_start,
)
from tuireader.dumps.sniff import what_it_looks_like
from tuireader.dumps.tuireader_json import looks_like_tuireader_json, parse_tuireader_json
from tuireader.models import (
    LAYOUT_ARXIV,
    LAYOUT_AUTHOR_PAGE,
    LAYOUT_DAILY_PAPERS,
    LAYOUT_LISTING,
    LAYOUT_TUIREADER_JSON,
    DumpError,
    ParseResult,
)

__all__ = [
    "LAYOUTS",
    "DumpError",
    "Layout",
    "decode_dump",
    "detect",
    "layout_for",
    "parse_bytes",
    "parse_dump",
]


@dataclass(frozen=True, slots=True)
class Layout:
    """One registered layout: how it is recognised and parsed, and how the README shows it."""

    name: str
    label: str
    looks_like: str
    recognise: Callable[[list[str]], bool]
    parse: Callable[..., ParseResult]
    #: Where a paper may begin (lines, start, stop) -> index or None: a big dump of this layout
    #: is parsed in blocks cut there (see :mod:`tuireader.dumps.stream`); None: parsed whole.
    cut: Callable[[list[str], int, int], int | None] | None = None


def _is_listing(lines: list[str]) -> bool:
    return looks_like_papers_page(lines) and not has_metadata_blocks(lines)


#: Every layout, tried in this order; the first whose ``recognise`` accepts the lines wins.
LAYOUTS: tuple[Layout, ...] = (
    Layout(LAYOUT_TUIREADER_JSON, "tuireader JSON export", "`tuireader export -f json` or"
           " `-f jsonl` output: the papers' fields (not your read/starred/tags/notes)",
           looks_like_tuireader_json, parse_tuireader_json),
    Layout(LAYOUT_AUTHOR_PAGE, "author page", "`LGSep 10, 2023` / a title glued to its authors"
           " / the abstract", looks_like_author_page, parse_author_page, entry_start),
    Layout(LAYOUT_ARXIV, "arXiv listing", "`[1] arXiv:2506.01234 [pdf, html, other]` / title /"
           " author line / optional `Comments:`, `Journal-ref:` / `Subjects:` / abstract (/new,"
           " /recent, /pastweek, search results)", looks_like_arxiv, parse_arxiv),
    Layout(LAYOUT_DAILY_PAPERS, "Hugging Face papers", "an upvote count (or `-`), title,"
           " abstract, `• N authors` or an organisation, `·`, date and comment count",
           has_metadata_blocks, parse_daily_papers, paper_start),
    Layout(LAYOUT_LISTING, "listing", "title / abstract pairs, with or without a page header",
           _is_listing, parse_daily_papers, paper_start),
)


#: Sniffing looks at the start of a file only (its first 200 lines).
_SNIFF_CHARS = 1 << 20


def _prepare(text: str) -> list[str]:
    """Check, clean and split ``text``; refuse a file that is plainly not a listing page."""
    check_text(text)
    lines = clean_lines(text)  # (control characters removed there)
    _refuse_other_kinds(text, lines)
    return lines


def _refuse_other_kinds(text: str, lines: list[str]) -> None:
    kind = what_it_looks_like(strip_controls(text[:_SNIFF_CHARS]), lines)
    if kind:
        raise DumpError(f"this is not a listing page: it looks like {kind}")


def layout_for(text: str, lines: list[str]) -> Layout:
    """The layout of a dump whose text begins with ``text`` (cleaned into ``lines``): refuses
    what is plainly not a listing page, as :func:`parse_dump` does (``text`` is checked
    already)."""
    _refuse_other_kinds(text, lines)
    return _layout_of(lines)


def _layout_of(lines: list[str]) -> Layout:
    for layout in LAYOUTS:
        if layout.recognise(lines):
            return layout
    raise DumpError("not a paper listing this version can read (no known layout fits)")


def detect(text: str) -> str:
    """Name the layout of a dump's text, or raise :class:`DumpError` when none fits."""
    return _layout_of(_prepare(text)).name


def parse_dump(text: str, *, year: int | None = None, today: dt.date | None = None) -> ParseResult:
    """Detect the layout of ``text`` and parse it.

    Control characters are removed first (nothing stored can drive a terminal). ``year``
    overrides the capture year that dates without a year are resolved in; ``today`` (default:
    the real date) only matters for pages that print no year at all. Raises
    :class:`DumpError` for text that is empty, not a listing page or in no known layout, or
    that holds no paper.
    """
    lines = _prepare(text)
    del text
    result = _layout_of(lines).parse(lines, year=year, today=today)
    if not result.papers:
        reasons = "; ".join(str(w) for w in result.warnings[:3])
        raise DumpError("no complete paper found" + (f" ({reasons})" if reasons else ""))
    return result


def parse_bytes(data: bytes, *, year: int | None = None, today: dt.date | None = None) -> ParseResult:
    """Decode a dump file's bytes and parse them (see :func:`parse_dump`)."""
    return parse_dump(decode_dump(data), year=year, today=today)
