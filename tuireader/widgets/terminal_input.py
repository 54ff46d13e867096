"""What the terminal sent, cut where a key ends: an Escape typed just before another key is a key.

A terminal sends most keys as one character, and the others as escape sequences: ``ESC [ A``
is Up, ``ESC O P`` is F1. The Escape key itself is a lone ``ESC``, and the only way to tell it
from the start of a sequence is time: nothing follows it for a while. Over ssh, keys typed
together arrive together, so ``Escape`` then ``j`` arrives as ``ESC j``, and Textual's parser,
taking that for the start of a sequence, kept reading until 32 characters had gone by, then
typed them all as text, the Escape as ``^`` (the tag ``^jsttagB``). Textual also reads
``ESC f``, ``ESC b``, ``ESC 1`` as ctrl+right, ctrl+left, "¡": keys nobody typed.

:func:`split_input` cuts a chunk of input into what the parser may be given as it is (plain
characters and complete sequences it knows) and lone Escapes, which the caller hands over as
the Escape key at once. The rule, from ECMA-48: after ``ESC``, only ``[`` (a control sequence:
parameters, intermediates, one final character) and ``O`` (one final character) begin a
sequence; anything else means the Escape was a key of its own. A complete control sequence that
is no key, mouse report or terminal answer the parser knows is dropped when it has parameters
(an answer to a question nobody asked must not type its characters), and read as Escape, ``[``
and the letter when it has none (typed: a terminal never sends that). Inside a bracketed paste an ESC is pasted text, never
a key: it is passed on as its control picture, as every field shows it anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

ESC = "\x1b"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
#: The final characters of the SS3 sequences terminals send for keys in the modes Textual sets:
#: F1-F4 (xterm, tmux), arrows, Home and End. (The keypad's SS3 codes need application keypad
#: mode, which is never set: ``ESC O j`` is Escape, ``O``, ``j``.)
SS3_KEYS = frozenset("ABCDFHPQRS")
#: An ESC inside pasted text, as every field of the reader shows one (see tuireader.textsafe).
PASTED_ESC = "\u241b"


class Cut(Enum):
    """What a piece of input is."""

    TEXT = "text"  #: characters and complete sequences, for the parser as they are
    ESCAPE = "escape"  #: the Escape key, alone
    DROP = "drop"  #: a terminal's answer nobody asked for


@dataclass(frozen=True, slots=True)
class Split:
    """A chunk of input cut into pieces; ``rest`` is an unfinished sequence at its end."""

    pieces: list[tuple[Cut, str]]
    rest: str
    in_paste: bool


def split_input(text: str, known: Callable[[str], bool], in_paste: bool = False) -> Split:
    """Cut ``text`` (read from the terminal) into pieces; see the module's docstring.

    ``known(sequence)``: True for a complete control sequence the parser reads (a key, a mouse
    report, a terminal's answer). ``in_paste``: the chunk continues a bracketed paste, whose
    text is passed through untouched up to its end marker.
    """
    pieces: list[tuple[Cut, str]] = []
    plain: list[str] = []

    def text_piece(value: str) -> None:
        plain.append(value)

    def cut(kind: Cut, value: str) -> None:
        if plain:
            pieces.append((Cut.TEXT, "".join(plain)))
            plain.clear()
        pieces.append((kind, value))

    i, size = 0, len(text)
    while i < size:
        if in_paste:
            end = text.find(PASTE_END, i)
            if end < 0:
                # The end marker may be cut in two: keep a partial one back.
                keep = _partial_suffix(text, i, PASTE_END)
                text_piece(_pasted(text[i : size - keep]))
                return _done(pieces, plain, text[size - keep :], True)
            text_piece(_pasted(text[i:end]) + PASTE_END)
            i = end + len(PASTE_END)
            in_paste = False
            continue
        char = text[i]
        if char != ESC:
            start = i
            while i < size and text[i] != ESC:
                i += 1
            text_piece(text[start:i])
            continue
        length = _sequence_length(text, i)
        if length == 0:
            return _done(pieces, plain, text[i:], False)  # unfinished: wait for the rest
        if length < 0:
            cut(Cut.ESCAPE, ESC)  # an Escape key, then whatever followed it
            i += 1
            continue
        sequence = text[i : i + length]
        if sequence == PASTE_START:
            in_paste = True
            text_piece(sequence)
        elif sequence[1] == "O" and sequence[2] not in SS3_KEYS:
            cut(Cut.ESCAPE, ESC)
            i += 1
            continue
        elif sequence[1] == "O" or known(sequence):
            text_piece(sequence)
        elif len(sequence) == 3:
            cut(Cut.ESCAPE, ESC)  # ESC [ x, typed: Escape, "[", x
            i += 1
            continue
        else:
            cut(Cut.DROP, sequence)
        i += length
    return _done(pieces, plain, "", in_paste)


def _pasted(text: str) -> str:
    """Pasted text for the parser: an ESC in it shown as its control picture (Textual's parser
    would take it for a key's start and type what follows it as keys)."""
    return text.replace(ESC, PASTED_ESC)


def _done(pieces: list[tuple[Cut, str]], plain: list[str], rest: str, in_paste: bool) -> Split:
    if plain:
        pieces.append((Cut.TEXT, "".join(plain)))
    return Split(pieces, rest, in_paste)


def _sequence_length(text: str, start: int) -> int:
    """The length of the escape sequence at ``text[start]`` (an ESC): 0 if unfinished, -1 if
    the ESC begins none (it is the Escape key)."""
    size = len(text)
    if start + 1 >= size:
        return 0
    kind = text[start + 1]
    if kind == "O":
        if start + 2 >= size:
            return 0
        return 3 if "\x40" <= text[start + 2] <= "\x7e" else -1
    if kind != "[":
        return -1
    i = start + 2
    while i < size and "\x30" <= text[i] <= "\x3f":  # parameters
        i += 1
    while i < size and "\x20" <= text[i] <= "\x2f":  # intermediates
        i += 1
    if i >= size:
        return 0
    if not "\x40" <= text[i] <= "\x7e":
        return -1  # not a control sequence: an Escape, then what was typed
    if i == start + 2 and text[i] == "M":  # an X10 mouse report: three bytes follow
        return 0 if i + 3 >= size else i + 4 - start
    return i + 1 - start


def _partial_suffix(text: str, start: int, marker: str) -> int:
    """How many characters at the end of ``text[start:]`` could begin ``marker``."""
    for keep in range(min(len(marker) - 1, len(text) - start), 0, -1):
        if marker.startswith(text[len(text) - keep :]):
            return keep
    return 0
