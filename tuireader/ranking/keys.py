"""How the ranking orders are named: the sort ``foryou`` and ``like:TAG`` (``-`` reverses)."""

from __future__ import annotations

#: The sort that orders papers by the model of what the reader starred and tagged.
FOR_YOU = "foryou"
#: The prefix of a sort that orders papers by the model of one tag (``like:rl``).
LIKE = "like:"
#: Starred papers from which triage orders papers "for you" by default (fewer: the list's sort).
MIN_STARRED_FOR_YOU = 10


def is_ranking_sort(sort: str) -> bool:
    """Is ``sort`` (maybe reversed) an order a model gives, not a column?"""
    base = sort.removeprefix("-")
    return base == FOR_YOU or (base.startswith(LIKE) and len(base) > len(LIKE))


def ranking_key(sort: str) -> str | None:
    """The model a ranking sort uses: ``"foryou"`` or ``"like:TAG"``; None for other sorts."""
    return sort.removeprefix("-") if is_ranking_sort(sort) else None


def sort_for_tag(tag: str) -> str:
    """The sort that orders papers like those tagged ``tag``."""
    return f"{LIKE}{tag}"


def tag_of(key: str) -> str | None:
    """The tag a ``like:TAG`` key names (None for "for you")."""
    return key[len(LIKE) :] if key.startswith(LIKE) else None


def ranking_label(sort: str) -> str:
    """How the status line names a ranking sort: "for you", "like #rl" (reversed: "…, worst first")."""
    key = ranking_key(sort) or sort
    tag = tag_of(key)
    label = "for you" if tag is None else f"like #{tag}"
    return f"{label}, least first" if sort.startswith("-") else label
