"""Helpers for the app tests (Pilot flows, snapshots, tmux): fixture libraries and an app factory.

Everything here is deterministic: the dumps are our own fixtures, dates without a printed year
are resolved in a fixed capture year, the UI state file lives next to the library, the poll for
other writers is an hour away and abstracts are indexed before the app starts (no background
worker racing the first screen).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

import pytest

from tuireader.importer import import_file
from tuireader.library import Library

FIXTURES = Path(__file__).parent / "fixtures"
#: The well-formed fixture dumps, one per layout: 6 + 5 + 3 = 14 papers.
GOOD_FIXTURES = ("daily_papers.txt", "author_page.txt", "listing.txt")
#: Dates printed without a year are read in this year, relative to this day (never the real one).
CAPTURE_YEAR = 2025
TODAY = dt.date(2025, 12, 1)
#: The library's clock while fixture libraries are built (import and state-change times).
STAMP = "2025-12-01T09:00:00+00:00"


@contextmanager
def frozen_clock(stamp: str = STAMP) -> Iterator[None]:
    """Give every time the library writes (imported, added, read at) the value ``stamp``.

    Pictures of the history in the pane and of the statistics then stay the same every day.
    """
    with patch("tuireader.library.merge.now", lambda: stamp), patch(
        "tuireader.library.journal.now", lambda: stamp
    ):
        yield

# Titles of a few fixture papers the tests talk about.
LANTERN = "Lantern: Sparse Attention for Very Long Lecture Transcripts"
ROQ = "ROQ: Rotary Quantisation for Pocket-Sized Speech Models"
QFERRY = "Q-Ferry: Quantised Transport Plans"
WHISKER = "Whisker: One-Shot Audio Tagging for Cats"
AGENTS = "Self-Correcting Agents via GPTs"
KESTREL = "Kestrel-7B Technical Report"
ADAPTERS = "Cheap Adapters Beat Full Tuning with QLoRA"
RETRIEVAL = "WHAT IS RETRIEVAL FOR?"
MOSS = "Moss: Tiny Vision Transformers for Lichen Identification"
PEBBLE = "Pebble: Learned Compression for Sensor Logs"  # in listing_bare.txt, not imported

#: Reader state put on the fixture library by ``build_library(decorate=True)``.
DECORATION_TAGS = {
    LANTERN: ("attention", "long-context"),
    ROQ: ("quantisation", "speech"),
    QFERRY: ("quantisation",),
    WHISKER: ("audio",),
}
DECORATION_STARRED = (LANTERN,)
DECORATION_READ = (ROQ, WHISKER)


def import_fixtures(library: Library, files: Iterable[str | Path]) -> None:
    """Import ``files`` (names in tests/fixtures, or paths) and index their abstracts."""
    for name in files:
        path = Path(name) if Path(name).is_absolute() else FIXTURES / name
        report = import_file(path, library, year=CAPTURE_YEAR, today=TODAY)
        assert report.ok, report.summary()
    while library.index_abstracts():
        pass


def build_library(
    tmp_path: Path,
    files: Iterable[str | Path] = GOOD_FIXTURES,
    *,
    name: str = "library.db",
    decorate: bool = True,
) -> Path:
    """A library file on ``tmp_path`` made from our fixture dumps; returns its path.

    With ``decorate`` a few papers get tags, a star and the read mark (see DECORATION_*), so
    screens and filters have something to show.
    """
    path = tmp_path / name
    with Library.open(path) as library, frozen_clock():
        import_fixtures(library, files)
        if decorate:
            ids = title_ids(library)
            for title, tags in DECORATION_TAGS.items():
                for tag in tags:
                    library.add_tag([ids[title]], tag)
            library.set_starred([ids[t] for t in DECORATION_STARRED], True)
            library.set_read([ids[t] for t in DECORATION_READ], True)
    return path


def build_empty_library(tmp_path: Path, name: str = "empty.db") -> Path:
    """An empty library file on ``tmp_path``."""
    path = tmp_path / name
    Library.open(path).close()
    return path


def title_ids(library: Library) -> dict[str, int]:
    """Every paper's title -> id."""
    return {row.title: row.id for row in library.rows(library.ordered_ids())}


def paper_id(path: Path, title: str) -> int:
    """The id of the paper titled ``title`` in the library at ``path``."""
    with Library.open(path) as library:
        return title_ids(library)[title]


def make_app(
    path: Path,
    state_path: Path | None = None,
    *,
    poll_interval: float = 3600,
    index_in_background: bool = False,
):
    """The app on ``path``, made deterministic: state next to the library, no poll, no worker."""
    from tuireader.app import make_app as _make_app

    app = _make_app(
        path,
        state_path=state_path or path.parent / "state.json",
        poll_interval=poll_interval,
        index_in_background=index_in_background,
    )
    app.today = lambda: TODAY  # the statistics count weeks back from the fixtures' day
    return app


async def settle(pilot) -> None:
    """Let keys typed ahead go through, searches (thread workers) finish and their results
    reach the screen.

    The first pause lets queued messages (an ``Input.Changed``) start their search; a worker
    hands its result over with ``call_from_thread``, which returns once the screen has it, so
    after the workers finish one more pause lets the cursor's messages land. Keys of a burst
    go one at a time (tuireader.widgets.type_ahead), some after a search: all of it again
    until nothing is left.
    """
    app = pilot.app
    await pilot.pause()
    while True:
        while app.type_ahead.busy or app.type_ahead.received < getattr(app, "keys_sent", 0):
            await asyncio.sleep(0.005)
        if any(not worker.is_finished for worker in app.workers):
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not app.type_ahead.busy and all(worker.is_finished for worker in app.workers):
            return


def burst(pilot, *keys: str) -> None:
    """Send ``keys`` (names, as ``pilot.press`` takes them) as one burst: all at once, the way
    an ssh link delivers keys typed ahead. ``await settle(pilot)`` waits for their effects."""
    app = pilot.app
    for key in keys:
        app._driver.send_message(_key_event(app, key))
    #: (How many keys tests sent: the app receives them from a callback, a moment later.)
    app.keys_sent = getattr(app, "keys_sent", 0) + len(keys)


def _key_event(app, key: str):
    """The Key event ``pilot.press`` would send for ``key``."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    return event


def no_blink(app) -> None:
    """Stop every Input's cursor from blinking (it stays drawn), for stable screenshots."""
    from textual.widgets import Input

    for screen in app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False


@pytest.fixture
def steady_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Colours on, and the Unicode glyphs (the paper list uses ASCII on TERM=linux): snapshots.

    HOME is the test's folder, so the library shown on screen is ``~/library.db`` on every run.
    """
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("HOME", str(tmp_path))
