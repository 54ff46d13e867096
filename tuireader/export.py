"""Export formats: one registry (name, label, extension, writer) for the CLI and the copy menu.

JSON, JSON Lines, CSV and Markdown are written here; the citation formats (BibTeX, CSL-JSON,
RIS) in :mod:`tuireader.formats`. No SQL, no Textual.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tuireader.formats.bibtex import bibtex_entry, to_bibtex
from tuireader.formats.csl import to_csl_json
from tuireader.formats.ris import to_ris
from tuireader.models import SYNC_KEYS, Paper
from tuireader.textsafe import json_text, one_line, visible

__all__ = ["FORMATS", "ExportFormat", "bibtex_entry", "export", "format_for_path", "to_bibtex"]

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
    "comments",
    "has_code",
    "category",
    "score",
    "arxiv_id",
    "subjects",
    "arxiv_comments",
    "journal_ref",
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


def full_record(paper: Paper) -> dict[str, object]:
    """:func:`paper_record` and the merge keys (:data:`SYNC_KEYS`: None where not filled)."""
    sync = paper.sync or {}
    return {**paper_record(paper), **{key: sync.get(key) for key in SYNC_KEYS}}


def to_json(papers: Iterable[Paper]) -> str:
    """A JSON array of full paper records (what ``tuireader merge`` reads back)."""
    return json_text([full_record(p) for p in papers], indent=2) + "\n"


def to_jsonl(papers: Iterable[Paper]) -> str:
    """One full JSON record a line."""
    return "".join(json_text(full_record(p)) + "\n" for p in papers)


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """One CSV cell: text with control characters shown, and a formula defused.

    As OWASP recommends, text beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return
    gets a leading single quote, so a spreadsheet shows it instead of running it. Numbers and
    booleans are our own values and stay as they are.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        value = "; ".join(value)
    if not isinstance(value, str):
        return value
    return ("'" if value.startswith(_FORMULA_START) else "") + visible(value)


def to_csv(papers: Iterable[Paper]) -> str:
    """CSV with a header row; lists are joined with "; "; formulas defused (see csv_cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_KEYS)
    for paper in papers:
        writer.writerow(csv_cell(value) for value in paper_record(paper).values())
    return out.getvalue()


#: Characters Markdown (CommonMark, GFM) may read as syntax: emphasis, code, links, images,
#: HTML and entities, headings, tables, strikethrough. Each is written backslash-escaped.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>()!#|~&{}])")


def markdown_escape(text: str) -> str:
    """``text`` on one line, every character Markdown could interpret escaped: it reads literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))


def _markdown_code(text: str) -> str:
    """An inline code span holding ``text`` literally (a fence longer than any backtick run)."""
    text = one_line(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_line(paper: Paper) -> str:
    """One Markdown list item: title, who, date, tags; what comes from a dump reads literally."""
    parts = [f"**{markdown_escape(paper.title)}**"]
    if paper.who:
        parts.append(markdown_escape(paper.who))
    if paper.published:
        parts.append(markdown_escape(paper.published))
    line = "- " + " — ".join(parts)
    if paper.tags:
        line += " " + " ".join(_markdown_code(f"#{t}") for t in paper.tags)
    return line


def to_markdown(papers: Iterable[Paper]) -> str:
    """A Markdown list of papers."""
    return "".join(markdown_line(p) + "\n" for p in papers)


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format: its name (``--format``), label, file extensions and writer.

    ``extensions`` come first the usual one; ``copy_key`` is the copy menu's key for formats
    the menu offers (None: not offered there).
    """

    name: str
    label: str
    extensions: tuple[str, ...]
    writer: Callable[[Iterable[Paper]], str]
    copy_key: str | None = None

    @property
    def extension(self) -> str:
        """The usual file extension, with its dot."""
        return self.extensions[0]


#: Every export format, by name, in the order help texts and menus list them.
FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("json", "JSON records", (".json",), to_json),
        ExportFormat("jsonl", "JSON Lines", (".jsonl", ".ndjson"), to_jsonl),
        ExportFormat("csv", "CSV", (".csv",), to_csv),
        ExportFormat("bibtex", "BibTeX", (".bib", ".bibtex"), to_bibtex, copy_key="b"),
        ExportFormat("csl-json", "CSL-JSON", (".csl.json", ".json"), to_csl_json, copy_key="c"),
        ExportFormat("ris", "RIS", (".ris",), to_ris),
        ExportFormat("markdown", "Markdown", (".md", ".markdown"), to_markdown, copy_key="m"),
    )
}


def format_for_path(path: str) -> ExportFormat | None:
    """The format a file name asks for by its extension (the longest that matches), or None.

    "refs.bib" -> bibtex, "refs.csl.json" -> csl-json, "refs.json" -> json (whose usual
    extension it is).
    """
    name = path.lower()
    best: tuple[int, int, ExportFormat] | None = None
    for fmt in FORMATS.values():
        for rank, ext in enumerate(fmt.extensions):
            if name.endswith(ext) and len(name) > len(ext):
                candidate = (len(ext), -rank, fmt)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    return best[2] if best else None


def export(papers: Iterable[Paper], fmt: str) -> str:
    """Render ``papers`` in format ``fmt`` (a name in :data:`FORMATS`)."""
    return FORMATS[fmt].writer(papers)
