"""Keys typed slowly against the same keys in one burst: what the library and the screen show.

``run_keys(path, keys, burst=...)`` opens the reader on a copy of a library, types ``keys``
(one at a time with everything settled after each, or all at once), and returns what a person
could see and what the library holds; two runs compare with ``==``.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from pathlib import Path

from tests.app_helpers import burst, make_app, no_blink
from tuireader.library import Library


@dataclass(frozen=True)
class Seen:
    """What one run left: the library's state, the screens, the focus and the screen's text."""

    library: tuple
    screens: tuple[str, ...]
    focused: str
    main: tuple
    text: str

    def differences(self, other: Seen) -> list[str]:
        """The names of the fields where ``other`` differs (for assertion messages)."""
        return [name for name in self.__dataclass_fields__ if getattr(self, name) != getattr(other, name)]


def library_state(path: Path) -> tuple:
    """The reader's state in the library, without the times it was set."""
    with Library.open(path) as library:
        conn = library.conn
        return (
            tuple(conn.execute("SELECT id, read, starred, notes FROM papers ORDER BY id")),
            tuple(
                conn.execute(
                    "SELECT paper_id, name FROM paper_tags JOIN tags ON tags.id = tag_id"
                    " ORDER BY paper_id, name"
                )
            ),
            tuple(
                (summary, _timeless(json.loads(changes)), undone)
                for summary, changes, undone in conn.execute(
                    "SELECT summary, changes, undone FROM journal ORDER BY id"
                )
            ),
            tuple(conn.execute("SELECT name, query FROM saved_searches ORDER BY name")),
        )


def _timeless(value):
    """``value`` (JSON data) with every time in it (when a change was made) left out."""
    if isinstance(value, dict):
        return tuple(sorted((k, _timeless(v)) for k, v in value.items() if k != "at"))
    if isinstance(value, list):
        return tuple(_timeless(v) for v in value)
    if isinstance(value, str) and _TIME.fullmatch(value):
        return "(a time)"
    return value


_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^ ]*")


def _main_state(app) -> tuple:
    main = app.screen_stack[1] if len(app.screen_stack) > 1 else None
    if main is None or not hasattr(main, "papers"):
        return ()
    papers = main.papers
    return (
        main.query_text,
        main.view.to_text(),
        main.sort,
        tuple(papers.ids),
        papers.cursor,
        tuple(sorted(papers.marks)),
    )


def _screen_text(app) -> str:
    no_blink(app)
    return app.export_screenshot()


async def observe(pilot) -> Seen:
    """What the app shows now, once its last frame is drawn (the library is read after the app
    has gone)."""
    app = pilot.app
    await pilot.pause()
    await app.screen.wait_for_refresh()
    focused = app.focused
    return Seen(
        library=(),
        screens=tuple(type(screen).__name__ for screen in app.screen_stack),
        focused=f"{type(focused).__name__}#{focused.id}" if focused is not None else "-",
        main=_main_state(app),
        text=_screen_text(app),
    )


async def key_done(pilot) -> None:
    """Wait until every key sent, and all it started, is done: the keys went through the app,
    their searches (workers) have shown their results, no hold keeps keys waiting, and every
    widget of every screen has handled its messages (Pilot's own wait)."""
    app = pilot.app
    while (
        app.type_ahead.received < getattr(app, "keys_sent", 0)  # (posted by a callback)
        or app.type_ahead.busy
        or app.type_ahead.holding(app.screen_stack[-1])
        or any(not w.is_finished for w in app.workers)
        or len(app.screen_stack) < 2
    ):
        await asyncio.sleep(0.002)
    await pilot._wait_for_screen()


async def type_keys(pilot, keys: list[str], *, in_one_burst: bool) -> None:
    """Type ``keys``: all at once, or one at a time with everything settled after each; then
    wait until all of it is done."""
    if in_one_burst:
        burst(pilot, *keys)
    else:
        for key in keys:
            burst(pilot, key)
            await key_done(pilot)
    await key_done(pilot)


async def run_keys(
    template: Path, work: Path, keys: list[str], *, in_one_burst: bool, size=(100, 30), before=None
) -> Seen:
    """Open the reader on a copy of ``template`` (in folder ``work``) and type ``keys``.

    ``in_one_burst``: all keys sent at once; else one at a time, everything settled after each.
    ``before(pilot)``: called (awaited) once the reader is up, before the keys.
    """
    work.mkdir(parents=True, exist_ok=True)
    path = work / template.name
    with Library.open(template) as library:
        library.backup_to(path)
    app = make_app(path, state_path=work / "state.json")
    async with app.run_test(size=size) as pilot:
        await key_done(pilot)
        if before is not None:
            await before(pilot)
        await type_keys(pilot, keys, in_one_burst=in_one_burst)
        seen = await observe(pilot)
        app.exit()
    return Seen(library_state(path), seen.screens, seen.focused, seen.main, seen.text)


async def slow_and_burst(template: Path, work: Path, keys: list[str], **kwargs) -> tuple[Seen, Seen]:
    """The same keys typed slowly and in one burst, each on its own copy of ``template``.

    The two readers run at the same time, each in a task of its own (Textual keeps each app's
    context apart): what one does must not depend on when the other gets the CPU.
    """
    slow, fast = await asyncio.gather(
        run_keys(template, work / "slow", keys, in_one_burst=False, **kwargs),
        run_keys(template, work / "burst", keys, in_one_burst=True, **kwargs),
    )
    return slow, fast


def typed(text: str) -> list[str]:
    """The keys that type ``text`` (one key a character)."""
    return list(text)
