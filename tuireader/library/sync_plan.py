"""Planning a merge: the journal changes that bring another side's records into a library.

Nothing is written here: :class:`Planner` reads this library (inside the merge's transaction)
and returns the changes that :class:`tuireader.library.sync.SyncMixin` applies, and undo takes
back. The rules are those of :mod:`tuireader.library.sync`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from tuireader.citekeys import assign_keys, cite_key_base
from tuireader.library.core import now
from tuireader.library.sync_read import (
    FIELD_COLUMNS,
    IMPORT_COLUMNS,
    STATE_COLUMNS,
    Record,
    read_side,
)
from tuireader.library.writing import FILLABLE
from tuireader.models import counted


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



def _rank(name: str, value: object) -> object:
    """How a value sorts when two sides set a field at the same time (so both sides agree)."""
    if name == "notes":
        return value or ""
    return int(bool(value))


class Planner:
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
        self.taken: set[str] = {
            str(r.fields["cite_key"]) for r in self.local.values() if r.fields["cite_key"]
        }
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

    def _stored(self, pid: int | None, name: str) -> str | None:
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
    for name in FILLABLE:
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

