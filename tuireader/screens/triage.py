"""Triage mode: the unread papers of a view, best first, one screen each, one key a decision.

Star it, dismiss it (mark it read), tag it, leave it for later, or open it: each decides and
shows the next paper. ``u`` takes back the last decision (every change it made, through the
change queue's undo, so the journal has it all) and shows that paper again; ``Esc`` goes back to
the list with the cursor on the paper reached. The queue is fixed when triage starts, so the
same keys always give the same decisions, typed one by one or all at once.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from tuireader.library import LibraryError
from tuireader.models import counted
from tuireader.screens.guard import busy_safe
from tuireader.textsafe import one_line
from tuireader.widgets.abstract_pane import AbstractPane
from tuireader.widgets.key_footer import KeyFooter
from tuireader.widgets.reader_app import ReaderAppMixin

#: What each decision is called in the progress line and the summary.
STARRED, DISMISSED, TAGGED, LATER, OPENED = "starred", "dismissed", "tagged", "later", "opened"


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision: on which paper, what, and how many changes (undo steps) it made."""

    paper_id: int
    verdict: str
    steps: int


@dataclass(frozen=True, slots=True)
class TriageQueue:
    """What triage goes through: the papers in order, what they are, how they were ordered."""

    ids: tuple[int, ...]
    #: The view's name ("new in the last import", "#rl", "like paper 12"…).
    label: str
    #: How the papers are ordered ("for you", "date"…).
    order: str
    #: The model whose reasons are shown (None: the order is no model's).
    model: str | None = None


class TriageScreen(ReaderAppMixin, Screen[int | None]):
    """Decide on each paper of a queue with one key; returns the paper reached (for the cursor)."""

    BINDINGS = [
        Binding("s", "star", "Star", id="toggle-star", tooltip="Star it (it is read: decided), next"),
        Binding("d,r", "dismiss_paper", "Dismiss", id="toggle-read", tooltip="Mark it read (not for you), next"),
        Binding("t", "tag", "Tag", id="tags", tooltip="Tag it (the tag editor), then the next"),
        Binding("l,space", "later", "Later", id="triage-later", tooltip="Leave it unread for later, next"),
        Binding("enter", "open", "Open", id="triage-open", tooltip="Read it in the reading view (marks it read), then the next"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Take back the last decision and show that paper again"),
        Binding("pagedown", "scroll(1)", "Page down", show=False, id="page-down"),
        Binding("pageup", "scroll(-1)", "Page up", show=False, id="page-up"),
        Binding("escape,q", "leave", "Back", id="back", tooltip="Back to the list, the cursor on this paper"),
        Binding("question_mark", "help", "Help", show=False, id="help"),
    ]

    def __init__(self, queue: TriageQueue) -> None:
        super().__init__()
        self.queue = queue
        self.decisions: list[Decision] = []
        self._message = ""

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """The progress line, the paper, a status line and the keys."""
        yield Static("", id="triage-progress", markup=False)
        yield AbstractPane(id="triage-paper")
        yield Static("", id="triage-status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show the first paper."""
        self._show()

    @property
    def position(self) -> int:
        """The index of the paper shown (every paper before it is decided)."""
        return len(self.decisions)

    @property
    def current(self) -> int | None:
        """The paper shown (None once every paper is decided)."""
        ids = self.queue.ids
        return ids[self.position] if self.position < len(ids) else None

    def _show(self) -> None:
        panes = self.query("#triage-paper").results(AbstractPane)
        pane = next(panes, None)
        if pane is None:
            return  # (keys sent with the one that opened triage: compose has not run yet)
        current = self.current
        if current is None:
            pane.show_message(self._summary())
        else:
            paper = self.app.changes.paper(current)
            reasons = self.app.ranker.reasons(current, self.queue.model) if self.queue.model else []
            if paper is None:
                pane.show_message("This paper is no longer in the library: press l for the next.")
            else:
                pane.show(paper, reasons=reasons, compact=True)
        self._progress()

    def _progress(self) -> None:
        total = len(self.queue.ids)
        left = total - self.position
        tally = Counter(d.verdict for d in self.decisions)
        counts = " · ".join(f"{tally[v]} {v}" for v in (STARRED, DISMISSED, TAGGED, OPENED, LATER) if tally[v])
        head = f"Triage · {self.queue.label} · {self.queue.order}"
        line = Text(one_line(head), style="bold")
        line.append(f"   {left} of {total} left" if left else f"   all {total} decided")
        if counts:
            line.append(f" · {counts}", style="dim")
        self.query_one("#triage-progress", Static).update(line)
        self.query_one("#triage-status", Static).update(Text(one_line(self._message)))

    def _summary(self) -> str:
        if not self.queue.ids:
            return (
                f"Nothing to triage: no unread papers in {self.queue.label}.\n\n"
                "Esc goes back to the list (v picks another view)."
            )
        tally = Counter(d.verdict for d in self.decisions)
        parts = [f"{tally[v]} {v}" for v in (STARRED, DISMISSED, TAGGED, OPENED, LATER) if tally[v]]
        return (
            f"All {counted(len(self.queue.ids), 'paper')} decided: {', '.join(parts)}.\n\n"
            "Esc goes back to the list; u takes back the last decision."
        )

    # -- deciding ------------------------------------------------------------------------------
    def _decide(self, verdict: str, steps: int, message: str) -> None:
        current = self.current
        if current is None:
            return
        self.decisions.append(Decision(current, verdict, steps))
        self._message = message
        self._show()

    def _title(self, paper_id: int) -> str:
        paper = self.app.changes.paper(paper_id)
        return paper.title if paper is not None else f"paper {paper_id}"

    def _changing(self, change: Callable[[], object]) -> int:
        """Run ``change``; how many undo steps it made."""
        before = self.app.changes.made
        change()
        return self.app.changes.made - before

    @busy_safe
    def action_star(self) -> None:
        """Star the paper (and mark it read: it is decided), then the next."""
        current = self.current
        if current is None:
            return
        changes = self.app.changes
        steps = self._changing(lambda: (changes.set_starred([current]), changes.set_read([current])))
        self._decide(STARRED, steps, f"starred: {self._title(current)}")

    @busy_safe
    def action_dismiss_paper(self) -> None:
        """Mark the paper read (not for you), then the next."""
        current = self.current
        if current is None:
            return
        steps = self._changing(lambda: self.app.changes.set_read([current]))
        self._decide(DISMISSED, steps, f"dismissed: {self._title(current)}")

    def action_later(self) -> None:
        """Leave the paper unread, for later; the next."""
        current = self.current
        if current is not None:
            self._decide(LATER, 0, f"later: {self._title(current)}")

    def action_tag(self) -> None:
        """Tag the paper in the tag editor; once a tag is added it is read, and the next shows."""
        from tuireader.screens.tags import TagEditor

        current = self.current
        if current is None:
            return
        before = self.app.changes.made

        @busy_safe
        def closed(screen: TriageScreen, changed: bool | None = None) -> None:
            if not changed:
                screen._message = "no tag added: still on this paper"
                screen._show()
                return
            screen.app.changes.set_read([current])
            steps = screen.app.changes.made - before
            screen._decide(TAGGED, steps, f"tagged: {screen._title(current)}")

        self.app.push_screen(TagEditor([current]), lambda changed=None: closed(self, changed))

    def action_open(self) -> None:
        """Open the paper in the reading view (marking it read); back here, the next."""
        from tuireader.screens.reading import ReadingScreen

        current = self.current
        if current is None:
            return
        before = self.app.changes.made
        with contextlib.suppress(LibraryError):  # (a refused write: the paper opens all the same)
            self.app.changes.set_read([current])

        def closed(_: int | None = None) -> None:
            steps = self.app.changes.made - before
            self._decide(OPENED, steps, f"read: {self._title(current)}")

        self.app.push_screen(ReadingScreen(current, [current]), closed)

    @busy_safe
    def action_undo(self) -> None:
        """Take back the last decision (every change it made) and show that paper again."""
        if not self.decisions:
            self._message = "nothing to take back"
            self._progress()
            return
        decision = self.decisions.pop()
        for _ in range(decision.steps):
            self.app.changes.undo()
        self.app.searcher.invalidate()
        self._message = f"took back {decision.verdict}: {self._title(decision.paper_id)}"
        self._show()

    def action_scroll(self, pages: int) -> None:
        """Scroll a long abstract a page down (or up)."""
        pane = self.query_one(AbstractPane)
        pane.action_page_down() if pages > 0 else pane.action_page_up()

    def action_leave(self) -> None:
        """Back to the list, its cursor on the paper reached."""
        reached = self.current
        if reached is None and self.queue.ids:
            reached = self.queue.ids[-1]
        self.dismiss(reached)

    def action_help(self) -> None:
        """Show every key."""
        from tuireader.screens.help import HelpWanted

        self.post_message(HelpWanted())
