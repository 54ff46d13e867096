"""Sets of paper ids as numpy arrays: masks over the id space, and a read-only list of ids.

A library of a million papers makes every search handle sets of hundreds of thousands of ids.
As Python sets and lists they cost ~60 MB each and a C loop per id in every step; as numpy
arrays a set is one byte per paper (a mask indexed by id), a sort order four bytes per paper,
and intersecting, negating or putting a set in order is a vectorised pass of a millisecond.

numpy is imported by this module alone (and by the library's id reads, lazily): importing it
costs ~60-100 ms, which the app pays after its first paint, not before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

#: A set of paper ids: ``mask[paper_id]`` is true for the members.
Mask = npt.NDArray[np.bool_]
#: Paper ids in some order.
Ids = npt.NDArray[np.int64]


def as_ids(values: Iterable[int] | Ids) -> Ids:
    """``values`` as an array of ids (no copy when it already is one)."""
    if isinstance(values, np.ndarray):
        return values.astype(np.int64, copy=False)
    return np.fromiter(values, dtype=np.int64)


def mask_of(ids: Ids, size: int) -> Mask:
    """The set of ``ids`` as a mask over ids ``0..size-1`` (ids outside are left out)."""
    mask = np.zeros(size, dtype=np.bool_)
    mask[ids[(ids >= 0) & (ids < size)]] = True
    return mask


def in_order(order: Ids, mask: Mask) -> Ids:
    """The members of ``mask`` in the order ``order`` gives them."""
    return order[mask[order]]


class IdList(Sequence[int]):
    """Paper ids in display order, read-only: a list's reading methods over a numpy array.

    Items are plain ints; a slice is a list (the rows of a window). Equal to a list or tuple
    holding the same ids in the same order.
    """

    __slots__ = ("array",)

    def __init__(self, ids: Iterable[int] | Ids = ()) -> None:
        #: The ids, as an array of int64 (not to be changed).
        self.array: Ids = as_ids(ids)

    def __len__(self) -> int:
        return len(self.array)

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return list(self.array[index].tolist())
        return int(self.array[index])

    def __iter__(self) -> Iterator[int]:
        for start in range(0, len(self.array), 8192):
            yield from self.array[start : start + 8192].tolist()

    def __contains__(self, value: object) -> bool:
        return _is_id(value) and bool(np.any(self.array == value))

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """Where ``value`` first is (ValueError when it is not there), as ``list.index``."""
        if _is_id(value):
            begin = range(len(self.array))[start:stop]
            hits = np.flatnonzero(self.array[begin.start : begin.stop] == value)
            if len(hits):
                return begin.start + int(hits[0])
        raise ValueError(f"{value!r} is not in the list")

    def count(self, value: Any) -> int:
        """How many times ``value`` is there (0 or 1: ids are unique)."""
        return int(np.count_nonzero(self.array == value)) if _is_id(value) else 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdList):
            return bool(np.array_equal(self.array, other.array))
        if isinstance(other, list | tuple):
            return len(other) == len(self.array) and self.array.tolist() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = self.array[:10].tolist()
        more = f", ... ({len(self.array)} ids)" if len(self.array) > 10 else ""
        return f"IdList({shown!r}{more})"


def _is_id(value: object) -> bool:
    """Could ``value`` be a paper id (an integer, not a bool)?"""
    return isinstance(value, int | np.integer) and not isinstance(value, bool)
