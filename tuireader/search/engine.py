"""The search engine: clauses into a list of paper ids, over one snapshot of the library.

Each query takes one :class:`Snapshot` (inside ``Library.read_snapshot()``, one SQLite read
transaction): the data version, the sort orders and columns, and the clause cache all belong
to that version, so a commit by another process can never mix two versions in one result.
A newer version gets a new snapshot; an older one is never touched again. A newer version
whose content is the same (only abstracts were indexed) starts with the older one's orders and
columns, which cannot have changed.

Sets of ids are numpy masks over the id space and orders numpy arrays (see :mod:`.idsets`):
at a million papers, intersecting, negating and ordering a set is a pass of a few milliseconds,
and a search costs what SQLite takes to find its words.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from tuireader.library import Library
from tuireader.models import Clause, Kind
from tuireader.ranking.keys import is_ranking_sort
from tuireader.search.expressions import (
    name_expression,
    names_only,
    word_expression,
    words_expression,
)
from tuireader.search.idsets import IdList, Ids, Mask, in_order, mask_of
from tuireader.search.pending import NOTHING_PENDING, Pending

#: Clause results kept per snapshot (typing a query re-uses the words already typed): at most
#: this many, holding at most CACHE_BYTES in all (a set is one byte per paper: 1 MB at 1M, so
#: the bytes bound big libraries and the count small ones).
CACHE_SIZE = 256
CACHE_BYTES = 24_000_000
#: ``is:`` values that are the complement of an indexed set.
_COMPLEMENTS = {"unread": "read", "unstarred": "starred"}


@dataclass(frozen=True)
class Snapshot:
    """What the engine knows of one version of the library (filled lazily, never changed).

    ``size`` bounds every paper id of this version: sets are masks of that many bytes.
    """

    version: tuple[int, int]
    size: int
    #: The library's content version (None: unknown): while it stays, a newer snapshot keeps
    #: this one's columns (the background indexer's commits change no order).
    content: int | None = None
    #: Columns of the whole library, never dropped: sort orders, the set of every paper,
    #: publication years by id.
    orders: dict[str, Ids] = field(default_factory=dict)
    columns: dict[str, npt.NDArray[Any]] = field(default_factory=dict)
    sets: OrderedDict[object, object] = field(default_factory=OrderedDict)

    def column(self, name: str, load: Callable[[], npt.NDArray[Any]]) -> npt.NDArray[Any]:
        """A whole-library column of this version (loaded on first use, then kept)."""
        if name not in self.columns:
            self.columns[name] = load()
        return self.columns[name]

    def cached(self, key: object, compute: Callable[[], object]) -> object:
        """A clause result of this version (least recently used dropped first, by count and
        by the bytes held)."""
        if key in self.sets:
            self.sets.move_to_end(key)
            return self.sets[key]
        value = compute()
        self.sets[key] = value
        while len(self.sets) > 1 and (
            len(self.sets) > CACHE_SIZE or sum(map(_weight, self.sets.values())) > CACHE_BYTES
        ):
            self.sets.popitem(last=False)
        return value


def _weight(value: object) -> int:
    """How many bytes a cached result holds (a mask or array, or a pair of masks for words)."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, tuple):
        return sum(_weight(part) for part in value)
    return 1


@dataclass(frozen=True, slots=True)
class Found:
    """Papers matching a query, in sort order; ``strong``: those matching in titles or names
    (a mask over paper ids).

    ``repeated``: the same papers as the engine's previous query (typing on through a word
    often changes nothing), so ``ids`` is that query's array.
    """

    ids: Ids
    strong: Mask | None
    repeated: bool = False


class RankingSource(Protocol):
    """Where the orders a model gives, and "more like this", come from (tuireader.ranking)."""

    def order(self, sort: str) -> Ids | None:
        """Every paper id in a ranking sort's order; None while no model exists for it."""

    def nearest(self, paper_id: int) -> list[int]:
        """The papers most like ``paper_id``, best first."""


class Engine:
    """Finds papers for clauses in one library, keeping a snapshot of its current version."""

    def __init__(self, library: Library, ranking: RankingSource | None = None) -> None:
        self.library = library
        #: The orders of models ("for you", a tag's) and similar papers (None: date order, none).
        self.ranking = ranking
        #: The last ranked order completed with the papers its model has not seen.
        self._ranked: tuple[tuple[object, str], Ids, Ids] | None = None
        self._snapshot: Snapshot | None = None
        self._last: tuple[object, Mask, Mask | None, Found] | None = None

    def find(
        self, clauses: Sequence[Clause] = (), sort: str = "date", pending: Pending = NOTHING_PENDING
    ) -> Found:
        """Papers matching every clause in ``sort`` order, and the strong matches among them.

        Strong matches are the papers where every positive word or phrase matches the title,
        authors, organisation or notes (not only the abstract); None when there are no words.
        A negated clause keeps exactly the papers its positive form does not match.
        ``pending``: the reader's changes not written yet, laid over the file's state.
        """
        with self.library.read_snapshot():
            return self._find(self._take_snapshot(), clauses, sort, pending)

    def find_ids(self, clauses: Sequence[Clause] = (), sort: str = "date") -> IdList:
        """Ids of the papers matching every clause, in ``sort`` order."""
        return IdList(self.find(clauses, sort).ids)

    @property
    def content(self) -> int | None:
        """The library's content version the last search read (None: unknown, or none yet)."""
        return None if self._snapshot is None else self._snapshot.content

    def forget(self) -> None:
        """Read everything again on the next search (F5: after writes by other programs)."""
        self._snapshot = None
        self._last = None

    def _take_snapshot(self) -> Snapshot:
        version = self.library.version()
        old = self._snapshot
        if old is None or old.version != version:
            content = self.library.content_version()
            if old is not None and content is not None and content == old.content:
                # Only abstracts were indexed: the same papers in the same orders.
                self._snapshot = Snapshot(version, old.size, content, old.orders, old.columns)
            else:
                self._snapshot = Snapshot(version, self.library.id_bound(), content)
            return self._snapshot
        return old

    def _find(
        self, snap: Snapshot, clauses: Sequence[Clause], sort: str, pending: Pending
    ) -> Found:
        order = self._order(snap, sort)
        if not clauses:
            return Found(order, None)
        words = tuple(c for c in clauses if c.kind in (Kind.TEXT, Kind.PHRASE) and not c.negated)
        selected: Mask | None = None
        strong: Mask | None = None
        if words:
            selected, strong = snap.cached(("words", words), lambda: self._word_sets(snap, words))  # type: ignore[misc]
        for clause in sorted(clauses, key=lambda c: c.negated):
            if clause in words:
                continue
            if selected is not None and not selected.any():
                break  # nothing left to narrow
            matched = self._clause_mask(snap, clause, pending)
            if clause.negated:
                selected = (self._all(snap) if selected is None else selected) & ~matched
            else:
                selected = matched if selected is None else selected & matched
        assert selected is not None
        if strong is not None:
            strong = strong & selected
        key = (snap.version, sort, id(order))  # (a model refitted gives another order)
        last = self._last
        if (
            last is not None
            and last[0] == key
            and _same(last[2], strong)
            and np.array_equal(last[1], selected)
        ):
            return Found(last[3].ids, strong, repeated=True)
        found = Found(in_order(order, selected), strong)
        self._last = (key, selected, strong, found)
        return found

    def _order(self, snap: Snapshot, sort: str) -> Ids:
        if is_ranking_sort(sort):
            return self._ranked_order(snap, sort)
        if sort not in snap.orders:
            snap.orders[sort] = self.library.order_ids(sort)
        return snap.orders[sort]

    def _ranked_order(self, snap: Snapshot, sort: str) -> Ids:
        """A model's order; papers it has not seen (imported since it was fitted) follow, newest
        first; date order while there is no model."""
        ranked = self.ranking.order(sort) if self.ranking is not None else None
        if ranked is None:
            return self._order(snap, "date")
        cached = self._ranked
        if cached is not None and cached[0] == (snap.version, sort) and cached[1] is ranked:
            return cached[2]
        unseen = self._all(snap) & ~mask_of(ranked, snap.size)
        order = ranked[ranked < snap.size]
        if unseen.any():
            order = np.concatenate([order, in_order(self._order(snap, "date"), unseen)])
        self._ranked = ((snap.version, sort), ranked, order)
        return order

    def _all(self, snap: Snapshot) -> Mask:
        return snap.column("all", lambda: self._mask(snap, self._order(snap, "date")))

    @staticmethod
    def _mask(snap: Snapshot, ids: Ids) -> Mask:
        return mask_of(ids, snap.size)

    def _clause_mask(
        self, snap: Snapshot, clause: Clause, pending: Pending = NOTHING_PENDING
    ) -> Mask:
        """The papers a clause matches, as if it were not negated (cached in the snapshot;
        ``pending`` laid over it, uncached)."""
        if clause.negated:
            clause = dataclasses.replace(clause, negated=False)
        if clause.kind in (Kind.TEXT, Kind.PHRASE):
            return snap.cached(("anywhere", clause), lambda: self._anywhere(snap, (clause,)))  # type: ignore[return-value]
        if clause.kind == Kind.IS and clause.value in _COMPLEMENTS:
            positive = Clause(Kind.IS, _COMPLEMENTS[clause.value])
            return self._all(snap) & ~self._clause_mask(snap, positive, pending)
        if pending and clause.kind in (Kind.IS, Kind.HAS, Kind.TAG):
            return pending.lay_over(clause, self._clause_mask(snap, clause))
        if clause.kind == Kind.YEAR:
            years = snap.column("years", lambda: self._years(snap))
            low = clause.low if clause.low is not None else 1
            high = clause.high if clause.high is not None else 9999
            return snap.cached(("ids", clause), lambda: (years >= low) & (years <= high))  # type: ignore[return-value]
        return snap.cached(  # type: ignore[return-value]
            ("ids", clause), lambda: self._mask(snap, self._clause_query(clause))
        )

    def _years(self, snap: Snapshot) -> npt.NDArray[np.int16]:
        """Each paper's year of publication by id (0: unknown or no such paper).

        The "date" order holds the papers of one date side by side: a count per date says
        which stretch of it each date (so each year) covers.
        """
        order = self._order(snap, "date")
        by_id = np.zeros(snap.size, dtype=np.int16)
        start = 0
        for published, count in self.library.date_counts():
            year = published[:4] if published else ""
            if year.isdigit():
                by_id[order[start : start + count]] = int(year)
            start += count
        return by_id

    def _clause_query(self, clause: Clause) -> Ids:
        """The library read that answers a clause other than words and years."""
        library = self.library
        if clause.kind in (Kind.IS, Kind.HAS):
            return library.flag_ids(clause.kind, clause.value)
        if clause.kind in (Kind.AUTHOR, Kind.ORG):
            return library.match_ids(name_expression(clause))
        if clause.kind == Kind.TAG:
            return library.tag_ids(clause.value)
        if clause.kind == Kind.IMPORT:
            return library.first_seen_ids(clause.import_ids)
        if clause.kind == Kind.SIMILAR:
            found = self.ranking.nearest(int(clause.value)) if self.ranking is not None else []
            return np.array(found, dtype=np.int64)
        raise ValueError(f"unknown clause {clause.kind}:{clause.value}")

    def _word_sets(self, snap: Snapshot, words: tuple[Clause, ...]) -> tuple[Mask, Mask]:
        """Papers matching every word or phrase anywhere, and those matching in titles/names."""
        strong = self._mask(snap, self.library.match_ids(words_expression(words, as_prefixes=True)))
        if all(names_only(word) and word.prefix and len(word.value) >= 2 for word in words):
            return strong, strong  # prefixes of titles and names: the same query twice
        return self._anywhere(snap, words), strong

    def _anywhere(self, snap: Snapshot, words: tuple[Clause, ...]) -> Mask:
        """Papers matching every word or phrase anywhere (a negated word needs no more).

        Short words match titles and names only: the table of titles and names answers them
        (it has every paper, indexed abstracts or not). The other words are ANDed in one MATCH
        over the table of everything. Each part is cached: typing a word after others asks
        only for the word being typed.
        """
        names = tuple(word for word in words if names_only(word))
        rest = tuple(word for word in words if not names_only(word))
        found: Mask | None = None
        if rest:
            found = snap.cached(("everywhere", rest), lambda: self._everywhere(snap, rest))  # type: ignore[assignment]
        if names:
            in_names: Mask = snap.cached(  # type: ignore[assignment]
                ("in names", names),
                lambda: self._mask(snap, self.library.match_ids(words_expression(names))),
            )
            found = in_names if found is None else found & in_names
        assert found is not None
        return found

    def _everywhere(self, snap: Snapshot, words: tuple[Clause, ...]) -> Mask:
        """Papers matching every word (none of them short) in any field, abstracts included.

        One MATCH over the table of everything; papers whose abstract is not indexed yet are
        matched word by word with LIKE (or in their titles and names).
        """
        library = self.library
        everywhere = self._mask(snap, library.match_ids(words_expression(words), everything=True))
        if library.has_unindexed():
            pending = self._mask(snap, library.unindexed_ids())
            for word in words:
                in_names = self._mask(snap, library.match_ids(word_expression(word)))
                in_abstract = self._mask(snap, library.unindexed_matching(word.value))
                pending &= in_names | in_abstract
            everywhere |= pending
        return everywhere


def _same(one: Mask | None, other: Mask | None) -> bool:
    """Are two optional masks the same set?"""
    if one is None or other is None:
        return one is other
    return bool(np.array_equal(one, other))
