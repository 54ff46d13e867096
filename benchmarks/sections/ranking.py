"""The ranking sections: build and order times of the "for you" model; its quality."""

from __future__ import annotations

import json

from benchmarks.bench import PYTHON, Bench, run_process


def section_ranking(bench: Bench, size: int) -> None:
    """A fresh process on a copy of the library: corpus build, fit, refit after a star, order."""
    path = bench.library(size)
    result = json.loads(
        run_process([str(PYTHON), "-m", "benchmarks.ranking_probe", str(path)]).stdout
    )
    bench.report(
        size,
        "ranking: corpus build (TF-IDF of every paper)",
        result["corpus_s"],
        "s",
        f"{result['words']} words; once, in the background; kept on disk, then extended by"
        " the papers added since",
    )
    bench.report(
        size,
        "ranking: corpus loaded from its file (a later session)",
        result["cached_s"],
        "s",
        f"{result['cache_mb']:.0f} MB in the state folder",
    )
    bench.report(
        size,
        "ranking: model refit after a star",
        result["refit_s"],
        "s",
        f"labels read, fitted, every paper scored and sorted; the first fit {result['fit_s']:.2f} s"
        f" (scikit-learn imported before it: {result['sklearn_import_s']:.2f} s)",
    )
    bench.report(
        size,
        "ranking: order every paper for you",
        result["order_s"] * 1000,
        "ms",
        f"every paper scored and sorted (scoring {result['score_s'] * 1000:.0f} ms); the search"
        f" with sort foryou then reuses it: {result['search_s'] * 1000:.2f} ms;"
        f" reasons of a paper {result['reasons_s'] * 1e6:.0f} µs;"
        f" {result['diffusion_in_top_50']} of the top 50 say diffusion (20 such starred)",
    )


_quality_done = False


def section_ranking_quality(bench: Bench, size: int) -> None:
    """Precision@10 on the labelled set of real papers (once: it does not depend on the size)."""
    global _quality_done
    if _quality_done:
        return
    _quality_done = True
    result = json.loads(
        run_process([str(PYTHON), "-m", "benchmarks.ranking_quality"]).stdout
    )
    mean = result["precision_at_10"]
    note = (
        f"{result['papers']} real papers, topics {', '.join(result['judged'])} x"
        f" {result['draws']} draws of 3 starred; date order {mean['date']:.2f},"
        f" BM25 (FTS5) {mean['bm25']:.2f}"
    )
    bench.report(size, "ranking: precision@10, for you", mean["model"], "", note)
    bench.report(size, "ranking: precision@10, date order", mean["date"], "")
    bench.report(size, "ranking: precision@10, BM25", mean["bm25"], "")
