"""The reader's state (read, starred, tags, notes), changed only through an undoable journal.

Each change is one ``journal`` row whose ``changes`` JSON lists what it did, so that undo can put
every value back (with its old timestamp) and redo can do it again. A bulk change is one row.
A new change after an undo drops the entries that could have been redone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from tuireader.library.core import LibraryBase, now
from tuireader.models import counted

#: The state columns and their timestamp columns.
_STATE_FIELDS = {"read": "read_at", "starred": "starred_at", "notes": "notes_at"}


@dataclass(slots=True, frozen=True)
class JournalEntry:
    """One undoable change."""

    id: int
    at: str
    action: str
    summary: str
    undone: bool


def _papers(n: int) -> str:
    return counted(n, "paper")


class JournalMixin(LibraryBase):
    """Library methods that change the reader's state."""

    def _record(self, action: str, summary: str, changes: list[dict[str, object]]) -> None:
        self.conn.execute("DELETE FROM journal WHERE undone = 1")
        self.conn.execute(
            "INSERT INTO journal(at, action, summary, changes) VALUES (?,?,?,?)",
            (now(), action, summary, json.dumps(changes, ensure_ascii=False)),
        )

    def _set_field(
        self, ids: Sequence[int], field: str, value: object, action: str, summary: str
    ) -> int:
        stamp_column = _STATE_FIELDS[field]
        stamp = now()
        changed = 0
        with self.transaction() as conn:
            items: list[list[object]] = []
            for start in range(0, len(ids), 900):
                chunk = list(ids[start : start + 900])
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT id, {field}, {stamp_column} FROM papers WHERE id IN ({marks})"
                    f" AND {field} IS NOT ?",
                    [*chunk, value],
                ).fetchall()
                items.extend([row[0], row[1], row[2]] for row in rows)
            if not items:
                return 0
            conn.executemany(
                f"UPDATE papers SET {field} = ?, {stamp_column} = ? WHERE id = ?",
                [(value, stamp, item[0]) for item in items],
            )
            changed = len(items)
            self._record(
                action,
                summary.format(n=_papers(changed)),
                [{"op": "set", "field": field, "new": value, "at": stamp, "items": items}],
            )
        return changed

    def set_read(self, ids: Sequence[int], read: bool = True) -> int:
        """Mark papers read (or unread); returns how many changed. One undo step."""
        verb = "read" if read else "unread"
        return self._set_field(ids, "read", int(read), verb, f"{verb} {{n}}")

    def set_starred(self, ids: Sequence[int], starred: bool = True) -> int:
        """Star (or unstar) papers; returns how many changed. One undo step."""
        verb = "star" if starred else "unstar"
        return self._set_field(ids, "starred", int(starred), verb, f"{verb} {{n}}")

    def set_note(self, paper_id: int, text: str) -> bool:
        """Set a paper's note (empty text removes it); returns whether it changed."""
        value = text if text.strip() else None
        return bool(self._set_field([paper_id], "notes", value, "note", "note on {n}"))

    def _tag_id(self, name: str, create: bool) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,)
        ).fetchone()
        if row:
            return row[0]
        if not create:
            return None
        return self.conn.execute(
            "INSERT INTO tags(name, created_at) VALUES (?, ?)", (name, now())
        ).lastrowid

    def add_tag(self, ids: Sequence[int], tag: str) -> int:
        """Add ``tag`` to papers; returns how many gained it. One undo step."""
        tag = normalise_tag(tag)
        stamp = now()
        with self.transaction() as conn:
            tag_id = self._tag_id(tag, create=True)
            have = {
                row[0]
                for row in conn.execute(
                    "SELECT paper_id FROM paper_tags WHERE tag_id = ?", (tag_id,)
                )
            }
            new = [i for i in dict.fromkeys(ids) if i not in have]
            if not new:
                return 0
            conn.executemany(
                "INSERT INTO paper_tags(paper_id, tag_id, added_at) VALUES (?,?,?)",
                [(i, tag_id, stamp) for i in new],
            )
            self._record(
                "tag",
                f"tag {_papers(len(new))} {tag!r}",
                [{"op": "tag+", "tag": tag, "items": [[i, stamp] for i in new]}],
            )
        return len(new)

    def remove_tag(self, ids: Sequence[int], tag: str) -> int:
        """Remove ``tag`` from papers; returns how many lost it. One undo step.

        ``tag`` is normalised as :meth:`add_tag` normalises it ("to read" removes "to-read").
        """
        if not tag.strip():
            return 0
        tag = normalise_tag(tag)
        with self.transaction() as conn:
            tag_id = self._tag_id(tag, create=False)
            if tag_id is None:
                return 0
            wanted = set(ids)
            rows = [
                [row[0], row[1]]
                for row in conn.execute(
                    "SELECT paper_id, added_at FROM paper_tags WHERE tag_id = ?", (tag_id,)
                )
                if row[0] in wanted
            ]
            if not rows:
                return 0
            conn.executemany(
                "DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = ?",
                [(row[0], tag_id) for row in rows],
            )
            name = conn.execute("SELECT name FROM tags WHERE id = ?", (tag_id,)).fetchone()[0]
            self._record(
                "untag",
                f"untag {_papers(len(rows))} {name!r}",
                [{"op": "tag-", "tag": name, "items": rows}],
            )
        return len(rows)

    # -- undo / redo ---------------------------------------------------------------------------
    def _apply(self, changes: list[dict], *, reverse: bool) -> None:
        conn = self.conn
        for change in reversed(changes) if reverse else changes:
            op = change["op"]
            if op == "set":
                field = change["field"]
                stamp_column = _STATE_FIELDS[field]
                if reverse:
                    rows = [(old, old_at, pid) for pid, old, old_at in change["items"]]
                else:
                    rows = [(change["new"], change["at"], pid) for pid, _, _ in change["items"]]
                conn.executemany(
                    f"UPDATE papers SET {field} = ?, {stamp_column} = ? WHERE id = ?", rows
                )
                continue
            adding = (op == "tag+") != reverse
            tag_id = self._tag_id(change["tag"], create=adding)
            if adding:
                conn.executemany(
                    "INSERT OR IGNORE INTO paper_tags(paper_id, tag_id, added_at) VALUES (?,?,?)",
                    [(pid, tag_id, at) for pid, at in change["items"]],
                )
            elif tag_id is not None:
                conn.executemany(
                    "DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = ?",
                    [(pid, tag_id) for pid, _ in change["items"]],
                )

    def _pick(self, undo: bool) -> str:
        if undo:
            return "SELECT id, summary, changes FROM journal WHERE undone = 0 ORDER BY id DESC LIMIT 1"
        return "SELECT id, summary, changes FROM journal WHERE undone = 1 ORDER BY id LIMIT 1"

    def replay(self, *, undo: bool, expect: int | None = None) -> str | None:
        """Undo the latest change in effect, or redo the one undone last; return its summary.

        ``expect``: only if that is the journal entry in question (a change queued while the
        library was busy names the entry the user saw; applied twice, it changes nothing).
        """
        with self.transaction() as conn:
            row = conn.execute(self._pick(undo)).fetchone()
            if row is None or (expect is not None and row[0] != expect):
                return None
            self._apply(json.loads(row[2]), reverse=undo)
            conn.execute("UPDATE journal SET undone = ? WHERE id = ?", (int(undo), row[0]))
        return row[1]

    def latest_entry(self, *, undone: bool) -> JournalEntry | None:
        """The entry undo would take (``undone=False``) or redo would (``undone=True``)."""
        with self.read_snapshot() as conn:
            row = conn.execute(self._pick(not undone)).fetchone()
            if row is None:
                return None
            return JournalEntry(row[0], "", "", row[1], undone)

    def replay_papers(self, *, undo: bool = True) -> list[int]:
        """The papers the next undo (or redo) would change, in the order the change named them."""
        rows = self.query(self._pick(undo))
        if not rows:
            return []
        ids: list[int] = []
        for change in json.loads(rows[0][2]):
            for item in change["items"]:
                if item[0] not in ids:
                    ids.append(item[0])
        return ids

    def undo(self) -> str | None:
        """Undo the latest change still in effect; returns its summary, or None if none."""
        return self.replay(undo=True)

    def redo(self) -> str | None:
        """Redo the change undone last; returns its summary, or None if none."""
        return self.replay(undo=False)

    def history(self, limit: int = 50) -> list[JournalEntry]:
        """The latest journal entries, newest first."""
        return [
            JournalEntry(row[0], row[1], row[2], row[3], bool(row[4]))
            for row in self.query(
                "SELECT id, at, action, summary, undone FROM journal ORDER BY id DESC LIMIT ?",
                (limit,),
            )
        ]


def normalise_tag(tag: str) -> str:
    """A tag as stored: trimmed, inner spaces turned into hyphens; raises ValueError if empty."""
    cleaned = "-".join(tag.strip().split())
    if not cleaned:
        raise ValueError("a tag needs at least one character")
    return cleaned
