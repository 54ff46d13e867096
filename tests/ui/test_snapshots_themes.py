"""Every screen in a light and a dark theme, at 80x24 and 120x40 (issue 10: light themes were
unreadable because some colours did not come from the theme).

Same deterministic set-up as tests/ui/test_snapshots.py (fixture library, fixed clock for imports
and reads, fixed sizes, HOME at the test folder, no blinking); the statistics count weeks back
from the fixtures' day. Update with ``pytest tests/ui/test_snapshots_themes.py --snapshot-update``
and look at the pictures (../shared/tools/svg2png) before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_helpers import (  # noqa: F401 - steady_terminal is a fixture
    build_library,
    make_app,
    no_blink,
    settle,
    steady_terminal,
)

pytestmark = pytest.mark.usefixtures("steady_terminal")

#: The screens, by the keys that open them from the list (j j j: Lantern, tags and a star).
SCREENS = {
    "main": (),
    "reading": ("j", "j", "j", "enter"),
    "stats": ("percent_sign",),
    "help": ("question_mark",),
    "tags": ("j", "j", "j", "t"),
    "views": ("v",),
    "import": ("i",),
    "triage": ("T", "s"),
}
#: Dialogs with little of their own to draw: one light and one dark picture each.
DIALOGS = {"note": ("j", "j", "j", "n"), "copy": ("y",)}
COMBOS = [
    ("textual-light", (80, 24)),
    ("textual-light", (120, 40)),
    ("textual-dark", (80, 24)),
    ("textual-dark", (120, 40)),
]
#: Pictures tests/ui/test_snapshots.py already takes (in the default theme, textual-dark).
ELSEWHERE = {
    ("main", "textual-dark", (120, 40)),
    ("main", "textual-dark", (80, 24)),
    ("reading", "textual-dark", (120, 40)),
    ("tags", "textual-dark", (80, 24)),
    ("help", "textual-dark", (120, 40)),
}
CASES = [
    pytest.param(keys, theme, size, id=f"{name}-{theme.split('-')[1]}-{size[0]}x{size[1]}")
    for name, keys in SCREENS.items()
    for theme, size in COMBOS
    if (name, theme, size) not in ELSEWHERE
] + [
    pytest.param(keys, theme, size, id=f"{name}-{theme.split('-')[1]}-{size[0]}x{size[1]}")
    for name, keys in DIALOGS.items()
    for theme, size in (COMBOS[0], COMBOS[3])
]


@pytest.mark.parametrize(("keys", "theme", "size"), CASES)
def test_screen(snap_compare, tmp_path: Path, keys: tuple[str, ...], theme: str, size):
    app = make_app(build_library(tmp_path))
    app.theme = theme

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        no_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
