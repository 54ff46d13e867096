"""Ranking papers by what the reader liked: a "for you" order, per-tag orders, more like this.

Everything is learned from the library itself. ``text`` turns titles and abstracts into words;
``corpus`` weighs them (TF-IDF over the whole library, a sparse matrix); ``model`` fits a linear
model of what the reader starred or tagged against what was read without a star, and says which
words weigh most for a paper; ``ranker`` keeps both current for the app and the command line,
rebuilding only what changed.

numpy and scipy are imported when a corpus is first built, scikit-learn when a model is first
fitted: never at start-up (``python -X importtime -m tuireader`` shows neither). No Textual here.
"""

from __future__ import annotations

from tuireader.ranking.keys import (
    FOR_YOU,
    MIN_STARRED_FOR_YOU,
    is_ranking_sort,
    ranking_key,
    sort_for_tag,
)
from tuireader.ranking.ranker import Ranker

__all__ = [
    "FOR_YOU",
    "MIN_STARRED_FOR_YOU",
    "Ranker",
    "is_ranking_sort",
    "ranking_key",
    "sort_for_tag",
]
