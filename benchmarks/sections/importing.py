"""The import sections: `tuireader import` against a bare executemany, abstract indexing."""

from __future__ import annotations

import time

from benchmarks.bench import (
    PYTHON,
    Bench,
    fmt_size,
    remove_library,
    run_import,
    run_process,
    warm_file_cache,
)


def section_import(bench: Bench, size: int) -> None:
    """Whole `tuireader import` process vs. a plain parse + one executemany, same dump."""
    dump = bench.dump(size)
    warm_file_cache(dump)
    baseline_db = bench.out_dir / f"baseline-{fmt_size(size)}.db"
    baseline = run_process(
        [str(PYTHON), "-m", "benchmarks.baseline_import", str(dump), str(baseline_db)]
    )
    remove_library(baseline_db)
    written = int(baseline.stdout.strip())
    if written != size:
        bench.log(f"warning: the baseline parser found {written} records, expected {size}")
    library = bench.library_path(size)
    remove_library(library)
    real = run_import(dump, library)
    if "new" not in real.stdout:
        raise RuntimeError(f"unexpected import output: {real.stdout!r}")
    ours, theirs = size / real.seconds, size / baseline.seconds
    bench.report(size, "import baseline throughput", theirs, "papers/s", f"{baseline.seconds:.1f}s")
    bench.report(
        size,
        "import throughput",
        ours,
        "papers/s",
        f"{real.seconds:.1f}s, {dump.stat().st_size / 1e6 / real.seconds:.1f} MB/s",
    )
    bench.report(size, "import ratio (tuireader/baseline)", ours / theirs, "x")
    bench.report(
        size, "import peak RSS", real.maxrss_mb, "MB", f"dump {dump.stat().st_size / 1e6:.0f} MB"
    )


def section_index(bench: Bench, size: int) -> None:
    """Library.index_abstracts() until nothing is pending (imports leave abstracts for later)."""
    from tuireader.library import Library

    path = bench.library_path(size)
    if not path.exists():
        bench.library(size)  # builds and indexes; nothing left to measure
        bench.log(f"{fmt_size(size)}  index: library was built by this section, not measured")
        return
    with Library.open(path) as library:
        pending = library.pending_abstracts()
        started = time.perf_counter()
        batches = 0
        while library.index_abstracts():
            batches += 1
        seconds = time.perf_counter() - started
    bench.mark_library(size, path)
    if pending:
        bench.report(
            size,
            "abstract indexing throughput",
            pending / seconds,
            "abstracts/s",
            f"{pending} in {seconds:.1f}s, {batches + 1} batches",
        )

