"""Reads of many values at once: ``... IN (?, ?, …)`` in chunks SQLite takes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

#: Values a statement at most (SQLite's limit on parameters is 999 in old builds).
CHUNK = 500


def rows_in(
    conn: sqlite3.Connection,
    sql: str,
    values: Sequence[object],
    params: Sequence[object] = (),
) -> Iterator[Any]:
    """The rows of ``sql`` for every one of ``values``: ``sql`` holds ``{marks}`` where the
    ``IN`` list goes, after the ``params`` it takes first; run once per CHUNK values. (Rows
    as the connection's row factory makes them.)"""
    for start in range(0, len(values), CHUNK):
        chunk = list(values[start : start + CHUNK])
        yield from conn.execute(sql.format(marks=",".join("?" * len(chunk))), (*params, *chunk))
