"""A burst of keys typed right after an import: `tuireader import` of BURST_SIZE papers into a
fresh library (its abstracts not indexed yet), the reader opened at once, ``/`` and a five-letter
word typed in one go; timed from the burst to its result (the status line's count) on screen."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from benchmarks.bench import TUIREADER, Bench, remove_library, run_import
from benchmarks.sections.terminal import (
    UIError,
    open_terminal,
    status_text,
    ui_section,
    ui_timeout,
)

#: The library size the burst is measured at (issue 13: 50k papers).
BURST_SIZE = 50_000
#: One fresh import and one burst per word (each typed as one burst of five keys).
BURST_WORDS = ("agent", "robot", "video")


@ui_section
def section_ui_burst(bench: Bench, size: int) -> None:
    """Runs once per benchmark run, at the first size of at least BURST_SIZE (reported at
    BURST_SIZE)."""
    if size < BURST_SIZE or "ui_burst" in bench.done:
        return
    bench.done.add("ui_burst")
    terminal = open_terminal(bench, "ui_burst")
    if terminal is None:
        return
    dump = bench.dump(BURST_SIZE)
    library = bench.out_dir / "library-burst.db"
    times: list[float] = []
    imports: list[float] = []
    pending: list[int] = []
    with terminal:
        for word in BURST_WORDS:
            remove_library(library)
            imports.append(run_import(dump, library).seconds)
            count, waiting = _expected(library, word)
            pending.append(waiting)
            name = terminal.start([str(TUIREADER), "--library", str(library)])
            try:
                timeout = ui_timeout(BURST_SIZE)
                terminal.wait(name, status_text(BURST_SIZE, BURST_SIZE), timeout)
                terminal.send(name, "/")
                time.sleep(0.1)  # the search line opens (a person takes longer)
                seconds = terminal.press(
                    name, word, until=status_text(count, BURST_SIZE), timeout=timeout, literal=True
                )
                times.append(seconds * 1000)
            finally:
                terminal.stop(name)
    remove_library(library)
    if len(times) != len(BURST_WORDS):
        raise UIError("a burst did not finish")
    bench.report(
        BURST_SIZE,
        "ui burst right after import -> result",
        statistics.median(times),
        "ms",
        f"median of {', '.join(f'{w!r} {t:.0f} ms' for w, t in zip(BURST_WORDS, times, strict=True))};"
        f" each right after a {statistics.median(imports):.1f} s import that left"
        f" {pending[0]} abstracts to index",
    )


def _expected(library: Path, word: str) -> tuple[int, int]:
    """How many papers ``word`` finds in ``library``, and how many abstracts wait for indexing
    (read without indexing them: the reader has to do that)."""
    from tuireader.library import Library
    from tuireader.search import Searcher

    with Library.open(library) as opened:
        return len(Searcher(opened).search(word).ids), opened.pending_abstracts()
