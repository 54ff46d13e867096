"""The search language: a query's text parsed into clauses; views as clauses.

Query language::

    diffusion budget        bare words: every word must match title, authors, organisation,
                            notes or abstract; a finished word also finds -s/-es/-ed/-ing, the
                            word being typed matches as a prefix (titles and names from two
                            letters, abstracts from four); typos are forgiven in titles,
                            authors and organisations; results are ranked by fuzzy similarity
    "test-time compute"     a quoted phrase: these words, in this order
    tag:to-read             papers with that tag          author:"sheng cao"   author names
    org:meta                organisation name or handle   year:2024  year:2023..2025  year:..2022
    is:read|unread|starred|unstarred                      has:code|notes|tags|arxiv
    has:upvotes  papers someone upvoted    has:comments  papers with comments (the number after
                                           the date on a Hugging Face page)
    -word  -tag:x  -is:read any term can be negated with a leading "-"

In the list, ▲214 is a paper's upvote count and ✎6 its comment count; o sorts by either.
"""

from __future__ import annotations

import re

from tuireader.library import normalise_tag
from tuireader.models import Clause, Kind, fold_text

FIELDS = ("tag", "author", "org", "year", "is", "has")
IS_VALUES = ("read", "unread", "starred", "unstarred")
HAS_VALUES = ("code", "notes", "tags", "upvotes", "comments", "arxiv")
_FIELD_TERM = re.compile(r"^([a-z]+):(.*)$", re.DOTALL)
_YEAR = re.compile(r"^(\d{4})?(?:(\.\.)(\d{4})?)?$")
_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


class QueryError(ValueError):
    """A query that cannot be understood; the message says why, in one line."""


_TERM = re.compile(r'(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"|([^\s"]+))')


def _terms(text: str) -> list[tuple[bool, str | None, str, bool]]:
    """Split a query into (negated, field, value, quoted) terms."""
    if text.count('"') % 2:
        raise QueryError("a quote is not closed")
    terms: list[tuple[bool, str | None, str, bool]] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return terms
        match = _TERM.match(text, position)
        if not match or match.end() == position:
            raise QueryError(f"cannot read the query at {text[position:]!r}")
        negated, name, quoted, plain = match.groups()
        value = quoted if quoted is not None else plain
        if name is not None and (name.lower() != name or (plain is None and quoted is None)):
            name, value = None, match[0].lstrip("-")
        terms.append((bool(negated), name, value, quoted is not None))
        position = match.end()


def _year_clause(value: str, negated: bool) -> Clause:
    match = _YEAR.match(value)
    if not value or not match or (match[1] is None and match[3] is None):
        raise QueryError(f"year:{value} is not a year or range (try year:2024 or year:2023..2025)")
    low = int(match[1]) if match[1] else None
    high = int(match[3]) if match[3] else (low if not match[2] else None)
    if low is not None and high is not None and low > high:
        raise QueryError(f"year:{value} runs backwards")
    return Clause(Kind.YEAR, value, negated, low=low, high=high)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def parse_query(text: str) -> list[Clause]:
    """Parse a query into clauses; raise :class:`QueryError` with a clear message if malformed."""
    text = _CONTROL.sub(" ", text)  # control characters (a pasted NUL, a tab) separate words
    clauses: list[Clause] = []
    for negated, name, value, quoted in _terms(text):
        if name is not None:
            value = value.strip()
            if name not in FIELDS:
                known = ", ".join(f"{f}:" for f in FIELDS)
                raise QueryError(f"unknown field {name}: (known fields: {known})")
            if not value:
                raise QueryError(f"{name}: needs a value")
            if name == "year":
                clauses.append(_year_clause(value, negated))
            elif name == "is":
                if value not in IS_VALUES:
                    raise QueryError(f"is:{value}? use is:{', is:'.join(IS_VALUES)}")
                clauses.append(Clause(Kind.IS, value, negated))
            elif name == "has":
                if value not in HAS_VALUES:
                    raise QueryError(f"has:{value}? use has:{', has:'.join(HAS_VALUES)}")
                clauses.append(Clause(Kind.HAS, value, negated))
            elif name == "tag":
                # Tags are matched as the library names them (see normalise_tag), not folded:
                # folding "café" to "cafe" would never find the tag.
                clauses.append(Clause(Kind.TAG, normalise_tag(value), negated))
            else:
                clauses.append(Clause(Kind(name), fold_text(value), negated))
            continue
        if quoted:
            words = " ".join(_EDGE_PUNCT.sub("", w) for w in fold_text(value).split()).split()
            if words:
                kind = Kind.PHRASE if len(words) > 1 else Kind.TEXT
                clauses.append(Clause(kind, " ".join(words), negated))
            continue
        word = _EDGE_PUNCT.sub("", fold_text(value))
        if word:
            clauses.append(Clause(Kind.TEXT, word, negated))
    return clauses


def view_clauses(view: str) -> list[Clause]:
    """Clauses for a named view: ``all``, ``unread``, ``starred``, ``tag:NAME``, ``import:ID,…``,
    ``similar:ID`` (more like a paper), ``watch:author:NAME`` or ``watch:org:NAME``."""
    if view == "all":
        return []
    if view in ("unread", "starred"):
        return [Clause(Kind.IS, view)]
    if view.startswith("tag:"):
        return [Clause(Kind.TAG, view[4:])]
    if view.startswith("import:") and re.fullmatch(r"\d+(,\d+)*", view[7:]):
        ids = tuple(int(part) for part in view[7:].split(","))
        return [Clause(Kind.IMPORT, view[7:], import_ids=ids)]
    if view.startswith("similar:") and view[8:].isdigit():
        return [Clause(Kind.SIMILAR, view[8:])]
    kind, _, name = view.removeprefix("watch:").partition(":")
    if view.startswith("watch:") and kind in ("author", "org") and name.strip():
        return [Clause(Kind.AUTHOR if kind == "author" else Kind.ORG, name, prefix=False)]
    raise QueryError(f"unknown view {view!r}")
