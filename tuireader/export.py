"""Writers for papers: JSON, JSON Lines, CSV, BibTeX and Markdown (no SQL, no Textual)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable

from tuireader.models import EXPORT_FORMATS, Paper

FORMATS = EXPORT_FORMATS

#: The keys of an exported paper, in order.
EXPORT_KEYS = (
    "title",
    "abstract",
    "authors",
    "authors_truncated",
    "author_count",
    "organization",
    "org_handle",
    "published",
    "published_raw",
    "upvotes",
    "has_code",
    "category",
    "score",
    "read",
    "starred",
    "tags",
    "notes",
    "sources",
    "added_at",
)


def paper_record(paper: Paper) -> dict[str, object]:
    """A paper as a plain dict with exactly :data:`EXPORT_KEYS`."""
    return {key: getattr(paper, key) for key in EXPORT_KEYS}


def to_json(papers: Iterable[Paper]) -> str:
    """A JSON array of paper records."""
    return json.dumps([paper_record(p) for p in papers], ensure_ascii=False, indent=2) + "\n"


def to_jsonl(papers: Iterable[Paper]) -> str:
    """One JSON object a line."""
    return "".join(json.dumps(paper_record(p), ensure_ascii=False) + "\n" for p in papers)


def to_csv(papers: Iterable[Paper]) -> str:
    """CSV with a header row; lists are joined with "; "."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_KEYS)
    for paper in papers:
        record = paper_record(paper)
        writer.writerow(
            "; ".join(value)
            if isinstance(value, list)
            else ("" if value is None else str(value).lower() if isinstance(value, bool) else value)
            for value in record.values()
        )
    return out.getvalue()


_BIB_SPECIAL = re.compile(r"[&%$#_{}~^\\]")
_BIB_REPLACEMENTS = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bib_escape(text: str) -> str:
    # One pass, so the braces of "\textbackslash{}" are not escaped in turn.
    return _BIB_SPECIAL.sub(lambda m: _BIB_REPLACEMENTS.get(m[0], "\\" + m[0]), text)


def bibtex_key(paper: Paper) -> str:
    """A citation key: first author's surname (or organisation), year, first title word."""
    if paper.authors:
        who = paper.authors[0].split()[-1]
    else:
        who = paper.org_handle or paper.organization or "anon"
    year = (paper.published or "")[:4] or "nd"
    words = [w for w in re.findall(r"[A-Za-z0-9]+", paper.title) if len(w) > 3] or ["paper"]
    ascii_who = unicodedata.normalize("NFKD", who).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", f"{ascii_who}{year}{words[0]}").lower() or "paper"


def bibtex_entry(paper: Paper, key: str | None = None) -> str:
    """A BibTeX ``@misc`` entry for one paper (``key``: the citation key, default :func:`bibtex_key`)."""
    fields = [("title", "{" + _bib_escape(paper.title) + "}")]
    if paper.authors:
        names = " and ".join(_bib_escape(a) for a in paper.authors)
        fields.append(("author", names + (" and others" if paper.authors_truncated else "")))
    elif paper.organization:
        fields.append(("author", "{" + _bib_escape(paper.organization) + "}"))
    if paper.published:
        fields.append(("year", paper.published[:4]))
        fields.append(("month", str(int(paper.published[5:7]))))
    fields.append(("abstract", _bib_escape(paper.abstract)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key or bibtex_key(paper)},\n{body}\n}}\n"


def to_bibtex(papers: Iterable[Paper]) -> str:
    """BibTeX entries separated by blank lines; repeated keys get a letter ("...b", "...c")."""
    entries = []
    used: set[str] = set()
    for paper in papers:
        base = key = paper.cite_key or bibtex_key(paper)
        suffix = 1
        while key in used:
            suffix += 1
            key = base + _letters(suffix)
        used.add(key)
        entries.append(bibtex_entry(paper, key))
    return "\n".join(entries)


def _letters(n: int) -> str:
    """2 -> "b", 26 -> "z", 27 -> "aa": the suffix that tells repeated keys apart."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def markdown_line(paper: Paper) -> str:
    """One Markdown list item: title, who, date, tags."""
    parts = [f"**{paper.title}**"]
    if paper.who:
        parts.append(paper.who)
    if paper.published:
        parts.append(paper.published)
    line = "- " + " — ".join(parts)
    if paper.tags:
        line += " " + " ".join(f"`#{t}`" for t in paper.tags)
    return line


def to_markdown(papers: Iterable[Paper]) -> str:
    """A Markdown list of papers."""
    return "".join(markdown_line(p) + "\n" for p in papers)


WRITERS = {
    "json": to_json,
    "jsonl": to_jsonl,
    "csv": to_csv,
    "bibtex": to_bibtex,
    "markdown": to_markdown,
}


def export(papers: Iterable[Paper], fmt: str) -> str:
    """Render ``papers`` in format ``fmt`` (one of :data:`FORMATS`)."""
    return WRITERS[fmt](papers)
