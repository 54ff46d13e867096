"""The ranking kept current for one library: its corpus, and a model per order ("for you", each
tag's), rebuilt only when what they learned from changed.

:meth:`Ranker.refresh` does the work (seconds at 100k papers the first time; a fraction of that
after a star): the app calls it in a background thread, never on a key's path. The reads the
UI makes while drawing (:meth:`Ranker.order`, :meth:`Ranker.reasons`) only look at what the
last refresh left, so they cost microseconds and never wait for a refresh running.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tuireader.library import Library
from tuireader.models import RankingLabels
from tuireader.ranking.keys import FOR_YOU, ranking_key, tag_of

if TYPE_CHECKING:
    from tuireader.ranking.corpus import Corpus, Ids
    from tuireader.ranking.model import Model

#: How many papers "more like this" shows.
NEAREST = 50


class Ranker:
    """Corpus and models of one library; thread-safe (one refresh at a time)."""

    def __init__(self, library: Library, cache_dir: Path | None = None) -> None:
        """``cache_dir``: where the corpus is kept between sessions (None: not kept)."""
        self.library = library
        self.cache_dir = cache_dir
        self._lock = threading.Lock()
        self._corpus: Corpus | None = None
        self._stamp: tuple[int, str, str] | None = None
        self._labels: RankingLabels | None = None
        #: Fitted models by key ("foryou", "like:TAG"), for _labels and _corpus (None: too few
        #: labels to fit one).
        self._models: dict[str, Model | None] = {}
        self._nearest: dict[int, list[int]] = {}

    # -- what the UI reads without waiting ------------------------------------------------------
    def current(self, key: str = FOR_YOU) -> Model | None:
        """The model the last refresh fitted for ``key`` (None: none yet, or too few labels)."""
        return self._models.get(key)

    def is_ready(self, key: str = FOR_YOU) -> bool:
        """Has a refresh considered ``key`` (its model, or the lack of one, is known)?"""
        return key in self._models

    @property
    def corpus_ready(self) -> bool:
        """Is a corpus built (more like this can answer at once)?"""
        return self._corpus is not None

    def order(self, sort: str) -> Ids | None:
        """Every paper id in the order of a ranking ``sort`` ("-" reversed), as the last refresh
        left it; None when it has no model for it (the search falls back to date order)."""
        key = ranking_key(sort)
        model = self._models.get(key) if key else None
        if model is None:
            return None
        return model.order[::-1] if sort.startswith("-") else model.order

    def reasons(self, paper_id: int, key: str = FOR_YOU) -> list[str]:
        """The words that weigh most for ``paper_id`` in the model of ``key`` ([] if none)."""
        model = self._models.get(key)
        return [] if model is None else [word for word, _ in model.reasons(paper_id)]

    # -- the work -------------------------------------------------------------------------------
    def refresh(self, keys: Sequence[str] = (FOR_YOU,)) -> bool:
        """Bring the corpus and the models of ``keys`` up to date with the library; True when
        anything was rebuilt."""
        from tuireader.ranking import model as fitting

        with self._lock:
            rebuilt = self._refresh_corpus()
            labels = self.library.ranking_labels()
            if rebuilt or labels != self._labels:
                self._labels = labels
                self._models = {}
                rebuilt = True
            assert self._corpus is not None
            for key in keys:
                if key in self._models:
                    continue
                positives, negatives = _sides(labels, key)
                self._models[key] = fitting.fit(self._corpus, positives, negatives)
                rebuilt = True
            return rebuilt

    def model(self, key: str = FOR_YOU) -> Model | None:
        """The model of ``key``, brought up to date first."""
        self.refresh([key])
        return self._models.get(key)

    def corpus(self) -> Corpus:
        """The corpus, brought up to date with the library first."""
        with self._lock:
            self._refresh_corpus()
            assert self._corpus is not None
            return self._corpus

    def nearest(self, paper_id: int, limit: int = NEAREST) -> list[int]:
        """The papers most like ``paper_id`` (cosine of TF-IDF), best first, without it (in the
        corpus the last refresh left; built first if there is none)."""
        corpus = self._corpus or self.corpus()
        if paper_id in self._nearest:
            return self._nearest[paper_id]
        row = corpus.row(paper_id)
        if row is None:
            return []
        found = corpus.nearest(corpus.dense_row(row), limit, exclude=[paper_id]).tolist()
        self._nearest[paper_id] = found
        return found

    def like_text(self, text: str, limit: int = NEAREST) -> list[int]:
        """The papers most like ``text`` (a query: its words weighed as a paper's), best first."""
        corpus = self.corpus()
        return corpus.nearest(corpus.text_vector(text), limit).tolist()

    def _refresh_corpus(self) -> bool:
        """Build the corpus, or extend it with the papers added since (True when it changed)."""
        from tuireader.ranking import cache
        from tuireader.ranking.corpus import build

        stamp = self.library.ranking_stamp()
        kept = self._cache_file()
        if self._corpus is None and kept is not None:
            loaded = cache.load(kept)
            if loaded is not None:
                self._corpus, self._stamp = loaded
        old, corpus = self._stamp, self._corpus
        if corpus is not None and old == stamp:
            return False
        if (
            corpus is None
            or old is None
            or stamp[0] < old[0]
            or stamp[1] < old[1]
            or stamp[2] != old[2]
            or self.library.updated_since(old[1], old[0])
        ):
            self._corpus = build(self._documents(0, stamp[0]))
        else:
            self._corpus = corpus.extend(self._documents(old[0], stamp[0]))
        self._stamp = stamp
        self._nearest = {}
        if kept is not None:
            cache.save(kept, self._corpus, stamp)
        return True

    def _cache_file(self) -> Path | None:
        from tuireader.ranking import cache

        return None if self.cache_dir is None else cache.cache_file(self.cache_dir, self.library.path)

    def _documents(self, after: int, upto: int) -> Iterator[tuple[int, str, str]]:
        """Papers with ids in (after, upto], a chunk per read (the lock is let go between)."""
        while True:
            chunk = self.library.ranking_documents(after, upto=upto)
            if not chunk:
                return
            yield from chunk
            after = chunk[-1][0]


def _sides(labels: RankingLabels, key: str) -> tuple[frozenset[int], frozenset[int]]:
    """Positives and negatives of the model of ``key``."""
    tag = tag_of(key)
    if tag is None:
        return labels.liked(), labels.passed()
    positives = labels.tags.get(tag.casefold(), frozenset())
    return positives, labels.read - positives
