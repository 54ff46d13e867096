"""The main screen's key bindings (each with an id: the name a config file's [keys] uses).

The same id means the same action on every screen: ``toggle-read`` is ``r`` in the list and in
the reading view, and one line of the config file rebinds both.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

MAIN_BINDINGS: list[BindingType] = [
    Binding(
        "slash",
        "focus_search",
        "Search",
        tooltip="Search: every keystroke refilters the list",
        id="search",
    ),
    Binding(
        "escape",
        "clear",
        "Clear search / marks",
        show=False,
        tooltip="Leave the search line / clear marks / clear the search",
        id="clear",
    ),
    Binding(
        "space",
        "mark",
        "Mark",
        tooltip="Mark or unmark the paper and move down (r, s, t, y act on all marked)",
        id="mark",
    ),
    Binding(
        "r",
        "toggle_read",
        "Read",
        tooltip="Toggle read (on all marked papers, if any)",
        id="toggle-read",
    ),
    Binding(
        "s",
        "toggle_star",
        "Star",
        tooltip="Toggle starred (on all marked papers, if any)",
        id="toggle-star",
    ),
    Binding(
        "t", "edit_tags", "Tags", tooltip="Edit tags (of all marked papers, if any)", id="tags"
    ),
    Binding(
        "n",
        "edit_note",
        "Note",
        show=False,
        tooltip="Edit the note on the paper (multi-line)",
        id="note",
    ),
    Binding(
        "u",
        "undo",
        "Undo",
        tooltip="Undo the last change to read, star, tags or notes",
        id="undo",
    ),
    Binding("ctrl+r", "redo", "Redo", show=False, tooltip="Redo what was undone", id="redo"),
    Binding(
        "T",
        "triage",
        "Triage",
        tooltip="Triage: the unread papers (of the last import), best first, one key each",
        id="triage",
    ),
    Binding(
        "m",
        "more_like_this",
        "More like this",
        show=False,
        tooltip="More like this: the papers nearest to this one, as a view (T triages it)",
        id="more-like-this",
    ),
    Binding(
        "W",
        "watch",
        "Watch",
        show=False,
        tooltip="Watch the paper's first author or organisation (v lists watches, with new papers)",
        id="watch",
    ),
    Binding(
        "v",
        "pick_view",
        "View",
        tooltip="Views: all, unread, starred, a tag, saved searches, last import",
        id="view",
    ),
    Binding(
        "o",
        "cycle_sort",
        "Sort",
        show=False,
        tooltip="Sort by date, upvotes, comments, title, recently added, for you",
        id="sort",
    ),
    Binding(
        "O",
        "reverse_sort",
        "Reverse",
        show=False,
        tooltip="Reverse the order (oldest first, fewest upvotes first, Z to A…)",
        id="reverse-sort",
    ),
    Binding(
        "percent_sign",
        "stats",
        "Stats",
        show=False,
        tooltip="Statistics: reading per week, tags, imports, unread backlog",
        id="stats",
    ),
    Binding(
        "S",
        "save_search",
        "Save search",
        show=False,
        tooltip="Save the current search under a name",
        id="save-search",
    ),
    Binding(
        "i",
        "import_dumps",
        "Import",
        show=False,
        tooltip="Import dump files (with progress and a summary)",
        id="import",
    ),
    Binding(
        "y",
        "copy",
        "Copy",
        show=False,
        tooltip="Copy title, BibTeX or Markdown (OSC 52, works over ssh)",
        id="copy",
    ),
    Binding(
        "w",
        "open_web",
        "Web search",
        show=False,
        tooltip="Open its arXiv page, else search the web for the title (or show the URL)",
        id="web",
    ),
    Binding(
        "f5,ctrl+l",
        "refresh",
        "Refresh",
        show=False,
        tooltip="Reload from the library file (imports made elsewhere) and redraw the screen",
        id="refresh",
    ),
    Binding("question_mark", "help", "Help", tooltip="This help", id="help"),
    Binding(
        "q",
        "quit",
        "Quit",
        tooltip="Quit (view, sort, search and cursor are remembered)",
        id="quit",
    ),
]
