"""Pilot flows of triage mode (T): one key a decision, undo, Esc, the "for you" order and why."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.app_helpers import build_library, make_app, settle
from tests.flows_helpers import abstract_text, current_title, shown_titles
from tests.ranking_helpers import build_topic_library, topic
from tuireader.library import Library
from tuireader.screens.main import MainScreen
from tuireader.screens.reading import ReadingScreen
from tuireader.screens.triage import TriageScreen
from tuireader.widgets.abstract_pane import AbstractPane

SIZE = (80, 24)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return build_library(tmp_path)


@pytest.fixture
def topics(tmp_path: Path) -> Path:
    return build_topic_library(tmp_path)


def _state(path: Path) -> dict[str, tuple[bool, bool, tuple[str, ...]]]:
    """Every paper's (read, starred, tags), read from the file by a second connection."""
    with Library.open(path) as other:
        return {r.title: (r.read, r.starred, r.tags) for r in other.rows(other.ordered_ids())}


def _progress(app) -> str:
    return str(app.screen.query_one("#triage-progress", Static).render())


def _shown(app) -> str:
    return app.screen.query_one(AbstractPane).plain_text


def _view_options(app):
    """The view picker's list and the text of each of its lines."""
    listing = app.screen.query_one("#view-options")
    return listing, [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def _triage(app, pilot) -> TriageScreen:
    await settle(pilot)
    await pilot.press("T")
    await settle(pilot)
    assert isinstance(app.screen, TriageScreen)
    return app.screen


async def test_triage_goes_through_the_last_import_and_each_key_decides(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _triage(app, pilot)
        queue = screen.queue
        assert queue.label == "new in the last import" and len(queue.ids) == 3
        titles = [app.library.get_paper(i).title for i in queue.ids]
        assert "3 of 3 left" in _progress(app) and titles[0] in _shown(app)
        assert "unread" in _shown(app)  # title, who, date, the state, then the whole abstract
        await pilot.press("s")
        assert "2 of 3 left" in _progress(app) and "1 starred" in _progress(app)
        assert titles[1] in _shown(app)
        await pilot.press("d")
        await pilot.press("l")
        assert "all 3 decided" in _progress(app) and "3 papers decided" in _shown(app)
    state = _state(library)
    assert state[titles[0]][:2] == (True, True)  # starred, and read: decided
    assert state[titles[1]][:2] == (True, False)  # dismissed: read
    assert state[titles[2]][:2] == (False, False)  # later: still unread


@pytest.mark.parametrize("keys", [("s", "d", "l", "u", "d"), ("d", "d", "u", "u", "s", "l")])
async def test_the_same_keys_one_at_a_time_or_in_one_burst_decide_the_same(tmp_path, keys):
    results = []
    for burst in (False, True):
        path = build_library(tmp_path / ("burst" if burst else "single"))
        app = make_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await _triage(app, pilot)
            if burst:
                await pilot.press(*keys)
            else:
                for key in keys:
                    await pilot.press(key)
                    await settle(pilot)
            await settle(pilot)
            results.append((_progress(app), _shown(app), _state(path)))
    assert results[0] == results[1]


async def test_keys_typed_with_t_itself_in_one_burst_land_in_triage(tmp_path):
    """T s d sent at once: the keys after T act in triage as if typed after it opened."""
    results = []
    for burst in (False, True):
        path = build_library(tmp_path / ("burst" if burst else "single"))
        app = make_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            if burst:
                await pilot.press("T", "s", "d")
            else:
                for key in ("T", "s", "d"):
                    await pilot.press(key)
                    await settle(pilot)
            await settle(pilot)
            results.append((_progress(app), _state(path)))
    assert results[0] == results[1]
    assert "1 of 3 left" in results[0][0]


async def test_undo_takes_back_the_last_decision_and_shows_that_paper_again(library: Path):
    app = make_app(library)
    before = _state(library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _triage(app, pilot)
        first, second = (app.library.get_paper(i).title for i in screen.queue.ids[:2])
        await pilot.press("s", "d")
        assert _state(library)[second][0] is True
        await pilot.press("u")
        assert second in _shown(app) and "2 of 3 left" in _progress(app)
        assert _state(library)[second] == before[second]
        await pilot.press("u")  # the star and the read mark, both
        assert first in _shown(app) and "3 of 3 left" in _progress(app)
        assert _state(library) == before
        await pilot.press("u")
        status = str(app.screen.query_one("#triage-status", Static).render())
        assert "nothing to take back" in status


async def test_esc_goes_back_with_the_cursor_on_the_paper_reached(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _triage(app, pilot)
        reached = app.library.get_paper(screen.queue.ids[2]).title
        await pilot.press("d", "l", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert current_title(app) == reached


async def test_a_tag_decides_once_a_tag_is_added_and_undo_takes_it_all_back(library: Path):
    app = make_app(library)
    before = _state(library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _triage(app, pilot)
        title = app.library.get_paper(screen.queue.ids[0]).title
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("escape")  # nothing added: still on this paper
        await settle(pilot)
        assert "3 of 3 left" in _progress(app)
        await pilot.press("t")
        await settle(pilot)
        app.screen.query_one("#tag-input", Input).value = "to-read"
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen) and "1 tagged" in _progress(app)
        assert _state(library)[title] == (True, False, ("to-read",))
        await pilot.press("u")
        assert _state(library) == before


async def test_enter_opens_the_paper_and_back_from_it_triage_goes_on(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _triage(app, pilot)
        title = app.library.get_paper(screen.queue.ids[0]).title
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        await pilot.press("s", "escape")  # starred while reading it
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen) and "1 opened" in _progress(app)
        assert _state(library)[title][:2] == (True, True)
        await pilot.press("u")  # the read mark and the star
        assert _state(library)[title][:2] == (False, False)


async def test_with_ten_stars_triage_puts_what_you_star_first_and_says_why(topics: Path):
    app = make_app(topics)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # (the model is learned in the background after the first paint)
        assert app.ranker.current() is not None
        screen = await _triage(app, pilot)
        assert screen.queue.order == "for you" and len(screen.queue.ids) == 9
        topics_in_order = [topic(app.library.get_paper(i).title) for i in screen.queue.ids]
        assert topics_in_order[:3] == ["kitchen"] * 3
        pane = _shown(app)
        why = next(line for line in pane.splitlines() if line.startswith("why: "))
        words = why.removeprefix("why: ").split(" · ")
        assert words and set(words) <= set(
            ["sourdough", "yeast", "flour", "dough", "baking", "crust", "crumb", "caramel", "sauce", "braise", "oven", "rye", "fermentation", "kneading", "butter", "pastry", "kitchen"]
        )


async def test_the_for_you_sort_orders_the_list_and_its_pane_says_why(topics: Path):
    app = make_app(topics)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(5):  # date -> upvotes -> comments -> title -> added -> for you
            await pilot.press("o")
        await settle(pilot)
        assert app.screen.sort == "foryou"
        unread = [t for t in shown_titles(app) if not _state(topics)[t][0]]
        assert [topic(t) for t in unread[:3]] == ["kitchen"] * 3
        status = str(app.screen.query_one("#status", Static).render())
        assert "sort: for you" in status
        assert "why: " in abstract_text(app)


async def test_more_like_this_is_a_view_of_the_nearest_papers_that_triage_takes(topics: Path):
    app = make_app(topics)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        stars = next(t for t in shown_titles(app) if t.startswith("Stars study 2:"))
        app.screen.papers.move_to(shown_titles(app).index(stars))
        await pilot.press("m")
        await settle(pilot)
        shown = shown_titles(app)
        assert stars not in shown and [topic(t) for t in shown[:6]] == ["stars"] * 6
        assert "like “Stars study" in str(app.screen.query_one("#status", Static).render())
        screen = await _triage(app, pilot)
        assert screen.queue.order == "most like it first"
        assert {topic(app.library.get_paper(i).title) for i in screen.queue.ids[:3]} == {"stars"}


async def test_w_watches_the_first_author_and_the_views_count_the_new_papers(topics: Path):
    app = make_app(topics)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        author = app.library.get_paper(app.screen.papers.current_id).authors[0]
        await pilot.press("W")
        await settle(pilot)
        assert app.library.is_watched("author", author)
        assert f"watching author {author}" in str(app.screen.query_one("#status", Static).render())
        await pilot.press("v")
        await settle(pilot)
        listing, labels = _view_options(app)
        line = next(label for label in labels if label.startswith(f"Watching {author}"))
        assert "new" not in line  # watched now: nothing new since
        listing.highlighted = labels.index(line)
        await pilot.press("enter")
        await settle(pilot)
        assert all(author in app.library.get_paper(i).authors for i in app.screen.papers.ids)
        await pilot.press("W")
        assert not app.library.is_watched("author", author)


async def test_l_on_a_tag_in_the_views_orders_the_unread_papers_like_that_tag(topics: Path):
    with Library.open(topics) as other:
        rows = other.rows(other.ordered_ids())
        other.add_tag([r.id for r in rows if r.title.startswith("Ciphers study") and r.read], "crypto")
    app = make_app(topics)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        listing, labels = _view_options(app)
        listing.highlighted = next(i for i, label in enumerate(labels) if label.startswith("#crypto"))
        await pilot.press("l")
        await settle(pilot)
        assert app.screen.sort == "like:crypto" and app.screen.view.kind.value == "unread"
        assert "sort: like #crypto" in str(app.screen.query_one("#status", Static).render())
        assert [topic(t) for t in shown_titles(app)[:3]] == ["ciphers"] * 3


async def test_a_watch_counts_papers_imported_after_it_until_its_view_is_opened(topics: Path):
    from tests.helpers import dump, paper

    app = make_app(topics)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        author = app.library.get_paper(app.screen.papers.current_id).authors[0]
        await pilot.press("W")
        with Library.open(topics) as other:  # (another process imports two of hers later)
            other.conn.execute("UPDATE watches SET opened_at = '2000-01-01T00:00:00+00:00'")
            other.add_dump(dump(paper("Fresh one", authors=[author]), paper("Fresh two", authors=[author])),
                           file="new.txt", path=None, sha256="new")
        await pilot.press("f5", "v")
        await settle(pilot)
        listing, labels = _view_options(app)
        line = next(label for label in labels if label.startswith(f"Watching {author}"))
        total = sum(1 for r in app.library.rows(app.library.ordered_ids())
                    if author in (app.library.get_paper(r.id).authors or []))
        assert line.endswith(f"  {total}  {total} new")  # every paper is newer than 2000
        listing.highlighted = labels.index(line)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        listing, labels = _view_options(app)
        line = next(label for label in labels if label.startswith(f"Watching {author}"))
        assert "new" not in line  # opened: nothing new since


async def test_triage_keys_follow_the_config(library: Path):
    from tuireader.config import config_file

    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[keys]\ntriage = "ctrl+t"\ntriage-later = "x"\ntoggle-star = "f"\n', encoding="utf-8")
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.config_problems == []
        await pilot.press("T")
        assert not isinstance(app.screen, TriageScreen)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
        first = app.library.get_paper(app.screen.queue.ids[0]).title
        await pilot.press("x", "f")
        assert "1 starred · 1 later" in _progress(app)
    assert _state(library)[first][:2] == (False, False)
