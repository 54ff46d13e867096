"""Text from files, file names, the library or the user, made safe to show on a terminal.

A terminal obeys control characters: ``ESC ] 0 ; … BEL`` sets the window title, ``ESC ] 52``
the clipboard, ``ESC [ 2 J`` clears the screen, and the C1 character ``\\x9b`` is a CSI on its
own. Everything tuireader prints or draws that did not come from tuireader itself goes through
:func:`visible` (several lines allowed) or :func:`one_line` (exactly one line), which show
control characters instead of sending them:

- C0 controls (U+0000-U+001F) and DEL become their Unicode *control pictures* (U+2400-U+241F
  and U+2421: ESC shows as ``␛``, BEL as ``␇``, a newline as ``␊``); one cell each, so columns
  stay aligned. :func:`visible` keeps newline and tab as they are.
- C1 controls (U+0080-U+009F), which have no pictures, become the four characters ``\\x9b``.
- Lone surrogates (a file name that is not UTF-8, as Python decodes it) become ``\\xff`` for
  the byte they stand for, so printing never fails and never sends that raw byte.

Pure functions over ``str``: no Textual, no Rich, no I/O.
"""

from __future__ import annotations

import json
import re

_C0 = {code: chr(0x2400 + code) for code in range(0x20)}
_DEL = {0x7F: "\u2421"}
_C1 = {code: f"\\x{code:02x}" for code in range(0x80, 0xA0)}
_SURROGATES = {
    code: f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"
    for code in range(0xD800, 0xE000)
}

#: str.translate tables: every control character to what is shown for it.
_ONE_LINE = {**_C0, **_DEL, **_C1, **_SURROGATES}
_MULTI_LINE = {code: shown for code, shown in _ONE_LINE.items() if code not in (0x09, 0x0A)}

_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def has_control(text: str) -> bool:
    """True when ``text`` holds a C0 or C1 control character, DEL or a lone surrogate.

    Newline and tab count.
    """
    return _ANY_CONTROL.search(text) is not None


def visible(text: str) -> str:
    """``text`` with control characters made visible; newlines and tabs are kept."""
    if _CONTROL_BUT_LINES.search(text) is None:
        return text  # the common case: nothing to do, no copy
    return text.translate(_MULTI_LINE)


def one_line(text: object) -> str:
    """``str(text)`` on one line: every control character, newline and tab too, made visible."""
    text = str(text)
    if _ANY_CONTROL.search(text) is None:
        return text
    return text.translate(_ONE_LINE)


#: DEL and the C1 controls, which JSON lets through raw: escaped as \u00XX (still the same data).
_JSON_RAW_CONTROL = re.compile("[\x7f-\x9f]")


def json_text(value: object, *, indent: int | None = None) -> str:
    """``value`` as JSON with every control character escaped (safe to print on a terminal)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
