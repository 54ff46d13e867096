"""Measurements taken inside a fresh process, so that start-up state and peak RSS are its own.

``python -m benchmarks.probe open LIB``    open the library and show the first page (50 rows)
``python -m benchmarks.probe search LIB``  open it, warm up, then time every query of QUERIES

Both print one JSON object on stdout; ``maxrss_mb`` is the process's own peak RSS.

The search probe loads the sort order and the fuzzy vocabulary (each timed apart), runs the whole
query set once (each query's first run, reported apart: nothing cached but the order), then
``--rounds`` timed passes over the whole set in order. The engine caches clause results per
library version, bounded in bytes (masks of one byte per paper): at 100k the whole set fits, so
the timed rounds mostly measure cached work (as when a reader types a query again); at 1M it does
not, and cycling through ~40 queries is never served from the cache.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

#: The fixed query set: what a reader types, including the intermediate states of typing a word.
QUERIES: tuple[str, ...] = (
    # single words
    "diffusion",
    "reasoning",
    "benchmark",
    "robot",
    "hallucination",
    # prefixes
    "diff",
    "reas",
    "gen",
    # two words
    "diffusion video",
    "reward model",
    "language agents",
    # typos (fuzzy alternatives)
    "difusion",
    "transfomer",
    "reasonnig",
    "benchmrak",
    # phrases
    '"large language models"',
    '"mixture of experts"',
    '"test-time compute"',
    # fields and negations
    "author:smith",
    "org:nvidia",
    "org:google reasoning",
    "year:2024..2025",
    "diffusion year:2024",
    "is:unread",
    "is:starred",
    "-diffusion",
    "reasoning -video",
    # a word typed letter by letter
    *("transformer"[:n] for n in range(1, len("transformer") + 1)),
)
FIRST_PAGE = 50


def _maxrss_mb() -> float:
    # Linux reports kilobytes (macOS bytes; the benchmarks target Linux).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def probe_open(path: str) -> dict[str, object]:
    started = time.perf_counter()
    from tuireader.library import Library

    imported = time.perf_counter()
    library = Library.open(path)
    opened = time.perf_counter()
    ids = library.ordered_ids("date")
    found = time.perf_counter()
    rows = library.rows(ids[:FIRST_PAGE])
    done = time.perf_counter()
    library.close()
    return {
        "import_s": imported - started,
        "open_s": opened - imported,
        "find_ids_s": found - opened,
        "rows_s": done - found,
        "total_s": done - imported,
        "ids": len(ids),
        "rows": len(rows),
        "maxrss_mb": _maxrss_mb(),
    }


def probe_search(path: str, rounds: int) -> dict[str, object]:
    from tuireader.library import Library
    from tuireader.search import Searcher

    library = Library.open(path)
    searcher = Searcher(library)
    _ = searcher.engine, searcher.vocabulary  # (imported on first use: numpy, rapidfuzz)
    started = time.perf_counter()
    searcher.vocabulary.words()  # the one-off cost of the fuzzy vocabulary, timed apart
    vocabulary_s = time.perf_counter() - started
    started = time.perf_counter()
    searcher.search("")  # the sort order, loaded once per library version, timed apart
    order_s = time.perf_counter() - started
    warmup: dict[str, float] = {}
    counts: dict[str, int] = {}
    for query in QUERIES:
        begin = time.perf_counter()
        counts[query] = len(searcher.search(query).ids)
        warmup[query] = (time.perf_counter() - begin) * 1000
    latencies: dict[str, list[float]] = {query: [] for query in QUERIES}
    for _ in range(rounds):
        for query in QUERIES:
            begin = time.perf_counter()
            searcher.search(query)
            latencies[query].append((time.perf_counter() - begin) * 1000)
    library.close()
    return {
        "vocabulary_s": vocabulary_s,
        "vocabulary_words": len(searcher.vocabulary.words()),
        "order_s": order_s,
        "warmup_ms": warmup,
        "latencies_ms": latencies,
        "counts": counts,
        "maxrss_mb": _maxrss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.probe")
    parser.add_argument("mode", choices=("open", "search"))
    parser.add_argument("library")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if args.mode == "open":
        result = probe_open(args.library)
    else:
        result = probe_search(args.library, args.rounds)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
