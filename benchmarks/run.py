"""Run the benchmarks and print every figure beside its target.

Usage::

    .venv/bin/python -m benchmarks.run                  # 10k and 100k papers
    .venv/bin/python -m benchmarks.run --full           # adds 1M papers
    .venv/bin/python -m benchmarks.run --sizes 1000000 --only search

Each section is a function ``section(bench, size)`` in :data:`SECTIONS`; it measures one thing at
one size and hands figures to ``bench.report`` (printed at once, gathered into the closing table).
To add a section, write such a function and append it to :data:`SECTIONS`;
``bench.library(size)`` gives an imported, fully indexed library of that size to measure against.

The ``ui_*`` sections run the real app in a real terminal (tmux, 120x40) through ``tui-drive``
(``$TUI_DRIVE``, else ``tui-drive`` on PATH, else /work/shared/tools/tui-drive), on a private
tmux socket, with a fresh ``TUIREADER_HOME`` so no UI state is restored. Latencies are taken
inside tui-drive (keypress to screen), which polls the screen every ~10 ms: figures have that
resolution. They are skipped (with a note) when tmux or tui-drive is missing.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
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
    "ui first paint": [(100_000, Target(1.0))],
    "ui first paint ratio (tuireader/one-line app)": [(100_000, Target(2.0))],
    "ui keystroke -> list p50": [(100_000, Target(50)), (1_000_000, Target(100))],
    "ui keystroke -> list p50, repaint confirmed": [
        (100_000, Target(50)),
        (1_000_000, Target(100)),
    ],
    "ui cursor -> abstract p50": [(10**9, Target(30))],
    "ui cursor -> abstract p95": [(10**9, Target(30))],
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
        #: Per size: (query, keystroke latency in ms, how the repaint was detected), for --details.
        self.ui_details: dict[int, list[tuple[str, float, str]]] = {}
        #: Sections that failed at some size (they report no figures there).
        self.failures: list[str] = []

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


# -- UI sections: the real app in a real terminal, through tui-drive --------------------------
TUI_SIZE = "120x40"
#: Launches per app for the first-paint figure (the median is reported).
UI_RUNS = 5
#: Words typed into the search line one key at a time (the search is cleared between words).
UI_WORDS = ("transformer", "diffusion model", "policy")
UI_CURSOR_MOVES = 30
#: The pane's title line is found by up to this many characters of the title (whole words):
#: the pane is ~50 columns wide at 120x40, so they are on its first line, unwrapped.
PANE_PROBE_CHARS = 30
#: The left border (vkey) and padding of the abstract pane, before the title's first line.
PANE_EDGE = "\u258f "
ONE_LINE_APP = """\
from textual.app import App
from textual.widgets import Static


class OneLine(App):
    def compose(self):
        yield Static("ready")


OneLine().run()
"""


class UIError(RuntimeError):
    """A tui-drive step failed (timeout, the app exited); carries the screen."""


def _tui_drive() -> Path | None:
    for candidate in (
        os.environ.get("TUI_DRIVE"),
        shutil.which("tui-drive"),
        "/work/shared/tools/tui-drive",
    ):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


class Terminal:
    """tui-drive sessions on a private tmux socket; ``close`` kills that socket's server only."""

    def __init__(self, tool: Path) -> None:
        self.tool = tool
        self.env = {**os.environ, "TUI_DRIVE_SOCKET": f"tuireader-bench-{os.getpid()}"}
        self._homes = tempfile.TemporaryDirectory(prefix="tuireader-bench-home-")
        self._count = 0

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._run("stop", "--all", check=False)
        self._homes.cleanup()

    def _run(self, *args: str, timeout: float = 30, check: bool = True) -> str:
        result = subprocess.run(
            [str(self.tool), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout + 30,
        )
        if check and result.returncode:
            raise UIError(
                f"tui-drive {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def start(self, argv: list[str]) -> str:
        """Launch ``argv`` at TUI_SIZE with a fresh TUIREADER_HOME; returns the session name."""
        self._count += 1
        name = f"s{self._count}"
        home = Path(self._homes.name) / name
        home.mkdir()
        self._run("start", name, "--size", TUI_SIZE, "--env", f"TUIREADER_HOME={home}", "--", *argv)
        return name

    def stop(self, name: str) -> None:
        self._run("stop", name, check=False)

    def screen(self, name: str) -> str:
        return self._run("screen", name)

    def wait(self, name: str, text: str, timeout: float, settle: float = 0) -> float:
        """Seconds from launch until ``text`` is on the screen."""
        extra = ["--settle", str(settle)] if settle else []
        out = self._run("wait", name, text, "--timeout", str(timeout), *extra, timeout=timeout)
        return _tui_time(out, "t_start")

    def press(
        self,
        name: str,
        key: str,
        *,
        until: str | None = None,
        timeout: float = 5,
        literal: bool = False,
    ) -> float:
        """Seconds from the keypress until ``until`` is on the screen (None: any change)."""
        check = ["--until", until] if until is not None else ["--changed"]
        out = self._run(
            "type" if literal else "keys",
            name,
            key,
            *check,
            "--timeout",
            str(timeout),
            timeout=timeout,
        )
        return _tui_time(out, "t_until" if until is not None else "t_change")

    def send(self, name: str, *keys: str) -> None:
        self._run("keys", name, *keys)


def _tui_time(out: str, label: str) -> float:
    for field in out.split():
        key, _, value = field.partition("=")
        if key == label:
            return float(value)
    raise UIError(f"no {label} in tui-drive output {out!r}")


def _terminal(bench: Bench, section: str) -> Terminal | None:
    tool = _tui_drive()
    if tool is None or shutil.which("tmux") is None:
        bench.log(f"{section}: skipped (needs tmux and tui-drive; set $TUI_DRIVE)")
        return None
    return Terminal(tool)


def _status_text(shown: int, total: int) -> str:
    """The start of the status line (its padding space keeps " 5 of" from matching " 15 of")."""
    return f" {shown} of {total} papers"


def _pane_probe(title: str, chars: int = PANE_PROBE_CHARS) -> str:
    """The abstract pane's title line, found by the title's first whole words (<= ``chars``)."""
    probe = ""
    for word in title.split(" "):
        longer = f"{probe} {word}" if probe else word
        if len(longer) > chars:
            break
        probe = longer
    return PANE_EDGE + (probe or title[:chars])


def _distinct_probe(title: str, shown: str | None) -> str | None:
    """A probe for ``title`` that the pane showing ``shown`` (a title, or None) does not already
    match; None when the two titles start alike for longer than the pane's first line."""
    line = _pane_probe(shown, 50) if shown is not None else ""
    for chars in (PANE_PROBE_CHARS, 45):
        probe = _pane_probe(title, chars)
        if not line.startswith(probe):
            return probe
    return None


def _ui_section(section: Callable[[Bench, int], None]) -> Callable[[Bench, int], None]:
    """Log a failed UI step (a timeout: what was on the screen) and go on with the next section."""

    @functools.wraps(section)
    def guarded(bench: Bench, size: int) -> None:
        try:
            section(bench, size)
        except (UIError, subprocess.TimeoutExpired) as error:
            name = section.__name__.removeprefix("section_")
            bench.log(f"{_fmt_size(size)}  {name}: FAILED, no figures: {error}")
            bench.failures.append(f"{_fmt_size(size)} {name}")

    return guarded


def _ui_timeout(size: int) -> float:
    return 10 + 60 * size / 1_000_000


@_ui_section
def section_ui_start(bench: Bench, size: int) -> None:
    """Launch to the first painted list (status "N of N papers"), beside a one-line Textual app."""
    path = bench.library(size)
    terminal = _terminal(bench, "ui_start")
    if terminal is None:
        return
    with terminal, tempfile.TemporaryDirectory(prefix="tuireader-bench-") as folder:
        script = Path(folder) / "one_line_app.py"
        script.write_text(ONE_LINE_APP)
        apps = {
            "one-line": ([str(PYTHON), str(script)], "ready"),
            "tuireader": (
                [str(TUIREADER), "--library", str(path)],
                _status_text(size, size),
            ),
        }

        def launch(app: str) -> float:
            argv, text = apps[app]
            name = terminal.start(argv)
            try:
                return terminal.wait(name, text, _ui_timeout(size))
            finally:
                terminal.stop(name)

        for app in apps:  # warm-up: page cache, bytecode
            launch(app)
        times: dict[str, list[float]] = {app: [] for app in apps}
        for _ in range(UI_RUNS):
            for app in apps:
                times[app].append(launch(app))
    ours = statistics.median(times["tuireader"])
    theirs = statistics.median(times["one-line"])

    def runs(app: str) -> str:
        return "runs " + " ".join(f"{t:.2f}" for t in times[app])

    bench.report(size, "ui first paint", ours, "s", f"median of {UI_RUNS}; {runs('tuireader')}")
    bench.report(
        size, "ui first paint, one-line Textual app", theirs, "s", f"median; {runs('one-line')}"
    )
    bench.report(size, "ui first paint ratio (tuireader/one-line app)", ours / theirs, "x")


@_ui_section
def section_ui_keys(bench: Bench, size: int) -> None:
    """In one session: j pressed UI_CURSOR_MOVES times (keypress -> the next title in the
    abstract pane), then UI_WORDS typed one key at a time into the search line (keypress ->
    the list and status line repainted with the count computed here beforehand)."""
    from tuireader.library import Library
    from tuireader.search import Searcher

    path = bench.library(size)
    terminal = _terminal(bench, "ui_keys")
    if terminal is None:
        return
    # What the screen must show, computed in-process before the app starts.
    with Library.open(path) as library:
        total = library.count()
        order = library.find_ids()
        titles = {row.id: row.title for row in library.rows(order[: UI_CURSOR_MOVES + 1])}
        searcher = Searcher(library)
        # Per keystroke: (key, query after it, count, title of the first paper or None).
        typing: list[list[tuple[str, str, int, str | None]]] = []
        for word in UI_WORDS:
            steps = []
            for n in range(1, len(word) + 1):
                ids = searcher.search(word[:n]).ids
                first = library.rows(ids[:1])[0].title if ids else None
                steps.append((word[n - 1], word[:n], len(ids), first))
            typing.append(steps)
    timeout = _ui_timeout(size)
    everything = _status_text(total, total)
    cursor_ms: list[float] = []
    key_ms: list[tuple[str, float, str]] = []  # (query, ms, how it was detected)
    with terminal:
        name = terminal.start([str(TUIREADER), "--library", str(path)])
        try:
            terminal.wait(name, everything, timeout, settle=0.3)
            shown: str | None = titles[order[0]]  # the title in the abstract pane
            screen = terminal.screen(name)
            if _pane_probe(shown) not in screen:
                raise UIError(f"the pane's title line {_pane_probe(shown)!r} is not on:\n{screen}")
            # 1. cursor -> abstract pane
            for index in range(1, UI_CURSOR_MOVES + 1):
                probe = _distinct_probe(titles[order[index]], shown)
                seconds = terminal.press(name, "j", until=probe, timeout=timeout)
                cursor_ms.append(seconds * 1000)
                shown = titles[order[index]]
                if probe is None:
                    bench.log(f"ui_keys: paper {index} has the title line of the one before")
            # 2. keystroke in the search line -> repainted list
            status = everything
            for steps in typing:
                terminal.send(name, "/")
                time.sleep(0.2)
                for key, query, count, first in steps:
                    expected = _status_text(count, total)
                    probe = _distinct_probe(first, shown) if first else None
                    if expected != status:
                        until, how = expected, "status"
                    elif probe is not None:
                        until, how = probe, "pane"
                    elif key == " ":
                        terminal.send(name, "Space")  # nothing visible changes: not timed
                        time.sleep(0.3)
                        continue
                    else:
                        until, how = None, "echo"
                    seconds = terminal.press(name, key, until=until, timeout=timeout, literal=True)
                    key_ms.append((query, seconds * 1000, how))
                    status = expected
                    shown = first
                    # let the pane and the rest of the frame land before the next key
                    terminal.wait(name, expected, timeout, settle=0.15)
                terminal.send(name, "Escape")  # clears the search, back to the list
                terminal.wait(name, everything, timeout, settle=0.2)
                status, shown = everything, titles[order[0]]
        finally:
            terminal.stop(name)
    bench.report(
        size,
        "ui cursor -> abstract p50",
        _percentile(cursor_ms, 0.50),
        "ms",
        f"j x {len(cursor_ms)}",
    )
    bench.report(
        size,
        "ui cursor -> abstract p95",
        _percentile(cursor_ms, 0.95),
        "ms",
        f"max {max(cursor_ms):.0f} ms",
    )
    samples = [ms for _, ms, _ in key_ms]
    hows = {how: sum(1 for _, _, h in key_ms if h == how) for how in ("status", "pane", "echo")}
    slowest = sorted(key_ms, key=lambda item: -item[1])[:3]
    bench.report(
        size,
        "ui keystroke -> list p50",
        _percentile(samples, 0.50),
        "ms",
        f"{len(samples)} keys of {', '.join(repr(w) for w in UI_WORDS)}: {hows['status']} by the"
        f" status count, {hows['pane']} by the first paper's title, {hows['echo']} by the echo"
        " only (count and first paper unchanged)",
    )
    bench.report(
        size,
        "ui keystroke -> list p95",
        _percentile(samples, 0.95),
        "ms",
        "slowest: " + ", ".join(f"{q!r} {ms:.0f} ms ({how})" for q, ms, how in slowest),
    )
    confirmed = [ms for _, ms, how in key_ms if how != "echo"]
    echoes = [ms for _, ms, how in key_ms if how == "echo"]
    if confirmed and echoes:
        bench.report(
            size,
            "ui keystroke -> list p50, repaint confirmed",
            _percentile(confirmed, 0.50),
            "ms",
            f"the {len(confirmed)} keys whose count or first paper changed;"
            f" p95 {_percentile(confirmed, 0.95):.0f} ms; echo-only keys p50"
            f" {_percentile(echoes, 0.50):.0f} ms (the floor: tmux, polling, key handling)",
        )
    bench.ui_details[size] = key_ms


Section = Callable[[Bench, int], None]
#: The sections, in the order they run at each size. Append new ones here.
SECTIONS: list[Section] = [
    section_import,
    section_index,
    section_open,
    section_search,
    section_ui_start,
    section_ui_keys,
]


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
        for size, keys in bench.ui_details.items():
            print(f"\nkeystroke -> repaint in the search line at {_fmt_size(size)} papers:")
            for query, ms, how in keys:
                print(f"  {ms:8.1f} ms  ({how:<6})  {query!r}")
    print(
        f"\nresults (total {time.perf_counter() - bench.started:.0f}s,"
        f" load average now {os.getloadavg()[0]:.2f}):\n"
    )
    print(bench.table())
    misses = [f for f in bench.figures if f.verdict == "MISS"]
    print(f"\n{len(misses)} target(s) missed" if misses else "\nall targets met")
    if bench.failures:
        print(f"failed (no figures): {', '.join(bench.failures)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
