"""Importing from inside the app: a path with completion, a progress bar, then the summary."""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, ProgressBar, Static

from tuireader.importer import ImportReport, import_data, import_file, new_batch, paste_name
from tuireader.library import Library, LibraryError
from tuireader.models import View, ViewKind
from tuireader.textsafe import has_control, one_line
from tuireader.widgets.reader_app import ReaderAppMixin
from tuireader.widgets.safe_fields import SafeInput

if TYPE_CHECKING:
    from tuireader.app import ReaderApp

#: File names listed under the path when Tab finds several.
MATCHES_SHOWN = 8


def complete_path(text: str) -> list[str]:
    """Paths that start with ``text`` (``~`` expanded), folders ending in "/", sorted."""
    expanded = os.path.expanduser(text)
    folder, stem = os.path.split(expanded)
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return []
    show_hidden = stem.startswith(".")
    matches = []
    for name in sorted(names):
        if not name.startswith(stem) or (name.startswith(".") and not show_hidden):
            continue
        if has_control(name):
            continue  # a name no one can type, and that must not reach the screen raw
        full = os.path.join(folder, name)
        shown = text[: len(text) - len(stem)] + name if text.endswith(stem) else full
        matches.append(shown + ("/" if os.path.isdir(full) else ""))
    return matches


class PathSuggester(Suggester):
    """Inline completion of file paths (accept with → or Tab)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        """What Tab would complete ``value`` to: the one match, or what all matches share.

        Never one of several matches: Enter takes what is shown, so what is shown must be
        what the typed text certainly means.
        """
        if not value:
            return None
        common = completion(value)
        return common if common and len(common) > len(value) else None


def completion(text: str) -> str | None:
    """The longest text every path starting with ``text`` starts with (None: no such path)."""
    matches = complete_path(text)
    return os.path.commonprefix(matches) if matches else None


def is_pasted_page(text: str) -> bool:
    """Is a paste a page to import (several lines) rather than a path to type in?"""
    return sum(1 for line in text.splitlines() if line.strip()) >= 2


class PathInput(SafeInput):
    """The path field: a paste of one line is typed in; a paste of a whole page is imported."""

    class PastedPage(Message):
        """A page was pasted (bracketed paste) into the dialog."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def _on_paste(self, event: events.Paste) -> None:
        # Textual runs Input's own handler after this one unless the default is prevented.
        if is_pasted_page(event.text):
            event.stop()
            event.prevent_default()
            self.post_message(self.PastedPage(event.text))


def expand_paths(text: str) -> list[Path]:
    """The files named by ``text``: one path, or a glob pattern such as ``dumps/*.txt``."""
    expanded = os.path.expanduser(text.strip())
    if any(ch in expanded for ch in "*?["):
        return [Path(p) for p in sorted(glob.glob(expanded))]
    return [Path(expanded)]


def report_text(reports: list[ImportReport]) -> Text:
    """The summary of an import, one block per file, warnings included."""
    text = Text()
    for report in reports:
        if not report.ok:
            line = one_line(f"✗ {report.file}: rejected — {report.reason}")
            text.append(line + "\n", style="bold red")
            continue
        text.append(f"✓ {one_line(report.file)}", style="bold")
        text.append(f"  ({report.layout}, {report.papers} papers)\n")
        counts = f"  {report.new} new · {report.merged} merged · {report.unchanged} unchanged"
        if report.skipped:
            counts += f" · {report.skipped} skipped"
        text.append(counts + "\n")
        if report.status != "imported":
            text.append("  already imported: nothing changed\n", style="dim")
        for warning in report.warnings:
            text.append(f"  ! {one_line(warning)}\n", style="yellow")
    text.rstrip()
    return text


class ImportFinished(Message):
    """An import from the dialog ended (even if the dialog was closed): posted to the screen that
    opened the dialog, it bubbles on up to the app."""

    def __init__(self, reports: list[ImportReport]) -> None:
        super().__init__()
        self.reports = reports


class ImportDialog(ReaderAppMixin, ModalScreen[View | None]):
    """Import dump files; returns the view of the papers they added (or None)."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="import.close"),
        Binding("tab", "complete", "Complete path", priority=True, id="import.complete"),
        Binding("n", "show_new", "Show new papers", show=False, id="import.show-new"),
    ]

    def __init__(self, report_to: MessagePump) -> None:
        """``report_to``: who hears :class:`ImportFinished` (the screen that opened the dialog)."""
        super().__init__()
        self.report_to = report_to
        self.reports: list[ImportReport] = []
        self.busy = False
        self._completed = ""

    def compose(self) -> ComposeResult:
        """Path input, progress bar, summary, hint."""
        with Vertical(id="import-dialog", classes="dialog"):
            yield Static("Import dumps", classes="dialog-title")
            yield PathInput(
                placeholder="a dump's path or ~/dumps/*.txt, or paste a whole page",
                suggester=PathSuggester(),
                id="import-path",
            )
            yield Static("", id="import-matches", markup=False)
            yield ProgressBar(id="import-progress", show_eta=False)
            with VerticalScroll(id="import-summary"):
                yield Static(id="import-report")
            yield Static(
                "Enter import · Tab complete · paste a page to import it · Esc close",
                id="import-hint",
                classes="hint",
            )

    def on_mount(self) -> None:
        """Focus the path."""
        self.query_one("#import-progress").display = False
        self.query_one("#import-summary").display = False
        self.query_one(Input).focus()

    def action_complete(self) -> None:
        """Complete the path as far as it is unambiguous."""
        field = self.query_one(Input)
        if not field.has_focus:
            self.focus_next()
            return
        matches = complete_path(field.value)
        listing = self.query_one("#import-matches", Static)
        if not matches:
            listing.update(f"no file starts with {field.value!r}" if field.value else "")
            return
        common = os.path.commonprefix(matches)
        if len(common) > len(field.value):
            self._completed = common
            field.value = common
            field.cursor_position = len(common)
        if len(matches) > 1:
            # Several files fit: show them (names only), so the next letter to type is clear.
            names = [
                os.path.basename(m.rstrip("/")) + ("/" if m.endswith("/") else "") for m in matches
            ]
            more = f"  … {len(names) - MATCHES_SHOWN} more" if len(names) > MATCHES_SHOWN else ""
            listing.update(f"{len(names)} match: " + "  ".join(names[:MATCHES_SHOWN]) + more)
        else:
            listing.update("")

    @on(Input.Changed, "#import-path")
    def _typed(self, event: Input.Changed) -> None:
        if event.value != self._completed:
            self.query_one("#import-matches", Static).update("")  # typed on: the list is old

    @on(Input.Submitted, "#import-path")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.busy or not event.value.strip():
            return
        value = event.value
        if not os.path.exists(os.path.expanduser(value)):
            common = completion(value)
            if common and len(complete_path(value)) == 1:
                value = common  # the completion shown (greyed) is what Enter takes
        paths = expand_paths(value)
        if not paths:
            self._show([], one_line(f"nothing matches {event.value!r}"))
            return
        self._begin()
        self.run_import(paths)

    @on(PathInput.PastedPage)
    def _pasted_page(self, event: PathInput.PastedPage) -> None:
        self._start_paste(event.text)

    def _on_paste(self, event: events.Paste) -> None:
        """A page pasted while the path field has no focus (after a summary) is imported too."""
        if is_pasted_page(event.text):
            event.stop()
            self._start_paste(event.text)

    def _start_paste(self, text: str) -> None:
        if self.busy:
            return
        self._begin()
        self.run_paste(text)

    def _begin(self) -> None:
        """An import starts: the field waits, the progress bar shows (how much: not known yet)."""
        self.busy = True
        self.query_one(Input).disabled = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)

    @work(thread=True, exclusive=True, group="import")
    def run_paste(self, text: str) -> None:
        """Import a pasted page as a dump named "pasted <date time>" (in a thread)."""
        app = self.app
        try:
            with Library.open(app.library.path) as library:
                report = import_data(
                    text.encode("utf-8", "replace"),
                    paste_name("pasted"),
                    library,
                    progress=lambda done, total: app.call_from_thread(self._progress, done, total),
                    batch=new_batch(),
                )
        except LibraryError as exc:  # (damaged, a full disk as it opened: nothing imported)
            app.call_from_thread(self._refused, exc)
            return
        app.call_from_thread(self._finished, app, [report])

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, paths: list[Path]) -> None:
        """Import in a thread, on a connection of its own, so the list stays responsive.

        The app is taken once, here: the dialog may be closed while the import goes on, and the
        import must then finish and be announced all the same.
        """
        app = self.app
        reports = []
        batch = new_batch()  # the files of one Enter are one "last import"
        try:
            with Library.open(app.library.path) as library:
                library.ensure_sound()  # (never write into a file found damaged meanwhile)
                for path in paths:
                    reports.append(
                        import_file(
                            path,
                            library,
                            progress=lambda done, total: app.call_from_thread(
                                self._progress, done, total
                            ),
                            batch=batch,
                        )
                    )
        except LibraryError as exc:  # (damaged, a full disk as it opened: nothing imported)
            app.call_from_thread(self._refused, exc)
            return
        app.call_from_thread(self._finished, app, reports)

    def _refused(self, exc: LibraryError) -> None:
        """The library could not take the import at all: one line, the dialog stays usable."""
        if self.is_attached:
            self._show([], one_line(exc))
        else:
            self.app.notify(one_line(exc), severity="warning", timeout=8, markup=False)

    def _progress(self, done: int, total: int) -> None:
        if not self.is_attached:
            return  # the dialog was closed; the import goes on without it
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)

    def _finished(self, app: ReaderApp, reports: list[ImportReport]) -> None:
        # To the screen that opened the dialog (it refreshes), then on up to the app (it indexes).
        self.report_to.post_message(ImportFinished(reports))
        if self.is_attached:
            self._show(reports)

    def _show(self, reports: list[ImportReport], problem: str | None = None) -> None:
        self.busy = False
        self.reports = reports
        field = self.query_one(Input)
        field.disabled = False
        self.query_one("#import-progress").display = False
        summary = report_text(reports) if reports else Text(problem or "", style="bold")
        report = self.query_one("#import-report", Static)
        report.update(summary)
        report.set_class(not reports, "-problem")
        self.query_one("#import-summary").display = True
        new = sum(r.new for r in reports if r.ok)
        if new:
            hint = "n show the new papers · Tab import another · Esc close"
        else:
            hint = "Enter import another · Esc close"
        self.query_one("#import-hint", Static).update(hint)
        field.value = ""
        self.set_focus(None if new else field)

    def _new_view(self) -> View | None:
        """The view of every paper new in this dialog's imports."""
        ids = [
            report.import_id
            for report in self.reports
            if report.ok and report.new and report.import_id is not None
        ]
        return View(ViewKind.IMPORT, imports=tuple(ids)) if ids else None

    def action_show_new(self) -> None:
        """Close and show the papers new in these imports."""
        if not self.busy and self._new_view() is not None:
            self.dismiss(self._new_view())

    def action_close(self) -> None:
        """Close (an import under way finishes in the background)."""
        self.dismiss(None)
