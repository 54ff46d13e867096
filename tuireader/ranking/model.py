"""A linear model of what the reader likes, fitted on the library's own labels, and its reasons.

Positives: the papers starred or tagged (for a tag's model: the papers carrying that tag).
Negatives: the papers read without a star or a tag (the reader saw them and passed), and a
sample of the papers not yet looked at, weighed less (most of a listing is not for you, as
arxiv-sanity-lite assumes of every paper not tagged). A logistic regression (scikit-learn's
liblinear solver, classes balanced) over the TF-IDF rows: a paper's score is the sum of its
words' weights times the model's, so the words that add most are the reason it ranks high.

scikit-learn (and scipy) are imported by :func:`fit` alone, when a model is first needed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from tuireader.ranking.corpus import Corpus, Floats, Ids

#: Papers not yet looked at, drawn as weak negatives (a fixed seed: the same labels give the
#: same model), and their weight beside a paper read and passed.
UNLABELLED_SAMPLE = 5000
UNLABELLED_WEIGHT = 0.5
#: Negatives read and passed, at most (the most recent ids): a fit stays well under a second.
MAX_NEGATIVES = 20_000
#: Inverse regularisation strength (scikit-learn's C).
C = 4.0
#: How many words explain a rank.
REASONS = 4


@dataclass(frozen=True)
class Model:
    """A fitted model: a weight per column of the corpus it was fitted on, and every paper's score."""

    corpus: Corpus
    coef: Floats
    intercept: float
    #: Every paper's score, by row of the corpus.
    scores: Floats
    #: Paper ids, best first (ties: newest id first).
    order: Ids
    positives: int
    negatives: int

    def score(self, paper_id: int) -> float | None:
        """The paper's score (None when it is not in the corpus)."""
        row = self.corpus.row(paper_id)
        return None if row is None else float(self.scores[row])

    def reasons(self, paper_id: int, limit: int = REASONS) -> list[tuple[str, float]]:
        """The words that raise this paper's score most, with what each adds, largest first."""
        row = self.corpus.row(paper_id)
        if row is None:
            return []
        columns, values = self.corpus.entries(row)
        added = values * self.coef[columns]
        best = np.argsort(-added, kind="stable")[:limit]
        return [
            (self.corpus.words[int(columns[i])], float(added[i])) for i in best if added[i] > 0
        ]


def fit(
    corpus: Corpus,
    positive_ids: Collection[int],
    negative_ids: Collection[int],
    *,
    unlabelled: bool = True,
) -> Model | None:
    """The model of ``positive_ids`` against ``negative_ids`` (and, with ``unlabelled``, a
    sample of the other papers as weak negatives); None when either side is empty."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    positive_rows = _rows(corpus, positive_ids)
    taken = set(positive_rows.tolist())
    negative_rows = np.array(
        [r for r in _rows(corpus, negative_ids).tolist() if r not in taken], dtype=np.int64
    )[-MAX_NEGATIVES:]
    taken.update(negative_rows.tolist())
    weak_rows = _sample_unlabelled(corpus.size, taken) if unlabelled else np.zeros(0, np.int64)
    if not len(positive_rows) or not (len(negative_rows) + len(weak_rows)):
        return None
    rows = np.concatenate([positive_rows, negative_rows, weak_rows])
    labels = np.concatenate(
        [np.ones(len(positive_rows)), np.zeros(len(negative_rows) + len(weak_rows))]
    )
    weights = np.concatenate(
        [np.ones(len(positive_rows) + len(negative_rows)), np.full(len(weak_rows), UNLABELLED_WEIGHT)]
    )
    whole = csr_matrix(
        (corpus.weights, corpus.indices, corpus.indptr), shape=(corpus.size, len(corpus.words))
    )
    classifier = LogisticRegression(C=C, class_weight="balanced", solver="liblinear")
    classifier.fit(whole[rows], labels, sample_weight=weights)
    coef = classifier.coef_[0].astype(np.float32)
    intercept = float(classifier.intercept_[0])
    scores, order = score_all(whole, corpus.ids, coef, intercept)
    return Model(
        corpus, coef, intercept, scores, order, len(positive_rows), len(negative_rows)
    )


def score_all(
    matrix: Any, ids: Ids, coef: Floats, intercept: float
) -> tuple[Floats, Ids]:
    """Every paper's score (``matrix``: the corpus as a scipy CSR matrix; one sparse product,
    ~10 ms at 100k papers) and the ids best first (ties: newest id first)."""
    scores = (matrix @ coef).astype(np.float32) + np.float32(intercept)
    return scores, ids[np.lexsort((-ids, -scores))]


def _rows(corpus: Corpus, ids: Collection[int]) -> npt.NDArray[np.int64]:
    """The rows of ``ids`` in the corpus (ids it lacks left out), ascending."""
    wanted = np.fromiter(ids, dtype=np.int64, count=len(ids))
    rows = np.searchsorted(corpus.ids, wanted)
    inside = rows < corpus.size
    rows, wanted = rows[inside], wanted[inside]
    return np.unique(rows[corpus.ids[rows] == wanted])


def _sample_unlabelled(size: int, taken: set[int]) -> npt.NDArray[np.int64]:
    """Up to UNLABELLED_SAMPLE rows not in ``taken``, drawn with a fixed seed."""
    free = np.ones(size, dtype=bool)
    if taken:
        free[np.fromiter(taken, dtype=np.int64, count=len(taken))] = False
    rows = np.flatnonzero(free)
    if len(rows) > UNLABELLED_SAMPLE:
        rows = np.sort(np.random.default_rng(0).choice(rows, UNLABELLED_SAMPLE, replace=False))
    return rows
