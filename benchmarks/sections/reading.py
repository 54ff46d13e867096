"""The library sections, in a fresh process each: open + first page, the search query set."""

from __future__ import annotations

import json
import statistics

from benchmarks.bench import PYTHON, Bench, percentile, run_process
from benchmarks.probe import QUERIES


def section_open(bench: Bench, size: int) -> None:
    """A fresh process: Library.open, then the first page (find_ids + rows of 50 ids)."""
    path = bench.library(size)
    run_process([str(PYTHON), "-m", "benchmarks.probe", "open", str(path)])  # page cache warm-up
    runs = [
        json.loads(run_process([str(PYTHON), "-m", "benchmarks.probe", "open", str(path)]).stdout)
        for _ in range(3)
    ]
    best = min(runs, key=lambda r: r["total_s"])
    bench.report(
        size,
        "library open + first page",
        best["total_s"] * 1000,
        "ms",
        f"open {best['open_s'] * 1000:.0f} ms, find_ids {best['find_ids_s'] * 1000:.0f} ms"
        f" ({best['ids']} ids), rows {best['rows_s'] * 1000:.1f} ms;"
        f" importing tuireader {best['import_s'] * 1000:.0f} ms",
    )


def section_search(bench: Bench, size: int) -> None:
    """Searcher.search over QUERIES in a fresh process after a warm-up; p50/p95; its peak RSS."""
    path = bench.library(size)
    run = run_process(
        [str(PYTHON), "-m", "benchmarks.probe", "search", str(path), "--rounds", str(bench.rounds)]
    )
    result = json.loads(run.stdout)
    latencies: dict[str, list[float]] = result["latencies_ms"]
    samples = [ms for values in latencies.values() for ms in values]
    medians = {query: statistics.median(values) for query, values in latencies.items()}
    slowest = sorted(medians.items(), key=lambda item: -item[1])[:3]
    note = f"{len(QUERIES)} queries x {bench.rounds}; slowest: " + ", ".join(
        f"{query!r} {ms:.0f} ms" for query, ms in slowest
    )
    bench.report(size, "search p50", percentile(samples, 0.50), "ms")
    bench.report(size, "search p95", percentile(samples, 0.95), "ms", note)
    first_runs = list(result["warmup_ms"].values())
    slowest_first = sorted(result["warmup_ms"].items(), key=lambda item: -item[1])[:3]
    bench.report(
        size,
        "search p95, first run of each query",
        percentile(first_runs, 0.95),
        "ms",
        "nothing cached but the sort order (loaded once per library version:"
        f" {result['order_s'] * 1000:.0f} ms); slowest: "
        + ", ".join(f"{query!r} {ms:.0f} ms" for query, ms in slowest_first),
    )
    bench.report(
        size,
        "search vocabulary build",
        result["vocabulary_s"] * 1000,
        "ms",
        f"{result['vocabulary_words']} words; once per Searcher",
    )
    bench.report(size, "search+open peak RSS", result["maxrss_mb"], "MB")
    bench.search_details[size] = (medians, result["counts"])

