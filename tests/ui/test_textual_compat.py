"""The private Textual API tuireader relies on (tuireader/widgets/textual_compat.py) is still there
and still does what the reader needs: these fail first when a Textual release changes it."""

from __future__ import annotations

import inspect

import pytest
from rich.console import Console
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual._parser import Parser
from textual._xterm_parser import XTermParser
from textual.app import App, ComposeResult
from textual.geometry import Region, Size
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Input

from tuireader.widgets.textual_compat import (
    PRIVATE_NAMES,
    CrashHooksApp,
    ValueHookInput,
    keymap,
    set_virtual_size,
)


def _parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_every_private_name_used_is_still_there():
    # Attributes set in __init__ are looked for on an instance, methods on the class.
    instances = {
        App: App(),
        MessagePump: MessagePump(),
        Screen: Screen(),
        Parser: XTermParser(),
        Console: Console(),
        LayoutUpdate: LayoutUpdate([], Region(0, 0, 1, 1)),
        ChopsUpdate: ChopsUpdate([], [], []),
    }
    for owner, names in PRIVATE_NAMES.items():
        for name in names:
            where = instances.get(owner, owner)
            assert hasattr(where, name), f"{owner.__name__}.{name}"


def test_the_private_methods_still_take_what_we_pass():
    assert _parameters(Widget._scroll_update) == ["self", "virtual_size"]
    assert _parameters(Widget.set_reactive)[:3] == ["self", "reactive", "value"]
    assert _parameters(Input._watch_value) == ["self", "value"]
    assert _parameters(App._handle_exception) == ["self", "error"]
    assert _parameters(App._fatal_error) == ["self"]
    assert _parameters(App._close_messages_no_wait) == ["self"]


class _Box(ScrollView):
    pass


class _Seen(ValueHookInput):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def before_value_drawn(self, value: str) -> None:
        self.seen.append(value)


class _Harness(CrashHooksApp[None]):
    def __init__(self) -> None:
        super().__init__()
        self.errors: list[Exception] = []

    def compose(self) -> ComposeResult:
        yield _Box(id="box")
        yield _Seen()

    def on_unexpected_error(self, error: Exception) -> None:
        self.errors.append(error)

    def action_fail(self) -> None:
        raise RuntimeError("boom")


async def test_a_quiet_virtual_size_change_sets_the_size_and_the_scrollbar():
    app = _Harness()
    async with app.run_test(size=(40, 10)) as pilot:
        box = app.query_one(_Box)
        set_virtual_size(box, Size(40, 500))
        await pilot.pause()
        assert box.virtual_size == Size(40, 500)
        assert box.show_vertical_scrollbar
        assert box.vertical_scrollbar.window_virtual_size == 500
        set_virtual_size(box, Size(40, 3))
        await pilot.pause()
        assert box.virtual_size == Size(40, 3)
        assert not box.show_vertical_scrollbar


async def test_the_value_hook_runs_for_every_new_value():
    app = _Harness()
    async with app.run_test() as pilot:
        field = app.query_one(_Seen)
        field.focus()
        await pilot.press("a", "b")
        assert field.seen[-2:] == ["a", "ab"]


async def test_the_keymap_given_is_read_back():
    app = _Harness()
    app.set_keymap({"some.id": "x"})
    assert keymap(app) == {"some.id": "x"}


async def test_an_unexpected_error_is_heard_and_ends_the_app_with_status_1():
    app = _Harness()
    with pytest.raises(RuntimeError, match="boom"):  # (run_test re-raises it at the end)
        async with app.run_test() as pilot:
            await pilot.press("x")  # (no such binding: nothing happens)
            app.call_later(app.run_action, "fail")
            await pilot.pause()
    assert [str(e) for e in app.errors] == ["boom"]
    assert app.return_code == 1
