"""Layout D: arXiv listing pages as copied from a browser (/list/<cat>/new, /recent, search).

Each entry opens with its identifier and goes on with the title, the authors, optional
comments and subjects, and (on /new and in search results) the abstract::

    [3] arXiv:2506.01234 [pdf, html, other]          (search results: "arXiv:2506.01234 [pdf]")
    A Title That May Be Long                          ("Title: ..." on the older page design)
    Ada Lovelace, Alan Turing                         ("Authors: ...")
    Comments: 12 pages, 4 figures
    Subjects: Computation and Language (cs.CL); Machine Learning (cs.LG)
    The abstract, one paragraph ...                   (search results: "Abstract: ... ▽ More")
    Submitted 2 June, 2025; originally announced June 2025.        (search results only)

A listing date ("Showing new listings for Monday, 2 June 2025", or a day heading on /recent)
dates the entries under it; the identifier is kept, so the paper's arXiv page can be opened.
"""

from __future__ import annotations

import datetime as dt
import re

from tuireader.dumps.author_page import META_LINE
from tuireader.dumps.common import clean_lines, looks_like_abstract
from tuireader.models import (
    LAYOUT_ARXIV,
    DumpError,
    ParsedPaper,
    ParseResult,
    ParseWarning,
    WarningKind,
)

_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
#: "[3] arXiv:2506.01234 [pdf, ...]", "arXiv:2506.01234  [pdf, other]", "1. arXiv:...".
ENTRY = re.compile(rf"^(?:\[\d+\]\s*|\d+\.\s*)?arXiv:{_ID}\b(?P<rest>.*)$")
_FIELD = re.compile(r"^(?P<name>Title|Authors?|Comments|Subjects|Journal-ref|DOI|Report-no|"
                    r"ACM-class|MSC-class|Abstract):\s*(?P<value>.*)$")
_CATEGORY = re.compile(r"\(([a-z\-]+(?:\.[A-Za-z\-]+)?)\)")
#: A search result's category tags: "cs.LG cs.AI", "physics.geo-ph", "hep-th".
_CATEGORY_TAG = re.compile(r"^[a-z]{2,9}(?:-[a-z]{2,3})?(?:\.[A-Za-z\-]{2,8})?$")
_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"),
         ("May",), ("June", "Jun"), ("July", "Jul"), ("August", "Aug"),
         ("September", "Sep", "Sept"), ("October", "Oct"), ("November", "Nov"),
         ("December", "Dec")],
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(
    r"\b(?P<day>\d{1,2}) (?P<month>" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
    + r"),? (?P<year>\d{4})\b"
)
#: Lines that date what follows: the /new heading, a /recent day heading.
_LISTING_DATE = re.compile(r"^(?:Showing new listings for |[A-Z][a-z]{2}, )")
_SUBMITTED = re.compile(r"^Submitted ")
_MORE_LESS = re.compile(r"\s*(?:▽ More|△ Less)\s*$")
#: Lines of the other layouts: a Hugging Face metadata block, an author-page metadata line.
_FOREIGN = (
    ("a Hugging Face papers page", re.compile(r"^(?:·|•\s*\d+\s+authors?)$")),
    ("an author page", META_LINE),
)


def looks_like_arxiv(lines: list[str]) -> bool:
    """True when some (cleaned) line opens an arXiv listing entry."""
    return sum(1 for line in lines if line[:12].find("arXiv:") >= 0 and ENTRY.match(line)) >= 1


def _date(text: str) -> tuple[str, str] | None:
    """(ISO date, the text as printed) for "2 June 2025" or "18 May, 2025" inside ``text``."""
    match = _DAY_MONTH_YEAR.search(text)
    if not match:
        return None
    try:
        day = dt.date(int(match["year"]), _MONTH_NAMES[match["month"]], int(match["day"]))
    except ValueError:
        return None
    return day.isoformat(), match.group(0)


def _is_category_tags(text: str) -> bool:
    tags = text.split()
    return all(_CATEGORY_TAG.match(tag) and ("." in tag or "-" in tag) for tag in tags)


def _authors(text: str) -> list[str]:
    text = re.sub(r"\s+and\s+", ", ", text.strip().rstrip("."))
    return [name.strip() for name in text.split(",") if name.strip()]


def _read_entry(
    number: int, entry_id: str, body: list[tuple[int, str]], dated: tuple[str, str] | None
) -> tuple[ParsedPaper | None, str | None]:
    """One entry's lines as a paper, or (None, why not)."""
    title: str | None = None
    authors: list[str] | None = None
    category: str | None = None
    abstract: list[str] = []
    full_abstract: str | None = None
    plain: list[str] = []
    for _, text in body:
        field = _FIELD.match(text)
        if field:
            name, value = field["name"], field["value"].strip()
            if name == "Title":
                title = value
            elif name.startswith("Author"):
                authors = _authors(value)
            elif name == "Subjects":
                found = _CATEGORY.search(value)
                category = found.group(1) if found else category
            elif name == "Abstract" and value:
                abstract.append(value)
            continue
        if _SUBMITTED.match(text):
            dated = _date(text) or dated
        elif _is_category_tags(text):
            category = category or text.split()[0]
        elif text.endswith("△ Less"):
            full_abstract = _MORE_LESS.sub("", text)
        elif looks_like_abstract(text) or (len(text) >= 80 and text.count(" ") >= 10):
            abstract.append(text)
        else:
            plain.append(text)
    # The page design of 2024 on: the title and the authors are bare lines.
    if title is None and plain:
        title = plain.pop(0)
    if authors is None and plain:
        authors = _authors(plain.pop(0))
    if not title:
        return None, f"skipped arXiv:{entry_id}: no title"
    text = full_abstract or _MORE_LESS.sub("", " ".join(abstract))
    paper = ParsedPaper(
        title=title,
        abstract=text,
        line=number,
        authors=authors or None,
        author_count=len(authors) if authors else None,
        category=category,
        arxiv_id=entry_id,
    )
    if dated:
        paper.published, paper.published_raw = dated
    return paper, None


def _check_end(result: ParseResult, last_body: list[tuple[int, str]]) -> None:
    """Warn when the page seems cut off inside its last entry (the others have abstracts): no
    abstract at all, or one that stops mid-sentence with nothing after it."""
    if len(result.papers) < 2 or not any(p.abstract for p in result.papers[:-1]):
        return
    last = result.papers[-1]
    ends = last.abstract.rstrip().endswith((".", "!", "?", ")", '"'))
    cut = not last.abstract or (not ends and bool(last_body) and last_body[-1][1] in last.abstract)
    if cut:
        result.warnings.append(
            ParseWarning(last.line, "the page ends inside this entry (its abstract is missing or"
                         " cut off); kept what is there")
        )


def parse_arxiv(text: str | list[str], *, year: int | None = None, today=None) -> ParseResult:
    """Parse an arXiv listing or search-results page (layout D).

    Dates print their year, so ``year`` and ``today`` change nothing; they are accepted like
    every parser's.
    """
    lines = clean_lines(text)
    entries: list[tuple[int, str, list[tuple[int, str]], tuple[str, str] | None]] = []
    listing_date: tuple[str, str] | None = None
    page_date: str | None = None
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        for other, pattern in _FOREIGN:
            if pattern.match(line):
                raise DumpError(
                    f"line {number}: the layout changes here from an arXiv listing to {other}; "
                    "save each page in a file of its own"
                )
        entry = ENTRY.match(line)
        if entry:
            # A replaced paper is older than the listing: the listing's date is not its date.
            dated = None if "(replaced)" in entry["rest"] else listing_date
            entries.append((number, entry["id"], [], dated))
            continue
        if _LISTING_DATE.match(line) and (found := _date(line)):
            listing_date = found
            page_date = page_date or found[0]
            continue
        if entries:
            entries[-1][2].append((number, line))
    result = ParseResult(LAYOUT_ARXIV, [], page_date=page_date)
    for number, entry_id, body, dated in entries:
        paper, problem = _read_entry(number, entry_id, body, dated)
        if paper is None:
            result.warnings.append(ParseWarning(number, problem or "skipped an entry", WarningKind.SKIPPED))
            continue
        result.papers.append(paper)
    _check_end(result, entries[-1][2] if entries else [])
    years = [int(p.published[:4]) for p in result.papers if p.published]
    result.capture_year = max(years) if years else (year or (today or dt.date.today()).year)
    return result
