"""Issue 19: what finding a damaged library costs. SQLite's quick_check of every page, against
the check every command makes (the file known sound by its side-state record), and a damaged
file refused (its record found): in-process, with a state folder of the run's own."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench import Bench


def _best(function: Callable[[], object], rounds: int = 20) -> float:
    """The quickest of ``rounds`` calls, in seconds."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def _quick_check(path: Path) -> tuple[float, str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        started = time.perf_counter()
        rows = conn.execute("PRAGMA quick_check").fetchall()
        return time.perf_counter() - started, rows[0][0]
    finally:
        conn.close()


def section_health(bench: Bench, size: int) -> None:
    """quick_check of the whole file; the per-command check of a file known sound; a refusal."""
    from tuireader.library import Library, LibraryDamaged, health

    path = bench.library(size)
    _quick_check(path)  # (the file in the page cache, as for a command run twice)
    took, verdict = _quick_check(path)
    bench.report(
        size,
        "health: quick_check, every page",
        took,
        "s",
        f"{verdict}; {path.stat().st_size / 1e6:.0f} MB; run once for a file not known sound"
        " (new here, copied, restored, changed by another program), then remembered",
    )
    saved = os.environ.get("TUIREADER_HOME")
    with tempfile.TemporaryDirectory(prefix="tuireader-bench-health-") as home:
        os.environ["TUIREADER_HOME"] = home
        try:
            health.remember_sound(path)

            def records() -> None:  # what Library.open and ensure_sound ask of the side state
                assert health.remembered_damage(path) is None and health.known_sound(path)

            def open_known_sound() -> None:
                with Library.open(path, readonly=True) as library:
                    library.ensure_sound()

            bench.report(
                size,
                "health: check per command (file known sound)",
                _best(records, 200) * 1000,
                "ms",
                f"a stat and a small JSON file read; Library.open + ensure_sound in all"
                f" {_best(open_known_sound) * 1000:.1f} ms",
            )
            health.remember_damage(path, "benchmark: a damage record")

            def refused() -> None:
                try:
                    Library.open(path, readonly=True).close()
                except LibraryDamaged:
                    return
                raise AssertionError("a damaged file was opened")

            bench.report(
                size,
                "health: a damaged file refused",
                _best(refused) * 1000,
                "ms",
                "its record found, no connection opened; the line names the newest backup",
            )
        finally:
            health.forget(path)
            if saved is None:
                os.environ.pop("TUIREADER_HOME", None)
            else:
                os.environ["TUIREADER_HOME"] = saved
