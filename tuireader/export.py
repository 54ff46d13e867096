"""Export formats: one registry (name, label, extension, writer) for the CLI and the copy menu.

JSON, JSON Lines, CSV and Markdown are written here; the citation formats (BibTeX, CSL-JSON,
RIS) in :mod:`tuireader.formats`. No SQL, no Textual.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tuireader.formats.bibtex import bibtex_entry, to_bibtex
from tuireader.formats.csl import to_csl_json
from tuireader.formats.ris import to_ris
from tuireader.models import Paper

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
