"""Metadata that makes ``datasette library.db`` a good way to browse a library (no SQL here).

``tuireader datasette-metadata > metadata.json`` writes it; ``datasette library.db -m
metadata.json`` then opens with titles and descriptions, facets on read, starred, organisation
and tags, and the search box over titles, names, notes and abstracts.
"""

from __future__ import annotations

import json
from pathlib import Path

#: Full-text search for the papers and the view: title, authors, organisation, notes, abstract.
_SEARCH = {"fts_table": "all_fts", "fts_pk": "id"}
_TABLES: dict[str, dict[str, object]] = {
    "papers": {
        "title": "Papers",
        "description": "One row a paper: fields from the dumps, citation key, your read/starred"
        " state and notes. Authors are a JSON list; unknown values are empty.",
        "facets": ["read", "starred", "organization"],
        "sort_desc": "published",
        "label_column": "title",
        **_SEARCH,
    },
    "papers_with_tags": {
        "title": "Papers with their tags",
        "description": "Each paper with its tags as a list: facet on tags, read, starred or"
        " organisation.",
        "facets": [{"array": "tags"}, "read", "starred", "organization"],
        "sort_desc": "published",
        **_SEARCH,
    },
    "tags": {"title": "Tags", "description": "Tag names.", "label_column": "name"},
    "paper_tags": {"title": "Tags on papers", "description": "Which paper carries which tag."},
    "imports": {
        "title": "Imports",
        "description": "Every imported dump: file, path, sha256, layout, counts, warnings.",
        "label_column": "file",
    },
    "sightings": {
        "title": "Sightings",
        "description": "Provenance: which import saw which paper, with the upvotes seen there.",
    },
    "journal": {
        "title": "Journal",
        "description": "Every change to read, starred, tags and notes (what undo replays).",
    },
    "saved_searches": {"title": "Saved searches", "description": "Named search queries."},
    "pending_abstracts": {
        "title": "Abstracts waiting to be indexed",
        "description": "Papers whose abstracts are not yet in the search index (filled after"
        " imports; `tuireader datasette-metadata` indexes them first).",
    },
    "meta": {"title": "Library metadata", "description": "app and schema_version."},
}


def datasette_metadata(library_path: Path) -> dict[str, object]:
    """Datasette metadata (titles, descriptions, facets, search) for the library file."""
    return {
        "title": "tuireader library",
        "description": f"Papers imported with tuireader, from {library_path.name}.",
        "databases": {library_path.stem: {"tables": _TABLES}},
    }


def datasette_metadata_json(library_path: Path) -> str:
    """:func:`datasette_metadata` as indented JSON text."""
    return json.dumps(datasette_metadata(library_path), indent=2) + "\n"
