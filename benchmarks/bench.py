"""What every benchmark section shares: targets, figures, the run's state, child processes.

A section is a function ``section(bench, size)``: it measures one thing at one size and hands
figures to ``bench.report`` (printed at once, gathered into the closing table).
``bench.library(size)`` gives an imported, fully indexed library of that size to measure against.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import generate

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
TUIREADER = PYTHON.with_name("tuireader")
DEFAULT_SIZES = (1_000, 10_000, 100_000)
FULL_SIZES = (1_000, 10_000, 100_000, 1_000_000)


@dataclass(frozen=True, slots=True)
class Target:
    """A bound a figure should stay within: ``value <= limit`` (or ``>=`` when ``at_least``)."""

    limit: float
    at_least: bool = False

    def met(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit

    def __str__(self) -> str:
        return f"{'>=' if self.at_least else '<='} {self.limit:g}"


#: Targets by figure name (issue 13's table); each maps a size to its target: the first entry whose
#: size is >= the measured size applies (so 1k and 10k are held to the 100k targets: a small
#: library must be at least as quick). No entry: no target.
ANY = 10**9
TARGETS: dict[str, list[tuple[int, Target]]] = {
    "import peak RSS": [(ANY, Target(150))],
    "import ratio (tuireader/baseline)": [(ANY, Target(0.5, at_least=True))],
    "ui burst right after import -> result": [(ANY, Target(100))],
    "search p50": [(100_000, Target(20))],
    "search p95": [(100_000, Target(50)), (1_000_000, Target(100))],
    "search+open peak RSS": [(100_000, Target(200))],
    "ui first paint": [(100_000, Target(1.0))],
    "ui first paint ratio (tuireader/one-line app)": [(ANY, Target(2.0))],
    "ui keystroke -> list p50": [(100_000, Target(30)), (1_000_000, Target(100))],
    "ui keystroke -> list p50, repaint confirmed": [
        (100_000, Target(30)),
        (1_000_000, Target(100)),
    ],
    "ui cursor -> abstract p50": [(ANY, Target(30))],
    "ui cursor -> abstract p95": [(ANY, Target(30))],
    "reader peak RSS": [(ANY, Target(400))],
    "ranking: model refit after a star": [(100_000, Target(2.0))],
    "ranking: order every paper for you": [(100_000, Target(200))],
    "ranking: precision@10, for you": [(ANY, Target(0.8, at_least=True))],
    # Issue 18: bytes to the terminal, beside fzf's in the same run (benchmarks/sections/wire.py).
    "wire first screen ratio (tuireader/fzf)": [(ANY, Target(2.0))],
    "wire cursor move ratio (tuireader/fzf)": [(ANY, Target(1.0))],
    "wire search keystroke ratio (tuireader/fzf)": [(ANY, Target(1.0))],
    # Issue 18: a slow link stays usable (benchmarks/sections/slow_link.py): j held 2 s over
    # 50 KB/s and 150 ms of round trip; the screen catches up within 300 ms, and is right.
    "slow link: catch-up after holding j 2 s": [(ANY, Target(300))],
    "slow link: catch-up after holding j 2 s, eager relay": [(ANY, Target(300))],
    "slow link: final screen right": [(ANY, Target(1, at_least=True))],
    "slow link, eager relay: final screen right": [(ANY, Target(1, at_least=True))],
    "slow link, 150 ms each way: final screen right": [(ANY, Target(1, at_least=True))],
    # Issue 19: every command finds a damaged file before it trusts it, at a small cost.
    "health: check per command (file known sound)": [(ANY, Target(5))],
    "health: a damaged file refused": [(ANY, Target(5))],
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


def fmt_size(size: int) -> str:
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def fmt_value(value: float) -> str:
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
        #: Per size: (query, keystroke latency in ms, how the repaint was detected), for --details.
        self.ui_details: dict[int, list[tuple[str, float, str]]] = {}
        #: Sections that failed at some size (they report no figures there).
        self.failures: list[str] = []
        #: Sections that run once per run (not at every size) and have run.
        self.done: set[str] = set()

    # -- output -------------------------------------------------------------------------------
    def log(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.started:7.1f}s] {message}", flush=True)

    def report(self, size: int, name: str, value: float, unit: str, note: str = "") -> Figure:
        figure = Figure(size, name, value, unit, target_for(name, size), note)
        self.figures.append(figure)
        target = f"  (target {figure.target} {unit}: {figure.verdict})" if figure.target else ""
        extra = f"  [{note}]" if note else ""
        self.log(f"{fmt_size(size):>4}  {name}: {fmt_value(value)} {unit}{target}{extra}")
        return figure

    def table(self) -> str:
        header = ("size", "figure", "value", "unit", "target", "")
        rows = [
            (
                fmt_size(f.size),
                f.name,
                fmt_value(f.value),
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
            self.log(f"generating {fmt_size(size)} papers -> {path.name}")
        path, generated = generate.ensure_dump(size, path, self.seed, verbose=True)
        if generated:
            self.log(f"generated {path.name} ({path.stat().st_size / 1e6:.0f} MB)")
        return path

    def library_path(self, size: int) -> Path:
        return self.out_dir / f"library-{fmt_size(size)}-s{self.seed}.db"

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
            self.log(f"building the {fmt_size(size)} library (not measured)")
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


def revision() -> str:
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


def run_process(argv: list[str], started_hook=None) -> ProcessRun:
    """Run ``argv`` to completion; wall time and the child's own peak RSS (via wait4).

    ``started_hook(pid)`` is called once the process runs (to watch it while it does)."""
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True)
        if started_hook is not None:
            started_hook(process.pid)
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


def run_import(dump: Path, library: Path, started_hook=None) -> ProcessRun:
    return run_process(
        [str(TUIREADER), "--library", str(library), "import", str(dump)], started_hook
    )


def warm_file_cache(path: Path) -> None:
    with path.open("rb") as handle:
        while handle.read(1 << 24):
            pass


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]

