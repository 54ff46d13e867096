"""Search: the query language, the engine over one snapshot of the library, fuzzy ranking.

``language`` parses a query into clauses (and views into clauses); ``expressions`` writes the
FTS5 match expressions of words and names; ``engine`` turns clauses into sets of ids over the
library's small read API, all cached state in one snapshot per library version; ``ranking``
forgives typos and ranks with rapidfuzz; ``searcher`` puts them together for the app and the
CLI. No Textual here, and no SQL: the library runs the statements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tuireader.search.language import (
    FIELDS,
    HAS_VALUES,
    IS_VALUES,
    QueryError,
    parse_query,
    view_clauses,
)
from tuireader.search.searcher import Searcher, SearchResult

if TYPE_CHECKING:
    from tuireader.search.engine import Engine, Found


def __getattr__(name: str) -> Any:
    """The engine's names, imported when first asked for (numpy: not before the first paint)."""
    if name in ("Engine", "Found"):
        from tuireader.search import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "FIELDS",
    "HAS_VALUES",
    "IS_VALUES",
    "Engine",
    "Found",
    "QueryError",
    "SearchResult",
    "Searcher",
    "parse_query",
    "view_clauses",
]
