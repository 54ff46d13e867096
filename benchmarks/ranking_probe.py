"""Timings of the ranking on one library, in a process of its own: prints JSON.

Usage: ``python -m benchmarks.ranking_probe LIBRARY`` (the library is copied first: its stars
are the benchmark's). Stars 20 papers whose titles say "diffusion" and reads 500 others; then
times the corpus's first build, the model's fit (scikit-learn imported first, timed apart), the
refit after one more star (what a star in the reader costs, in the background), ordering every
paper by the model (scoring and sorting them all; and the search with sort "foryou", which
reuses that order) and a paper's reasons.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tuireader.library import Library
from tuireader.ranking import Ranker
from tuireader.ranking.model import score_all
from tuireader.search import Searcher


def _best(function, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(path: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="tuireader-ranking-") as scratch:
        copy = Path(scratch) / "library.db"
        with Library.open(path) as source:
            source.backup_to(copy)
        with Library.open(copy) as library:
            ids = list(Searcher(library).search("diffusion").ids)
            others = [i for i in library.ordered_ids("added") if i not in set(ids[:20])]
            library.set_starred(ids[:20])
            library.set_read(others[::7][:500])
            cache_dir = Path(scratch) / "ranking"
            ranker = Ranker(library, cache_dir=cache_dir)
            started = time.perf_counter()
            corpus = ranker.corpus()
            corpus_s = time.perf_counter() - started
            started = time.perf_counter()
            Ranker(library, cache_dir=cache_dir).corpus()  # the next session's: from the file
            cached_s = time.perf_counter() - started
            started = time.perf_counter()
            import sklearn.linear_model  # noqa: F401

            import_s = time.perf_counter() - started
            started = time.perf_counter()
            ranker.refresh()
            fit_s = time.perf_counter() - started
            library.set_starred(ids[20:21])
            started = time.perf_counter()
            ranker.refresh()
            refit_s = time.perf_counter() - started
            model = ranker.current()
            assert model is not None
            searcher = Searcher(library, ranking=ranker)
            searcher.search("", sort="foryou")  # (the date order loaded once, as in the app)
            search_s = _best(lambda: searcher.search("", sort="foryou"))
            score_s = _best(lambda: corpus.scores(model.coef))

            from scipy.sparse import csr_matrix

            shape = (corpus.size, len(corpus.words))
            whole = csr_matrix((corpus.weights, corpus.indices, corpus.indptr), shape=shape)
            order_s = _best(lambda: score_all(whole, corpus.ids, model.coef, model.intercept))
            paper = int(model.order[0])
            reasons_s = _best(lambda: ranker.reasons(paper), rounds=20)
            hits = sum(1 for i in model.order[:50].tolist() if i in set(ids))
            cache_mb = sum(f.stat().st_size for f in cache_dir.iterdir()) / 1e6
            shutil.rmtree(scratch, ignore_errors=True)
            return {
                "papers": corpus.size,
                "words": len(corpus.words),
                "corpus_s": corpus_s,
                "cached_s": cached_s,
                "cache_mb": cache_mb,
                "sklearn_import_s": import_s,
                "fit_s": fit_s,
                "refit_s": refit_s,
                "order_s": order_s,
                "search_s": search_s,
                "score_s": score_s,
                "reasons_s": reasons_s,
                "diffusion_in_top_50": hits,
            }


if __name__ == "__main__":
    json.dump(main(Path(sys.argv[1])), sys.stdout)
    print()
