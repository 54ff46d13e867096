"""The search engine: clauses into a list of paper ids, over one snapshot of the library.

Each query takes one :class:`Snapshot` (inside ``Library.read_snapshot()``, one SQLite read
transaction): the data version, the sort orders and positions, and the clause cache all belong
to that version, so a commit by another process can never mix two versions in one result.
A newer version gets a new snapshot; an older one is never touched again.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tuireader.library import Library
from tuireader.models import Clause, Kind
from tuireader.search.expressions import name_expression, word_expression, words_expression

#: Clause results kept per snapshot (typing a query re-uses the words already typed), at most
#: this many, holding at most CACHE_IDS ids in all (a set of a million ids is ~60 MB).
CACHE_SIZE = 64
CACHE_IDS = 1_500_000
#: ``is:`` values that are the complement of an indexed set.
_COMPLEMENTS = {"unread": "read", "unstarred": "starred"}

IdSet = set[int]


@dataclass(frozen=True, slots=True)
class Order:
    """Every paper id in one sort order, and each id's position in it."""

    ids: list[int]
    position: dict[int, int]


@dataclass(frozen=True)
class Snapshot:
    """What the engine knows of one version of the library (filled lazily, never changed)."""

    version: tuple[int, int]
    orders: dict[str, Order] = field(default_factory=dict)
    sets: OrderedDict[object, object] = field(default_factory=OrderedDict)

    def cached(self, key: object, compute: Callable[[], object]) -> object:
        """A clause result of this version (least recently used dropped first, by count and
        by the ids held)."""
        if key in self.sets:
            self.sets.move_to_end(key)
            return self.sets[key]
        value = compute()
        self.sets[key] = value
        while len(self.sets) > 1 and (
            len(self.sets) > CACHE_SIZE or sum(map(_weight, self.sets.values())) > CACHE_IDS
        ):
            self.sets.popitem(last=False)
        return value


def _weight(value: object) -> int:
    """How many ids a cached result holds (a set, or a pair of sets for words)."""
    if isinstance(value, set):
        return len(value)
    if isinstance(value, tuple):
        return sum(len(part) for part in value if isinstance(part, set))
    return 1


@dataclass(frozen=True, slots=True)
class Found:
    """Papers matching a query, in sort order; ``strong``: those matching in titles or names.

    ``repeated``: the same papers as the engine's previous query (typing on through a word
    often changes nothing), so ``ids`` is that query's list.
    """

    ids: list[int]
    strong: IdSet | None
    repeated: bool = False


class Engine:
    """Finds papers for clauses in one library, keeping a snapshot of its current version."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._snapshot: Snapshot | None = None
        self._last: tuple[object, IdSet, IdSet | None, Found] | None = None

    def find(self, clauses: Sequence[Clause] = (), sort: str = "date") -> Found:
        """Papers matching every clause in ``sort`` order, and the strong matches among them.

        Strong matches are the papers where every positive word or phrase matches the title,
        authors, organisation or notes (not only the abstract); None when there are no words.
        A negated clause keeps exactly the papers its positive form does not match.
        """
        with self.library.read_snapshot():
            return self._find(self._take_snapshot(), clauses, sort)

    def find_ids(self, clauses: Sequence[Clause] = (), sort: str = "date") -> list[int]:
        """Ids of the papers matching every clause, in ``sort`` order."""
        return self.find(clauses, sort).ids

    def _take_snapshot(self) -> Snapshot:
        version = self.library.version()
        if self._snapshot is None or self._snapshot.version != version:
            self._snapshot = Snapshot(version)
        return self._snapshot

    def _find(self, snap: Snapshot, clauses: Sequence[Clause], sort: str) -> Found:
        order = self._order(snap, sort)
        if not clauses:
            return Found(order.ids, None)
        words = tuple(c for c in clauses if c.kind in (Kind.TEXT, Kind.PHRASE) and not c.negated)
        selected: IdSet | None = None
        strong: IdSet | None = None
        if words:
            selected, strong = snap.cached(("words", words), lambda: self._word_sets(words))  # type: ignore[misc]
        for clause in sorted(clauses, key=lambda c: c.negated):
            if clause in words:
                continue
            if selected is not None and not selected:
                break  # nothing left to narrow
            matched = self._clause_ids(snap, clause)
            if clause.negated:
                selected = (self._all_ids(snap) if selected is None else selected) - matched
            else:
                selected = matched if selected is None else selected & matched
        assert selected is not None
        if strong is not None:
            strong = strong & selected
        key = (snap.version, sort)
        last = self._last
        if last is not None and last[0] == key and last[2] == strong and last[1] == selected:
            return Found(last[3].ids, strong, repeated=True)
        if len(selected) * 8 < len(order.ids):
            ids = sorted(selected, key=order.position.__getitem__)  # few: sort by position
        else:
            ids = list(filter(selected.__contains__, order.ids))  # (C-speed walk of the order)
        found = Found(ids, strong)
        self._last = (key, selected, strong, found)
        return found

    def _order(self, snap: Snapshot, sort: str) -> Order:
        if sort not in snap.orders:
            ids = self.library.ordered_ids(sort)
            snap.orders[sort] = Order(ids, {paper_id: i for i, paper_id in enumerate(ids)})
        return snap.orders[sort]

    def _all_ids(self, snap: Snapshot) -> IdSet:
        return snap.cached("all", lambda: set(self._order(snap, "date").ids))  # type: ignore[return-value]

    def _clause_ids(self, snap: Snapshot, clause: Clause) -> IdSet:
        """The ids a clause matches, as if it were not negated (cached in the snapshot)."""
        if clause.negated:
            clause = dataclasses.replace(clause, negated=False)
        if clause.kind in (Kind.TEXT, Kind.PHRASE):
            return snap.cached(("words", (clause,)), lambda: self._word_sets((clause,)))[0]  # type: ignore[index]
        if clause.kind == Kind.IS and clause.value in _COMPLEMENTS:
            positive = Clause(Kind.IS, _COMPLEMENTS[clause.value])
            return self._all_ids(snap) - self._clause_ids(snap, positive)
        return snap.cached(("ids", clause), lambda: self._clause_query(clause))  # type: ignore[return-value]

    def _clause_query(self, clause: Clause) -> IdSet:
        """The library read that answers a clause other than words."""
        library = self.library
        if clause.kind in (Kind.IS, Kind.HAS):
            return library.flag_ids(clause.kind, clause.value)
        if clause.kind in (Kind.AUTHOR, Kind.ORG):
            return library.match_ids(name_expression(clause))
        if clause.kind == Kind.TAG:
            return library.tag_ids(clause.value)
        if clause.kind == Kind.YEAR:
            return library.year_ids(clause.low, clause.high)
        if clause.kind == Kind.IMPORT:
            return library.first_seen_ids(clause.import_ids)
        raise ValueError(f"unknown clause {clause.kind}:{clause.value}")

    def _word_sets(self, words: tuple[Clause, ...]) -> tuple[IdSet, IdSet]:
        """Papers matching every word or phrase anywhere, and those matching in titles/names.

        One MATCH over the table of everything (words ANDed inside FTS5) and one over titles and
        names; papers whose abstract is not indexed yet are matched word by word with LIKE.
        """
        library = self.library
        everywhere = library.match_ids(words_expression(words), everything=True)
        strong = library.match_ids(words_expression(words, as_prefixes=True))
        if library.has_unindexed():
            pending: IdSet | None = None
            for word in words:
                hits = library.match_ids(word_expression(word)) | library.unindexed_matching(
                    word.value
                )
                pending = hits if pending is None else pending & hits
            everywhere |= (pending or set()) & library.unindexed_ids()
        return everywhere, strong
