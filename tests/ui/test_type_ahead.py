"""Keys that arrive together act exactly as the same keys typed one at a time (issue 18).

Each test types the same keys twice, on two copies of one library: slowly (everything settled
after each key) and in one burst (all keys sent before the app has handled the first), and
compares what the library holds, which screens are open, where the focus is and the screen's
text. The expectations of the issue's steps are also checked against the fixtures directly.
"""

from __future__ import annotations

import pytest

from tests.app_helpers import LANTERN, build_library, burst, make_app, paper_id, settle
from tests.keys_helpers import slow_and_burst, typed
from tuireader.library import Library
from tuireader.search import Engine, parse_query

#: "star, tag, next": s, t, tagB, Enter, Escape, j (the issue's first step).
STAR_TAG_NEXT = ["s", "t", *typed("tagB"), "enter", "escape", "j"]


def _search_in_a_worker(pilot) -> None:
    """Make every search of the main screen run in a worker thread, as a slow one does."""
    screen = pilot.app.screen
    screen.services.searcher.may_be_slow = lambda: True


async def _slow_searches(pilot) -> None:
    _search_in_a_worker(pilot)


def _starred_and_tagged(path) -> tuple[set[int], set[int]]:
    with Library.open(path) as library:
        engine = Engine(library)
        return (
            set(engine.find_ids(parse_query("is:starred"))),
            set(engine.find_ids(parse_query("tag:tagB"))),
        )


async def test_star_tag_next_five_times_in_one_burst(tmp_path):
    template = build_library(tmp_path, decorate=False)
    with Library.open(template) as library:
        first_five = set(library.ordered_ids("date")[:5])
    slow, fast = await slow_and_burst(template, tmp_path, STAR_TAG_NEXT * 5)
    assert fast == slow, fast.differences(slow)
    starred, tagged = _starred_and_tagged(tmp_path / "burst" / template.name)
    assert starred == tagged == first_five
    assert fast.screens == ("Screen", "MainScreen") and fast.focused == "PaperList#papers"


async def test_star_tag_next_in_one_burst_while_searches_run_in_workers(tmp_path):
    template = build_library(tmp_path, decorate=False)
    keys = STAR_TAG_NEXT * 3
    slow, fast = await slow_and_burst(template, tmp_path, keys, before=_slow_searches)
    assert fast == slow, fast.differences(slow)


@pytest.mark.parametrize("before", [None, _slow_searches], ids=["inline", "worker"])
async def test_search_enter_s_in_one_burst_stars_the_paper_found(tmp_path, before):
    template = build_library(tmp_path, decorate=False)
    keys = ["slash", *typed("lantern"), "enter", "s"]
    slow, fast = await slow_and_burst(template, tmp_path, keys, before=before)
    assert fast == slow, fast.differences(slow)
    starred, _ = _starred_and_tagged(tmp_path / "burst" / template.name)
    assert starred == {paper_id(template, LANTERN)}


async def test_a_burst_into_the_note_editor_keeps_every_letter(tmp_path):
    template = build_library(tmp_path, decorate=False)
    keys = ["n", *typed("first words"), "enter", *typed("second line"), "ctrl+s", "j", "s"]
    slow, fast = await slow_and_burst(template, tmp_path, keys)
    assert fast == slow, fast.differences(slow)
    with Library.open(tmp_path / "burst" / template.name) as library:
        first, second = library.ordered_ids("date")[:2]
        assert library.get_paper(first).notes == "first words\nsecond line"
        assert library.get_paper(second).starred


async def test_a_burst_through_the_reading_view_and_back(tmp_path):
    template = build_library(tmp_path, decorate=False)
    keys = ["enter", "s", "right_square_bracket", "r", "escape", "j", "j", "space", "space", "s"]
    slow, fast = await slow_and_burst(template, tmp_path, keys)
    assert fast == slow, fast.differences(slow)


async def test_a_burst_through_views_sort_and_undo(tmp_path):
    template = build_library(tmp_path)
    keys = ["v", "j", "j", "enter", "s", "o", "O", "u", "ctrl+r", "v", "enter", "G", "r"]
    slow, fast = await slow_and_burst(template, tmp_path, keys)
    assert fast == slow, fast.differences(slow)


async def test_keys_typed_while_the_reader_opens_act_where_it_reopens(tmp_path):
    # The reader reopens on the paper it was left on, once its first search is shown; keys
    # typed meanwhile (the user knows where it will be) act from there, not from the top.
    path = build_library(tmp_path, decorate=False)
    with Library.open(path) as library:
        order = library.ordered_ids("date")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j")
        await settle(pilot)
        await app.action_quit()
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        burst(pilot, "j", "s")  # at once: the first search is still running
        await settle(pilot)
        assert app.screen.papers.current_id == order[5]
    starred, _ = _starred_and_tagged(path)
    assert starred == {order[5]}


async def test_keys_let_through_one_at_a_time_leave_the_screens_below_asleep(tmp_path):
    # Waking the idle screen under the main one (a barrier round asked it too) made Textual
    # repaint all of the main screen over it after every key: 41 KB to the terminal for a
    # cursor move instead of 8 (benchmarks/sections/wire.py).
    path = build_library(tmp_path, decorate=False)
    app = make_app(path)
    woken: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        below = app.screen_stack[0]
        # immediate: a callback posted to the screen would itself wake it.
        below.message_signal.subscribe(
            below, lambda message: woken.append(type(message).__name__), immediate=True
        )
        burst(pilot, "j", "j", "k", "j", "j")
        await settle(pilot)
        for key in "jjk":
            await pilot.press(key)
            await settle(pilot)
    assert woken == []


async def test_the_abstract_scrolls_at_once_so_a_burst_ends_where_slow_keys_do(tmp_path):
    # j, Tab, j: an animated scroll of the pane was still under way when a slow typist's screen
    # was looked at and done in a burst's (the property test's ['j', 'tab', 'j']); over ssh an
    # animation is also a frame per step. The pane scrolls by the key, at once.
    template = build_library(tmp_path)
    slow, fast = await slow_and_burst(template, tmp_path / "work", ["j", "tab", "j"], size=(80, 24))
    assert fast == slow, fast.differences(slow)
    path = build_library(tmp_path, name="again.db")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("j", "tab", "j", "j"):
            await pilot.press(key)
        pane = app.screen.query_one("#abstract")
        assert app.focused is pane and pane.scroll_y == 2
