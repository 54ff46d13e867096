"""The help screen: every key of every screen, read from their bindings, and the query language."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tuireader import search

_KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "delete": "Del",
    "tab": "Tab",
    "down": "↓",
    "up": "↑",
    "home": "Home",
    "end": "End",
}


def key_label(keys: str) -> str:
    """ "j,down" -> "j ↓"; "ctrl+r" -> "ctrl+r"."""
    return " ".join(_KEY_NAMES.get(k, k) for k in keys.split(","))


def binding_sections() -> list[tuple[str, list[Binding]]]:
    """The screens and widgets whose keys the help lists, with their bindings."""
    from tuireader.screens.dialogs import CopyMenu, NoteEditor, UrlDialog
    from tuireader.screens.import_dialog import ImportDialog
    from tuireader.screens.main import MainScreen
    from tuireader.screens.reading import ReadingScreen
    from tuireader.screens.tags import TagEditor
    from tuireader.screens.views import ViewPicker
    from tuireader.widgets.abstract_pane import AbstractPane
    from tuireader.widgets.paper_list import PaperList

    sections = [
        ("Paper list", PaperList.BINDINGS),
        ("Main screen", MainScreen.BINDINGS),
        ("Abstract pane (Tab to focus)", AbstractPane.BINDINGS),
        ("Reading view", ReadingScreen.BINDINGS),
        ("Tag editor", TagEditor.BINDINGS),
        ("Note editor", NoteEditor.BINDINGS),
        ("View picker", ViewPicker.BINDINGS),
        ("Copy menu", CopyMenu.BINDINGS),
        ("Import dialog", ImportDialog.BINDINGS),
        ("URL box", UrlDialog.BINDINGS),
    ]
    extra = [
        Binding("enter", "open", "Open the paper (marks it read) / leave the search line"),
        Binding("tab", "focus", "Move between search, list and abstract"),
        Binding("ctrl+p", "palette", "Command palette: every action, themes"),
    ]
    return [("General", extra), *sections]


def help_text() -> Group:
    """Every key, section by section: a heading, then a two-column table."""
    parts = []
    for title, bindings in binding_sections():
        parts.append(Text(title, style="bold reverse"))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=12)
        table.add_column()
        for binding in bindings:
            if binding.description:
                table.add_row(key_label(binding.key), binding.tooltip or binding.description)
        parts.extend([table, Text("")])
    return Group(*parts)


def _query_help() -> str:
    doc = search.__doc__ or ""
    start = doc.find("Query language::")
    end = doc.find("Candidates are")
    return doc[start:end].replace("Query language::", "Search language:").rstrip() + "\n"


class HelpScreen(ModalScreen[None]):
    """Every key and the search language."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        """The keys, then the search language, in a scrolling box."""
        with VerticalScroll(id="help"):
            yield Static(Text("tuireader — keys", style="bold"))
            yield Static(help_text())
            yield Static(Text(_query_help()))

    def on_mount(self) -> None:
        """Focus the box so the arrows scroll it."""
        self.query_one("#help").focus()

    def action_close(self) -> None:
        """Back."""
        self.dismiss()
