"""Every screen's keys in one place: the help's sections and the binding ids a config may name.

It imports every screen, so no screen imports it: the app does (the help, the config's [keys]),
which keeps the help screen from importing the main screen and the main screen the help's list.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode

from tuireader.screens.dialogs import CopyMenu, NoteEditor, UrlDialog, WatchMenu
from tuireader.screens.help import HelpScreen, Sections
from tuireader.screens.import_dialog import ImportDialog
from tuireader.screens.main import MainScreen
from tuireader.screens.reading import ReadingScreen
from tuireader.screens.stats import StatsScreen
from tuireader.screens.tags import TagEditor
from tuireader.screens.triage import TriageScreen
from tuireader.screens.views import ViewPicker
from tuireader.widgets.abstract_pane import AbstractPane
from tuireader.widgets.paper_list import PaperList


def binding_sections() -> Sections:
    """The screens and widgets whose keys the help lists, with their bindings."""
    owners: list[tuple[str, type[DOMNode]]] = [
        ("Paper list", PaperList),
        ("Main screen", MainScreen),
        ("Abstract pane (Tab to focus)", AbstractPane),
        ("Reading view", ReadingScreen),
        ("Triage", TriageScreen),
        ("Statistics", StatsScreen),
        ("Help", HelpScreen),
        ("Tag editor", TagEditor),
        ("Note editor", NoteEditor),
        ("View picker", ViewPicker),
        ("Copy menu", CopyMenu),
        ("Watch menu", WatchMenu),
        ("Import dialog", ImportDialog),
        ("URL box", UrlDialog),
    ]
    # (every binding of ours is a Binding, with an id; Textual also allows bare tuples)
    sections = [
        (title, [b for b in owner.BINDINGS if isinstance(b, Binding)]) for title, owner in owners
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


