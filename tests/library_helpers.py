"""What the library tests share (tests/library/test_library_*.py): adding dumps, finding papers.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from tuireader.library import Library


def add(library: Library, result, file: str = "dump.txt", **kwargs):
    """Write ``result`` as if it came from ``file`` (its sha256 derived from the titles)."""
    digest = hashlib.sha256(
        (file + "|" + "|".join(p.title for p in result.papers)).encode()
    ).hexdigest()
    return library.add_dump(result, file=file, path=f"/dumps/{file}", sha256=digest, **kwargs)


def by_title(library: Library, title: str):
    """The stored paper whose title is exactly ``title``."""
    rows = library.query("SELECT id FROM papers WHERE title = ?", (title,))
    assert len(rows) == 1, f"{title!r} stored {len(rows)} times"
    return library.get_paper(rows[0][0])


@pytest.fixture
def lib(tmp_path):
    library = Library.open(tmp_path / "lib.db")
    yield library
    library.close()


def _stamp(text: str) -> dt.datetime:
    """An ISO timestamp as written by the library (it must parse and carry a time zone)."""
    value = dt.datetime.fromisoformat(text)
    assert value.tzinfo is not None
    return value
