"""The searcher the app and the CLI use: query text in, ranked paper ids out.

Importing this module is cheap: the engine (numpy) and the ranking (rapidfuzz) are imported on
first use, so the app paints its first screen before paying for them (~100-200 ms).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tuireader.library import Library
from tuireader.models import SORTS, Clause, Kind
from tuireader.ranking.keys import is_ranking_sort
from tuireader.search.language import QueryError, parse_query
from tuireader.search.pending import NOTHING_PENDING, Pending

if TYPE_CHECKING:
    from tuireader.search.engine import Engine, Found, RankingSource
    from tuireader.search.idsets import Ids
    from tuireader.search.ranking import Vocabulary


#: Ranking texts kept at most (a paper's title and names: ~200 bytes each).
TEXTS_KEPT = 20_000


@dataclass(slots=True)
class SearchResult:
    """Matching paper ids (in display order) and the words to highlight."""

    ids: Sequence[int]
    query: str
    highlights: list[str] = field(default_factory=list)
    ranked: bool = False


class Searcher:
    """Runs queries against one library: the engine, the fuzzy vocabulary, the ranking."""

    def __init__(self, library: Library, ranking: RankingSource | None = None) -> None:
        self.library = library
        #: Model orders ("for you", a tag's) and "more like this" (see tuireader.ranking).
        self.ranking = ranking
        self._engine: Engine | None = None
        self._vocabulary: Vocabulary | None = None
        #: Ranking texts by paper id, for the content version _texts_version.
        self._texts: dict[int, tuple[int, str, str]] = {}
        self._texts_version: int | None = None
        #: Searches running now (background work pauses meanwhile: see :meth:`busy`).
        self._running = 0
        self._lock = threading.Lock()
        #: The last split into strong and other matches, for a repeated result: (first, rest).
        self._split: tuple[Ids, Ids] | None = None

    @property
    def engine(self) -> Engine:
        """The engine over the library (made on first use)."""
        if self._engine is None:
            from tuireader.search.engine import Engine

            self._engine = Engine(self.library, self.ranking)
        return self._engine

    @property
    def vocabulary(self) -> Vocabulary:
        """The fuzzy vocabulary of the library (made on first use, loaded on first word)."""
        if self._vocabulary is None:
            from tuireader.search.ranking import Vocabulary

            self._vocabulary = Vocabulary(self.library.vocabulary)
        return self._vocabulary

    def warm(self) -> None:
        """Import the engine and load the vocabulary now (in a worker after the first paint),
        not on the first word typed."""
        _ = self.engine
        self.vocabulary.words()

    def invalidate(self, *, everything: bool = False) -> None:
        """Forget the cached vocabulary (after imports or note edits); ``everything``: what
        the engine read too (a refresh asked for: another program may have written)."""
        if self._vocabulary is not None:
            self._vocabulary.forget()
        if everything and self._engine is not None:
            self._engine.forget()

    def may_be_slow(self) -> bool:
        """Could a search take long (abstracts waiting to be indexed are scanned with LIKE)?"""
        return self.library.has_unindexed()

    def busy(self) -> bool:
        """Is a search running? Background work on other connections yields to it
        (``Library.yield_to(searcher.busy)``): the user is waiting for this one."""
        return self._running > 0

    def interrupt(self) -> None:
        """Stop a search running in another thread (it raises SearchInterrupted there)."""
        self.library.interrupt()

    def prepare(self, text: str) -> list[Clause]:
        """The clauses of ``text`` as the engine takes them: the word being typed a prefix,
        typos given their alternatives. Raises :class:`QueryError`."""
        parsed = parse_query(text)
        typing = parsed[-1] if parsed and not text[-1:].isspace() else None
        vocabulary = self.vocabulary
        clauses = []
        for clause in parsed:
            if clause.kind == Kind.TEXT:
                being_typed = clause is typing
                if being_typed and len(clause.value) == 1:
                    continue  # one letter being typed would match everything, or nothing: wait
                # Only the word being typed (the last, with no space after it) or a word that is
                # no whole indexed word matches as a prefix; typos get alternatives.
                clause = dataclasses.replace(
                    clause,
                    prefix=being_typed or not vocabulary.is_word(clause.value),
                    alternatives=() if clause.negated else vocabulary.alternatives(clause.value),
                )
            elif clause.kind in (Kind.AUTHOR, Kind.ORG) and not clause.negated:
                clause = dataclasses.replace(
                    clause, alternatives=vocabulary.name_alternatives(clause)
                )
            clauses.append(clause)
        return clauses

    def search(
        self,
        text: str,
        *,
        extra: Sequence[Clause] = (),
        sort: str = "date",
        stopped: Callable[[], bool] | None = None,
        pending: Pending = NOTHING_PENDING,
    ) -> SearchResult:
        """Papers matching ``text`` and the ``extra`` clauses (a view), ranked when words are given.

        ``pending``: the reader's changes still waiting to be written, as the list shows them.

        Raises :class:`QueryError` for a malformed query, ``SearchInterrupted`` when
        :meth:`interrupt` stopped it or ``stopped()`` turned true (a newer search replaced it).
        """
        with self._lock:
            self._running += 1
        try:
            if stopped is None:
                return self._search(text, extra, sort, pending)
            with self.library.stoppable(stopped):
                return self._search(text, extra, sort, pending)
        finally:
            with self._lock:
                self._running -= 1

    def _search(
        self, text: str, extra: Sequence[Clause], sort: str, pending: Pending
    ) -> SearchResult:
        if sort.removeprefix("-") not in SORTS and not is_ranking_sort(sort):
            raise QueryError(
                f"unknown sort {sort!r} (use {', '.join(SORTS)}, foryou, like:TAG, or -sort"
                " reversed)"
            )
        import numpy as np

        from tuireader.search.idsets import IdList, as_ids
        from tuireader.search.ranking import RANK_LIMIT, rank

        clauses = self.prepare(text)
        found = self.engine.find([*clauses, *extra], sort, pending)
        words = [c for c in clauses if c.kind in (Kind.TEXT, Kind.PHRASE) and not c.negated]
        highlights = [c.value for c in words] + [alt for c in words for alt in c.alternatives]
        result = SearchResult(IdList(found.ids), text, highlights)
        similar = [c for c in extra if c.kind == Kind.SIMILAR]
        if similar and self.ranking is not None and not words:
            # More like a paper: the most similar first, whatever the sort.
            nearest = as_ids(self.ranking.nearest(int(similar[0].value)))
            shown = np.zeros(max(int(nearest.max(initial=0)), int(found.ids.max(initial=0))) + 1, bool)
            shown[found.ids] = True
            result.ids = IdList(nearest[shown[nearest]])
            result.ranked = True
        if words and found.strong is not None and len(found.ids) > 1:
            # Papers matching in title, authors or organisation come before abstract-only ones;
            # the first RANK_LIMIT of them are ranked by what was meant: a word found nowhere
            # stands for its closest indexed word.
            meant = [
                c.alternatives[0]
                if c.alternatives and not self.vocabulary.is_known(c.value)
                else c.value
                for c in words
            ]
            first, rest = self._strong_first(found)
            head = first[:RANK_LIMIT].tolist()
            ranked = rank(self._ranking_texts(head), " ".join(meant))
            result.ids = IdList(np.concatenate([as_ids(ranked), first[RANK_LIMIT:], rest]))
            result.ranked = True
        return result

    def _ranking_texts(self, ids: list[int]) -> list[tuple[int, str, str]]:
        """What ranking reads of ``ids`` (title, names), kept while the content is the same:
        typing on through a word ranks mostly the same papers again."""
        version = self.engine.content  # (the search just made read it)
        if version is None or version != self._texts_version or len(self._texts) > TEXTS_KEPT:
            self._texts.clear()
            self._texts_version = version
        missing = [paper_id for paper_id in ids if paper_id not in self._texts]
        if missing:
            for texts in self.library.ranking_texts(missing):
                self._texts[texts[0]] = texts
        return [self._texts[paper_id] for paper_id in ids if paper_id in self._texts]

    def _strong_first(self, found: Found) -> tuple[Ids, Ids]:
        """The strong matches, then the others, each in sort order (reused for a repeat)."""
        if found.repeated and self._split is not None:
            return self._split
        assert found.strong is not None
        is_strong = found.strong[found.ids]
        split = (found.ids[is_strong], found.ids[~is_strong])
        self._split = split
        return split
