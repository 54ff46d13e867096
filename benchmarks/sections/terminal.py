"""The real app in a real terminal (tmux) through ``tui-drive``: sessions, timings, probes.

``tui-drive`` is found as ``$TUI_DRIVE``, else on PATH, else in ``../shared/tools`` beside the
repository. Sessions run on a private tmux socket with a fresh ``TUIREADER_HOME`` each, so no UI
state is restored. Launch times are taken inside tui-drive (which polls the screen every ~10 ms:
they have that resolution); keypress latencies through a tmux control-mode client attached to
the session (:mod:`benchmarks.sections.tmux_control`: no process per poll, ~1 ms resolution).

The programs run as installed ones do, with their bytecode cached: ``PYTHONDONTWRITEBYTECODE``
(set in some shells and sandboxes) is cleared for them, so the first launch (a warm-up) writes
tuireader's ``__pycache__``, as ``pip install`` writes it at install time. Left set, every launch
would compile tuireader's ~80 modules from source (~80 ms) while Textual's own come compiled
from site-packages: a cost of the shell, not of the app.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench import ROOT, Bench, fmt_size
from benchmarks.sections.tmux_control import ControlClient, ControlError

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

#: The floor of the keystroke figures: a Textual app that only shows the keys typed so far.
ECHO_APP = """\
from textual.app import App
from textual.widgets import Static


class Echo(App):
    typed = ""

    def compose(self):
        yield Static("ready", id="echo")

    def on_key(self, event):
        self.typed += event.character or ""
        self.query_one("#echo", Static).update(f"typed:{self.typed}:")


Echo().run()
"""


class UIError(RuntimeError):
    """A tui-drive step failed (timeout, the app exited); carries the screen."""


def tui_drive() -> Path | None:
    for candidate in (
        os.environ.get("TUI_DRIVE"),
        shutil.which("tui-drive"),
        ROOT.parent / "shared" / "tools" / "tui-drive",
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
        self._controls: dict[str, ControlClient] = {}

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for control in self._controls.values():
            control.close()
        self._controls.clear()
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
        self._run(
            "start",
            name,
            "--size",
            TUI_SIZE,
            "--env",
            f"TUIREADER_HOME={home}",
            "--env",
            "PYTHONDONTWRITEBYTECODE=",  # (empty: unset for Python; see the module's docstring)
            "--",
            *argv,
        )
        return name

    def stop(self, name: str) -> None:
        control = self._controls.pop(name, None)
        if control is not None:
            control.close()
        self._run("stop", name, check=False)

    def peak_rss_mb(self, name: str) -> float | None:
        """The peak RSS (VmHWM) so far of the program in session ``name``, in MB (Linux only)."""
        socket = self.env["TUI_DRIVE_SOCKET"]
        pid = subprocess.run(
            ["tmux", "-L", socket, "display-message", "-p", "-t", f"={name}:", "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        try:
            status = Path(f"/proc/{int(pid)}/status").read_text()
        except (ValueError, OSError):
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None

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
        """Seconds from the keypress until ``until`` is on the screen (None: any change).

        Timed through a tmux control-mode client (see :mod:`.tmux_control`), not ``tui-drive
        keys --until``, whose process per poll adds ~10 ms that are not the app's.
        """
        control = self._controls.get(name)
        if control is None:
            control = self._controls[name] = ControlClient(self.env["TUI_DRIVE_SOCKET"], name)
        try:
            if until is not None:
                return control.press(key, lambda s: until in s, literal=literal, timeout=timeout)
            before = control.screen()
            return control.press(key, lambda s: s != before, literal=literal, timeout=timeout)
        except ControlError as error:
            raise UIError(f"{error}; the screen:\n{self.screen(name)}") from error

    def send(self, name: str, *keys: str) -> None:
        self._run("keys", name, *keys)


def _tui_time(out: str, label: str) -> float:
    for field in out.split():
        key, _, value = field.partition("=")
        if key == label:
            return float(value)
    raise UIError(f"no {label} in tui-drive output {out!r}")


def open_terminal(bench: Bench, section: str) -> Terminal | None:
    tool = tui_drive()
    if tool is None or shutil.which("tmux") is None:
        bench.log(f"{section}: skipped (needs tmux and tui-drive; set $TUI_DRIVE)")
        return None
    return Terminal(tool)


def status_text(shown: int, total: int) -> str:
    """The start of the status line (its padding space keeps " 5 of" from matching " 15 of")."""
    return f" {shown} of {total} papers"


def pane_probe(title: str, chars: int = PANE_PROBE_CHARS) -> str:
    """The abstract pane's title line, found by the title's first whole words (<= ``chars``)."""
    probe = ""
    for word in title.split(" "):
        longer = f"{probe} {word}" if probe else word
        if len(longer) > chars:
            break
        probe = longer
    return PANE_EDGE + (probe or title[:chars])


def distinct_probe(title: str, shown: str | None) -> str | None:
    """A probe for ``title`` that the pane showing ``shown`` (a title, or None) does not already
    match; None when the two titles start alike for longer than the pane's first line."""
    line = pane_probe(shown, 50) if shown is not None else ""
    for chars in (PANE_PROBE_CHARS, 45):
        probe = pane_probe(title, chars)
        if not line.startswith(probe):
            return probe
    return None


def ui_section(section: Callable[[Bench, int], None]) -> Callable[[Bench, int], None]:
    """Log a failed UI step (a timeout: what was on the screen) and go on with the next section."""

    @functools.wraps(section)
    def guarded(bench: Bench, size: int) -> None:
        try:
            section(bench, size)
        except (UIError, subprocess.TimeoutExpired) as error:
            name = section.__name__.removeprefix("section_")
            bench.log(f"{fmt_size(size)}  {name}: FAILED, no figures: {error}")
            bench.failures.append(f"{fmt_size(size)} {name}")

    return guarded


def ui_timeout(size: int) -> float:
    return 10 + 60 * size / 1_000_000


