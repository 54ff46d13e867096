"""CSL-JSON: the citation format of Zotero, pandoc/citeproc, Mendeley and papis.

Each paper is one item (``type`` "article": CSL's preprint or unpublished paper) whose ``id``
is the library citation key; authors are split into family and given names, an organisation
is one literal name, and the date is given as parts (year, month, day as far as known).
"""

from __future__ import annotations

from collections.abc import Iterable

from tuireader.citekeys import cite_key_base, keys_for
from tuireader.models import Paper
from tuireader.textsafe import json_text


def csl_name(name: str) -> dict[str, str]:
    """One author as a CSL name: family = the last word, given = the rest (else a literal)."""
    words = name.split()
    if len(words) < 2 or "," in name:
        return {"literal": name.strip()}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def date_parts(published: str | None) -> list[int] | None:
    """ "2024-05-01" -> [2024, 5, 1]; as many parts as are known; None when undated."""
    parts: list[int] = []
    for piece in (published or "").split("-")[:3]:
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return parts or None


def csl_item(paper: Paper, key: str | None = None) -> dict[str, object]:
    """One paper as a CSL-JSON item."""
    key = (
        key
        or paper.cite_key
        or cite_key_base(
            paper.title, paper.authors, paper.organization, paper.org_handle, paper.published
        )
    )
    item: dict[str, object] = {
        "id": key,
        "citation-key": key,
        "type": "article",
        "title": paper.title,
    }
    if paper.authors:
        item["author"] = [csl_name(a) for a in paper.authors]
    elif paper.organization:
        item["author"] = [{"literal": paper.organization}]
    parts = date_parts(paper.published)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if paper.abstract:
        item["abstract"] = paper.abstract
    if paper.tags:
        item["keyword"] = ", ".join(paper.tags)
    if paper.notes and paper.notes.strip():
        item["note"] = paper.notes.strip()
    return item


def to_csl_json(papers: Iterable[Paper]) -> str:
    """A CSL-JSON array of items (keys made unique within it for papers without one)."""
    papers = list(papers)
    items = [csl_item(p, key) for p, key in zip(papers, keys_for(papers), strict=True)]
    return json_text(items, indent=2) + "\n"
