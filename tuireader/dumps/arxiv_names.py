"""Author lines of arXiv listings: what reads as a list of names, and the names in it.

An author line is a comma-separated list of names ("Gijs Custers, Sven Karbach, Martin
Friesen"; "and" or "&" may join the last two); a single author is one name. A name is a few
words, each capitalised or a particle ("van", "de", "dos", "al-"), initials such as "J.-P.",
letters of any script, hyphens and apostrophes, never a digit nor a colon. Long lists may end
"et al. (12 additional authors not shown)"; affiliations in parentheses are not names.

A title is not such a list: it has lowercase words ("Regimes in the Order Flow"), digits or a
colon. Some titles do read as names ("Hamilton, Jacobi, Bellman"); where a title stands is
what tells them apart (see :mod:`tuireader.dumps.arxiv_entry`), never this test alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Lowercase words inside names ("Ludwig van Beethoven", "Juan de la Cruz", "the Virgo
#: Collaboration").
_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "delle", "dei", "degli", "di", "da", "das",
    "dos", "do", "du", "la", "le", "les", "lo", "y", "e", "i", "bin", "binti", "ibn", "al", "el",
    "ter", "ten", "zu", "zur", "af", "av", "the",
})
#: A name's last part that a comma separates from it ("Martin Luther King, Jr.").
_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
#: One word of a name: letters of any script with dots, hyphens and apostrophes between.
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[.'’\-‐])*")
#: "d'Alembert", "al-Khwarizmi", "dell'Acqua": a lowercase prefix glued to a capitalised name.
_PREFIXED = re.compile(r"[a-z]{1,4}['’\-‐][^\W\d_]")
_NOT_IN_NAMES = re.compile(r"[\d:;?!\"“”/=+*#@<>\[\]{}|]")
#: The end of a list cut short: "et al.", "(N additional authors not shown)", the page's note
#: for browsers without JavaScript.
_TRUNCATED = re.compile(
    r"(?:,?\s*\bet al\.?)?\s*(?:\((?P<more>\d+) additional authors? not shown\))?"
    r"\s*(?:You must enable JavaScript to view entire author list\.?)?\s*$"
)
_PARENTHESES = re.compile(r"\([^()]*\)")
_JOINED = re.compile(r",?\s+(?:and|&)\s+")
_MAX_WORDS = 8


@dataclass(frozen=True, slots=True)
class AuthorList:
    """The names of an author line, and whether the page left some out (and how many)."""

    names: list[str]
    truncated: bool = False
    not_shown: int | None = None

    @property
    def count(self) -> int | None:
        """How many authors the paper has, when the page says (all shown, or N not shown)."""
        if not self.truncated:
            return len(self.names)
        return len(self.names) + self.not_shown if self.not_shown is not None else None


def _capitalised(word: str) -> bool:
    first = word[0]
    return first.isupper() or not first.islower() or bool(_PREFIXED.match(word))


def _is_name(item: str) -> bool:
    words = item.split()
    if not 1 <= len(words) <= _MAX_WORDS:
        return False
    named = False
    for word in words:
        if not _WORD.fullmatch(word):
            return False
        if word in _PARTICLES:
            continue
        if not _capitalised(word):
            return False
        named = True
    return named


def _without_affiliations(text: str) -> str:
    while True:
        shorter = _PARENTHESES.sub(" ", text)
        if shorter == text:
            return text
        text = shorter


def author_list(line: str) -> AuthorList | None:
    """The names of ``line`` when it reads as an author line, else None (names in NFC)."""
    line = unicodedata.normalize("NFC", line)
    tail = _TRUNCATED.search(line)
    assert tail is not None  # (every part of the pattern may be empty)
    truncated = bool(tail.group(0).strip())
    more = int(tail["more"]) if tail["more"] else None
    body = _without_affiliations(line[: tail.start()]).strip().rstrip(",")
    if not body or _NOT_IN_NAMES.search(body) or "(" in body or ")" in body:
        return None
    items = [" ".join(item.split()) for item in _JOINED.sub(", ", body).split(",")]
    names: list[str] = []
    for item in items:
        if not item:
            return None
        if item in _SUFFIXES and names:
            names[-1] = f"{names[-1]}, {item}"
            continue
        if not _is_name(item):
            return None
        names.append(item)
    return AuthorList(names, truncated, more)


def reads_as_names(line: str) -> bool:
    """Does ``line`` read as an author line (see the module's docstring)?"""
    return author_list(line) is not None
