"""Layout A, the author page: a metadata line, a title glued to its authors, an abstract.

    54.7AIMay 14
    Case-Based Calibration of ... for LLM Tool UseRenning Pang, Tian Lan, Leyuan Liu et al.
    Tool use extends large language models beyond ...
"""

from __future__ import annotations

import re

from tuireader.dumps.common import (
    DATE_TEXT,
    capture_year,
    clean_lines,
    looks_like_abstract,
    resolve_date,
)
from tuireader.models import (
    LAYOUT_AUTHOR_PAGE,
    DumpError,
    ParsedPaper,
    ParseResult,
    ParseWarning,
    WarningKind,
)

#: ``[score]CATEGORY<date>[Code]``: "LGSep 10, 2023", "54.7AIMay 14", "CLSep 29, 2025Code".
META_LINE = re.compile(
    rf"^(?P<score>\d+(?:\.\d+)?)?(?P<category>[A-Z][A-Za-z.\-]*?)(?P<date>{DATE_TEXT})"
    r"(?P<code>Code)?$"
)

_PARTICLES = frozenset(
    ["van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "la", "le", "ten", "ter", "bin", "ibn", "al", "el", "y", "zu", "st"]
)
# One piece of a name: "Zihao", "Krähenbühl", "LeCun", "J." or "J"; apostrophes join pieces.
_NAME_PIECE = re.compile(r"^(?:[^\W\d_](?:[^\W\d_]|['’])*\.?)$")
_ET_AL = re.compile(r"\s*,?\s*et al\.?$")
#: Lines no author page has, from the other layouts: a Daily Papers block, an arXiv entry.
_FOREIGN = {
    "a Hugging Face papers page": re.compile(r"^(?:·|•\s*\d+\s+authors?)$"),
    "an arXiv listing": re.compile(r"^(?:\[\d+\]\s*)?arXiv:\S"),
}


#: Surname prefixes that make a camel-cased word a name: "McDonald", "LeCun", "O'Neill".
_CAMEL_PREFIX = re.compile(r"^(?:Mc|Mac|Le|La|De|Di|Da|Du|Van|Von|D['’]|O['’])")
#: The prefixes no title word ends with, so a list may open with them: "McKenzie", "O'Shea".
_OPENING_PREFIX = re.compile(r"^(?:Mc|Mac|D['’]|O['’])")
#: How loosely names are read, tried in turn: bare initials ("K Lee"), camel-cased words
#: ("VanderPlas"), one-word names ("Mausam").
_LEVELS = (
    (False, False, False),
    (True, False, False),
    (True, True, False),
    (True, True, True),
)


def _camel_ok(letters: str, *, first: bool, loose: bool) -> bool:
    """May a name word have the capitals inside ``letters``?"""
    inner = [i for i in range(1, len(letters)) if letters[i].isupper()]
    if not inner:
        return True
    # "RAGJohn", "SuiteJ": inside a name a capital starts a syllable (a small letter follows it).
    for i in inner:
        if letters[i - 1].isupper() or i + 1 == len(letters) or not letters[i + 1].islower():
            return False
    prefix = (_OPENING_PREFIX if first else _CAMEL_PREFIX).match(letters)
    if prefix and inner == [prefix.end()]:
        return True
    return loose and not first


def _is_name_token(
    token: str, *, first: bool, first_author: bool, initials: bool, camel: bool
) -> bool:
    """Is ``token`` one word of a person's name?

    ``first``: the word that opens the list, which is never a particle, a bare initial or
    camel-cased (beyond "McKenzie"); ``first_author``: the word is in the first name of the list,
    where a title word glued to a name would land ("SuiteJane"). ``initials`` allows bare
    one-letter initials ("K Lee"); ``camel`` allows camel-cased words outside the first author
    ("VanderPlas"). Usual surname prefixes ("LeCun", "McDonald") are always allowed.
    """
    if token in _PARTICLES and not first:
        return True
    for piece in token.split("-"):
        if not piece or not _NAME_PIECE.match(piece) or not piece[0].isupper():
            return False
        letters = piece.rstrip(".")
        if len(letters) == 1 and not piece.endswith("."):
            if first or not initials:
                return False
            continue
        if not _camel_ok(letters, first=first, loose=camel and not first_author):
            return False
    return True


def _parse_names(
    text: str, *, initials: bool, camel: bool, single: bool
) -> tuple[list[str], bool] | None:
    """Parse an author list at one level of looseness (see :func:`_is_name_token`).

    ``single`` allows names of one word.
    """
    truncated = False
    match = _ET_AL.search(text)
    if match:
        truncated = True
        text = text[: match.start()]
    names = [name.strip() for name in text.split(",")]
    if not names or any(not name for name in names):
        return None
    for index, name in enumerate(names):
        tokens = name.split()
        if not (1 if single else 2) <= len(tokens) <= 6 or tokens[0] in _PARTICLES:
            return None
        for position, token in enumerate(tokens):
            if not _is_name_token(
                token,
                first=index == 0 and position == 0,
                first_author=index == 0,
                initials=initials,
                camel=camel,
            ):
                return None
    return names, truncated


def parse_author_list(text: str, *, strict: bool = False) -> tuple[list[str], bool] | None:
    """Parse "A B, C D et al." into (names, truncated), or None if it is not an author list.

    ``strict`` refuses bare initials ("K Lee") and camel-cased words other than the usual surname
    prefixes ("LeCun").
    """
    return _parse_names(text, initials=not strict, camel=not strict, single=True)


def _split(
    line: str, levels: tuple[tuple[bool, bool, bool], ...]
) -> tuple[str, list[str], bool] | None:
    """Split ``line`` at the earliest point that leaves a valid list, trying ``levels`` in turn."""
    candidates = [
        index
        for index in range(1, len(line))
        if line[index].isupper() and not line[index - 1].isspace() and line[index - 1] not in "-/"
    ]
    for initials, camel, single in levels:
        for index in candidates:
            parsed = _parse_names(line[index:], initials=initials, camel=camel, single=single)
            if parsed is not None and line[:index].strip():
                return line[:index].strip(), parsed[0], parsed[1]
    return None


def split_title_authors(line: str) -> tuple[str, list[str], bool] | None:
    """Split a title glued to its author list at the earliest place that leaves a valid list.

    A split point is a capital letter that directly follows a non-space character other than a
    hyphen or slash ("...Auction MarketJiaxi Yang, ..."). Plain names of two words or more are
    tried first, then lists with bare initials ("K Lee"), then camel-cased names ("VanderPlas"),
    then one-word names, so that a looser reading never wins over a plainer one.
    Returns (title, authors, truncated) or None.
    """
    return _split(line, _LEVELS)


def looks_like_author_page(lines: list[str]) -> bool:
    """True when the first non-blank line is an author-page metadata line."""
    for line in lines:
        if line.strip():
            return META_LINE.match(line.strip()) is not None
    return False


def _starts_paper(line: str) -> bool:
    """Does ``line`` read as a title glued to authors (not as more of an abstract)?"""
    return not looks_like_abstract(line) and _split(line, _LEVELS[:-1]) is not None


def entry_start(lines: list[str], start: int, stop: int) -> int | None:
    """The last index in ``lines[start:stop]`` (cleaned lines) where an entry begins (its
    metadata line), or None; where a big author page may be cut into blocks (see
    :mod:`tuireader.dumps.stream`)."""
    for k in range(stop - 1, start, -1):
        if lines[k] and META_LINE.match(lines[k]):
            return k
    return None


def parse_author_page(text: str | list[str], *, year: int | None = None, today=None) -> ParseResult:
    """Parse an author-page dump (layout A) into papers and warnings.

    An entry is a metadata line, a title line and an abstract (further lines join the abstract).
    A title-and-authors line after a complete entry, with text after it, starts a paper whose
    metadata line was lost: it is kept, with a warning, rather than glued onto the abstract.
    """
    lines = clean_lines(text)
    numbered = [(number, line.strip()) for number, line in enumerate(lines, start=1) if line.strip()]
    warnings: list[ParseWarning] = []
    entries: list[tuple[int, re.Match[str] | None, list[tuple[int, str]]]] = []
    for index, (number, line) in enumerate(numbered):
        for other, pattern in _FOREIGN.items():
            if pattern.match(line):
                raise DumpError(
                    f"line {number}: the layout changes here from an author page to {other}; "
                    "save each page in a file of its own"
                )
        meta = META_LINE.match(line)
        if meta:
            entries.append((number, meta, []))
            continue
        if not entries:
            continue
        body = entries[-1][2]
        following = numbered[index + 1][1] if index + 1 < len(numbered) else None
        if (
            len(body) >= 2
            and following is not None
            and not META_LINE.match(following)
            and _starts_paper(line)
        ):
            warnings.append(
                ParseWarning(number, "no metadata line before this paper; category and date "
                             "left empty")
            )
            entries.append((number, None, [(number, line)]))
        else:
            body.append((number, line))
    dates = [meta["date"] for _, meta, _ in entries if meta]
    resolved_year = year or capture_year(dates, None, today=today)
    result = ParseResult(LAYOUT_AUTHOR_PAGE, [], warnings, capture_year=resolved_year)
    for number, meta, body in entries:
        if len(body) < 2:
            what = "no title or abstract" if not body else "a title but no abstract"
            result.warnings.append(ParseWarning(number, f"skipped an entry with {what}", WarningKind.SKIPPED))
            continue
        title_line, abstract = body[0][1], " ".join(text for _, text in body[1:])
        split = split_title_authors(title_line)
        if split is None:
            result.warnings.append(
                ParseWarning(body[0][0], "could not tell the title from the authors; kept the "
                             "whole line as the title")
            )
            title, authors, truncated = title_line, None, False
        else:
            title, authors, truncated = split
        paper = ParsedPaper(
            title=title,
            abstract=abstract,
            line=body[0][0],
            authors=authors,
            authors_truncated=truncated,
            author_count=None if truncated or authors is None else len(authors),
        )
        if meta:
            paper.published = resolve_date(meta["date"], resolved_year)
            paper.published_raw = meta["date"]
            paper.has_code = meta["code"] is not None
            paper.category = meta["category"]
            paper.score = float(meta["score"]) if meta["score"] else None
        result.papers.append(paper)
    result.warnings.sort(key=lambda warning: warning.line)
    return result
