"""How keys are named to the user ("j ↓", "/", "Esc"): the help, the palette and the footer."""

from __future__ import annotations

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
