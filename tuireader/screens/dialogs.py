"""Small dialogs: the note editor, a name prompt, the copy menu, the URL box, the watch menu."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tuireader.drafts import NOTE, Draft
from tuireader.export import FORMATS
from tuireader.models import Paper
from tuireader.textsafe import one_line
from tuireader.widgets.reader_app import ReaderAppMixin
from tuireader.widgets.safe_fields import SafeInput
from tuireader.widgets.safe_text_area import SafeTextArea

#: The line an editor opened on a draft shows (a reader before this one stopped mid-typing).
DRAFT_RESTORED = "draft restored: what you were typing when the reader stopped · Esc discards it"
#: Seconds of no typing before the note being typed is kept as a draft.
DRAFT_PAUSE = 0.5


class NoteEditor(ReaderAppMixin, ModalScreen[str | None]):
    """Edit a paper's free-text note; returns the new text, or None when cancelled.

    What is typed is kept as a draft (tuireader.drafts) a moment after each pause, and when the
    reader is told to stop: a dropped link loses none of it, and the next reader offers it back
    (``restored``: this editor opens on such a draft; Esc discards it).
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", priority=True, id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, paper_id: int, title: str, text: str, *, restored: str | None = None) -> None:
        """``text``: the note as it is; ``restored``: a draft of it to edit instead."""
        super().__init__()
        self.paper_id = paper_id
        self.paper_title = title
        self.text = text
        self.restored = restored
        self._draft_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        """Title, a text area, a hint."""
        with Vertical(id="note-editor", classes="dialog"):
            yield Static(Text(one_line(f"Note on: {self.paper_title}")), classes="dialog-title")
            if self.restored is not None:
                yield Static(DRAFT_RESTORED, classes="draft-restored")
            start = self.text if self.restored is None else self.restored
            yield SafeTextArea(start, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static("ctrl+s save · Esc cancel (an empty note removes it)", classes="hint")

    def on_mount(self) -> None:
        """Focus the text, cursor at its end."""
        area = self.query_one(TextArea)
        area.cursor_blink = self.app.is_headless is False
        area.focus()
        area.move_cursor(area.document.end)

    def draft(self) -> Draft | None:
        """The note as typed so far, if it differs from the note (a draft worth keeping)."""
        text = self.query_one(TextArea).text
        return None if text == self.text else Draft(NOTE, (self.paper_id,), text)

    @on(TextArea.Changed)
    def _typed(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_PAUSE, self._keep_draft)

    def _keep_draft(self) -> None:
        self._draft_timer = None
        self.app.keep_draft(self.draft())

    def action_save(self) -> None:
        """Return the text."""
        self._forget_draft()
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        """Return None: nothing changes (a draft restored is discarded)."""
        self._forget_draft()
        self.dismiss(None)

    def _forget_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.app.keep_draft(None)


class NamePrompt(ModalScreen[str | None]):
    """Ask for a name (for a saved search)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        """The question and an input."""
        with Vertical(classes="dialog"):
            yield Static(Text(one_line(self.question)), classes="dialog-title")
            yield SafeInput(self.value, id="name-input")
            yield Static("Enter save · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        """Focus the input."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Nothing is saved."""
        self.dismiss(None)


#: What the copy menu offers, by option id: (key, label, maker of the text for the papers):
#: the titles, then the export formats that name a copy key (BibTeX, CSL-JSON, Markdown).
COPY_FORMATS = {
    "title": ("t", "Title", lambda papers: "\n".join(one_line(p.title) for p in papers)),
    **{
        fmt.name: (fmt.copy_key, fmt.label, fmt.writer)
        for fmt in FORMATS.values()
        if fmt.copy_key
    },
}


def copy_label(kind: str) -> str:
    """How the status line names what was copied ("title", "BibTeX", "CSL-JSON"...)."""
    return "title" if kind == "title" else COPY_FORMATS[kind][1]


def copy_text(papers: list[Paper], kind: str) -> str:
    """The text the copy menu puts on the clipboard for ``kind`` (an option id)."""
    return COPY_FORMATS[kind][2](papers).rstrip("\n")


class CopyMenu(ModalScreen[str | None]):
    """Pick what to copy; returns the format's id, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="copy.cancel"),
        *[
            Binding(key, f"pick('{kind}')", label, show=False, id=f"copy.{kind}")
            for kind, (key, label, _) in COPY_FORMATS.items()
        ],
    ]

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        """The formats as a list (or press t, b, m)."""
        what = "this paper" if self.count == 1 else f"{self.count} marked papers"
        with Vertical(id="copy-menu", classes="dialog"):
            yield Static(f"Copy {what} as…", classes="dialog-title")
            yield OptionList(
                *[
                    Option(f"[b]{key}[/b]  {label}", id=kind)
                    for kind, (key, label, _) in COPY_FORMATS.items()
                ],
                id="copy-options",
            )
            keys = "/".join(key for key, _, _ in COPY_FORMATS.values())
            yield Static(f"Enter or {keys} copy · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        """Focus the list."""
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, kind: str) -> None:
        """Copy in this format."""
        self.dismiss(kind)

    def action_cancel(self) -> None:
        """Copy nothing."""
        self.dismiss(None)


class UrlDialog(ModalScreen[None]):
    """Shows a URL that could not be opened here, so it can be copied."""

    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="url.close"),
        Binding("y", "copy", "Copy URL", id="url.copy"),
    ]

    def __init__(self, url: str, reason: str) -> None:
        super().__init__()
        self.url = url
        self.reason = reason

    def compose(self) -> ComposeResult:
        """Why, the URL, a hint."""
        with Vertical(classes="dialog"):
            yield Static(Text(one_line(self.reason)), classes="dialog-title")
            yield Static(Text(one_line(self.url)), id="url")
            yield Static("y copy the URL (OSC 52) · Esc close", classes="hint")

    def action_copy(self) -> None:
        """Copy the URL through the terminal."""
        self.app.copy_to_clipboard(self.url)
        self.notify("URL copied to the clipboard")

    def action_close(self) -> None:
        """Close."""
        self.dismiss()


class WatchMenu(ModalScreen[tuple[str, str] | None]):
    """Watch the paper's first author or its organisation; returns (kind, name), or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="watch.cancel"),
        Binding("a", "pick(0)", "Author", show=False, id="watch.author"),
        Binding("o", "pick(1)", "Organisation", show=False, id="watch.org"),
    ]

    def __init__(self, choices: list[tuple[str, str]], watched: list[bool]) -> None:
        super().__init__()
        self.choices = choices
        self.watched = watched

    def compose(self) -> ComposeResult:
        """The author and the organisation, each marked when watched already."""
        options = []
        for index, ((kind, name), watched) in enumerate(zip(self.choices, self.watched, strict=True)):
            key = "a" if kind == "author" else "o"
            what = "first author" if kind == "author" else "organisation"
            label = Text.assemble((key, "bold"), f"  {what}: ", one_line(name))
            if watched:
                label.append("  (watched: stop watching)", style="dim italic")
            options.append(Option(label, id=str(index)))
        with Vertical(id="watch-menu", classes="dialog"):
            yield Static("Watch…", classes="dialog-title")
            yield OptionList(*options, id="watch-options")
            yield Static("Enter or a/o watch · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        """Focus the list."""
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(int(event.option.id or 0))

    def action_pick(self, index: int) -> None:
        """Watch (or stop watching) choice ``index``."""
        kinds = [kind for kind, _ in self.choices]
        wanted = ("author", "org")[index] if index < 2 else ""
        self.dismiss(self.choices[kinds.index(wanted)] if wanted in kinds else None)

    def action_cancel(self) -> None:
        """Watch nothing."""
        self.dismiss(None)
