"""Layout D: arXiv pages as copied from a browser (/list/<cat>/new, /recent, /pastweek, search).

Each entry opens with its identifier; what follows it is read by
:mod:`tuireader.dumps.arxiv_entry`::

    [3] arXiv:2506.01234 (cross-list from cs.LG) [pdf, html, other]   ("(replaced)" too)
    A Title That May Be Long                           ("Title: ..." on the older page design)
    Ada Lovelace, Alan Turing                          ("Authors: ...")
    Comments: 12 pages, 4 figures
    Journal-ref: Some Journal 12 (2025) 1-20
    Subjects: Computation and Language (cs.CL); Machine Learning (cs.LG)

    The abstract, one paragraph (on /new; /recent and /pastweek print none) ...

Search results put the category tags before the title and the abstract after ``Abstract:``,
then ``Submitted 2 June, 2025; originally announced June 2025.``

A listing date ("Showing new listings for Monday, 2 June 2025", a day heading of /recent,
"New submissions for Mon, 2 Jun 25" on the older design) dates the entries under it, but a
replaced one (older than the listing). The page's chrome (section headings, "Total of N
entries", the footer) ends the entry before it and is never read as a paper's.
"""

from __future__ import annotations

import datetime as dt
import re

from tuireader.dumps.arxiv_entry import is_category_tags, printed_date, read_entry
from tuireader.dumps.author_page import META_LINE
from tuireader.dumps.common import clean_lines
from tuireader.models import (
    LAYOUT_ARXIV,
    DumpError,
    ParseResult,
    ParseWarning,
    WarningKind,
)

_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
#: "[3] arXiv:2506.01234 [pdf, ...]", "arXiv:2506.01234  [pdf, other]", "1. arXiv:...".
ENTRY = re.compile(rf"^(?:\[\d+\]\s*|\d+\.\s*)?arXiv:{_ID}\b(?P<rest>.*)$")
#: Lines that date what follows: the /new heading, a /recent day heading.
_LISTING_DATE = re.compile(r"^(?:Showing new listings for |[A-Z][a-z]{2}, )")
#: The older design's headings: "New submissions for Mon, 2 Jun 25", "Replacements for ...".
_SHORT_DATE = re.compile(
    r"^(?:New submissions|Cross-lists|Replacements) for [A-Z][a-z]{2}, "
    r"(?P<day>\d{1,2}) (?P<month>[A-Z][a-z]{2}) (?P<year>\d{2})\b"
)
#: The page's own lines between and after entries: section headings, counts, the footer.
_CHROME = re.compile(
    r"^(?:Total of \d+ entries|Showing up to \d+ entries per page|\[\s*(?:total of|showing)\b"
    r"|(?:New|Cross|Replacement) submissions\b|Cross-lists\b|Replacements\b"
    r"|We gratefully acknowledge support|Major funding support from"
    r"|Disable MathJax|Links to: arXiv"
    r"|.*\((?:continued, )?showing (?:first |last )?\d+ of \d+ entries\s*\)$)"
)
#: Lines of the other layouts: a Hugging Face metadata block, an author-page metadata line.
_FOREIGN = (
    ("a Hugging Face papers page", re.compile(r"^(?:·|•\s*\d+\s+authors?)$")),
    ("an author page", META_LINE),
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_Entry = tuple[int, str, list[tuple[int, str]], "tuple[str, str] | None"]


def looks_like_arxiv(lines: list[str]) -> bool:
    """True when some (cleaned) line opens an arXiv listing entry."""
    return sum(1 for line in lines if line[:12].find("arXiv:") >= 0 and ENTRY.match(line)) >= 1


def _listing_date(line: str) -> tuple[str, str] | None:
    """The date a heading gives the entries under it, or None when ``line`` is no such heading."""
    if _LISTING_DATE.match(line):
        return printed_date(line)
    short = _SHORT_DATE.match(line)
    if short and short["month"] in _MONTHS:
        try:
            day = dt.date(2000 + int(short["year"]), _MONTHS.index(short["month"]) + 1,
                          int(short["day"]))
        except ValueError:
            return None
        return day.isoformat(), f"{short['day']} {short['month']} {short['year']}"
    return None


def _check_end(result: ParseResult, last_body: list[tuple[int, str]]) -> bool:
    """Warn when the page seems cut off inside its last entry (the others have abstracts): no
    abstract at all, or one that stops mid-sentence with nothing after it. True if it warned."""
    if len(result.papers) < 2 or not any(p.abstract for p in result.papers[:-1]):
        return False
    last = result.papers[-1]
    ends = last.abstract.rstrip().endswith((".", "!", "?", ")", '"'))
    texts = [text for _, text in last_body if text]
    cut = not last.abstract or (not ends and bool(texts) and texts[-1] in last.abstract)
    if cut:
        result.warnings.append(
            ParseWarning(last.line, "the page ends inside this entry (its abstract is missing or"
                         " cut off); kept what is there")
        )
    return cut


def _entries(lines: list[str]) -> tuple[list[_Entry], str | None, bool]:
    """The page's entries (line, id, body lines, date), its date, and whether it ends inside its
    last entry (no chrome after it)."""
    entries: list[_Entry] = []
    listing: tuple[str, str] | None = None
    page_date: str | None = None
    open_entry = False
    for number, line in enumerate(lines, start=1):
        if line:
            for other, pattern in _FOREIGN:
                if pattern.match(line):
                    raise DumpError(
                        f"line {number}: the layout changes here from an arXiv listing to "
                        f"{other}; save each page in a file of its own"
                    )
        entry = ENTRY.match(line)
        if entry:
            # A replaced paper is older than the listing: the listing's date is not its date.
            dated = None if "(replaced)" in entry["rest"] else listing
            entries.append((number, entry["id"], [], dated))
            # A search result's category tags follow its links: "[pdf, other] cs.LG cs.AI".
            tags = entry["rest"].rpartition("]")[2].strip()
            if is_category_tags(tags):
                entries[-1][2].append((number, tags))
            open_entry = True
            continue
        found = _listing_date(line) if line else None
        if found:
            listing = found
            page_date = page_date or found[0]
        if found or (line and _CHROME.match(line)):
            open_entry = False
        elif open_entry:
            entries[-1][2].append((number, line))
    return entries, page_date, open_entry


def parse_arxiv(text: str | list[str], *, year: int | None = None, today=None) -> ParseResult:
    """Parse an arXiv listing or search-results page (layout D).

    Dates print their year, so ``year`` and ``today`` change nothing; they are accepted like
    every parser's.
    """
    entries, page_date, ends_open = _entries(clean_lines(text))
    result = ParseResult(LAYOUT_ARXIV, [], page_date=page_date)
    last_warnings: list[ParseWarning] = []
    for index, (number, entry_id, body, dated) in enumerate(entries):
        reading = read_entry(number, entry_id, body, dated)
        if index == len(entries) - 1 and reading.paper is not None:
            last_warnings = [w for w in reading.warnings if w.kind is not WarningKind.SKIPPED]
        result.warnings.extend(reading.warnings)
        if reading.paper is not None:
            result.papers.append(reading.paper)
    if entries and ends_open and _check_end(result, entries[-1][2]):
        # The page is cut inside its last entry: that says why its author line may be missing.
        result.warnings = [w for w in result.warnings if w not in last_warnings]
    years = [int(p.published[:4]) for p in result.papers if p.published]
    result.capture_year = max(years) if years else (year or (today or dt.date.today()).year)
    return result
