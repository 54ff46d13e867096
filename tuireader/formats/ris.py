"""RIS: the tagged citation format every reference manager imports (Zotero, JabRef, EndNote).

One record a paper: ``TY  - UNPB`` (an unpublished work: a preprint), the citation key as
``ID``, title, authors as "Family, Given" (an organisation as one name), year and date,
abstract, one ``KW`` a tag and the notes as ``N1``. A value is one line: line breaks inside
it become spaces, since a line that starts with a tag would start a new field.
"""

from __future__ import annotations

from collections.abc import Iterable

from tuireader.citekeys import keys_for
from tuireader.models import Paper
from tuireader.textsafe import one_line


def _value(text: str) -> str:
    """One line of text: every run of whitespace (line breaks, tabs) as one space, other
    control characters made visible."""
    return one_line(" ".join(text.split()))


def ris_name(name: str) -> str:
    """An author as RIS wants it: "Family, Given" (a one-word name, or one with a comma, kept)."""
    words = name.split()
    if len(words) < 2 or "," in name:
        return _value(name)
    return f"{words[-1]}, {' '.join(words[:-1])}"


def ris_record(paper: Paper, key: str) -> str:
    """One RIS record, ending with ``ER  -``."""
    lines = [("TY", "UNPB"), ("ID", key), ("TI", _value(paper.title))]
    if paper.authors:
        lines += [("AU", ris_name(a)) for a in paper.authors]
    elif paper.organization:
        lines.append(("AU", _value(paper.organization)))
    if paper.published and paper.published[:4].isdigit():
        lines.append(("PY", paper.published[:4]))
        parts = (paper.published.split("-") + ["", ""])[:3]
        lines.append(("DA", "/".join(parts) + "/"))
    if paper.abstract:
        lines.append(("AB", _value(paper.abstract)))
    lines += [("KW", _value(tag)) for tag in paper.tags]
    if paper.notes and paper.notes.strip():
        lines.append(("N1", _value(paper.notes)))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {one_line(value)}\n" for tag, value in lines)


def to_ris(papers: Iterable[Paper]) -> str:
    """RIS records, one after another (a blank line between them)."""
    papers = list(papers)
    return "\n".join(ris_record(p, key) for p, key in zip(papers, keys_for(papers), strict=True))
