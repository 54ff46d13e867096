"""Layouts B and C, line by line: what each line of a Hugging Face papers page is, whether a
page reads as one, and where a paper begins (the pure helpers of :mod:`.daily_papers`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tuireader.dumps.author_page import META_LINE
from tuireader.dumps.common import DATE_TEXT, MONTHS, looks_like_abstract

#: Words of the page chrome seen so far. Only used to keep quiet about such a line where it
#: happens to stand like a title that lost its abstract: papers are found by structure.
CHROME_HINTS = frozenset(
    {
        "new",
        "subscribe",
        "daily papers",
        "byak and the research community",
        "daily",
        "weekly",
        "monthly",
        "trending papers",
        "trending",
        "previous",
        "next",
    }
)
_CHROME_PREFIXES = ("get trending papers in your email inbox",)
_AUTHORS = re.compile(r"^•\s*(?P<count>\d+)\s+authors?$")
_DOT = "·"
_DATE_LINE = re.compile(rf"^(?P<date>{DATE_TEXT})(?:\s+(?P<comments>\d+))?$")
_UPVOTES = re.compile(r"^(?:\d{1,7}|-)$")
_MONTH_STARTS = frozenset(MONTHS)
#: Metadata lines are short; anything longer is a title or an abstract (skips the regexes).
_MAX_META_LENGTH = 40
_CUT_OFF = "the page ends inside this paper (its abstract is cut off); kept what is there"


@dataclass(slots=True)
class _Item:
    """One non-blank line, classified."""

    line: int
    kind: str  # "text" | "authors" | "dot" | "date" | "upvotes"
    text: str


def _kind(text: str) -> str:
    """What a non-blank line is (see :attr:`_Item.kind`): a function of its text alone."""
    if len(text) <= _MAX_META_LENGTH:
        if text == _DOT:
            return "dot"
        if text[0] == "•" and _AUTHORS.match(text):
            return "authors"
        if text[:3] in _MONTH_STARTS and _DATE_LINE.match(text):
            return "date"
        if _UPVOTES.match(text):
            return "upvotes"
    return "text"


def _classify(number: int, text: str) -> _Item:
    return _Item(number, _kind(text), text)


def is_chrome_hint(text: str) -> bool:
    """Is ``text`` page chrome seen on these pages (see :data:`CHROME_HINTS`), or several such
    pieces run together by a browser ("Daily Weekly Monthly")?"""
    folded = text.casefold().strip()
    if folded in CHROME_HINTS or folded.startswith(_CHROME_PREFIXES):
        return True
    words = folded.split()
    return len(words) > 1 and all(word in CHROME_HINTS for word in words)


def has_metadata_blocks(lines: list[str]) -> bool:
    """True when some (cleaned) line is a Daily Papers metadata separator or author count."""
    return any(line == _DOT or (line[:1] == "•" and _AUTHORS.match(line)) for line in lines)


def looks_like_papers_page(lines: list[str]) -> bool:
    """True when the (cleaned) lines read as layout B or C: titles before prose, or blocks."""
    if has_metadata_blocks(lines):
        return True
    content = [line for line in lines if line]
    if content and content[0][0] in "{[<":
        return False
    abstracts = [i for i, text in enumerate(content) if looks_like_abstract(text)]
    if not abstracts:
        return False
    paired = sum(1 for i in abstracts if i > 0 and not looks_like_abstract(content[i - 1]))
    return paired >= max(1, int(0.8 * len(abstracts)))


def paper_start(lines: list[str], start: int, stop: int) -> int | None:
    """The last index in ``lines[start:stop]`` (cleaned lines) where a paper begins: its upvote
    line, or its title when it has none; None when no paper begins there. Where a dump may be
    cut into blocks (see :mod:`tuireader.dumps.stream`)."""
    k = stop - 1
    while k > start:
        title = lines[k]
        if title and _classify(k, title).kind == "text" and not looks_like_abstract(title):
            after = k + 1
            while after < len(lines) and not lines[after]:
                after += 1
            if (
                after < len(lines)
                and looks_like_abstract(lines[after])
                and META_LINE.match(title) is None
            ):
                above = k - 1
                while above > start and not lines[above]:
                    above -= 1
                return above if above > start and _UPVOTES.match(lines[above]) else k
        k -= 1
    return None
