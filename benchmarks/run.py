"""Run the benchmarks and print every figure beside its target.

Usage::

    .venv/bin/python -m benchmarks.run                  # 10k and 100k papers
    .venv/bin/python -m benchmarks.run --full           # adds 1M papers
    .venv/bin/python -m benchmarks.run --sizes 1000000 --only search

Each section is a function ``section(bench, size)`` in :data:`SECTIONS`; it measures one thing at
one size and hands figures to ``bench.report`` (printed at once, gathered into the closing table).
To add a section (UI latency, say), write such a function and append it to :data:`SECTIONS`;
``bench.library(size)`` gives an imported, fully indexed library of that size to measure against.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import generate
from benchmarks.probe import QUERIES

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
TUIREADER = PYTHON.with_name("tuireader")
DEFAULT_SIZES = (10_000, 100_000)
FULL_SIZES = (10_000, 100_000, 1_000_000)


@dataclass(frozen=True, slots=True)
class Target:
    """A bound a figure should stay within: ``value <= limit`` (or ``>=`` when ``at_least``)."""

    limit: float
    at_least: bool = False

    def met(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit

    def __str__(self) -> str:
        return f"{'>=' if self.at_least else '<='} {self.limit:g}"


#: Targets by figure name; each maps a size to its target (the first entry whose size is >= the
#: measured size applies, so 10k is held to the 100k targets). No entry: no target.
TARGETS: dict[str, list[tuple[int, Target]]] = {
    "import ratio (tuireader/baseline)": [(10**9, Target(0.5, at_least=True))],
    "search p50": [(100_000, Target(20))],
    "search p95": [(100_000, Target(50)), (1_000_000, Target(150))],
    "search+open peak RSS": [(100_000, Target(200))],
}


def target_for(name: str, size: int) -> Target | None:
    for upto, target in TARGETS.get(name, []):
        if size <= upto:
            return target
    return None


@dataclass(slots=True)
class Figure:
    """One measured number."""

    size: int
    name: str
    value: float
    unit: str
    target: Target | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "PASS" if self.target.met(self.value) else "MISS"


def _fmt_size(size: int) -> str:
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def _fmt_value(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


class Bench:
    """The state a run shares between sections: sizes, dumps, libraries, figures."""

    def __init__(self, out_dir: Path, seed: int, rounds: int) -> None:
        self.out_dir = out_dir
        self.seed = seed
        self.rounds = rounds
        self.figures: list[Figure] = []
        self.started = time.perf_counter()
        self._libraries: dict[int, Path] = {}
        self._schema: set[tuple[str, str, str]] | None = None
        #: Per size: (median latency by query, hits by query), for --details.
        self.search_details: dict[int, tuple[dict[str, float], dict[str, int]]] = {}

    # -- output -------------------------------------------------------------------------------
    def log(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.started:7.1f}s] {message}", flush=True)

    def report(self, size: int, name: str, value: float, unit: str, note: str = "") -> Figure:
        figure = Figure(size, name, value, unit, target_for(name, size), note)
        self.figures.append(figure)
        target = f"  (target {figure.target} {unit}: {figure.verdict})" if figure.target else ""
        extra = f"  [{note}]" if note else ""
        self.log(f"{_fmt_size(size):>4}  {name}: {_fmt_value(value)} {unit}{target}{extra}")
        return figure

    def table(self) -> str:
        header = ("size", "figure", "value", "unit", "target", "")
        rows = [
            (
                _fmt_size(f.size),
                f.name,
                _fmt_value(f.value),
                f.unit,
                str(f.target) if f.target else "-",
                f.verdict,
            )
            for f in self.figures
        ]
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        lines = []
        for index, row in enumerate([header, *rows]):
            cells = [
                str(cell).rjust(width) if column in (2,) else str(cell).ljust(width)
                for column, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  ".join(cells).rstrip())
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
        return "\n".join(lines)

    # -- inputs -------------------------------------------------------------------------------
    def dump(self, size: int) -> Path:
        """The synthetic dump of ``size`` papers (generated once, then cached)."""
        path = generate.default_path(size, self.seed)
        if not generate.is_cached(path, size, self.seed):
            self.log(f"generating {_fmt_size(size)} papers -> {path.name}")
        path, generated = generate.ensure_dump(size, path, self.seed, verbose=True)
        if generated:
            self.log(f"generated {path.name} ({path.stat().st_size / 1e6:.0f} MB)")
        return path

    def library_path(self, size: int) -> Path:
        return self.out_dir / f"library-{_fmt_size(size)}-s{self.seed}.db"

    def library(self, size: int) -> Path:
        """An imported, fully indexed library of ``size`` papers (built here if need be)."""
        if size in self._libraries:
            return self._libraries[size]
        path = self.library_path(size)
        from tuireader.library import Library

        usable = False
        if path.exists():
            with Library.open(path) as library:
                usable = (
                    library.count() == size
                    and library.pending_abstracts() == 0
                    and _schema(library.conn) == self.current_schema()
                )
        if not usable:
            self.log(f"building the {_fmt_size(size)} library (not measured)")
            remove_library(path)
            run_import(self.dump(size), path)
            with Library.open(path) as library:
                while library.index_abstracts():
                    pass
        self._libraries[size] = path
        return path

    def current_schema(self) -> set[tuple[str, str, str]]:
        """The schema a library made by the tuireader on disk now has (libraries built by an
        older checkout are rebuilt, not measured)."""
        if self._schema is None:
            from tuireader.library import Library

            with (
                tempfile.TemporaryDirectory() as folder,
                Library.open(Path(folder) / "x.db") as lib,
            ):
                self._schema = _schema(lib.conn)
        return self._schema

    def mark_library(self, size: int, path: Path) -> None:
        """Record that ``path`` now holds the imported, indexed library of ``size`` papers."""
        self._libraries[size] = path


def _schema(conn) -> set[tuple[str, str, str]]:
    return set(conn.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master"))


def _revision() -> str:
    """The commit measured, and whether tuireader/ has uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "tuireader"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return (commit or "unknown") + (" + uncommitted changes in tuireader/" if dirty else "")


def remove_library(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@dataclass(slots=True)
class ProcessRun:
    seconds: float
    maxrss_mb: float
    stdout: str


def run_process(argv: list[str]) -> ProcessRun:
    """Run ``argv`` to completion; wall time and the child's own peak RSS (via wait4)."""
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True)
        # communicate() would reap the child itself: read stdout, then wait4 for its rusage.
        stdout = process.stdout.read()  # type: ignore[union-attr]
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(argv)} failed ({code}):\n{errors.read()[-2000:]}")
    process.stdout.close()  # type: ignore[union-attr]
    return ProcessRun(seconds, usage.ru_maxrss / 1024, stdout)


def run_import(dump: Path, library: Path) -> ProcessRun:
    return run_process([str(TUIREADER), "--library", str(library), "import", str(dump)])


def _warm_file_cache(path: Path) -> None:
    with path.open("rb") as handle:
        while handle.read(1 << 24):
            pass


# -- sections ---------------------------------------------------------------------------------
def section_import(bench: Bench, size: int) -> None:
    """Whole `tuireader import` process vs. a plain parse + one executemany, same dump."""
    dump = bench.dump(size)
    _warm_file_cache(dump)
    baseline_db = bench.out_dir / f"baseline-{_fmt_size(size)}.db"
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
        bench.log(f"{_fmt_size(size)}  index: library was built by this section, not measured")
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


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


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
    bench.report(size, "search p50", _percentile(samples, 0.50), "ms")
    bench.report(size, "search p95", _percentile(samples, 0.95), "ms", note)
    bench.report(
        size,
        "search vocabulary build",
        result["vocabulary_s"] * 1000,
        "ms",
        f"{result['vocabulary_words']} words; once per Searcher",
    )
    bench.report(size, "search+open peak RSS", result["maxrss_mb"], "MB")
    bench.search_details[size] = (medians, result["counts"])


Section = Callable[[Bench, int], None]
#: The sections, in the order they run at each size. Append new ones (e.g. UI latency) here.
SECTIONS: list[Section] = [section_import, section_index, section_open, section_search]


def _section_name(section: Section) -> str:
    return section.__name__.removeprefix("section_")


def main(argv: list[str] | None = None) -> int:
    names = [_section_name(s) for s in SECTIONS]
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--full", action="store_true", help="also 1M papers")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(x) for x in text.split(",")],
        help="comma-separated paper counts",
    )
    parser.add_argument("--only", help=f"comma-separated sections ({', '.join(names)})")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of the query set")
    parser.add_argument("--details", action="store_true", help="print per-query latencies")
    args = parser.parse_args(argv)
    sizes = args.sizes or (FULL_SIZES if args.full else DEFAULT_SIZES)
    chosen = SECTIONS
    if args.only:
        wanted = args.only.split(",")
        unknown = set(wanted) - set(names)
        if unknown:
            parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
        chosen = [s for s in SECTIONS if _section_name(s) in wanted]
    if not TUIREADER.exists():
        parser.error(f"{TUIREADER} not found: install the project in this venv first")

    bench = Bench(generate.OUT_DIR, args.seed, args.rounds)
    bench.out_dir.mkdir(parents=True, exist_ok=True)
    bench.log(
        f"sizes {', '.join(_fmt_size(s) for s in sizes)}; sections {', '.join(_section_name(s) for s in chosen)};"
        f" python {sys.version.split()[0]}, {os.cpu_count()} cpus"
        f" (load average {os.getloadavg()[0]:.2f}: other work on the machine skews figures);"
        f" tuireader at {_revision()}"
    )
    for size in sizes:
        for section in chosen:
            section(bench, size)
    if args.details:
        for size, (medians, counts) in bench.search_details.items():
            print(f"\nper-query median latency at {_fmt_size(size)} papers:")
            for query, ms in medians.items():
                print(f"  {ms:8.1f} ms  {counts[query]:>8} hits  {query}")
    print(
        f"\nresults (total {time.perf_counter() - bench.started:.0f}s,"
        f" load average now {os.getloadavg()[0]:.2f}):\n"
    )
    print(bench.table())
    misses = [f for f in bench.figures if f.verdict == "MISS"]
    print(f"\n{len(misses)} target(s) missed" if misses else "\nall targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
