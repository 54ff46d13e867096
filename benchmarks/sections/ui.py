"""The UI sections: first paint beside a one-line Textual app, cursor and typing latency."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.bench import PYTHON, TUIREADER, Bench, percentile
from benchmarks.sections.terminal import (
    ECHO_APP,
    ONE_LINE_APP,
    UI_CURSOR_MOVES,
    UI_RUNS,
    UI_WORDS,
    Terminal,
    UIError,
    distinct_probe,
    open_terminal,
    pane_probe,
    status_text,
    ui_section,
    ui_timeout,
)


@ui_section
def section_ui_start(bench: Bench, size: int) -> None:
    """Launch to the first painted list (status "N of N papers"), beside a one-line Textual app."""
    path = bench.library(size)
    terminal = open_terminal(bench, "ui_start")
    if terminal is None:
        return
    with terminal, tempfile.TemporaryDirectory(prefix="tuireader-bench-") as folder:
        script = Path(folder) / "one_line_app.py"
        script.write_text(ONE_LINE_APP)
        apps = {
            "one-line": ([str(PYTHON), str(script)], "ready"),
            "tuireader": (
                [str(TUIREADER), "--library", str(path)],
                status_text(size, size),
            ),
        }

        def launch(app: str) -> float:
            argv, text = apps[app]
            name = terminal.start(argv)
            try:
                return terminal.wait(name, text, ui_timeout(size))
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


@ui_section
def section_ui_keys(bench: Bench, size: int) -> None:
    """In one session: j pressed UI_CURSOR_MOVES times (keypress -> the next title in the
    abstract pane), then UI_WORDS typed one key at a time into the search line (keypress ->
    the list and status line repainted with the count computed here beforehand)."""
    from tuireader.library import Library
    from tuireader.search import Searcher

    path = bench.library(size)
    terminal = open_terminal(bench, "ui_keys")
    if terminal is None:
        return
    # What the screen must show, computed in-process before the app starts.
    with Library.open(path) as library:
        total = library.count()
        order = library.ordered_ids()
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
    timeout = ui_timeout(size)
    everything = status_text(total, total)
    cursor_ms: list[float] = []
    key_ms: list[tuple[str, float, str]] = []  # (query, ms, how it was detected)
    with terminal:
        name = terminal.start([str(TUIREADER), "--library", str(path)])
        try:
            terminal.wait(name, everything, timeout, settle=0.3)
            shown: str | None = titles[order[0]]  # the title in the abstract pane
            screen = terminal.screen(name)
            if pane_probe(shown) not in screen:
                raise UIError(f"the pane's title line {pane_probe(shown)!r} is not on:\n{screen}")
            # 1. cursor -> abstract pane
            for index in range(1, UI_CURSOR_MOVES + 1):
                probe = distinct_probe(titles[order[index]], shown)
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
                    expected = status_text(count, total)
                    probe = distinct_probe(first, shown) if first else None
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
            rss = terminal.peak_rss_mb(name)
        finally:
            terminal.stop(name)
        echo_ms = _echo_floor(terminal, timeout)
    if rss is not None:
        bench.report(
            size, "reader peak RSS", rss, "MB", "open, 30 cursor moves, 31 keys typed (VmHWM)"
        )
    bench.report(
        size,
        "ui cursor -> abstract p50",
        percentile(cursor_ms, 0.50),
        "ms",
        f"j x {len(cursor_ms)}",
    )
    bench.report(
        size,
        "ui cursor -> abstract p95",
        percentile(cursor_ms, 0.95),
        "ms",
        f"max {max(cursor_ms):.0f} ms",
    )
    samples = [ms for _, ms, _ in key_ms]
    hows = {how: sum(1 for _, _, h in key_ms if h == how) for how in ("status", "pane", "echo")}
    slowest = sorted(key_ms, key=lambda item: -item[1])[:3]
    bench.report(
        size,
        "ui keystroke -> list p50",
        percentile(samples, 0.50),
        "ms",
        f"{len(samples)} keys of {', '.join(repr(w) for w in UI_WORDS)}: {hows['status']} by the"
        f" status count, {hows['pane']} by the first paper's title, {hows['echo']} by the echo"
        " only (count and first paper unchanged)",
    )
    bench.report(
        size,
        "ui keystroke -> list p95",
        percentile(samples, 0.95),
        "ms",
        "slowest: " + ", ".join(f"{q!r} {ms:.0f} ms ({how})" for q, ms, how in slowest),
    )
    confirmed = [ms for _, ms, how in key_ms if how != "echo"]
    echoes = [ms for _, ms, how in key_ms if how == "echo"]
    if confirmed and echoes:
        bench.report(
            size,
            "ui keystroke -> list p50, repaint confirmed",
            percentile(confirmed, 0.50),
            "ms",
            f"the {len(confirmed)} keys whose count or first paper changed;"
            f" p95 {percentile(confirmed, 0.95):.0f} ms; echo-only keys p50"
            f" {percentile(echoes, 0.50):.0f} ms (searched and redrawn too; the floor is the"
            " echo app's row)",
        )
    bench.report(
        size,
        "ui keystroke -> echo p50, one-line Textual app",
        percentile(echo_ms, 0.50),
        "ms",
        f"the floor: the same {len(echo_ms)} keys typed into a Textual app that only shows them,"
        f" timed the same way; p95 {percentile(echo_ms, 0.95):.0f} ms",
    )
    bench.ui_details[size] = key_ms


def _echo_floor(terminal: Terminal, timeout: float) -> list[float]:
    """Milliseconds per key for UI_WORDS typed into ECHO_APP: what a keystroke costs with
    nothing to compute (tmux, the pty, Textual's own key handling and repaint)."""
    with tempfile.TemporaryDirectory(prefix="tuireader-bench-") as folder:
        script = Path(folder) / "echo_app.py"
        script.write_text(ECHO_APP)
        name = terminal.start([str(PYTHON), str(script)])
        try:
            terminal.wait(name, "ready", timeout, settle=0.3)
            typed = ""
            samples = []
            for key in " ".join(UI_WORDS):
                typed += key
                until = f"typed:{typed}:"
                seconds = terminal.press(name, key, until=until, timeout=timeout, literal=True)
                samples.append(seconds * 1000)
                time.sleep(0.15)  # as between the keys typed into the reader
        finally:
            terminal.stop(name)
    return samples
