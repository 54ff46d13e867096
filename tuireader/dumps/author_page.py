"""Layout A, the author page: a metadata line, a title glued to its authors, an abstract.

    54.7AIMay 14
    Case-Based Calibration of ... for LLM Tool UseRenning Pang, Tian Lan, Leyuan Liu et al.
    Tool use extends large language models beyond ...
"""

from __future__ import annotations

import re

from tuireader.dumps.common import DATE_TEXT, capture_year, clean_lines, resolve_date
from tuireader.models import LAYOUT_AUTHOR_PAGE, ParsedPaper, ParseResult, ParseWarning

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


_CAMEL_PREFIX = re.compile(r"^(?:Mc|Mac|Le|La|De|Di|Da|Du|Van|Von|D'|O'|O’)[^\W\d_]")


def _is_name_token(token: str, first: bool, strict: bool) -> bool:
    """Is ``token`` one word of a person's name?

    ``first``: the word that opens the list; ``strict``: no camel-cased words ("UseRenning") and
    no bare one-letter initials, except the usual surname prefixes ("McDonald", "LeCun").
    """
    if token in _PARTICLES and not first:
        return True
    for piece in token.split("-"):
        if not piece or not _NAME_PIECE.match(piece) or not piece[0].isupper():
            return False
        letters = piece.rstrip(".")
        bare_initial = len(letters) == 1 and not piece.endswith(".")
        if bare_initial and (first or strict):
            return False
        # "RAGJohn" is a title acronym glued to a name: two capitals in a row never make a name.
        if len(letters) > 1 and letters[1].isupper():
            return False
        camel = any(ch.isupper() for ch in letters[1:])
        if camel and (first or (strict and not _CAMEL_PREFIX.match(letters))):
            return False
    return True


def parse_author_list(text: str, *, strict: bool = False) -> tuple[list[str], bool] | None:
    """Parse "A B, C D et al." into (names, truncated), or None if it is not an author list."""
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
        if not 1 <= len(tokens) <= 6 or tokens[0] in _PARTICLES:
            return None
        for position, token in enumerate(tokens):
            if not _is_name_token(token, first=index == 0 and position == 0, strict=strict):
                return None
    return names, truncated


def split_title_authors(line: str) -> tuple[str, list[str], bool] | None:
    """Split a title glued to its author list at the earliest place that leaves a valid list.

    A split point is a capital letter that directly follows a non-space character other than a
    hyphen ("...Auction MarketJiaxi Yang, ..."). Plain names are tried first; camel-cased ones
    ("LeCun") only when no plain split exists. Returns (title, authors, truncated) or None.
    """
    candidates = [
        index
        for index in range(1, len(line))
        if line[index].isupper() and not line[index - 1].isspace() and line[index - 1] not in "-/"
    ]
    for strict in (True, False):
        for index in candidates:
            parsed = parse_author_list(line[index:], strict=strict)
            if parsed is not None and line[:index].strip():
                return line[:index].strip(), parsed[0], parsed[1]
    return None


def looks_like_author_page(lines: list[str]) -> bool:
    """True when the first non-blank line is an author-page metadata line."""
    for line in lines:
        if line.strip():
            return META_LINE.match(line.strip()) is not None
    return False


def parse_author_page(text: str, *, year: int | None = None, today=None) -> ParseResult:
    """Parse an author-page dump (layout A) into papers and warnings."""
    lines = clean_lines(text)
    entries: list[tuple[int, re.Match[str], list[tuple[int, str]]]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        meta = META_LINE.match(line)
        if meta:
            entries.append((number, meta, []))
        elif entries:
            entries[-1][2].append((number, line))
    dates = [meta["date"] for _, meta, _ in entries]
    resolved_year = year or capture_year(dates, None, today=today)
    result = ParseResult(LAYOUT_AUTHOR_PAGE, [], capture_year=resolved_year)
    for number, meta, body in entries:
        if len(body) < 2:
            what = "no title or abstract" if not body else "a title but no abstract"
            result.warnings.append(ParseWarning(number, f"skipped an entry with {what}"))
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
        result.papers.append(
            ParsedPaper(
                title=title,
                abstract=abstract,
                line=body[0][0],
                authors=authors,
                authors_truncated=truncated,
                author_count=None if truncated or authors is None else len(authors),
                published=resolve_date(meta["date"], resolved_year),
                published_raw=meta["date"],
                has_code=meta["code"] is not None,
                category=meta["category"],
                score=float(meta["score"]) if meta["score"] else None,
            )
        )
    return result
