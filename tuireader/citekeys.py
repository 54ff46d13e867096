"""Citation keys: readable, stable names for papers, such as ``vaswani2017attention``.

A key is made from who wrote the paper (the first author's surname, else the organisation,
else the first title word), the year, and the first significant title word, folded to ASCII
letters and digits. The library gives each paper its key once, when the paper is first
inserted, and never changes it; two papers whose keys would collide get a letter suffix
(``smith2024deep``, ``smith2024deepb``, ``smith2024deepc``...). Pure functions: no SQL here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from tuireader.models import Paper

#: Title words skipped when picking the title part of a key (as reference managers do).
_STOP_WORDS_TEXT = """
    a an the of on in for to and or with via by at as from into is are be do does can how what
    why when where which who we our your you towards toward through about beyond under over
    not no all its their this that has have had was were will would should could may might
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
#: Longest part (who, title word) kept in a key.
MAX_PART = 24

_WORD = re.compile(r"[A-Za-z0-9]+")


def _ascii_words(text: str) -> list[str]:
    """The ASCII letter/digit words of ``text``, accents folded ("Zoë" -> "zoe"), lower-cased."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORD.findall(text.lower())


def _surname(name: str) -> str:
    """The surname part of "Given Surname" (the last word; "Jr."-like endings skipped)."""
    words = _ascii_words(name)
    while len(words) > 1 and words[-1] in {"jr", "sr", "ii", "iii", "iv"}:
        words.pop()
    return words[-1] if words else ""


def cite_key_base(
    title: str,
    authors: Sequence[str] | None = None,
    organization: str | None = None,
    org_handle: str | None = None,
    published: str | None = None,
) -> str:
    """The key a paper gets when no other paper holds it yet: who, year, first title word.

    Who is the first author's surname, else the organisation's first word (its handle when only
    that is known), else the first significant title word (the title part is then the next
    one). The year is left out for an undated paper. Never empty ("paper" at worst).
    """
    all_words = _ascii_words(title)
    title_words = [w for w in all_words[:8] if w not in STOP_WORDS] or all_words
    who = _surname(authors[0]) if authors else ""
    if not who and (organization or org_handle):
        who = next(iter(_ascii_words(organization or "") or _ascii_words(org_handle or "")), "")
    if not who and title_words:
        who = title_words.pop(0)
    word = title_words[0] if title_words else ""
    year = published[:4] if published and published[:4].isdigit() else ""
    return (who[:MAX_PART] + year + word[:MAX_PART]) or "paper"


def letters(n: int) -> str:
    """2 -> "b", 26 -> "z", 27 -> "aa": the suffix that tells colliding keys apart."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def assign_keys(
    bases: Iterable[str],
    taken: set[str],
    in_use: Callable[[str], bool] = lambda key: False,
    next_suffix: dict[str, int] | None = None,
) -> list[str]:
    """A unique key for each base, in order: the base itself when free, else base + "b", "c"...

    ``taken`` holds keys known to be used (it is updated with the keys given out); ``in_use``
    answers for any other key (the library's lookup); it is asked only about suffixed keys, so
    a caller can put every base it knows to be taken in ``taken`` up front with one query.
    ``next_suffix`` (updated) is where the search for a free suffix of a base resumes: a caller
    giving keys in several calls passes the same dict (every suffix below is taken for good).
    """
    keys: list[str] = []
    next_suffix = {} if next_suffix is None else next_suffix
    for base in bases:
        key = base
        if key in taken:
            n = next_suffix.get(base, 2)
            key = base + letters(n)
            while key in taken or in_use(key):
                taken.add(key)
                n += 1
                key = base + letters(n)
            next_suffix[base] = n + 1
        taken.add(key)
        keys.append(key)
    return keys


def keys_for(papers: Sequence[Paper]) -> list[str]:
    """Each paper's citation key for an export: its stored key, else one made unique here.

    Papers from a library always carry their key; papers made elsewhere (tests, tools) get a
    base key, suffixed where it collides within ``papers``.
    """
    taken = {p.cite_key for p in papers if p.cite_key}
    made = iter(
        assign_keys(
            [
                cite_key_base(p.title, p.authors, p.organization, p.org_handle, p.published)
                for p in papers
                if not p.cite_key
            ],
            taken,
        )
    )
    return [p.cite_key or next(made) for p in papers]
