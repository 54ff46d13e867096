"""Regenerate screenshots/*.svg: ``python -m tests.screenshots [--out DIR]`` (``make screenshots``).

Each picture is taken on a fresh demo library built from the sample dump the package ships
(tuireader/sample/sample_daily_papers.txt) in a temporary folder, with a few tags, stars and
read marks put on it. The output is deterministic, the same bytes on every run: dates are read
in a fixed capture year, sizes are fixed, nothing polls or indexes in the background, no cursor
blinks, glyphs and colours do not depend on the calling terminal (TERM, NO_COLOR), and the
SVG's internal ids (Rich derives them from the content and the title) get a fixed title.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "screenshots"
TITLE = "tuireader"

#: Reader state put on the demo library, so the pictures show tags, stars and read papers.
TAGS = {
    "Metronome: Learning When to Stop Thinking": ("reasoning",),
    "Slow Thinking, Fast Answers: Caching Reasoning Traces Across Users": ("reasoning", "to-read"),
    "Meridian-3B-Long: Extending Context to 256K Tokens Cheaply": ("long-context",),
    "Kiln: Baking Long Documents into Model Weights for Private Retrieval": ("long-context",),
    "Compass: Calibrating Uncertainty in Multi-Step Tool Use": ("agents",),
    "Sandcastle: Synthetic Environments for Testing Coding Agents": ("agents", "to-read"),
    "Orchard: Growing Mixture-of-Experts Models One Branch at a Time": ("moe", "to-read"),
}
STARRED = (
    "Orchard: Growing Mixture-of-Experts Models One Branch at a Time",
    "Cartographer: Mapping the Skills Inside a Language Model",
)
READ = (
    "Sample: Lanternfish, a Small Language Model That Reads Its Own Notes",
    "Meridian-3B Technical Report",
    "Tidal Attention: Periodic Sparsity Patterns for Streaming Transformers",
)
ORCHARD = "Orchard: Growing Mixture-of-Experts Models One Branch at a Time"
#: Papers read in each of the weeks before the demo's day (oldest first), for the statistics.
READ_PER_WEEK = (2, 1, 3, 0, 2, 4, 2)


@dataclass(frozen=True)
class Shot:
    """One screenshot: file name, terminal size, the paper to start on, the keys to press."""

    name: str
    size: tuple[int, int]
    keys: Sequence[str] = ()
    start_on: str | None = None
    empty: bool = False
    theme: str = "textual-dark"
    note: str = field(default="", compare=False)


SHOTS = [
    Shot("main-120x40.svg", (120, 40), note="the list and the abstract side by side"),
    Shot("main-80x24.svg", (80, 24), note="narrow: the abstract under the list"),
    Shot(
        "search-120x40.svg",
        (120, 40),
        ("slash", *"thinking", "enter"),
        note="a search, ranked, with the matches highlighted",
    ),
    Shot("reading-120x40.svg", (120, 40), ("enter",), start_on=ORCHARD, note="the reading view"),
    Shot(
        "tags-120x40.svg",
        (120, 40),
        ("t", "r", "e"),
        start_on=ORCHARD,
        note="the tag editor, completing 're'",
    ),
    Shot(
        "triage-80x24.svg",
        (80, 24),
        ("o", "o", "o", "o", "o", "T"),
        note="triage in the for-you order: progress, why it ranks, the whole abstract",
    ),
    Shot("help-120x40.svg", (120, 40), ("question_mark",), note="every key"),
    Shot("empty-80x24.svg", (80, 24), empty=True, note="an empty library: how to import"),
    Shot("stats-80x24.svg", (80, 24), ("percent_sign",), note="statistics: reading per week"),
    Shot(
        "main-light-120x40.svg",
        (120, 40),
        ("slash", *"long", "enter"),
        theme="textual-light",
        note="a light theme, a search highlighted in titles and abstracts",
    ),
    Shot(
        "reading-light-80x24.svg",
        (80, 24),
        ("enter",),
        start_on=ORCHARD,
        theme="textual-light",
        note="the reading view in a light theme, with where the paper was seen",
    ),
]


@contextmanager
def _steady_environment(home: Path) -> Iterator[None]:
    """Make the app look the same whatever terminal runs this script (restored afterwards)."""
    saved = dict(os.environ)
    os.environ["TUIREADER_HOME"] = str(home)  # never the user's own folders
    os.environ.pop("TUIREADER_LIBRARY", None)
    os.environ.pop("NO_COLOR", None)
    os.environ["TERM"] = "xterm-256color"  # the paper list picks ASCII glyphs on TERM=linux
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def build_demo_library(folder: Path, *, empty: bool = False) -> Path:
    """The demo library (or an empty one) in ``folder``, with the reader state above."""
    from tests.app_helpers import CAPTURE_YEAR, TODAY, frozen_clock, title_ids
    from tuireader.importer import import_file
    from tuireader.library import Library

    path = folder / "demo.db"
    with Library.open(path) as library, frozen_clock():
        if empty:
            return path
        sample = resources.files("tuireader") / "sample" / "sample_daily_papers.txt"
        with resources.as_file(sample) as sample_path:
            report = import_file(sample_path, library, year=CAPTURE_YEAR, today=TODAY)
        if not report.ok:
            raise SystemExit(f"screenshots: the sample dump was rejected: {report.reason}")
        while library.index_abstracts():
            pass
        ids = title_ids(library)
        for title, tags in TAGS.items():
            for tag in tags:
                library.add_tag([ids[title]], tag)
        library.set_starred([ids[t] for t in STARRED], True)
        library.set_read([ids[t] for t in READ], True)
        # A few weeks of reading before the demo's day, for the statistics.
        unread = sorted(t for t in ids if t not in READ)
        for weeks_ago, count in enumerate(reversed(READ_PER_WEEK), start=1):
            day = TODAY - dt.timedelta(weeks=weeks_ago)
            with frozen_clock(f"{day.isoformat()}T18:00:00+00:00"):
                library.set_read([ids[unread.pop()] for _ in range(count)], True)
    return path


async def take(shot: Shot, folder: Path) -> str:
    """Run the app for ``shot`` and return its SVG."""
    from tests.app_helpers import make_app, no_blink, settle
    from tuireader.widgets.paper_list import PaperList

    folder.mkdir(parents=True)
    os.environ["HOME"] = str(folder)  # the library shows as ~/demo.db, whatever the temp folder
    path = build_demo_library(folder, empty=shot.empty)
    app = make_app(path, folder / "state.json")
    app.theme = shot.theme
    async with app.run_test(size=shot.size) as pilot:
        await settle(pilot)
        if shot.start_on:
            papers = app.screen.query_one(PaperList)
            titles = {row.id: row.title for row in app.library.rows(papers.ids)}
            papers.move_to([titles[i] for i in papers.ids].index(shot.start_on))
            await settle(pilot)
        for key in shot.keys:
            await pilot.press(key)
            await settle(pilot)
        no_blink(app)
        await pilot.pause()
        return app.export_screenshot(title=TITLE)


async def take_all(out: Path, shots: Sequence[Shot] = SHOTS) -> list[Path]:
    """Write every shot into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with (
        tempfile.TemporaryDirectory(prefix="tuireader-shots-") as temp,
        _steady_environment(Path(temp) / "home"),
    ):
        for index, shot in enumerate(shots):
            svg = await take(shot, Path(temp) / f"shot{index}")
            target = out / shot.name
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(svg)
            written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the screenshots; print each file written."""
    parser = argparse.ArgumentParser(prog="python -m tests.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default {OUT})")
    args = parser.parse_args(argv)
    for path in asyncio.run(take_all(args.out)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
