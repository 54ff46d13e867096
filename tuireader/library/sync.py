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
from pathlib import Path

from tuireader.library.core import Discard, now
from tuireader.library.journal import JournalMixin
from tuireader.library.opening import LibraryError
from tuireader.library.sync_plan import MergeReport, Planner
from tuireader.library.sync_read import STATE_COLUMNS, Record, read_side
from tuireader.models import counted
from tuireader.textsafe import one_line

#: The journal operations of a merge (beside the reader's "set", "tag+", "tag-").
MERGE_OPS = ("merge-imports", "merge-papers", "merge-fields", "merge-sightings", "merge-state",
             "merge-conflict")  # fmt: skip


class SyncMixin(JournalMixin):
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
            changes = Planner(conn, report).plan(records)
            if report.changed:
                self._apply(changes, reverse=False)
                summary = (
                    f"merge {one_line(source)}: {report.new} new, {report.merged} merged,"
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
            summary = super().replay(undo=undo, expect=expect)
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
                super()._apply([change], reverse=reverse)

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
            tag_id = self._tag_id(name[4:], create=bool(value))
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
                tag_id = self._tag_id(name, create=True)
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
