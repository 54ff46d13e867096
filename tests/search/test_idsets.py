"""The id list the search hands the reader: a list's reading methods over a numpy array."""

from __future__ import annotations

import numpy as np
import pytest

from tuireader.search.idsets import IdList, in_order, mask_of


def test_an_id_list_reads_like_the_list_it_holds():
    ids = IdList([7, 3, 11, 5])
    assert len(ids) == 4
    assert ids[0] == 7 and type(ids[0]) is int
    assert ids[-1] == 5
    assert ids[1:3] == [3, 11] and type(ids[1:3]) is list
    assert list(ids) == [7, 3, 11, 5] and all(type(i) is int for i in ids)
    assert 11 in ids and 4 not in ids and "11" not in ids and True not in IdList([1])
    assert ids.index(11) == 2
    assert ids.index(5, 1) == 3
    with pytest.raises(ValueError):
        ids.index(7, 1)
    with pytest.raises(ValueError):
        ids.index(4)
    assert ids.count(3) == 1 and ids.count(4) == 0
    with pytest.raises(IndexError):
        ids[4]


def test_an_id_list_equals_lists_and_tuples_with_the_same_ids_in_order():
    assert IdList([1, 2, 3]) == [1, 2, 3]
    assert [1, 2, 3] == IdList([1, 2, 3])  # noqa: SIM300 (the list on the left: reflected ==)
    assert IdList([1, 2, 3]) == (1, 2, 3)
    assert IdList([1, 2, 3]) != [3, 2, 1]
    assert IdList([1, 2, 3]) != [1, 2]
    assert IdList([1, 2]) == IdList(np.array([1, 2], dtype=np.int32))
    assert IdList() == []
    assert not IdList()


def test_a_long_id_list_iterates_every_id_across_its_chunks():
    values = list(range(20_000, 0, -1))
    assert list(IdList(values)) == values


def test_masks_keep_members_and_put_them_in_the_given_order():
    order = np.array([9, 4, 1, 6, 2], dtype=np.int64)
    mask = mask_of(np.array([2, 9, 6, 42, -1], dtype=np.int64), 10)  # 42, -1: outside, left out
    assert mask.nonzero()[0].tolist() == [2, 6, 9]
    assert in_order(order, mask).tolist() == [9, 6, 2]
