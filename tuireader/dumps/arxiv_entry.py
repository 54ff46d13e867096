"""One entry of an arXiv page, read by its structure (the page around it: :mod:`.arxiv`).

The lines after an entry's ``arXiv:ID`` line, as a browser's select-all copy gives them:

- listing pages (/new, /recent, /pastweek): the title, the author line, labelled lines
  (``Comments:``, ``Journal-ref:``, ``Subjects:``, ...), then on /new a blank line and the
  abstract. The page design before 2024 labels the first two (``Title:``, ``Authors:``).
- search results: the category tags ("physics.ao-ph cs.LG"), the title, ``Authors:``,
  ``Abstract:`` (its start and "▽ More", then the whole of it and "△ Less", either or both as
  the page was copied), ``Submitted 18 May, 2025; originally announced May 2025.``, then
  ``Comments:``, ``Journal ref:``.

The title is where it stands: the first line (or the ``Title:`` one). The author line is the
next and must read as a list of names (:mod:`.arxiv_names`). An entry that cannot be read so
is skipped with a warning naming its line and identifier: fields are never stored in the
wrong place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from tuireader.dumps.arxiv_names import AuthorList, author_list, reads_as_names
from tuireader.dumps.common import looks_like_abstract
from tuireader.models import ParsedPaper, ParseWarning, WarningKind

#: Labelled lines, as listing pages (``Journal-ref``) and search results (``Journal ref``)
#: spell them; the value may be empty (it then goes on over the next lines).
_FIELD = re.compile(
    r"^(?P<name>Title|Authors?|Comments|Subjects|Journal[- ]ref|DOI|Report[- ]no|"
    r"Report number|ACM[- ][Cc]lass|MSC[- ][Cc]lass|Abstract)\s*:\s*(?P<value>.*)$"
)
_CODE = re.compile(r"\(([a-z\-]+(?:\.[A-Za-z\-]+)?)\)\s*$")
#: arXiv's archives, today's and those of the 1990s (identifiers such as "hep-th/9901001").
_ARCHIVES = (
    "astro-ph|cond-mat|cs|econ|eess|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math|math-ph|nlin|"
    "nucl-ex|nucl-th|physics|q-bio|q-fin|quant-ph|stat|acc-phys|adap-org|alg-geom|ao-sci|"
    "atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|comp-gas|dg-ga|funct-an|mtrl-th|patt-sol|"
    "plasm-ph|q-alg|solv-int|supr-con"
)
#: A search result's category tags: "cs.LG cs.AI", "q-fin.TR", "physics.geo-ph", "hep-th".
_CATEGORY_TAG = re.compile(rf"^(?:{_ARCHIVES})(?:\.[A-Za-z]{{2,8}}(?:-[a-z]{{2,4}})?)?$")
_DOI = re.compile(r"^(?:doi\s*)?(?:10\.\d{4,9}/\S+)?$")
_SUBMITTED = re.compile(r"^Submitted ")
_ANNOUNCED = re.compile(r"^originally announced ")
_MORE, _LESS = "▽ More", "△ Less"
#: What a listing prints in place of the names when it has none.
_UNAVAILABLE = "(author list is unavailable)"
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

Lines = list[tuple[int, str]]


@dataclass(slots=True)
class EntryReading:
    """An entry's paper (None when it was skipped) and the warnings about it."""

    paper: ParsedPaper | None
    warnings: list[ParseWarning] = field(default_factory=list)


@dataclass(slots=True)
class _Fields:
    """The labelled lines of an entry (name: (line, value)) and its abstract's lines."""

    labelled: dict[str, tuple[int, str]] = field(default_factory=dict)
    abstract: list[str] = field(default_factory=list)
    submitted: str | None = None
    tags: list[str] = field(default_factory=list)


def _field_name(name: str) -> str:
    """"Journal ref" and "Journal-ref" alike: "journal-ref"; "Author": "authors"."""
    name = name.lower().replace(" ", "-")
    return "authors" if name == "author" else name


def printed_date(text: str) -> tuple[str, str] | None:
    """(ISO date, the text as printed) for "2 June 2025" or "18 May, 2025" inside ``text``."""
    match = _DAY_MONTH_YEAR.search(text)
    if not match:
        return None
    try:
        day = dt.date(int(match["year"]), _MONTH_NAMES[match["month"]], int(match["day"]))
    except ValueError:
        return None
    return day.isoformat(), match.group(0)


def is_category_tags(text: str) -> bool:
    """Is ``text`` a search result's line of category tags ("physics.ao-ph cs.LG")?"""
    tags = text.split()
    return bool(tags) and all(
        _CATEGORY_TAG.match(tag) and ("." in tag or "-" in tag) for tag in tags
    )


def _head(body: Lines) -> tuple[Lines, Lines]:
    """The bare lines an entry opens with (title, authors, a search result's tags), and the rest.

    The head ends at a blank line, a labelled line, or prose that is no author list.
    """
    for index, (_, text) in enumerate(body):
        if (
            not text
            or _FIELD.match(text)
            or _SUBMITTED.match(text)
            or (looks_like_abstract(text) and not reads_as_names(text))
        ):
            return body[:index], body[index:]
    return body, []


def _read_fields(rest: Lines) -> _Fields:
    """The labelled lines, the abstract and the submission date of what follows the head."""
    found = _Fields()
    open_field: str | None = None  # a labelled value going on over the next lines
    after_abstract = False  # a search result's lines after its abstract are labelled or chrome
    for number, text in rest:
        if not text:
            if open_field in ("title", "authors"):
                open_field = None
            continue
        match = _FIELD.match(text)
        if match:
            name, value = _field_name(match["name"]), match["value"].strip()
            if name == "abstract":
                open_field = "abstract"
                found.abstract.append(value)
                continue
            found.labelled.setdefault(name, (number, value))
            open_field = name if not value and name in ("title", "authors") else None
            continue
        if _SUBMITTED.match(text):
            found.submitted = text
            open_field, after_abstract = None, True
        elif _ANNOUNCED.match(text) or after_abstract:
            continue
        elif open_field in ("title", "authors"):
            line, value = found.labelled[open_field]
            found.labelled[open_field] = (line, f"{value} {text}".strip())
        else:
            found.abstract.append(text)
    return found


def _abstract(parts: list[str]) -> str:
    """The abstract from its lines: the whole text where the page showed it ("… △ Less"),
    else the start it showed ("… ▽ More")."""
    text = " ".join(part for part in parts if part)
    if _LESS in text:
        before = text[: text.index(_LESS)]
        if _MORE in before:
            before = before[before.rindex(_MORE) + len(_MORE) :]
        text = before
    elif _MORE in text:
        text = text[: text.index(_MORE)]
    return " ".join(text.split())


def _subjects(value: str) -> list[str]:
    """The category codes of a ``Subjects:`` line, primary first."""
    codes = []
    for part in value.split(";"):
        found = _CODE.search(part.strip())
        if found:
            codes.append(found.group(1))
    return codes


class _Skip(Exception):
    """An entry that cannot be read with confidence: (line, why)."""

    def __init__(self, line: int, why: str) -> None:
        super().__init__(why)
        self.line = line
        self.why = why


def _title_and_authors(
    entry_id: str, head: Lines, found: _Fields, warnings: list[ParseWarning], line: int
) -> tuple[str, AuthorList | None]:
    """The entry's title and author list, by where they stand; raises :class:`_Skip`."""
    labelled_title = found.labelled.get("title")
    labelled_authors = found.labelled.get("authors")
    authors = author_list(labelled_authors[1]) if labelled_authors else None
    if labelled_authors and authors is None:
        # The label says what the line is; names that do not read as such are kept as one.
        value = labelled_authors[1]
        authors = AuthorList([value]) if value else None
    if labelled_title:
        title = labelled_title[1]
        if not labelled_authors and head:
            if len(head) > 1 or not reads_as_names(head[0][1]):
                raise _Skip(head[0][0], f"arXiv:{entry_id}: line {head[0][0]} after its title"
                            " does not read as an author list")
            authors = author_list(head[0][1])
        if not title:
            raise _Skip(labelled_title[0], f"arXiv:{entry_id}: no title")
        return title, authors
    if labelled_authors:
        if len(head) != 1:
            where = head[0][0] if head else labelled_authors[0]
            why = "no title" if not head else f"lines {head[0][0]}-{head[-1][0]} are not one title"
            raise _Skip(where, f"arXiv:{entry_id}: {why}")
        return head[0][1], authors
    if not head:
        raise _Skip(line, f"arXiv:{entry_id}: no title")
    if len(head) > 2:
        raise _Skip(head[0][0], f"arXiv:{entry_id}: lines {head[0][0]}-{head[-1][0]} are more"
                    " than a title and an author line")
    (title_line, title), *others = head
    if not others:
        if reads_as_names(title):
            raise _Skip(title_line, f"arXiv:{entry_id}: cannot tell whether line {title_line}"
                        " is its title or its author line (the other is missing)")
        warnings.append(ParseWarning(title_line, f"arXiv:{entry_id}: no author line after its"
                                     " title; kept without authors"))
        return title, None
    authors_line, text = others[0]
    if text == _UNAVAILABLE:
        return title, None
    authors = author_list(text)
    if authors is None:
        raise _Skip(authors_line, f"arXiv:{entry_id}: line {authors_line} after its title does"
                    " not read as an author list")
    return title, authors


def read_entry(
    line: int, entry_id: str, body: Lines, dated: tuple[str, str] | None
) -> EntryReading:
    """The paper of the entry whose ``arXiv:ID`` line is ``line``, from the lines after it.

    ``dated``: the listing's (ISO date, text) for entries it dates; a search result's
    "Submitted" date wins.
    """
    while body and not body[0][1]:
        body = body[1:]
    head, rest = _head(body)
    found = _read_fields(rest)
    tags = [] if not head or not is_category_tags(head[0][1]) else head.pop(0)[1].split()
    head = [(n, text) for n, text in head if not _DOI.match(text)]
    reading = EntryReading(None)
    try:
        title, authors = _title_and_authors(entry_id, head, found, reading.warnings, line)
    except _Skip as skip:
        reading.warnings = [ParseWarning(skip.line, f"skipped {skip.why}", WarningKind.SKIPPED)]
        return reading
    subjects_line = found.labelled.get("subjects")
    codes = _subjects(subjects_line[1]) if subjects_line else tags
    comments = found.labelled.get("comments")
    journal = found.labelled.get("journal-ref")
    paper = ParsedPaper(
        title=title,
        abstract=_abstract(found.abstract),
        line=line,
        authors=authors.names if authors else None,
        authors_truncated=authors.truncated if authors else False,
        author_count=authors.count if authors else None,
        category=codes[0] if codes else None,
        subjects=" ".join(codes) or None,
        arxiv_comments=comments[1] if comments and comments[1] else None,
        journal_ref=journal[1] if journal and journal[1] else None,
        arxiv_id=entry_id,
    )
    dated = (printed_date(found.submitted) if found.submitted else None) or dated
    if dated:
        paper.published, paper.published_raw = dated
    reading.paper = paper
    return reading
