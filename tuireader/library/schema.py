"""The library's schema, its version and the migrations between versions.

Tables (open the file with ``sqlite-utils`` or Datasette to browse them):

``papers``            one row a paper; ``key`` is the folded title that identifies it; ``authors``
                      is a JSON list (NULL when the dump did not name them); the reader's state
                      (``read``, ``starred``, ``notes``) carries ``*_at`` timestamps;
                      ``cite_key`` is the paper's citation key, unique, given once, never changed.
``imports``           one row an imported dump: file name, path, sha256, layout, counts, and
                      the ``batch`` of files imported together (one ``tuireader import``).
``sightings``         provenance: which import saw which paper, with the upvotes, comment count
                      and date seen there (a paper's history across dumps).
``tags``/``paper_tags`` tag names and their links to papers (with the time each was added).
``journal``           every state change (read, star, tags, notes) as an undoable entry.
``saved_searches``    named queries.
``pending_abstracts`` papers not yet in ``all_fts`` (indexed lazily, after imports).
``papers_with_tags``  a view: each paper with its tags as a JSON array (Datasette facets on it).
``papers_fts``        FTS5 over title, authors, organisation and notes (filled in bulk by each
                      import, kept current on updates by a trigger).
``all_fts``           FTS5 over all of that and the abstract, with prefix indexes (a word
                      being typed is a prefix query), filled from ``pending_abstracts``
                      in batches (an abstract index would halve import speed) and kept current
                      by a trigger for papers already in it.
``watches``           authors and organisations the reader watches, with when each one's view
                      was last opened (the view picker counts the papers new since).
``state_times``       when the reader last set a state field (``read``, ``starred``, ``notes``,
                      ``tag:<name>``) where the column's own timestamp cannot tell: an undo or
                      redo, a tag's removal, a merge (see :mod:`tuireader.library.sync`).
``meta``              ``schema_version`` and ``app`` = "tuireader".

In ``papers``, ``upvotes`` is the upvote count a Hugging Face page prints above a title (NULL
where the page printed none: pages saved before the upvote line existed), and ``comments`` the
number after the date, which links to the paper's comment thread; each keeps the page date it
was seen on (``upvotes_seen_on``, ``comments_seen_on``), so only a newer page replaces it.
``arxiv_id`` is the paper's arXiv identifier where a dump gave one; ``category`` its primary
category (arXiv's code, "q-fin.PR", from an arXiv page), ``subjects`` every category code an
arXiv page printed, primary first, separated by spaces ("q-fin.PR math.PR"), and
``arxiv_comments`` and ``journal_ref`` what it printed after "Comments:" and "Journal-ref:".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tuireader.library.citekeys import add_cite_keys

SCHEMA_VERSION = 7
APP_ID = "tuireader"
#: Bytes a page of a new library file (SQLite's default is 4096): a paper's row with its
#: abstract is 1-2 KB, and bigger pages make a big import ~20% faster to write (an existing
#: library keeps the page size it has).
PAGE_SIZE = 8192

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    path TEXT,
    sha256 TEXT NOT NULL,
    layout TEXT NOT NULL,
    page_date TEXT,
    capture_year INTEGER,
    imported_at TEXT NOT NULL,
    papers INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    merged INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    warnings TEXT NOT NULL DEFAULT '[]',
    batch TEXT
);
CREATE INDEX IF NOT EXISTS imports_sha256 ON imports(sha256);
CREATE TABLE IF NOT EXISTS papers (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    abstract TEXT NOT NULL DEFAULT '',
    authors TEXT,
    authors_truncated INTEGER NOT NULL DEFAULT 0,
    author_count INTEGER,
    organization TEXT,
    org_handle TEXT,
    published TEXT,
    published_raw TEXT,
    upvotes INTEGER,
    upvotes_seen_on TEXT,
    comments INTEGER,
    comments_seen_on TEXT,
    arxiv_id TEXT,
    has_code INTEGER,
    category TEXT,
    subjects TEXT,
    arxiv_comments TEXT,
    journal_ref TEXT,
    score REAL,
    read INTEGER NOT NULL DEFAULT 0,
    read_at TEXT,
    starred INTEGER NOT NULL DEFAULT 0,
    starred_at TEXT,
    notes TEXT,
    notes_at TEXT,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    first_import INTEGER REFERENCES imports(id),
    cite_key TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS papers_cite_key ON papers(cite_key);
CREATE INDEX IF NOT EXISTS papers_by_date ON papers(published, id);
CREATE INDEX IF NOT EXISTS papers_by_upvotes ON papers(upvotes, published, id);
CREATE INDEX IF NOT EXISTS papers_by_comments ON papers(comments, published, id);
CREATE INDEX IF NOT EXISTS papers_arxiv_id ON papers(arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS papers_read ON papers(id) WHERE read = 1;
CREATE INDEX IF NOT EXISTS papers_starred ON papers(id) WHERE starred = 1;
CREATE INDEX IF NOT EXISTS papers_has_code ON papers(has_code) WHERE has_code = 1;
CREATE INDEX IF NOT EXISTS papers_with_notes ON papers(id) WHERE notes IS NOT NULL AND notes != '';
CREATE INDEX IF NOT EXISTS papers_first_import ON papers(first_import);
CREATE TABLE IF NOT EXISTS sightings (
    paper_id INTEGER NOT NULL REFERENCES papers(id),
    import_id INTEGER NOT NULL REFERENCES imports(id),
    line INTEGER,
    upvotes INTEGER,
    published_raw TEXT,
    comments INTEGER,
    PRIMARY KEY (paper_id, import_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sightings_import ON sightings(import_id);
CREATE TABLE IF NOT EXISTS tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS paper_tags (
    paper_id INTEGER NOT NULL REFERENCES papers(id),
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (paper_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS paper_tags_tag ON paper_tags(tag_id);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    summary TEXT NOT NULL,
    changes TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS saved_searches (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_abstracts (paper_id INTEGER PRIMARY KEY);
"""
#: When a state field was last set where its column's timestamp cannot tell (schema 4).
STATE_TIMES = """
CREATE TABLE IF NOT EXISTS state_times (
    paper_id INTEGER NOT NULL,
    field TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (paper_id, field)
) WITHOUT ROWID;
"""
#: Authors and organisations the reader watches (schema 7): ``opened_at`` is when its view was
#: last opened, so the view picker counts the papers new since.
WATCHES = """
CREATE TABLE IF NOT EXISTS watches (
    kind TEXT NOT NULL CHECK (kind IN ('author', 'org')),
    name TEXT NOT NULL COLLATE NOCASE,
    created_at TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    PRIMARY KEY (kind, name)
) WITHOUT ROWID;
"""
# content="papers" in double quotes: sqlite-utils and Datasette recognise an FTS table of
# ``papers`` only when it is spelled so (or content=[papers]).
PAPERS_FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS papers_fts USING fts5(
    title, authors, organization, org_handle, notes,
    content="papers", content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
"""
#: Prefixes of four and five letters are indexed: shorter ones match titles and names only
#: (papers_fts answers them); longer ones match few words, which FTS5 merges quickly. Measured
#: on 50k papers: '2 3 4' (until schema 5) indexed in 6.3 s into 116 MB, '4' in 3.3 s into 63 MB,
#: '4 5' in 4.8 s into 84 MB; a five-letter prefix query ("model"*) without its index is 3x
#: slower (139 ms at 1M papers).
ALL_FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS all_fts USING fts5(
    title, authors, organization, org_handle, notes, abstract,
    content="papers", content_rowid='id', tokenize='unicode61 remove_diacritics 2',
    prefix='4 5'
);
"""
#: One row a paper with its tags as a JSON array: what Datasette facets tags on.
PAPERS_WITH_TAGS = """
CREATE VIEW IF NOT EXISTS papers_with_tags AS
SELECT p.id, p.cite_key, p.title, p.authors, p.organization, p.published, p.upvotes,
       p.comments, p.arxiv_id,
       p.read, p.starred, p.has_code,
       (SELECT json_group_array(t.name) FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id
        WHERE pt.paper_id = p.id) AS tags,
       p.notes, p.abstract
FROM papers p;
"""
TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS papers_fts_update
AFTER UPDATE OF title, authors, organization, org_handle, notes ON papers BEGIN
    INSERT INTO papers_fts(papers_fts, rowid, title, authors, organization, org_handle, notes)
    VALUES ('delete', old.id, old.title, old.authors, old.organization, old.org_handle, old.notes);
    INSERT INTO papers_fts(rowid, title, authors, organization, org_handle, notes)
    VALUES (new.id, new.title, new.authors, new.organization, new.org_handle, new.notes);
END;
CREATE TRIGGER IF NOT EXISTS all_fts_update
AFTER UPDATE OF title, authors, organization, org_handle, notes, abstract ON papers
WHEN NOT EXISTS (SELECT 1 FROM pending_abstracts WHERE paper_id = old.id) BEGIN
    INSERT INTO all_fts(all_fts, rowid, title, authors, organization, org_handle, notes, abstract)
    VALUES ('delete', old.id, old.title, old.authors, old.organization, old.org_handle, old.notes,
            old.abstract);
    INSERT INTO all_fts(rowid, title, authors, organization, org_handle, notes, abstract)
    VALUES (new.id, new.title, new.authors, new.organization, new.org_handle, new.notes,
            new.abstract);
END;
"""

#: The whole current schema, which a new library is created with (the name is historical).
CREATE_V1 = _TABLES + STATE_TIMES + WATCHES + PAPERS_FTS + ALL_FTS + TRIGGERS + PAPERS_WITH_TAGS


def _columns(db: Any, table: str) -> set[str]:
    return {row[1] for row in db.conn.execute(f"PRAGMA table_info({table})")}


def _add_columns(db: Any, table: str, columns: dict[str, str]) -> None:
    """Add the ``columns`` (name: SQL type) that ``table`` lacks (a step that may run twice)."""
    have = {row[1] for row in db.conn.execute(f"PRAGMA table_info({table})")}
    for name, kind in columns.items():
        if name not in have:
            db.conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def upvotes_are_comments(db: Any) -> None:
    """Version 1 -> 2: comment counts apart from upvotes, arXiv identifiers, import batches.

    Until version 2 the number after a paper's date was stored as ``upvotes``; it is the comment
    count (on the page it links to the paper's comment thread), so every stored value moves to
    ``comments``, in ``papers`` and in ``sightings``, and ``upvotes`` becomes unknown.
    """
    _add_columns(
        db, "papers", {"comments": "INTEGER", "comments_seen": "TEXT", "arxiv_id": "TEXT"}
    )
    _add_columns(db, "sightings", {"comments": "INTEGER"})
    _add_columns(db, "imports", {"batch": "TEXT"})
    db.conn.execute(
        "UPDATE papers SET comments = upvotes, comments_seen = upvotes_seen, upvotes = NULL,"
        " upvotes_seen = NULL WHERE upvotes IS NOT NULL"
    )
    db.conn.execute(
        "UPDATE sightings SET comments = upvotes, upvotes = NULL WHERE upvotes IS NOT NULL"
    )
    db.conn.execute(
        "CREATE INDEX IF NOT EXISTS papers_by_comments ON papers(comments, published, id)"
    )
    db.conn.execute(
        "CREATE INDEX IF NOT EXISTS papers_arxiv_id ON papers(arxiv_id) WHERE arxiv_id IS NOT NULL"
    )


def rename_seen_dates(db: Any) -> None:
    """Migration step: ``upvotes_seen``/``comments_seen`` held dates; named ``*_seen_on`` now."""
    have = _columns(db, "papers")
    for name in ("upvotes_seen", "comments_seen"):
        if name in have:
            db.conn.execute(f"ALTER TABLE papers RENAME COLUMN {name} TO {name}_on")


def redeclare_fts(db: Any) -> None:
    """Migration step: declare the FTS tables with content="papers" (for sqlite-utils, Datasette).

    ``papers_fts`` is rebuilt at once (titles and names: fast); ``all_fts`` starts empty and
    every paper waits in ``pending_abstracts``, indexed in the background as after an import.
    """
    conn = db.conn
    declared = dict(
        conn.execute("SELECT name, sql FROM sqlite_master WHERE name IN ('papers_fts', 'all_fts')")
    )
    if 'content="papers"' not in (declared.get("papers_fts") or ""):
        conn.execute("DROP TABLE IF EXISTS papers_fts")
        conn.execute(PAPERS_FTS)
        conn.execute("INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')")
    if 'content="papers"' not in (declared.get("all_fts") or ""):
        conn.execute("DROP TABLE IF EXISTS all_fts")
        conn.execute(ALL_FTS)
        conn.execute("INSERT OR IGNORE INTO pending_abstracts(paper_id) SELECT id FROM papers")


def prefixes_of_four_and_five(db: Any) -> None:
    """Version 4 -> 5: the table of everything indexes prefixes of four and five letters only
    (see ALL_FTS).

    ``all_fts`` is declared anew, empty; every paper waits in ``pending_abstracts``, indexed in
    the background as after an import (searched with LIKE meanwhile).
    """
    conn = db.conn
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'all_fts'").fetchone()
    if row is None or "prefix='4 5'" not in row[0]:
        conn.execute("DROP TABLE IF EXISTS all_fts")
        conn.execute(ALL_FTS)
        conn.execute("INSERT OR IGNORE INTO pending_abstracts(paper_id) SELECT id FROM papers")


def arxiv_metadata(db: Any) -> None:
    """Version 5 -> 6: what arXiv pages print besides the title, names and abstract:
    ``subjects``, ``arxiv_comments``, ``journal_ref`` (unknown, NULL, until a page gives them:
    importing an arXiv page again fills them)."""
    _add_columns(db, "papers", {"subjects": "TEXT", "arxiv_comments": "TEXT", "journal_ref": "TEXT"})


#: Migrations: version N -> N+1, each a list of SQL scripts or callables taking the
#: ``sqlite_utils.Database``. Version 1 is the first.
MIGRATIONS: dict[int, list[str | Callable[[Any], None]]] = {
    1: [upvotes_are_comments],
    # 2 -> 3: stable citation keys (``papers.cite_key``, unique, given once); FTS tables
    # declared so sqlite-utils and Datasette find them; the ``*_seen`` dates renamed for what
    # they hold; the ``papers_with_tags`` view.
    2: [add_cite_keys, rename_seen_dates, redeclare_fts, PAPERS_WITH_TAGS],
    # 3 -> 4: when undo/redo, a tag's removal or a merge set a state (merging libraries).
    3: [STATE_TIMES],
    # 4 -> 5: abstracts indexed with prefixes of four and five letters (not two and three).
    4: [prefixes_of_four_and_five],
    # 5 -> 6: an arXiv page's subjects, comments and journal reference.
    5: [arxiv_metadata],
    # 6 -> 7: watched authors and organisations.
    6: [WATCHES],
}
