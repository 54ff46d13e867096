"""Merging another library into this one (two machines, one reading list).

``Library.merge_from(records, source=...)`` brings the papers of another side (a library file
read with :meth:`SyncMixin.read_other`, or tuireader's JSON/JSONL export) into this library in
one transaction, written as one journal entry (``merge``) that undo takes back whole and redo
puts back. What wins:

- **Identity**: the arXiv id where both have one, else the folded title (as imports).
- **Dump fields** merge as imports do: missing ones are filled, the upvote and comment counts
  of the newer page win, every sighting and import of both sides is kept. Citation keys never
  change; a paper new here keeps OTHER's key unless this library uses it for another paper.
- **State**, per field, by the time it was set (see :mod:`tuireader.library.sync_read`): the
  later read/starred/notes value wins (unread after read is a change too); a tag stays unless
  the other side removed it later. Equal times: set, starred, present and the longer-sorting
  note win, so both directions agree. A note that loses to another text (not one of the
  winner's earlier texts) is a **conflict**: kept in the journal and reported.

The outcome is the same whichever way two libraries are merged, and merging the same OTHER
again changes nothing (no journal entry either).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tuireader.citekeys import assign_keys, cite_key_base
from tuireader.library.core import Discard, LibraryBase, now
from tuireader.library.opening import LibraryError
from tuireader.library.sync_read import (
    FIELD_COLUMNS,
    IMPORT_COLUMNS,
    STATE_COLUMNS,
    Record,
    read_side,
)
from tuireader.models import counted

#: Dump fields filled when this library does not know them (as an import fills them).
_FILLABLE = (
    "abstract",
    "author_count",
    "organization",
    "org_handle",
    "published",
    "published_raw",
    "category",
    "score",
    "arxiv_id",
)
#: The journal operations of a merge (beside the reader's "set", "tag+", "tag-").
MERGE_OPS = ("merge-imports", "merge-papers", "merge-fields", "merge-sightings", "merge-state",
             "merge-conflict")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two different notes on one paper: which text was kept, which lost (it is in the journal)."""

    title: str
    kept: str
    lost: str
    #: "this library" or "OTHER": whose text lost.
    loser: str


@dataclass(slots=True)
class MergeReport:
    """What a merge did (or, in a dry run, would do)."""

    source: str
    new: int = 0
    merged: int = 0
    unchanged: int = 0
    fields: int = 0
    sightings: int = 0
    imports: int = 0
    state: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    dry_run: bool = False
    new_ids: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Did (would) the merge change anything?"""
        return bool(self.new or self.merged or self.imports)

    def summary(self) -> str:
        """One line: new papers, papers merged, state changes taken, conflicts."""
        verb = "would merge" if self.dry_run else "merged"
        return (
            f"{verb} {self.source}: {counted(self.new, 'new paper')}, {self.merged} merged"
            f" ({self.fields} with fields filled, {counted(self.sightings, 'sighting')} and"
            f" {counted(self.imports, 'import')} added), {self.unchanged} unchanged,"
            f" {counted(self.state, 'state change')} taken from it,"
            f" {counted(len(self.conflicts), 'conflict')}"
        )


class SyncMixin(LibraryBase):
    """Library methods that merge another library in, and undo or redo such a merge."""

    def read_other(self, path: str | Path) -> list[Record]:
        """Every paper of the library file at ``path``, opened read-only (never written)."""
        path = Path(path).expanduser()
        if self.owns_file(path):
            raise LibraryError(f"{path} is this library: nothing to merge")
        other = type(self).open(path, create=False, readonly=True)
        try:
            with other.read_snapshot() as conn:
                return list(read_side(conn).values())
        finally:
            other.close()

    def sync_details(self, ids: Sequence[int]) -> dict[int, dict[str, object]]:
        """For the JSON/JSONL export: each paper's merge keys (state times, tags, sightings)."""
        with self.read_snapshot() as conn:
            return {pid: record.sync_keys() for pid, record in read_side(conn, list(ids)).items()}

    def merge_from(
        self, records: Iterable[Record], *, source: str, dry_run: bool = False
    ) -> MergeReport:
        """Merge another side's papers into this library: one transaction, one undo step."""
        report = MergeReport(source=source, dry_run=dry_run)
        with self.transaction() as conn:
            changes = _Planner(conn, report).plan(records)
            if report.changed:
                self._apply(changes, reverse=False)
                summary = (
                    f"merge {source}: {report.new} new, {report.merged} merged,"
                    f" {counted(report.state, 'state change')}"
                )
                self._record("merge", summary, changes)
            if dry_run:
                raise Discard
        return report

    # -- undo / redo -----------------------------------------------------------------------------
    def replay(self, *, undo: bool, expect: int | None = None) -> str | None:
        """Undo or redo one journal entry (see JournalMixin.replay); the time of an undo or
        redo of the reader's own change is kept in ``state_times`` (a merge weighs it)."""
        with self.transaction() as conn:
            row = conn.execute(self._pick(undo)).fetchone()
            summary = super().replay(undo=undo, expect=expect)  # type: ignore[misc]
            if summary is not None and row is not None:
                stamp = now()
                conn.executemany(
                    "INSERT OR REPLACE INTO state_times(paper_id, field, at) VALUES (?,?,?)",
                    [(pid, name, stamp) for pid, name in _touched(json.loads(row[2]))],
                )
        return summary

    def _apply(self, changes: list[dict], *, reverse: bool) -> None:
        for change in reversed(changes) if reverse else changes:
            if change["op"] in MERGE_OPS:
                self._apply_merge(change, reverse)
            else:
                super()._apply([change], reverse=reverse)  # type: ignore[misc]

    def _apply_merge(self, change: dict, reverse: bool) -> None:
        conn = self.conn
        op = change["op"]
        if op == "merge-imports":
            rows = change["rows"]
            if reverse:
                conn.executemany("DELETE FROM imports WHERE id = ?", [(r["id"],) for r in rows])
            else:
                _insert_dicts(conn, "imports", rows, "the merge's imports")
        elif op == "merge-papers":
            if reverse:
                self._remove_papers([item[0] for item in change["items"]])
            else:
                self._insert_papers(change["items"])
        elif op == "merge-fields":
            for pid, values in change["items"]:
                pick = 0 if reverse else 1
                sets = ", ".join(f"{name} = ?" for name in values)
                params = [pair[pick] for pair in values.values()]
                conn.execute(f"UPDATE papers SET {sets} WHERE id = ?", (*params, pid))
        elif op == "merge-sightings":
            if reverse:
                conn.executemany(
                    "DELETE FROM sightings WHERE paper_id = ? AND import_id = ?",
                    [(item[0], item[1]) for item in change["items"]],
                )
            else:
                conn.executemany(
                    "INSERT OR IGNORE INTO sightings(paper_id, import_id, line, upvotes, comments,"
                    " published_raw) VALUES (?,?,?,?,?,?)",
                    change["items"],
                )
        elif op == "merge-state":
            for item in change["items"]:
                self._apply_state(item, reverse)
        # "merge-conflict" only keeps the losing texts: nothing to apply.

    def _apply_state(self, item: list, reverse: bool) -> None:
        pid, name, old, old_at, new, new_at, old_st, new_st = item
        value, at, st = (old, old_at, old_st) if reverse else (new, new_at, new_st)
        conn = self.conn
        if name in STATE_COLUMNS:
            conn.execute(
                f"UPDATE papers SET {name} = ?, {STATE_COLUMNS[name]} = ? WHERE id = ?",
                (value, at, pid),
            )
        else:
            tag_id = self._tag_id(name[4:], create=bool(value))  # type: ignore[attr-defined]
            if value:
                conn.execute(
                    "INSERT OR REPLACE INTO paper_tags(paper_id, tag_id, added_at) VALUES (?,?,?)",
                    (pid, tag_id, at or now()),
                )
            elif tag_id is not None:
                conn.execute(
                    "DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = ?", (pid, tag_id)
                )
        if st is None:
            conn.execute("DELETE FROM state_times WHERE paper_id = ? AND field = ?", (pid, name))
        else:
            conn.execute(
                "INSERT OR REPLACE INTO state_times(paper_id, field, at) VALUES (?,?,?)",
                (pid, name, st),
            )

    def _insert_papers(self, items: list) -> None:
        conn = self.conn
        rows = [item[1] for item in items]
        _insert_dicts(conn, "papers", rows, "the merge's new papers")
        ids = [row["id"] for row in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            conn.execute(
                "INSERT INTO papers_fts(rowid, title, authors, organization, org_handle, notes)"
                f" SELECT id, title, authors, organization, org_handle, notes FROM papers"
                f" WHERE id IN ({marks})",
                chunk,
            )
        conn.executemany("INSERT INTO pending_abstracts(paper_id) VALUES (?)", [(i,) for i in ids])
        for pid, _, tags, times in items:
            for name, at in tags:
                tag_id = self._tag_id(name, create=True)  # type: ignore[attr-defined]
                conn.execute(
                    "INSERT OR IGNORE INTO paper_tags(paper_id, tag_id, added_at) VALUES (?,?,?)",
                    (pid, tag_id, at),
                )
            conn.executemany(
                "INSERT OR REPLACE INTO state_times(paper_id, field, at) VALUES (?,?,?)",
                [(pid, name, at) for name, at in times],
            )

    def _remove_papers(self, ids: list[int]) -> None:
        conn = self.conn
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            seen = conn.execute(
                f"SELECT count(*) FROM sightings WHERE paper_id IN ({marks})", chunk
            ).fetchone()[0]
            if seen:
                raise LibraryError(
                    "cannot undo the merge: a later import saw papers it brought in"
                )
            for table in ("state_times", "paper_tags"):
                conn.execute(f"DELETE FROM {table} WHERE paper_id IN ({marks})", chunk)
            columns = "title, authors, organization, org_handle, notes"
            conn.execute(
                f"INSERT INTO papers_fts(papers_fts, rowid, {columns}) SELECT 'delete', id,"
                f" {columns} FROM papers WHERE id IN ({marks})",
                chunk,
            )
            conn.execute(
                f"INSERT INTO all_fts(all_fts, rowid, {columns}, abstract) SELECT 'delete', id,"
                f" {columns}, abstract FROM papers WHERE id IN ({marks})"
                " AND id NOT IN (SELECT paper_id FROM pending_abstracts)",
                chunk,
            )
            conn.execute(f"DELETE FROM pending_abstracts WHERE paper_id IN ({marks})", chunk)
            conn.execute(f"DELETE FROM papers WHERE id IN ({marks})", chunk)


def _touched(changes: list[dict]) -> list[tuple[int, str]]:
    """(paper, state field) for each item of the reader's own journal entry (not a merge's)."""
    out: list[tuple[int, str]] = []
    for change in changes:
        if change["op"] == "set":
            out.extend((item[0], change["field"]) for item in change["items"])
        elif change["op"] in ("tag+", "tag-"):
            out.extend((item[0], f"tag:{change['tag']}") for item in change["items"])
    return out


def _insert_dicts(conn: sqlite3.Connection, table: str, rows: list[dict], what: str) -> None:
    if not rows:
        return
    names = list(rows[0])
    sql = f"INSERT INTO {table}({', '.join(names)}) VALUES ({','.join('?' * len(names))})"
    try:
        conn.executemany(sql, [[row[name] for name in names] for row in rows])
    except sqlite3.IntegrityError:
        raise LibraryError(
            f"cannot redo the merge: {what} clash with papers imported since"
        ) from None


def _rank(name: str, value: object) -> object:
    """How a value sorts when two sides set a field at the same time (so both sides agree)."""
    if name == "notes":
        return value or ""
    return int(bool(value))


class _Planner:
    """Works out a merge's journal changes: nothing is written here."""

    def __init__(self, conn: sqlite3.Connection, report: MergeReport) -> None:
        self.conn = conn
        self.report = report
        self.stamp = now()
        self.local = read_side(conn)
        self.by_key = {r.key: r for r in self.local.values()}
        self.by_arxiv = {r.fields["arxiv_id"]: r for r in self.local.values() if r.fields["arxiv_id"]}
        self.imports: dict[tuple, int] = {
            (row[1], row[2], row[3]): row[0]
            for row in conn.execute("SELECT id, sha256, imported_at, file FROM imports")
        }
        self.next_import = (conn.execute("SELECT max(id) FROM imports").fetchone()[0] or 0) + 1
        self.next_paper = (conn.execute("SELECT max(id) FROM papers").fetchone()[0] or 0) + 1
        self.taken = {r.fields["cite_key"] for r in self.local.values() if r.fields["cite_key"]}
        self.seen = {
            (row[0], row[1]) for row in conn.execute("SELECT paper_id, import_id FROM sightings")
        }
        self.new_imports: list[dict] = []
        self.new_papers: list[list] = []
        self.fields: list[list] = []
        self.sightings: list[list] = []
        self.states: list[list] = []
        self.lost: list[list] = []

    def plan(self, records: Iterable[Record]) -> list[dict]:
        """The journal changes that merge ``records`` into the library."""
        done: set[str] = set()
        for record in records:
            if record.key in done:
                continue
            done.add(record.key)
            arxiv = record.fields.get("arxiv_id")
            local = (self.by_arxiv.get(arxiv) if arxiv else None) or self.by_key.get(record.key)
            if local is None:
                self._new(record)
            else:
                self._merge(local, record)
        self._give_cite_keys()
        changes: list[dict] = [
            {"op": "merge-imports", "items": [], "rows": self.new_imports},
            {"op": "merge-papers", "items": self.new_papers},
            {"op": "merge-fields", "items": self.fields},
            {"op": "merge-sightings", "items": self.sightings},
            {"op": "merge-state", "items": self.states},
            {"op": "merge-conflict", "items": self.lost},
        ]
        return [change for change in changes if change["items"] or change.get("rows")]

    def _import_id(self, imported: dict) -> int:
        identity = (imported["sha256"], imported["imported_at"], imported["file"])
        found = self.imports.get(identity)
        if found is None:
            found = self.imports[identity] = self.next_import
            self.next_import += 1
            row = {name: imported.get(name) for name in IMPORT_COLUMNS}
            row["warnings"] = imported.get("warnings") or "[]"
            for name in ("papers", "new", "merged", "unchanged", "skipped"):
                row[name] = row[name] or 0
            row["layout"] = row["layout"] or "unknown"
            self.new_imports.append({"id": found, **row})
            self.report.imports += 1
        return found

    def _add_sightings(self, pid: int, record: Record) -> int:
        added = 0
        for imported, seen in record.sightings:
            import_id = self._import_id(imported)
            if (pid, import_id) in self.seen:
                continue
            self.seen.add((pid, import_id))
            self.sightings.append(
                [pid, import_id, seen["line"], seen["upvotes"], seen["comments"],
                 seen["published_raw"]]
            )  # fmt: skip
            added += 1
        self.report.sightings += added
        return added

    def _new(self, record: Record) -> None:
        pid = self.next_paper
        self.next_paper += 1
        row = {"id": pid, "key": record.key, **record.fields}
        row["added_at"] = row["added_at"] or self.stamp
        for name, at_column in STATE_COLUMNS.items():
            row[name], row[at_column] = record.state[name][0], record.raw.get(name)
        row["read"], row["starred"] = int(bool(row["read"])), int(bool(row["starred"]))
        row["notes"] = row["notes"] or None
        row["updated_at"] = self.stamp
        row["first_import"] = None
        if record.sightings:
            row["first_import"] = self._import_id(record.sightings[0][0])
        self._add_sightings(pid, record)
        tags = [
            [name, record.raw.get(f"tag:{name}") or at or self.stamp]
            for name, present, at in record.tags.values()
            if present
        ]
        times = [[f"tag:{name}", at] for name, present, at in record.tags.values()
                 if not present and at]  # fmt: skip
        times += [[name, at] for name, at in record.times.items()]
        self.new_papers.append([pid, row, tags, times])
        self.report.new += 1
        self.report.new_ids.append(pid)
        self.report.state += int(bool(row["read"])) + int(bool(row["starred"]))
        self.report.state += int(bool(row["notes"])) + len(tags)

    def _give_cite_keys(self) -> None:
        """OTHER's key for a new paper unless taken here; else the usual suffixed key."""
        needing = []
        for item in self.new_papers:
            row = item[1]
            key = row.get("cite_key")
            if key and key not in self.taken:
                self.taken.add(key)
            else:
                needing.append(row)
        bases = [
            cite_key_base(
                row["title"],
                json.loads(row["authors"]) if row["authors"] else None,
                row["organization"],
                row["org_handle"],
                row["published"],
            )
            for row in needing
        ]
        for row, key in zip(needing, assign_keys(bases, self.taken), strict=True):
            row["cite_key"] = key
            self.taken.add(key)

    def _merge(self, local: Record, other: Record) -> None:
        assert local.id is not None
        pid = local.id
        change = _field_changes(local.fields, other.fields)
        if change:
            self.fields.append([pid, change])
            self.report.fields += 1
        added = self._add_sightings(pid, other)
        before, lost = len(self.states), len(self.lost)
        for name in STATE_COLUMNS:
            self._state(local, other, name)
        for fold in dict.fromkeys([*local.tags, *other.tags]):
            self._tag(local, other, fold)
        taken = len(self.states) - before
        self.report.state += taken
        if change or added or taken or len(self.lost) > lost:
            self.report.merged += 1
        else:
            self.report.unchanged += 1

    def _stored(self, pid: int, name: str) -> str | None:
        row = self.conn.execute(
            "SELECT at FROM state_times WHERE paper_id = ? AND field = ?", (pid, name)
        ).fetchone()
        return row[0] if row else None

    def _state(self, local: Record, other: Record, name: str) -> None:
        lv, lat = local.state[name]
        ov, oat = other.state[name]
        if name == "notes":
            lv, ov = lv or None, ov or None
        else:
            lv, ov = int(bool(lv)), int(bool(ov))
        if lv == ov:
            return
        other_wins = (oat or "", _rank(name, ov)) > (lat or "", _rank(name, lv))
        title = str(local.fields["title"])
        if name == "notes" and lv and ov:
            if other_wins and lv not in other.history:
                self.report.conflicts.append(Conflict(title, str(ov), str(lv), "this library"))
                self.lost.append([local.id, lv, lat])
            elif not other_wins and ov not in local.history:
                self.report.conflicts.append(Conflict(title, str(lv), str(ov), "OTHER"))
                self.lost.append([local.id, ov, oat])
        if not other_wins:
            return
        raw_at = self.conn.execute(
            f"SELECT {STATE_COLUMNS[name]} FROM papers WHERE id = ?", (local.id,)
        ).fetchone()[0]
        old = local.state[name][0]
        self.states.append(
            [local.id, name, old, raw_at, ov, oat, self._stored(local.id, name), oat]
        )

    def _tag(self, local: Record, other: Record, fold: str) -> None:
        lname, lp, lat = local.tags.get(fold, (None, False, None))
        oname, op, oat = other.tags.get(fold, (None, False, None))
        if lp == op or not ((oat or "", op) > (lat or "", lp)):
            return
        name = lname or self._known_tag(fold) or oname
        field_name = f"tag:{name}"
        raw = None
        if lp:
            raw = self.conn.execute(
                "SELECT pt.added_at FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
                " WHERE pt.paper_id = ? AND t.name = ? COLLATE NOCASE",
                (local.id, name),
            ).fetchone()[0]
        new_at = (oat or self.stamp) if op else None
        self.states.append(
            [local.id, field_name, int(lp), raw, int(op), new_at, self._stored(local.id, field_name),
             oat]
        )  # fmt: skip

    def _known_tag(self, fold: str) -> str | None:
        for (name,) in self.conn.execute("SELECT name FROM tags WHERE name = ? COLLATE NOCASE",
                                         (fold,)):  # fmt: skip
            return name
        return None


def _field_changes(stored: dict, other: dict) -> dict[str, list]:
    """Column -> [old, new] for the dump fields ``other`` brings (as an import would)."""
    change: dict[str, list] = {}
    for name in _FILLABLE:
        if stored[name] in (None, "") and other.get(name) not in (None, ""):
            change[name] = [stored[name], other[name]]
    if other.get("authors") and other["authors"] != stored["authors"]:
        new, old = json.loads(other["authors"]), json.loads(stored["authors"] or "null")
        truncated, other_truncated = bool(stored["authors_truncated"]), bool(
            other["authors_truncated"]
        )
        better = (
            old is None
            or (truncated and not other_truncated)
            or (truncated == other_truncated and len(new) > len(old))
        )
        if better:
            change["authors"] = [stored["authors"], other["authors"]]
            change["authors_truncated"] = [stored["authors_truncated"], int(other_truncated)]
    if other.get("has_code") and not stored["has_code"]:
        change["has_code"] = [stored["has_code"], 1]
    elif stored["has_code"] is None and other.get("has_code") is not None:
        change["has_code"] = [None, other["has_code"]]
    for name in ("upvotes", "comments"):
        value, seen_on = other.get(name), other.get(f"{name}_seen_on")
        mine, mine_on = stored[name], stored[f"{name}_seen_on"]
        if value is None or seen_on is None or (value, seen_on) == (mine, mine_on):
            continue
        if mine_on is None or (seen_on, value) > (mine_on, mine if mine is not None else -1):
            change[name] = [mine, value]
            change[f"{name}_seen_on"] = [mine_on, seen_on]
    added = other.get("added_at")
    if added and stored["added_at"] and added < stored["added_at"]:
        change["added_at"] = [stored["added_at"], added]
    assert set(change) <= set(FIELD_COLUMNS)
    return change

