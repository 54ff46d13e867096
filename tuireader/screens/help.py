"""The help screen: every key of every screen, read from their bindings, and the query language."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from tuireader.screens.key_labels import key_label
from tuireader.widgets.textual_compat import keymap

#: The help's sections: a title, and the bindings of that screen or widget.
Sections = list[tuple[str, list[Binding]]]


class HelpWanted(Message):
    """A screen asks for the help (the app opens it: it knows every screen's keys)."""

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


def help_text(sections: Sections, keymap: Mapping[str, str] | None = None) -> Group:
    """Every key, section by section (with the keys a config's keymap gave), then the search.

    The third column is the binding's id: the name to use in the config file's [keys].
    """
    keymap = keymap or {}
    parts: list[RenderableType] = []
    for title, bindings in sections:
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

    def __init__(self, sections: Sections) -> None:
        """``sections``: every screen's keys (``tuireader.screens.keys.binding_sections()``)."""
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        """The keys, then the search language, in a scrolling box."""
        with VerticalScroll(id="help"):
            yield Static(Text("tuireader — keys (right: their ids, for the config file)"))
            yield Static(help_text(self.sections, keymap(self.app)))

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
