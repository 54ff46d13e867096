"""Helpers shared by the core tests: table snapshots and hand-made parsed dumps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tuireader.models import LAYOUT_DAILY_PAPERS, ParsedPaper, ParseResult


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (FTS shadow tables included), read through a separate connection."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
                " ORDER BY name"
            )
        ]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }
    finally:
        conn.close()


def paper(title: str, abstract: str | None = None, line: int = 1, **fields) -> ParsedPaper:
    """A parsed paper with a default abstract long enough to be one."""
    if abstract is None:
        abstract = f"An abstract about {title} written for the tests."
    return ParsedPaper(title=title, abstract=abstract, line=line, **fields)


def dump(*papers: ParsedPaper, page_date: str | None = None, layout: str = LAYOUT_DAILY_PAPERS):
    """A ParseResult holding ``papers``."""
    return ParseResult(layout, list(papers), page_date=page_date, capture_year=2025)


#: The keys of an exported paper, in order, as the spine issue lists them (with issue 9's
#: "comments" beside "upvotes" and the "arxiv_id", and issue 21's arXiv subjects, comments and
#: journal reference after it).
EXPORT_KEYS_AS_SPECIFIED = [
    "title", "abstract", "authors", "authors_truncated", "author_count", "organization",
    "org_handle", "published", "published_raw", "upvotes", "comments", "has_code", "category",
    "score", "arxiv_id", "subjects", "arxiv_comments", "journal_ref", "read", "starred", "tags",
    "notes", "sources", "added_at",
]  # fmt: skip
#: The keys the JSON/JSONL export adds after those (issue 14: what `tuireader merge -` needs
#: to bring every state back with its time). CSV and `search --json` keep the keys above.
SYNC_KEYS_AS_SPECIFIED = [
    "cite_key", "upvotes_seen_on", "comments_seen_on", "read_at", "starred_at", "notes_at",
    "tag_dates", "state_times", "removed_tags", "notes_history", "sightings",
]  # fmt: skip
JSON_EXPORT_KEYS = EXPORT_KEYS_AS_SPECIFIED + SYNC_KEYS_AS_SPECIFIED


def make_v1(path: Path) -> None:
    """Turn a current library back into schema 1, as the first release wrote it.

    One number a paper, stored as ``upvotes`` (what schema 1 called the comment count); no arXiv
    ids or import batches, no citation keys, ``upvotes_seen``, FTS tables declared with content='papers' (which
    sqlite-utils and Datasette do not recognise) and holding what they held, no view.
    """
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        DROP VIEW papers_with_tags;
        DROP INDEX papers_cite_key;
        ALTER TABLE papers DROP COLUMN cite_key;
        UPDATE papers SET upvotes = coalesce(comments, upvotes),
            upvotes_seen_on = coalesce(comments_seen_on, upvotes_seen_on);
        UPDATE sightings SET upvotes = coalesce(comments, upvotes);
        ALTER TABLE papers RENAME COLUMN upvotes_seen_on TO upvotes_seen;
        DROP INDEX papers_by_comments;
        DROP INDEX papers_arxiv_id;
        ALTER TABLE papers DROP COLUMN comments_seen_on;
        ALTER TABLE papers DROP COLUMN comments;
        ALTER TABLE papers DROP COLUMN arxiv_id;
        ALTER TABLE sightings DROP COLUMN comments;
        ALTER TABLE imports DROP COLUMN batch;
        DROP TABLE papers_fts;
        DROP TABLE all_fts;
        CREATE VIRTUAL TABLE papers_fts USING fts5(
            title, authors, organization, org_handle, notes,
            content='papers', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE all_fts USING fts5(
            title, authors, organization, org_handle, notes, abstract,
            content='papers', content_rowid='id', tokenize='unicode61 remove_diacritics 2',
            prefix='2 3 4'
        );
        INSERT INTO papers_fts(papers_fts) VALUES ('rebuild');
        INSERT INTO all_fts(rowid, title, authors, organization, org_handle, notes, abstract)
            SELECT id, title, authors, organization, org_handle, notes, abstract FROM papers
            WHERE id NOT IN (SELECT paper_id FROM pending_abstracts);
        UPDATE meta SET value = '1' WHERE key = 'schema_version';
        """
    )
    conn.close()
