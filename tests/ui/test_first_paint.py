"""Pilot tests: the first screen is built once, at the terminal's size, with nothing thrown away."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tests.app_helpers import AGENTS, build_library, make_app
from tests.flows_helpers import abstract_text, papers, started
from tuireader.app import GC_YOUNG_THRESHOLD, ReaderApp, breakpoint_classes
from tuireader.screens.main import MainScreen
from tuireader.widgets.abstract_pane import AbstractPane


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return build_library(tmp_path)


@pytest.mark.parametrize(("size", "layout"), [((120, 40), "-wide"), ((80, 24), "-narrow")])
async def test_the_abstract_is_wrapped_only_at_the_width_it_is_shown_at(
    library: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], layout: str
):
    # Shown as the screen mounts, before any layout, the abstract was once wrapped at width 1
    # (a line per character), then at the narrow layout's width, then at the wide one's.
    widths: list[int] = []
    wrap = AbstractPane._wrap

    def recording_wrap(self: AbstractPane) -> None:
        wrap(self)
        if self._width:
            widths.append(self._width)

    monkeypatch.setattr(AbstractPane, "_wrap", recording_wrap)
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await started(app, pilot)
        pane = app.screen.query_one(AbstractPane)
        assert abstract_text(app).startswith(AGENTS)
        assert app.screen.has_class(layout)
        assert widths, "the abstract was never wrapped"
        assert set(widths) == {pane.scrollable_content_region.width}


async def test_the_main_screen_is_focused_on_the_list_as_it_mounts(library: Path, monkeypatch):
    # Focused by a callback after the first paint, the list was restyled and the screen laid
    # out again.
    focused: list[object] = []
    on_mount = MainScreen.on_mount

    def recording_on_mount(self: MainScreen) -> None:
        on_mount(self)
        focused.append(self.focused)

    monkeypatch.setattr(MainScreen, "on_mount", recording_on_mount)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert focused == [papers(app)]
        assert app.focused is papers(app)


@pytest.mark.parametrize(("width", "expected"), [(0, "-narrow"), (109, "-narrow"), (110, "-wide")])
def test_breakpoint_classes_follow_the_apps_breakpoints(width: int, expected: str):
    assert breakpoint_classes(ReaderApp.HORIZONTAL_BREAKPOINTS, width) == [expected]


def test_no_breakpoint_class_below_the_first_breakpoint():
    assert breakpoint_classes([(50, "-mid"), (100, "-wide")], 49) == []


async def test_start_up_objects_leave_the_collectors_sight_until_the_app_ends(library: Path):
    # Collections while keys are handled walked every object start-up made (30-80 ms pauses).
    gc.collect()
    gc.unfreeze()
    thresholds = gc.get_threshold()
    gc.disable()  # as `tuireader` does while the app starts
    try:
        app = make_app(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await started(app, pilot)
            widget = papers(app)
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
            assert not any(tracked is widget for tracked in gc.get_objects())
            assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, *thresholds[1:])
    finally:
        gc.enable()
    assert gc.get_freeze_count() == 0
    assert any(tracked is widget for tracked in gc.get_objects())
    assert gc.get_threshold() == thresholds
