"""BibTeX entries that BibTeX, biber, bibtexparser, Zotero and JabRef read back as written.

Each paper is an ``@misc`` entry under its library citation key, with title (case kept),
authors (or the organisation as one corporate name), year and month (``month = may``, the
standard macro), abstract, tags as ``keywords`` and notes as ``note``. Text is escaped for
LaTeX, except inline math (``$\\Delta$``), which stays math.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tuireader.citekeys import cite_key_base, keys_for
from tuireader.models import Paper
from tuireader.textsafe import visible

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_SPECIAL = re.compile(r"[&%$#_{}~^\\]")
_REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
#: Inline math as pandoc reads it: "$" then no space ... no space then "$" not before a digit.
_MATH = re.compile(r"\$(?=[^\s$])([^$\n]*?[^\s$\\])\$(?!\d)|\$([^\s$])\$(?!\d)")
#: Characters still special inside math (they would end a field or start a comment).
_MATH_SPECIAL = re.compile(r"(?<!\\)([%#&])")


def _escape_text(text: str) -> str:
    # One pass, so the braces of "\textbackslash{}" are not escaped in turn.
    return _SPECIAL.sub(lambda m: _REPLACEMENTS.get(m[0], "\\" + m[0]), text)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text.replace("\\{", "").replace("\\}", ""):
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


def escape(text: str) -> str:
    """``text`` as a BibTeX field value: LaTeX specials escaped, balanced ``$...$`` math kept.

    Control characters are made visible (a file may be printed on a terminal).
    """
    text = visible(text)
    out: list[str] = []
    end = 0
    for match in _MATH.finditer(text):
        math = match[1] if match[1] is not None else match[2]
        if not _balanced(math):
            continue
        out.append(_escape_text(text[end : match.start()]))
        out.append("$" + _MATH_SPECIAL.sub(r"\\\1", math) + "$")
        end = match.end()
    out.append(_escape_text(text[end:]))
    return "".join(out)


def _name(name: str) -> str:
    """One author for the ``author`` field: braced whole when a comma or " and " would split it."""
    escaped = escape(name.strip())
    if "," in name or re.search(r"\sand\s", name, re.IGNORECASE):
        return "{" + escaped + "}"
    return escaped


def entry_fields(paper: Paper) -> list[tuple[str, str]]:
    """The fields of a paper's entry, as (name, raw value) pairs; a month is a bare macro."""
    fields = [("title", "{{" + escape(paper.title) + "}}")]
    if paper.authors:
        names = " and ".join(_name(a) for a in paper.authors)
        fields.append(
            ("author", "{" + names + (" and others" if paper.authors_truncated else "") + "}")
        )
    elif paper.organization:
        fields.append(("author", "{{" + escape(paper.organization) + "}}"))
    if paper.published and paper.published[:4].isdigit():
        fields.append(("year", "{" + paper.published[:4] + "}"))
        month = paper.published[5:7]
        if month.isdigit() and 1 <= int(month) <= 12:
            fields.append(("month", MONTHS[int(month) - 1]))
    if paper.abstract:
        fields.append(("abstract", "{" + escape(paper.abstract) + "}"))
    if paper.tags:
        fields.append(("keywords", "{" + escape(", ".join(paper.tags)) + "}"))
    if paper.notes and paper.notes.strip():
        fields.append(("note", "{" + escape(paper.notes.strip()) + "}"))
    return fields


def bibtex_entry(paper: Paper, key: str | None = None) -> str:
    """A BibTeX ``@misc`` entry for one paper under ``key`` (default: its citation key)."""
    key = (
        key
        or paper.cite_key
        or cite_key_base(
            paper.title, paper.authors, paper.organization, paper.org_handle, paper.published
        )
    )
    body = ",\n".join(f"  {name} = {value}" for name, value in entry_fields(paper))
    return f"@misc{{{key},\n{body}\n}}\n"


def to_bibtex(papers: Iterable[Paper]) -> str:
    """BibTeX entries separated by blank lines, each under its library citation key.

    Papers that have no stored key (made outside a library) get one made here, unique within
    this output.
    """
    papers = list(papers)
    return "\n".join(bibtex_entry(p, key) for p, key in zip(papers, keys_for(papers), strict=True))
