"""Issue 10, the bugs a daily user met: light themes, keys in the reading view, tag removal,
path completion, invalid queries, help, footer, status messages, palette, undo, TERM=linux.

Each test drives the real app through Pilot and fails on the code before its fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import Color as RichColor
from textual.color import Color

from tests.app_helpers import LANTERN, build_library, make_app, settle, steady_terminal  # noqa: F401
from tuireader.widgets.paper_list import PaperList

SIZE = (120, 40)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library (14 papers, a few tags, one star, two read)."""
    return build_library(tmp_path)


def _luminance(colour: Color) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour.normalized)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _ratio(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.usefixtures("steady_terminal")
@pytest.mark.parametrize("theme", ["textual-light", "solarized-light", "textual-dark"])
async def test_list_text_is_readable_in_every_theme(library: Path, theme: str):
    """Titles (read and unread), dates and tags stand out from the list's background."""
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        papers.action_cursor_down()  # the cursor off row 0: rows 0 and 2.. are plain rows
        await settle(pilot)
        background = papers.background_colors[1]
        checked = 0
        for y in (0, 2, 3, 8):
            for segment in papers.render_line(y):
                if segment.text.strip() and segment.style and segment.style.color:
                    # 60% text (read rows, dates) must still be above 3:1 on its background.
                    assert _ratio_of(segment.style.color, background) >= 3.0, (
                        theme, y, segment.text
                    )
                    checked += 1
        assert checked > 10


def _ratio_of(colour: RichColor, background: Color) -> float:
    r, g, b = colour.get_truecolor()
    return _ratio(Color(r, g, b), background)
