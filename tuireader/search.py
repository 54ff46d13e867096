"""The search language and ranking, shared by the app and the CLI (no Textual here).

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

Candidates are narrowed by SQLite FTS5 indexes first; only the best of them are ranked with
rapidfuzz, so a keystroke never scans every paper in Python.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from tuireader.library import Library, normalise_tag
from tuireader.models import SORTS, Clause, fold_text

FIELDS = ("tag", "author", "org", "year", "is", "has")
IS_VALUES = ("read", "unread", "starred", "unstarred")
HAS_VALUES = ("code", "notes", "tags", "upvotes", "comments", "arxiv")
#: Rank at most this many candidates with rapidfuzz; beyond it the sort order stands.
RANK_LIMIT = 300
#: Fuzzy alternatives for a word: how similar (0-100) and how many at most.
FUZZY_CUTOFF = 82
FUZZY_LIMIT = 6

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
    terms = []
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
    return Clause("year", value, negated, low=low, high=high)


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
                clauses.append(Clause("is", value, negated))
            elif name == "has":
                if value not in HAS_VALUES:
                    raise QueryError(f"has:{value}? use has:{', has:'.join(HAS_VALUES)}")
                clauses.append(Clause("has", value, negated))
            elif name == "tag":
                # Tags are matched as the library names them (see normalise_tag), not folded:
                # folding "café" to "cafe" would never find the tag.
                clauses.append(Clause("tag", normalise_tag(value), negated))
            else:
                clauses.append(Clause(name, fold_text(value), negated))
            continue
        if quoted:
            words = " ".join(_EDGE_PUNCT.sub("", w) for w in fold_text(value).split()).split()
            if words:
                kind = "phrase" if len(words) > 1 else "text"
                clauses.append(Clause(kind, " ".join(words), negated))
            continue
        word = _EDGE_PUNCT.sub("", fold_text(value))
        if word:
            clauses.append(Clause("text", word, negated))
    return clauses


@dataclass(slots=True)
class SearchResult:
    """Matching paper ids (in display order) and the words to highlight."""

    ids: list[int]
    query: str
    highlights: list[str] = field(default_factory=list)
    ranked: bool = False


class Searcher:
    """Runs queries against one library, keeping the fuzzy vocabulary cached between calls."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._vocabulary: list[str] | None = None
        #: The last split into strong and other matches: (find's list, strong, rest).
        self._last: tuple | None = None

    def warm(self) -> None:
        """Load the vocabulary now (in a worker), not on the first word typed."""
        self._vocab()

    def invalidate(self) -> None:
        """Forget cached vocabulary (call after imports or note edits)."""
        self._vocabulary = None

    def _vocab(self) -> list[str]:
        if self._vocabulary is None:
            self._vocabulary = sorted(self.library.vocabulary())
        return self._vocabulary

    def _first_from(self, word: str) -> str:
        """The first indexed word at or after ``word`` in sorted order ("" if none)."""
        vocabulary = self._vocab()
        index = bisect.bisect_left(vocabulary, word)
        return vocabulary[index] if index < len(vocabulary) else ""

    def _is_word(self, word: str) -> bool:
        """Is ``word`` a whole indexed word (of titles, authors or organisations)?"""
        return self._first_from(word) == word

    def _is_known(self, word: str) -> bool:
        """Is ``word`` an indexed word, or the start of one?"""
        return self._first_from(word).startswith(word)

    def _alternatives(self, word: str) -> tuple[str, ...]:
        """Indexed words close to an unknown ``word`` (a typo), best first; four letters or more."""
        if len(word) < 4 or not word.isalpha() or self._is_known(word):
            return ()  # a word found as it is needs no typo alternatives
        matches = process.extract(
            word,
            self._vocab(),
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
            limit=FUZZY_LIMIT,
        )
        # Closest first: transpositions ("budgte" -> "budget") count as one edit.
        terms = sorted(
            (term for term, _, _ in matches if term != word),
            key=lambda term: (DamerauLevenshtein.distance(word, term), abs(len(term) - len(word))),
        )
        return tuple(terms)

    def _name_alternatives(self, clause: Clause) -> tuple[str, ...]:
        """``author:``/``org:`` forgive typos as bare words do: the value with each word that no
        name starts with replaced by its closest indexed word (``sadhukan`` -> ``sadhukhan``).
        """
        words = clause.value.split()
        meant = [(self._alternatives(word) or (word,))[0] for word in words]
        return (" ".join(meant),) if meant != words else ()

    def search(
        self, text: str, *, extra: Sequence[Clause] = (), sort: str = "date"
    ) -> SearchResult:
        """Papers matching ``text`` and the ``extra`` clauses (a view), ranked when words are given.

        Raises :class:`QueryError` for a malformed query.
        """
        if sort.removeprefix("-") not in SORTS:
            raise QueryError(f"unknown sort {sort!r} (use {', '.join(SORTS)}, or -sort reversed)")
        parsed = parse_query(text)
        typing = parsed[-1] if parsed and not text[-1:].isspace() else None
        clauses = []
        for clause in parsed:
            if clause.kind == "text":
                being_typed = clause is typing
                if being_typed and len(clause.value) == 1:
                    continue  # one letter being typed would match everything, or nothing: wait
                # Only the word being typed (the last, with no space after it) or a word that is
                # no whole indexed word matches as a prefix; typos get alternatives.
                clause = dataclasses.replace(
                    clause,
                    prefix=being_typed or not self._is_word(clause.value),
                    alternatives=() if clause.negated else self._alternatives(clause.value),
                )
            elif clause.kind in ("author", "org") and not clause.negated:
                clause = dataclasses.replace(clause, alternatives=self._name_alternatives(clause))
            clauses.append(clause)
        ids, strong = self.library.find([*clauses, *extra], sort)
        words = [c for c in clauses if c.kind in ("text", "phrase") and not c.negated]
        highlights = [c.value for c in words] + [alt for c in words for alt in c.alternatives]
        result = SearchResult(ids, text, highlights)
        if words and strong is not None and len(ids) > 1:
            # Papers matching in title, authors or organisation come before abstract-only ones;
            # the first RANK_LIMIT of them are ranked by what was meant: a word found nowhere
            # stands for its closest indexed word.
            meant = [
                c.alternatives[0] if c.alternatives and not self._is_known(c.value) else c.value
                for c in words
            ]
            if self._last is not None and self._last[0] is ids:
                first, rest = self._last[1], self._last[2]  # same papers as last time
            elif len(strong) == len(ids):
                first, rest = ids, []
            else:
                first = list(filter(strong.__contains__, ids))
                rest = list(itertools.filterfalse(strong.__contains__, ids))
            self._last = (ids, first, rest)
            result.ids = self._rank(first, " ".join(meant)) + rest
            result.ranked = True
        return result

    def _rank(self, ids: list[int], query: str) -> list[int]:
        """Best fuzzy matches first (among the first RANK_LIMIT candidates); stable otherwise."""
        head, tail = ids[:RANK_LIMIT], ids[RANK_LIMIT:]
        scored = []
        for position, (paper_id, title, who) in enumerate(self.library.ranking_texts(head)):
            title_score = fuzz.partial_ratio(query, fold_text(title))
            who = who.strip()
            who_score = fuzz.partial_ratio(query, fold_text(who)) * 0.9 if who else 0.0
            scored.append((-max(title_score, who_score), position, paper_id))
        order = {paper_id: index for index, paper_id in enumerate(head)}
        scored.sort(key=lambda item: (item[0], order[item[2]]))
        return [paper_id for _, _, paper_id in scored] + tail


def view_clauses(view: str) -> list[Clause]:
    """Clauses for a named view: ``all``, ``unread``, ``starred``, ``tag:NAME``, ``import:ID``."""
    if view == "all":
        return []
    if view in ("unread", "starred"):
        return [Clause("is", view)]
    if view.startswith("tag:"):
        return [Clause("tag", view[4:])]
    if view.startswith("import:") and re.fullmatch(r"\d+(,\d+)*", view[7:]):
        return [Clause("import", view[7:])]
    raise QueryError(f"unknown view {view!r}")
