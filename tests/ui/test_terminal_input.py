"""Keys read from the terminal: what arrives in one read parses as the same keys typed one by one.

The reference is Textual's own parser given each key's bytes alone, with the escape delay gone
by after each (how keys typed slowly arrive); the reader's parser is given them all at once, or
cut anywhere, as a stalled ssh link delivers them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from textual import constants, events
from textual._xterm_parser import XTermParser

from tuireader.widgets.terminal_input import ESC, PASTE_END, PASTE_START, Cut, split_input
from tuireader.widgets.textual_compat import BurstSafeParser, _parser_knows

#: What a terminal (xterm, tmux) sends for keys the reader uses, and some it does not.
KEY_BYTES = {
    **{c: c for c in "abcjkstuvyGOPSTW[]%?/:-\"' 019"},
    "é": "é",
    "enter": "\r",
    "tab": "\t",
    "backspace": "\x7f",
    "escape": "\x1b",
    "ctrl+s": "\x13",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "shift+tab": "\x1b[Z",
    "pagedown": "\x1b[6~",
    "delete": "\x1b[3~",
    "ctrl+up": "\x1b[1;5A",
    "f1": "\x1bOP",
}


class Clock:
    """A clock the parsers read instead of the real one."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@contextmanager
def fake_clock() -> Iterator[Clock]:
    clock = Clock()
    with patch("textual._parser.get_time", clock), patch(
        "tuireader.widgets.textual_compat.get_time", clock
    ):
        yield clock


def _names(messages) -> list[str]:
    out = []
    for message in messages:
        if isinstance(message, events.Key):
            out.append(message.key)
        elif isinstance(message, events.Paste):
            out.append(f"paste:{message.text}")
    return out


def typed_slowly(keys: list[str]) -> list[str]:
    """Textual's own parser, each key's bytes alone, the escape delay over after each."""
    with fake_clock() as clock:
        parser = XTermParser()
        out: list[str] = []
        for key in keys:
            out += _names(parser.feed(KEY_BYTES[key]))
            clock.now += constants.ESCAPE_DELAY + 0.01
            out += _names(parser.tick())
        return out


def arrived_together(data: str, cuts: list[int] = ()) -> list[str]:
    """The reader's parser given ``data`` in pieces cut at ``cuts`` (no time between them),
    then the escape delay over."""
    with fake_clock() as clock:
        parser = BurstSafeParser()
        out: list[str] = []
        start = 0
        for cut in [*sorted(set(cuts)), len(data)]:
            if cut > start:
                out += _names(parser.feed(data[start:cut]))
                start = cut
        clock.now += constants.ESCAPE_DELAY + 0.01
        out += _names(parser.tick())
        return out


keys_strategy = st.lists(st.sampled_from(sorted(KEY_BYTES)), max_size=30)


def _typed_as_a_sequence(keys: list[str]) -> bool:
    """True when an Escape typed, then ``[`` or ``O`` typed, then more, make a sequence a
    terminal sends for a key (Escape, "[", "a" is rxvt's shift+up, ``ESC [ a``): the bytes are
    the same, and no parser can tell them apart (the slow typist's delay is what tells)."""
    for k, key in enumerate(keys[:-1]):
        if key == "escape" and keys[k + 1] in ("[", "O"):
            rest = ESC + "".join(KEY_BYTES[name] for name in keys[k + 1 : k + 8])
            if any(_parser_knows(rest[:n]) for n in range(3, len(rest) + 1)):
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(keys_strategy)
@example(["escape", "[", "j", "escape", "j"])  # ESC [ j is no key: Escape, then as typed
def test_a_burst_parses_as_the_same_keys_typed_slowly(keys):
    assume(not _typed_as_a_sequence(keys))
    data = "".join(KEY_BYTES[key] for key in keys)
    assert arrived_together(data) == typed_slowly(keys)


@settings(max_examples=200, deadline=None)
@given(keys_strategy, st.lists(st.integers(min_value=0, max_value=200), max_size=6))
def test_a_burst_cut_anywhere_parses_the_same(keys, cuts):
    assume(not _typed_as_a_sequence(keys))
    data = "".join(KEY_BYTES[key] for key in keys)
    assert arrived_together(data, [c for c in cuts if c < len(data)]) == typed_slowly(keys)


def test_the_escape_then_j_of_the_issue_is_escape_and_j():
    # Five times "s t tagB Enter Escape j" in one packet, as tmux sends it.
    data = "sttagB\r\x1bj" * 5
    keys = arrived_together(data)
    assert keys.count("escape") == 5 and keys.count("j") == 5
    assert "circumflex_accent" not in keys
    assert keys[:8] == ["s", "t", "t", "a", "g", "B", "enter", "escape"]


def test_textuals_own_parser_got_the_burst_wrong():
    # (What the fix is for: the stock parser, fed the same packet, reads no Escape.)
    with fake_clock():
        stock = _names(XTermParser().feed("sttagB\r\x1bjst"))
    assert "escape" not in stock


def test_escape_letters_are_not_read_as_alt_or_option_keys():
    # Textual reads ESC f / ESC b as ctrl+right / ctrl+left and ESC 1 as "¡".
    assert arrived_together("\x1bf\x1bb\x1b1") == [
        "escape", "f", "escape", "b", "escape", "1"
    ]


def test_an_unknown_terminal_answer_is_dropped_not_typed():
    # An answer with parameters nobody asked for: its characters must not become keys.
    assert arrived_together("\x1b[0nj\x1b[?62;22cs") == ["j", "s"]


def test_keys_the_terminal_sends_as_sequences_still_arrive():
    data = "\x1b[A\x1b[1;5A\x1bOP\x1b[6~\x1b[<0;3;4M"
    with fake_clock():
        parsed = list(BurstSafeParser().feed(data))
    assert _names(parsed) == ["up", "ctrl+up", "f1", "pagedown"]
    assert isinstance(parsed[-1], events.MouseDown)


def test_a_sequence_cut_between_two_reads_is_one_key():
    assert arrived_together("ab\x1b[1;5A", cuts=[3, 5]) == ["a", "b", "ctrl+up"]
    assert arrived_together("\x1bOP", cuts=[1, 2]) == ["f1"]


def test_an_escape_inside_a_paste_is_pasted_text_never_a_key():
    data = f"{PASTE_START}title\x1bjs{PASTE_END}j"
    assert arrived_together(data) == ["paste:title\u241bjs", "j"]
    # The end marker cut in two still ends the paste.
    assert arrived_together(data, cuts=[len(data) - 4]) == ["paste:title\u241bjs", "j"]


def test_split_input_cuts_where_keys_end():
    split = split_input("a\x1bj\x1b[A\x1b", _parser_knows)
    assert split.pieces == [(Cut.TEXT, "a"), (Cut.ESCAPE, "\x1b"), (Cut.TEXT, "j\x1b[A")]
    assert split.rest == "\x1b"
    assert split_input("\x1b[5;3Xz", _parser_knows).pieces == [
        (Cut.DROP, "\x1b[5;3X"), (Cut.TEXT, "z")
    ]
