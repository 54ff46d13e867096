"""Searches that see the changes still waiting to be written (another process holds the lock).

While an import in another shell holds the library's write lock, the reader's changes wait in
its change queue (tuireader.changes) and the list shows them laid over the rows. A search reads
the file, so without this ``tag:grpB`` typed right after tagging papers ``grpB`` found none of
them, and the ``s`` typed next starred whatever the empty list (or another paper) offered: not
what the same keys do when the file is free. :class:`Pending` is the state of the papers those
changes touch, as it will be; the engine lays it over what the file says for the clauses that
read the reader's own state (``tag:``, ``is:``, ``has:tags``, ``has:notes``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tuireader.models import Clause, Kind

if TYPE_CHECKING:  # (numpy is imported after the first paint: the reader makes these before)
    import numpy as np
    import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class PaperState:
    """A paper's read, starred, tags (casefolded) and whether it has a note."""

    read: bool
    starred: bool
    tags: frozenset[str]
    has_notes: bool


@dataclass(frozen=True, slots=True)
class Pending:
    """The papers changes still wait for, as they will be once written."""

    states: Mapping[int, PaperState]

    def __bool__(self) -> bool:
        return bool(self.states)

    def key(self) -> tuple[tuple[int, PaperState], ...]:
        """A hashable form (results cached for one are not another's)."""
        return tuple(sorted(self.states.items()))

    def lay_over(self, clause: Clause, mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """``mask`` (the papers ``clause``, not negated, matches in the file) with the waiting
        papers' bits as they will be; the same array when the clause reads no such state."""
        test = _TESTS.get((clause.kind, clause.value if clause.kind != Kind.TAG else ""))
        if test is None or not self.states:
            return mask
        value = clause.value.casefold()
        laid = mask.copy()
        for paper_id, state in self.states.items():
            if 0 <= paper_id < len(laid):
                laid[paper_id] = test(state, value)
        return laid


#: (kind, value) -> whether a waiting paper matches; "" stands for any tag's name.
_TESTS = {
    (Kind.IS, "read"): lambda state, _: state.read,
    (Kind.IS, "starred"): lambda state, _: state.starred,
    (Kind.HAS, "tags"): lambda state, _: bool(state.tags),
    (Kind.HAS, "notes"): lambda state, _: state.has_notes,
    (Kind.TAG, ""): lambda state, name: name in state.tags,
}

NOTHING_PENDING = Pending({})
