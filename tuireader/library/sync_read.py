"""Reading one side of a merge: every paper of a library (or of a JSON export) with its history.

A side is read whole into :class:`Record` objects: the paper's dump fields, its reader state
with the time each value was set, its tags (present, or removed and when), the earlier texts of
its note, and the dumps it was seen in. The same records come from a library file (this one or
another, opened read-only) and from tuireader's JSON/JSONL export (see :meth:`Record.sync_keys`),
so ``tuireader export -f jsonl | tuireader merge -`` carries everything a merge needs.

The time a state was set is the later of its column's timestamp (``read_at``...) and
``state_times`` (undo, redo, a tag's removal, a merge); a tag's removal is also found in the
journal (an ``untag`` entry still in effect).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from tuireader.models import SYNC_KEYS, title_key

#: The dump fields of a paper (and its citation key) that a merge carries over, as columns.
FIELD_COLUMNS = (
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
    "upvotes_seen_on",
    "comments",
    "comments_seen_on",
    "arxiv_id",
    "has_code",
    "category",
    "score",
    "added_at",
    "cite_key",
    "subjects",
    "arxiv_comments",
    "journal_ref",
)
#: The reader's state columns and their timestamp columns.
STATE_COLUMNS = {"read": "read_at", "starred": "starred_at", "notes": "notes_at"}
#: The columns of an import that travel with its sightings.
IMPORT_COLUMNS = (
    "file",
    "path",
    "sha256",
    "layout",
    "page_date",
    "capture_year",
    "imported_at",
    "papers",
    "new",
    "merged",
    "unchanged",
    "skipped",
    "batch",
)
#: What a sighting says besides its import.
SIGHTING_COLUMNS = ("line", "upvotes", "comments", "published_raw")



def tag_fold(name: str) -> str:
    """A tag's identity: its name without case (tags are unique without case)."""
    return name.casefold()


def later(a: str | None, b: str | None) -> str | None:
    """The later of two ISO times (None is "never")."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


@dataclass(slots=True)
class Record:
    """One paper of one side, with everything a merge weighs."""

    key: str
    fields: dict[str, object]
    #: read/starred/notes -> (value, the time it was set or None).
    state: dict[str, tuple[object, str | None]]
    #: folded tag -> (name, present, the time it was added or removed, or None).
    tags: dict[str, tuple[str, bool, str | None]] = field(default_factory=dict)
    #: Texts this paper's note had before (a losing text equal to one of them is no conflict).
    history: set[str] = field(default_factory=set)
    #: (import columns, sighting columns) for every dump the paper was seen in.
    sightings: list[tuple[dict[str, object], dict[str, object]]] = field(default_factory=list)
    #: Its id in the library it was read from (None for an export).
    id: int | None = None
    #: The columns' own times (read_at, starred_at, notes_at; a present tag's added_at), and
    #: ``state_times`` rows (field -> time) other than a removed tag's: kept as they are.
    raw: dict[str, str | None] = field(default_factory=dict)
    times: dict[str, str] = field(default_factory=dict)

    def sync_keys(self) -> dict[str, object]:
        """The export's merge keys (:data:`tuireader.models.SYNC_KEYS`) for this paper."""
        keys = {
            "cite_key": self.fields.get("cite_key"),
            "upvotes_seen_on": self.fields.get("upvotes_seen_on"),
            "comments_seen_on": self.fields.get("comments_seen_on"),
            "read_at": self.raw.get("read"),
            "starred_at": self.raw.get("starred"),
            "notes_at": self.raw.get("notes"),
            "tag_dates": {
                name: self.raw.get(f"tag:{name}") for name, present, _ in self.tags.values() if present
            },
            "state_times": dict(self.times),
            "removed_tags": {
                name: at for name, present, at in self.tags.values() if not present and at
            },
            "notes_history": sorted(self.history),
            "sightings": [
                {**{k: v for k, v in imported.items() if k != "warnings"}, **seen}
                for imported, seen in self.sightings
            ],
        }
        return {key: keys[key] for key in SYNC_KEYS}

    @classmethod
    def from_export(cls, data: dict) -> Record:
        """A record from one exported paper (JSON/JSONL); raises ValueError when it is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("title"), str):
            raise ValueError("not a tuireader export record (no title)")
        title = data["title"]
        if not title_key(title):
            raise ValueError("a record whose title has no letters or digits")
        fields = {name: data.get(name) for name in FIELD_COLUMNS}
        authors = data.get("authors")
        fields["authors"] = json.dumps(authors, ensure_ascii=False) if authors else None
        fields["authors_truncated"] = int(bool(data.get("authors_truncated")))
        has_code = data.get("has_code")
        fields["has_code"] = None if has_code is None else int(bool(has_code))
        fields["abstract"] = data.get("abstract") or ""
        fields["added_at"] = data.get("added_at")
        times = {k: v for k, v in (data.get("state_times") or {}).items() if v}
        raw = {name: data.get(f"{name}_at") for name in STATE_COLUMNS}
        values = {
            "read": int(bool(data.get("read"))),
            "starred": int(bool(data.get("starred"))),
            "notes": data.get("notes") or None,
        }
        state = {name: (values[name], later(raw[name], times.get(name))) for name in values}
        record = cls(title_key(title), fields, state, raw=raw, times=times)
        dates = data.get("tag_dates") or {}
        for name in data.get("tags") or []:
            added = dates.get(name)
            record.raw[f"tag:{name}"] = added
            record.tags[tag_fold(name)] = (name, True, later(added, times.get(f"tag:{name}")))
        for name, at in (data.get("removed_tags") or {}).items():
            record.tags.setdefault(tag_fold(name), (name, False, at))
        record.history = {text for text in data.get("notes_history") or [] if text}
        for seen in data.get("sightings") or []:
            imported = {name: seen.get(name) for name in IMPORT_COLUMNS}
            if not imported["sha256"] or not imported["imported_at"]:
                continue
            imported["warnings"] = "[]"
            record.sightings.append((imported, {name: seen.get(name) for name in SIGHTING_COLUMNS}))
        return record


def read_side(conn: sqlite3.Connection, ids: list[int] | None = None) -> dict[int, Record]:
    """Every paper of the library on ``conn`` (or those of ``ids``) as records, by id.

    Call it inside one read (or write) transaction: the statements must see one version.
    """
    wanted = set(ids) if ids is not None else None
    columns = ", ".join(FIELD_COLUMNS)
    state_columns = ", ".join(f"{name}, {at}" for name, at in STATE_COLUMNS.items())
    records: dict[int, Record] = {}
    for row in conn.execute(f"SELECT id, key, {columns}, {state_columns} FROM papers"):
        if wanted is not None and row[0] not in wanted:
            continue
        values = dict(zip(FIELD_COLUMNS, row[2 : 2 + len(FIELD_COLUMNS)], strict=True))
        rest = row[2 + len(FIELD_COLUMNS) :]
        state = {
            name: (rest[2 * index], rest[2 * index + 1])
            for index, name in enumerate(STATE_COLUMNS)
        }
        raw = {name: at for name, (_, at) in state.items()}
        records[row[0]] = Record(row[1], values, state, id=row[0], raw=raw)
    times: dict[tuple[int | None, str], str] = {}
    tag_times: dict[int, dict[str, tuple[str, str]]] = {}
    has_times = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state_times'"
    ).fetchone()
    if has_times:
        for paper_id, name, at in conn.execute("SELECT paper_id, field, at FROM state_times"):
            if name.startswith("tag:"):
                tag_times.setdefault(paper_id, {})[tag_fold(name[4:])] = (name[4:], at)
            else:
                times[(paper_id, name)] = at
                if paper_id in records:
                    records[paper_id].times[name] = at
    for record in records.values():
        for name, (value, at) in list(record.state.items()):
            record.state[name] = (value, later(at, times.get((record.id, name))))
    _read_journal(conn, records, tag_times)
    for paper_id, name, added_at in conn.execute(
        "SELECT pt.paper_id, t.name, pt.added_at FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
    ):
        tagged = records.get(paper_id)
        if tagged is not None:
            record = tagged
            fold = tag_fold(name)
            stamp = tag_times.get(paper_id, {}).pop(fold, (name, None))[1]
            record.tags[fold] = (name, True, later(added_at, stamp))
            record.raw[f"tag:{name}"] = added_at
            if stamp:
                record.times[f"tag:{name}"] = stamp
    for paper_id, removed in tag_times.items():
        untagged = records.get(paper_id)
        if untagged is not None:
            for fold, (name, at) in removed.items():
                untagged.tags[fold] = (name, False, at)
    imports = {
        row[0]: dict(zip((*IMPORT_COLUMNS, "warnings"), row[1:], strict=True))
        for row in conn.execute(f"SELECT id, {', '.join(IMPORT_COLUMNS)}, warnings FROM imports")
    }
    for row in conn.execute(
        f"SELECT paper_id, import_id, {', '.join(SIGHTING_COLUMNS)} FROM sightings"
        " ORDER BY import_id"
    ):
        seen_paper = records.get(row[0])
        if seen_paper is not None and row[1] in imports:
            seen = dict(zip(SIGHTING_COLUMNS, row[2:], strict=True))
            seen_paper.sightings.append((imports[row[1]], seen))
    return records


def _read_journal(
    conn: sqlite3.Connection,
    records: dict[int, Record],
    tag_times: dict[int, dict[str, tuple[str, str]]],
) -> None:
    """Notes' earlier texts, and the times tags were removed (``untag`` entries in effect)."""
    for undone, at, text in conn.execute(
        "SELECT undone, at, changes FROM journal WHERE action IN ('untag', 'note', 'merge')"
    ):
        for change in json.loads(text):
            op = change.get("op")
            if op == "tag-" and not undone:
                fold = tag_fold(change["tag"])
                for item in change["items"]:
                    known = tag_times.setdefault(item[0], {})
                    stamp = known.get(fold, (change["tag"], None))[1]
                    known[fold] = (change["tag"], later(stamp, at))  # type: ignore[assignment]
            elif op == "set" and change.get("field") == "notes":
                for paper_id, old, _ in change["items"]:
                    _remember(records, paper_id, old, change.get("new"))
            elif op == "merge-state":
                for item in change["items"]:
                    if item[1] == "notes":
                        _remember(records, item[0], item[2], item[4])
            elif op == "merge-conflict":
                for paper_id, text, _ in change["items"]:
                    _remember(records, paper_id, text)


def _remember(records: dict[int, Record], paper_id: int, *texts: object) -> None:
    record = records.get(paper_id)
    if record is not None:
        record.history.update(text for text in texts if isinstance(text, str) and text)


def records_from_export(text: str) -> list[Record]:
    """The records of tuireader's JSON (an array) or JSONL export; ValueError names a bad line."""
    stripped = text.lstrip()
    if not stripped:
        raise ValueError("no papers: the input is empty")
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not tuireader's JSON export (line {exc.lineno}: {exc.msg})") from None
        numbered = [(0, item) for item in items]
    else:
        numbered = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                numbered.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise ValueError(
                    f"line {number}: not a JSON record ({exc.msg}); is this tuireader's"
                    " `export -f jsonl`?"
                ) from None
    records = []
    for number, item in numbered:
        try:
            records.append(Record.from_export(item))
        except (ValueError, TypeError, AttributeError) as exc:
            where = f"line {number}" if number else f"record {len(records) + 1}"
            raise ValueError(f"{where}: {exc}") from None
    return records
