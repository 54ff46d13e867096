"""Snapshot tests: what the screens look like, compared with SVGs kept in tests/ui/__snapshots__/.

Deterministic by construction: the fixture library (dates read in a fixed capture year), fixed
terminal sizes, the UI state file in tmp_path, no poll, no background indexing, and no blinking
cursor in any Input. NO_COLOR (set by the shared conftest) is lifted here so that colours and
styles are part of the picture, and TERM is fixed (it picks the list's glyphs). Update with ``pytest tests/ui/test_snapshots.py --snapshot-update``
and look at the result (tools/svg2png) before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_helpers import (  # noqa: F401 - steady_terminal is a fixture
    LANTERN,
    build_empty_library,
    build_library,
    make_app,
    no_blink,
    settle,
    steady_terminal,
)

pytestmark = pytest.mark.usefixtures("steady_terminal")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return build_library(tmp_path)


def steps(*keys: str):
    """A run_before that presses ``keys`` (waiting for searches after each) and stops blinking."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        no_blink(pilot.app)
        await pilot.pause()

    return run_before


def typed(text: str) -> tuple[str, ...]:
    return tuple(text)


def test_main_120x40(snap_compare, library: Path):
    assert snap_compare(make_app(library), terminal_size=(120, 40), run_before=steps())


def test_main_80x24(snap_compare, library: Path):
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=steps())


def test_search_with_highlights_120x40(snap_compare, library: Path):
    """A search that ranks and highlights title words; Enter has returned to the list."""
    keys = ("slash", *typed("quant"), "enter")
    assert snap_compare(make_app(library), terminal_size=(120, 40), run_before=steps(*keys))


def test_query_error_80x24(snap_compare, library: Path):
    """A malformed query typed key by key: the message under the search line."""
    keys = ("slash", *typed("year:20x"))
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=steps(*keys))


def test_reading_view_120x40(snap_compare, library: Path):
    keys = ("j", "j", "j", "enter")
    assert snap_compare(make_app(library), terminal_size=(120, 40), run_before=steps(*keys))


def test_tag_editor_80x24(snap_compare, library: Path):
    """The editor on Lantern (two tags) with "au" typed: completions narrowed, cursor drawn."""
    keys = ("j", "j", "j", "t", "a", "u")
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=steps(*keys))


def test_help_120x40(snap_compare, library: Path):
    assert snap_compare(
        make_app(library), terminal_size=(120, 40), run_before=steps("question_mark")
    )


def test_empty_library_80x24(snap_compare, tmp_path: Path):
    path = build_empty_library(tmp_path)
    assert snap_compare(make_app(path), terminal_size=(80, 24), run_before=steps())


def test_snapshot_paper_is_lantern(library: Path):
    """The snapshots above that press j three times mean Lantern; keep that true."""
    from tuireader.library import Library

    with Library.open(library) as lib:
        assert lib.get_paper(lib.ordered_ids()[3]).title == LANTERN


async def test_screenshots_script_is_byte_stable(tmp_path: Path):
    """``make screenshots`` promises the same bytes on every run: check one picture twice."""
    from tests.screenshots import SHOTS, take_all

    first = (await take_all(tmp_path / "a", SHOTS[:1]))[0].read_bytes()
    second = (await take_all(tmp_path / "b", SHOTS[:1]))[0].read_bytes()
    assert first == second
    assert str(tmp_path).encode() not in first  # no temp path leaks into the picture


def test_triage_for_you_80x24(snap_compare, tmp_path: Path):
    """Triage in the "for you" order (twelve kitchen papers starred): progress, why, the abstract."""
    from tests.ranking_helpers import build_topic_library

    app = make_app(build_topic_library(tmp_path))
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps("T"))
