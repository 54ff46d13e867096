"""Actions on "the current paper", shared by every screen where a paper is current.

The main screen and the reading view both call these, so ``r``, ``s``, ``t``, ``n``, ``y``,
``w``, ``u`` and ``ctrl+r`` do the same thing wherever a paper is shown. Each takes the paper
ids to act on and a ``done`` callback that receives a one-line message for the status line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tuireader.changes import ChangeQueue
from tuireader.models import counted
from tuireader.screens.guard import shielded
from tuireader.widgets.reader_app import ReaderAppMixin

Done = Callable[[str], None]


def toggle(changes: ChangeQueue, ids: list[int], flag: str) -> str | None:
    """Set ``flag`` (read or starred) on ``ids``, or clear it if all have it; the message.

    Decided on the papers as shown (changes still pending included), written through the
    change queue (so a busy library never drops the key).
    """
    if not ids:
        return None
    turn_on = not all(getattr(row, flag) for row in changes.rows(ids))
    if flag == "read":
        changed = changes.set_read(ids, turn_on)
        verb = "read" if turn_on else "unread"
    else:
        changed = changes.set_starred(ids, turn_on)
        verb = "starred" if turn_on else "unstarred"
    return f"{verb} {counted(changed, 'paper')}"


@dataclass(frozen=True, slots=True)
class Replayed:
    """What an undo or redo did: the message to show and the papers it changed."""

    message: str
    paper_ids: list[int]


def replay(changes: ChangeQueue, *, undo: bool) -> Replayed:
    """Undo (or redo) the last change; the message names the paper (or how many) it changed."""
    ids = changes.replay_papers(undo=undo)
    summary = changes.undo() if undo else changes.redo()
    if summary is None:
        return Replayed("nothing to undo" if undo else "nothing to redo", [])
    verb = "undid" if undo else "redid"
    message = f"{verb}: {summary}"
    if len(ids) == 1:
        paper = changes.paper(ids[0])
        if paper is not None:
            message += f" — {paper.title}"
    return Replayed(message, ids)


def edit_note(
    screen: ReaderAppMixin, paper_id: int, done: Done, *, restored: str | None = None
) -> None:
    """Open the note editor on ``paper_id`` (on a draft ``restored``, if given); ``done`` hears
    "note saved" or "note removed"."""
    from tuireader.screens.dialogs import NoteEditor

    app = screen.app
    paper = app.changes.paper(paper_id)
    if paper is None:
        return

    def save(text: str | None) -> None:
        if text is not None and app.changes.set_note(paper.id, text):
            app.searcher.invalidate()
            done("note saved" if text.strip() else "note removed")

    editor = NoteEditor(paper.id, paper.title, paper.notes or "", restored=restored)
    app.push_screen(editor, shielded(app, save))


def copy_papers(screen: ReaderAppMixin, ids: list[int], done: Done) -> None:
    """Offer title, BibTeX, CSL-JSON or Markdown of ``ids``; copy the choice through the terminal."""
    from tuireader.screens.dialogs import CopyMenu, copy_label, copy_text

    app = screen.app
    if not ids:
        return

    def copy(kind: str | None) -> None:
        if kind is None:
            return
        app.copy_to_clipboard(copy_text(app.library.get_papers(ids), kind))
        message = f"copied {copy_label(kind)} of {counted(len(ids), 'paper')} to the clipboard"
        app.notify(message, timeout=3)
        done(message)

    app.push_screen(CopyMenu(len(ids)), copy)


def open_web(screen: ReaderAppMixin, paper_id: int, done: Done) -> None:
    """Open the paper's arXiv page, else search the web for its title (or show the URL)."""
    from tuireader.screens.dialogs import UrlDialog
    from tuireader.web import open_in_browser, paper_url

    app = screen.app
    paper = app.changes.paper(paper_id)
    if paper is None:
        return
    template = getattr(app, "config", None) and app.config.web_search_url
    url = paper_url(paper.title, paper.arxiv_id, template)
    problem = open_in_browser(url)
    if problem:
        app.push_screen(UrlDialog(url, problem))
    elif paper.arxiv_id:
        done(f"opened arXiv:{paper.arxiv_id} in the browser")
    else:
        done("opened a web search in the browser")
