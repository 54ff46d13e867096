"""The import sections: `tuireader import` against a bare executemany, abstract indexing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from benchmarks.bench import (
    PYTHON,
    Bench,
    fmt_size,
    remove_library,
    run_import,
    run_process,
    warm_file_cache,
)


class TreePeaks:
    """The peak RSS (VmHWM) of a process and of every process it starts, polled from /proc
    while they run: an import that parses in a second process takes the memory of both."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}  # pid -> peak RSS in kB
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, pid: int) -> None:
        """Poll ``pid`` and its descendants every 50 ms until :meth:`stop` (new processes are
        looked for every 250 ms: a light load beside the import measured)."""
        self._thread = threading.Thread(target=self._poll, args=(pid,), daemon=True)
        self._thread.start()

    def _poll(self, root: int) -> None:
        known = {root}
        rounds = 0
        while not self._stop.is_set():
            if rounds % 5 == 0:
                known |= _descendants(root)
            rounds += 1
            for pid in known:
                peak = _vm_hwm_kb(pid)
                if peak is not None:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), peak)
            self._stop.wait(0.05)

    def stop(self) -> float:
        """Stop polling; the sum of every process's peak, in MB (0 where /proc is absent)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return sum(self.peaks.values()) / 1024


def _vm_hwm_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])  # (state, then the parent's pid)
    found: set[int] = set()
    pending = [root]
    while pending:
        pid = pending.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found.add(child)
                pending.append(child)
    return found


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
    tree = TreePeaks()
    real = run_import(dump, library, tree.watch)
    together = tree.stop()
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
    processes = len(tree.peaks)
    bench.report(
        size,
        "import peak RSS",
        max(real.maxrss_mb, together),
        "MB",
        f"dump {dump.stat().st_size / 1e6:.0f} MB; the sum of the peaks of its {processes}"
        f" process(es), the largest alone {real.maxrss_mb:.0f} MB",
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

