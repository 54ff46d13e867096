"""Fuzzy matching with rapidfuzz: typo alternatives from the index's words, and ranking."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from tuireader.models import Clause, fold_text

#: Rank at most this many candidates with rapidfuzz; beyond it the sort order stands.
RANK_LIMIT = 300
#: Fuzzy alternatives for a word: how similar (0-100) and how many at most.
FUZZY_CUTOFF = 82
FUZZY_LIMIT = 6


class Vocabulary:
    """The words of titles, authors and organisations, sorted, loaded on first use."""

    def __init__(self, load: Callable[[], Sequence[str]]) -> None:
        self._load = load
        self._words: list[str] | None = None

    def words(self) -> list[str]:
        """Every indexed word, sorted (loaded now if it was not)."""
        if self._words is None:
            self._words = sorted(self._load())
        return self._words

    def forget(self) -> None:
        """Load again on next use (after imports or note edits)."""
        self._words = None

    def _first_from(self, word: str) -> str:
        """The first indexed word at or after ``word`` in sorted order ("" if none)."""
        words = self.words()
        index = bisect.bisect_left(words, word)
        return words[index] if index < len(words) else ""

    def is_word(self, word: str) -> bool:
        """Is ``word`` a whole indexed word?"""
        return self._first_from(word) == word

    def is_known(self, word: str) -> bool:
        """Is ``word`` an indexed word, or the start of one?"""
        return self._first_from(word).startswith(word)

    def alternatives(self, word: str) -> tuple[str, ...]:
        """Indexed words close to an unknown ``word`` (a typo), best first; four letters or more."""
        if len(word) < 4 or not word.isalpha() or self.is_known(word):
            return ()  # a word found as it is needs no typo alternatives
        matches = process.extract(
            word, self.words(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=FUZZY_LIMIT
        )
        # Closest first: transpositions ("budgte" -> "budget") count as one edit.
        terms = sorted(
            (term for term, _, _ in matches if term != word),
            key=lambda term: (DamerauLevenshtein.distance(word, term), abs(len(term) - len(word))),
        )
        return tuple(terms)

    def name_alternatives(self, clause: Clause) -> tuple[str, ...]:
        """``author:``/``org:`` forgive typos as bare words do: the value with each word that no
        name starts with replaced by its closest indexed word (``sadhukan`` -> ``sadhukhan``).
        """
        words = clause.value.split()
        meant = [(self.alternatives(word) or (word,))[0] for word in words]
        return (" ".join(meant),) if meant != words else ()


def rank(texts: Sequence[tuple[int, str, str]], query: str) -> list[int]:
    """Ids of ``texts`` ((id, title, who) in list order), best fuzzy match of ``query`` first.

    Ties keep the list order; names count a little less than titles.
    """
    scored = []
    for position, (paper_id, title, who) in enumerate(texts):
        title_score = fuzz.partial_ratio(query, fold_text(title))
        who = who.strip()
        who_score = fuzz.partial_ratio(query, fold_text(who)) * 0.9 if who else 0.0
        scored.append((-max(title_score, who_score), position, paper_id))
    scored.sort()
    return [paper_id for _, _, paper_id in scored]
