"""Keys typed ahead act as if typed slowly: one key at a time, each on what the keys before it left.

Over ssh a fast typist's keys, or whatever was typed while the link stalled, arrive in one
packet. Textual hands each key to the widget focused *when the key is read*, and a key's work
(the binding it runs, the screen it opens, the focus it moves, the search it starts) finishes
several messages later: the rest of a burst would go to the old screen or the old widget (a
``t`` opens the tag editor, and the ``j`` typed after its ``Escape`` lands in the list before
the editor has even mounted; the ``s`` after a search's ``Enter`` stars the paper the list showed
before the search).

So the app lets one key through at a time. A key goes at once when nothing is in flight (a key
typed alone costs nothing more); the next one waits until the first has *settled*: every message
it caused on every screen has been handled (the barrier, :meth:`TypeAhead._settle`) and no
*hold* stands in the way. A hold is work a later key depends on that finishes outside the
message queues (a search running in a worker thread): the screen that starts it holds the keys
until its result is shown, and says which keys may pass meanwhile (letters typed into the search
line go on at once, so typing never waits for a search; ``Enter`` waits for the list it opens).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.widget import Widget

from tuireader.widgets.textual_compat import install_burst_safe_parser, pump_is_idle

#: Which keys may pass a hold: called with the key and the widget focused now.
LetsThrough = Callable[[events.Key, Widget | None], bool]

#: The most barrier rounds a key's settling takes before the next key goes anyway (a widget
#: that never stops posting messages must not stop the keyboard).
MAX_ROUNDS = 50
#: The longest a hold keeps keys waiting (seconds): a search stuck behind another process's
#: write for longer still lets the keys through, in order, then.
HOLD_TIMEOUT = 10.0


class TypeAhead:
    """The queue of keys typed ahead of the app, and the holds that keep them waiting."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._keys: deque[events.Key] = deque()
        self._holds: dict[int, tuple[object, LetsThrough | None, float]] = {}
        #: The key being handed to the app's own dispatch (it passes the gate then).
        self._releasing: events.Key | None = None
        self._task: asyncio.Task[None] | None = None
        self._released = asyncio.Event()
        #: How many keys the terminal has sent so far.
        self.received = 0

    # -- holds ---------------------------------------------------------------------------------
    def hold(self, owner: object, lets_through: LetsThrough | None = None) -> None:
        """Keep keys waiting until :meth:`release` (``owner``: who holds; one hold each).

        ``lets_through`` says which keys may go on meanwhile (none, without it).
        """
        self._holds[id(owner)] = (owner, lets_through, time.monotonic())

    def release(self, owner: object) -> None:
        """End ``owner``'s hold (nothing happens if it holds nothing)."""
        if self._holds.pop(id(owner), None) is not None:
            self._released.set()

    def holding(self, owner: object) -> bool:
        """True while ``owner`` holds the keys."""
        return id(owner) in self._holds

    def _blocked(self, key: events.Key) -> bool:
        """True when a hold keeps ``key`` waiting now (a hold past HOLD_TIMEOUT is dropped)."""
        now = time.monotonic()
        focused = self.app.focused if self.app.screen_stack else None
        blocked = False
        for ident, (_owner, lets_through, since) in list(self._holds.items()):
            if now - since > HOLD_TIMEOUT:
                del self._holds[ident]
            elif lets_through is None or not lets_through(key, focused):
                blocked = True
        return blocked

    # -- keys ----------------------------------------------------------------------------------
    @property
    def pending(self) -> int:
        """How many keys wait (not counting the one in flight)."""
        return len(self._keys)

    @property
    def busy(self) -> bool:
        """True while a key is in flight or keys wait."""
        return self._task is not None or bool(self._keys)

    def passes(self, event: events.Key) -> bool:
        """Called by the app with each key the terminal sent: True when it goes on now.

        Otherwise the key waits its turn, and the app is handed it again when that comes.
        """
        if event is self._releasing:
            self._releasing = None
            return True
        self.received += 1
        if self._task is None and not self._keys and not self._blocked(event):
            self._task = asyncio.create_task(self._drain())  # settles this key, then the rest
            return True
        self._keys.append(event)
        if self._task is None:
            self._task = asyncio.create_task(self._drain())
        return False

    async def _drain(self) -> None:
        try:
            await self._settle()
            while self._keys and self.app.screen_stack:
                key = self._keys[0]
                while self._blocked(key):
                    await self._wait_for_release()
                    await self._settle()
                self._keys.popleft()
                self._releasing = key
                self.app.post_message(key)
                await self._settle()
        finally:
            self._task = None

    async def _wait_for_release(self) -> None:
        self._released.clear()
        with contextlib.suppress(TimeoutError):  # (re-checked then: a hold may have timed out)
            await asyncio.wait_for(self._released.wait(), timeout=0.25)

    async def _settle(self) -> None:
        """Return once every message the keys so far caused has been handled, on every screen.

        A round asks each node (the app, every screen of the stack and their widgets) to call
        back once it has handled what it had queued; the round is repeated until one ends with
        every queue empty and the same screens: messages posted meanwhile (a key bubbling up
        to the app, a pushed screen composing and mounting, a focus change) are handled too.
        """
        for _ in range(MAX_ROUNDS):
            stack = list(self.app.screen_stack)
            await _barrier(_barrier_nodes(self.app))
            if stack == list(self.app.screen_stack) and all(
                pump_is_idle(node) for node in _nodes(self.app)
            ):
                return


def _nodes(app: App[Any]) -> list[DOMNode]:
    nodes: list[DOMNode] = [app]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children(with_self=True))
    return nodes


def _barrier_nodes(app: App[Any]) -> list[DOMNode]:
    """The nodes a barrier round asks: the app and the top screen's (a key's work runs there),
    and of the screens below only those with messages waiting. Asking an idle screen below
    wakes it, and Textual then repaints the whole of the top screen over it: a cursor move
    sent 41 KB to the terminal instead of 8."""
    stack = app.screen_stack
    nodes: list[DOMNode] = [app]
    if stack:
        nodes.extend(stack[-1].walk_children(with_self=True))
    for screen in stack[:-1]:
        nodes.extend(n for n in screen.walk_children(with_self=True) if not pump_is_idle(n))
    return nodes


#: The longest one barrier round waits (seconds): a node closed meanwhile (a screen dismissed)
#: never calls back, and the next round asks the nodes there are then.
ROUND_TIMEOUT = 0.5


async def _barrier(nodes: list[DOMNode]) -> None:
    """Wait until each of ``nodes`` has handled the messages it had queued."""
    remaining = 0
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal remaining
        remaining -= 1
        if remaining == 0:
            done.set()

    for node in nodes:
        if node.call_later(one_done):
            remaining += 1
    if remaining:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout=ROUND_TIMEOUT)


ReturnType = TypeVar("ReturnType")


class TypeAheadApp(App[ReturnType], Generic[ReturnType]):
    """An App whose keys go one at a time through a :class:`TypeAhead` (``self.type_ahead``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        install_burst_safe_parser()
        #: The keys typed ahead, and the holds that keep them waiting.
        self.type_ahead = TypeAhead(self)

    async def on_event(self, event: events.Event) -> None:
        """A key from the terminal waits its turn (see the module's docstring)."""
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and not self.type_ahead.passes(event)
        ):
            return
        await super().on_event(event)
