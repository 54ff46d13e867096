"""Importing from inside the app: a path with completion, a progress bar, then the summary."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, ProgressBar, Static

from tuireader.importer import ImportReport, import_data, import_file, new_batch, paste_name
from tuireader.library import Library


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
        full = os.path.join(folder, name)
        shown = text[: len(text) - len(stem)] + name if text.endswith(stem) else full
        matches.append(shown + ("/" if os.path.isdir(full) else ""))
    return matches


class PathSuggester(Suggester):
    """Inline completion of file paths (accept with → or Tab)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        """The first path that extends ``value``."""
        if not value:
            return None
        matches = complete_path(value)
        return matches[0] if matches else None


def is_pasted_page(text: str) -> bool:
    """Is a paste a page to import (several lines) rather than a path to type in?"""
    return sum(1 for line in text.splitlines() if line.strip()) >= 2


class PathInput(Input):
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
            text.append(f"✗ {report.file}: rejected — {report.reason}\n", style="bold red")
            continue
        text.append(f"✓ {report.file}", style="bold")
        text.append(f"  ({report.layout}, {report.papers} papers)\n")
        counts = f"  {report.new} new · {report.merged} merged · {report.unchanged} unchanged"
        if report.skipped:
            counts += f" · {report.skipped} skipped"
        text.append(counts + "\n")
        if report.status != "imported":
            text.append("  already imported: nothing changed\n", style="dim")
        for warning in report.warnings:
            text.append(f"  ! {warning}\n", style="yellow")
    text.rstrip()
    return text


class ImportFinished(Message):
    """Posted to the app when an import from the dialog ends (even if the dialog was closed)."""

    def __init__(self, reports: list[ImportReport]) -> None:
        super().__init__()
        self.reports = reports


class ImportDialog(ModalScreen[str | None]):
    """Import dump files; returns the view of the papers they added (or None)."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("tab", "complete", "Complete path", priority=True),
        Binding("n", "show_new", "Show new papers", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.reports: list[ImportReport] = []
        self.busy = False

    def compose(self) -> ComposeResult:
        """Path input, progress bar, summary, hint."""
        with Vertical(id="import-dialog", classes="dialog"):
            yield Static("Import dumps", classes="dialog-title")
            yield PathInput(
                placeholder="a dump's path or ~/dumps/*.txt, or paste a whole page",
                suggester=PathSuggester(),
                id="import-path",
            )
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
        if not matches:
            return
        common = os.path.commonprefix(matches)
        field.value = common if len(common) > len(field.value) else matches[0]
        field.cursor_position = len(field.value)

    @on(Input.Submitted, "#import-path")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.busy or not event.value.strip():
            return
        paths = expand_paths(event.value)
        if not paths:
            self._show([], f"nothing matches {event.value!r}")
            return
        self.busy = True
        self.query_one(Input).disabled = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
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
        self.busy = True
        self.query_one(Input).disabled = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.run_paste(text)

    @work(thread=True, exclusive=True, group="import")
    def run_paste(self, text: str) -> None:
        """Import a pasted page as a dump named "pasted <date time>" (in a thread)."""
        app = self.app
        with Library.open(app.library.path) as library:
            report = import_data(
                text.encode("utf-8", "replace"),
                paste_name("pasted"),
                library,
                progress=lambda done, total: app.call_from_thread(self._progress, done, total),
                batch=new_batch(),
            )
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
        with Library.open(app.library.path) as library:
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
        app.call_from_thread(self._finished, app, reports)

    def _progress(self, done: int, total: int) -> None:
        if not self.is_attached:
            return  # the dialog was closed; the import goes on without it
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)

    def _finished(self, app, reports: list[ImportReport]) -> None:
        app.post_message(ImportFinished(reports))
        if self.is_attached:
            self._show(reports)

    def _show(self, reports: list[ImportReport], problem: str | None = None) -> None:
        self.busy = False
        self.reports = reports
        field = self.query_one(Input)
        field.disabled = False
        self.query_one("#import-progress").display = False
        summary = report_text(reports) if reports else Text(problem or "", style="bold red")
        self.query_one("#import-report", Static).update(summary)
        self.query_one("#import-summary").display = True
        new = sum(r.new for r in reports if r.ok)
        if new:
            hint = "n show the new papers · Tab import another · Esc close"
        else:
            hint = "Enter import another · Esc close"
        self.query_one("#import-hint", Static).update(hint)
        field.value = ""
        self.set_focus(None if new else field)

    def _new_view(self) -> str | None:
        """The view of every paper new in this dialog's imports: ``import:ID,ID…``."""
        ids = [
            str(report.import_id)
            for report in self.reports
            if report.ok and report.new and report.import_id is not None
        ]
        return "import:" + ",".join(ids) if ids else None

    def action_show_new(self) -> None:
        """Close and show the papers new in these imports."""
        if not self.busy and self._new_view() is not None:
            self.dismiss(self._new_view())

    def action_close(self) -> None:
        """Close (an import under way finishes in the background)."""
        self.dismiss(None)
