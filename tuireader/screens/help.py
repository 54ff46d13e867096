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
    "percent_sign": "%",
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
    from tuireader.screens.stats import StatsScreen
    from tuireader.screens.tags import TagEditor
    from tuireader.screens.views import ViewPicker
    from tuireader.widgets.abstract_pane import AbstractPane
    from tuireader.widgets.paper_list import PaperList

    sections = [
        ("Paper list", PaperList.BINDINGS),
        ("Main screen", MainScreen.BINDINGS),
        ("Abstract pane (Tab to focus)", AbstractPane.BINDINGS),
        ("Reading view", ReadingScreen.BINDINGS),
        ("Statistics", StatsScreen.BINDINGS),
        ("Help", HelpScreen.BINDINGS),
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


def binding_ids() -> set[str]:
    """Every binding id a config file's [keys] may name."""
    return {
        binding.id
        for _, bindings in binding_sections()
        for binding in bindings
        if binding.id is not None
    }


#: The search language, one row a form: what to type, what it finds.
QUERY_HELP = [
    (
        "diffusion budget",
        "every word must match the title, authors, organisation, notes or abstract; a finished"
        " word also finds -s/-es/-ed/-ing; the word being typed is a prefix; typos are forgiven;"
        " title matches first, ranked fuzzily",
    ),
    ('"test-time compute"', "a phrase: these words, in this order"),
    ("tag:to-read", "papers with that tag"),
    ('author:"sheng cao"', "author names (typos forgiven, as for bare words)"),
    ("org:meta", "organisation name or handle (typos forgiven)"),
    ("year:2024  year:2023..2025  year:..2022", "a year, or a range"),
    ("is:unread  is:read  is:starred  is:unstarred", "the reader's state"),
    ("has:code  has:notes  has:tags", "papers that have them"),
    ("-word  -tag:x  -is:read", 'a leading "-" negates any term'),
]


def help_text(keymap: dict[str, str] | None = None) -> Group:
    """Every key, section by section (with the keys a config's keymap gave), then the search.

    The third column is the binding's id: the name to use in the config file's [keys].
    """
    keymap = keymap or {}
    parts = []
    for title, bindings in binding_sections():
        parts.append(Text(title, style="bold reverse"))
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(style="bold", no_wrap=True, min_width=12)
        table.add_column(ratio=1)
        table.add_column(style="dim", no_wrap=True, justify="right")
        for binding in bindings:
            if binding.description:
                keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
                table.add_row(
                    key_label(keys), binding.tooltip or binding.description, binding.id or ""
                )
        parts.extend([table, Text("")])
    parts.append(Text("Search language", style="bold reverse"))
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(style="bold", ratio=2)
    table.add_column(ratio=3)
    for form, meaning in QUERY_HELP:
        table.add_row(form, meaning)
    parts.append(table)
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """Every key and the search language."""

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
        Binding("j,down", "scroll('down')", "Scroll down", id="down"),
        Binding("k,up", "scroll('up')", "Scroll up", id="up"),
        Binding("pagedown,space", "scroll('page_down')", "Page down", id="page-down"),
        Binding("pageup", "scroll('page_up')", "Page up", id="page-up"),
        Binding("g,home", "scroll('home')", "Top", id="top"),
        Binding("G,end", "scroll('end')", "Bottom", id="bottom"),
    ]

    def compose(self) -> ComposeResult:
        """The keys, then the search language, in a scrolling box."""
        with VerticalScroll(id="help"):
            yield Static(Text("tuireader — keys (right: their ids, for the config file)"))
            yield Static(help_text(self.app._keymap))  # noqa: SLF001 - Textual keeps it there

    def action_scroll(self, how: str) -> None:
        """Scroll the help: down, up, page_down, page_up, home, end."""
        box = self.query_one("#help", VerticalScroll)
        getattr(box, f"scroll_{how}")(animate=False)

    def on_mount(self) -> None:
        """Focus the box so the arrows scroll it."""
        self.query_one("#help").focus()

    def action_close(self) -> None:
        """Back."""
        self.dismiss()
