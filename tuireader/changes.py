"""The reader's changes (read, star, tags, notes, undo, redo), never dropped when the file is busy.

Another process (a long ``tuireader import``) may hold the library's write lock for seconds. A
key pressed meanwhile must not freeze the reader nor be refused: :class:`ChangeQueue` tries the
change at once, waiting at most a moment; when the lock stays taken it keeps the change in a
queue, in order, shows it as pending (:meth:`ChangeQueue.overlay_row`), writes it to a spool file
in the state folder (so closing the reader, or a crash, loses nothing) and applies it as soon as
the lock frees (:meth:`ChangeQueue.flush`, called on a timer). A reader that starts finds the
spools that no running reader holds (by an advisory lock on a file of its own) and applies them.

Every queued change is idempotent where it can be (set read to 1, add a tag) and undo/redo name
the journal entry they meant, so a change applied twice (a crash between commit and the spool's
update) changes nothing the second time. No Textual here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tuireader.drafts import Draft, Drafts, draft_file
from tuireader.library import Library, LibraryBusy, LibraryError, normalise_tag
from tuireader.models import Paper, PaperRow, counted
from tuireader.search.pending import NOTHING_PENDING, PaperState, Pending
from tuireader.textsafe import one_line

#: How long a keypress waits for another process's write before its change is queued (seconds).
KEY_WAIT = 0.1

READ, STAR, TAG_ADD, TAG_REMOVE, NOTE, UNDO, REDO = (
    "read",
    "star",
    "tag+",
    "tag-",
    "note",
    "undo",
    "redo",
)


@dataclass(frozen=True, slots=True)
class Change:
    """One change the user asked for, as data (it may wait in the queue and in a spool file)."""

    kind: str
    ids: tuple[int, ...] = ()
    value: bool | str | None = None
    #: For undo/redo: the journal entry meant when the key was pressed.
    entry: int | None = None

    def describe(self) -> str:
        """What the change does, in a few words ("star 3 papers")."""
        n = counted(len(self.ids), "paper")
        if self.kind in (READ, STAR):
            verb = {READ: ("read", "unread"), STAR: ("star", "unstar")}[self.kind]
            return f"{verb[0] if self.value else verb[1]} {n}"
        if self.kind == TAG_ADD:
            return f"tag {n} {self.value!r}"
        if self.kind == TAG_REMOVE:
            return f"untag {n} {self.value!r}"
        if self.kind == NOTE:
            return f"note on {n}"
        return self.kind

    def to_json(self) -> dict[str, object]:
        """The change as JSON data (for the spool file)."""
        return {"kind": self.kind, "ids": list(self.ids), "value": self.value, "entry": self.entry}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        """A change read back from a spool file."""
        value = data.get("value")
        entry = data.get("entry")
        return cls(
            str(data["kind"]),
            tuple(int(i) for i in data.get("ids", ())),
            value if isinstance(value, bool | str) else None,
            int(entry) if isinstance(entry, int) else None,
        )


class ChangeQueue:
    """Applies the reader's changes to ``library`` in order; queues them while it is busy."""

    def __init__(self, library: Library, spool_dir: Path) -> None:
        self.library = library
        self.spool_dir = spool_dir
        self.pending: list[Change] = []
        #: Pending changes taken back by undo (redo puts them back).
        self._taken_back: list[Change] = []
        #: Spools of this library are named after its path (any reader of it may adopt them).
        self._key = _library_key(library)
        stem = f"{self._key}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._spool = spool_dir / f"{stem}.json"
        self._lock_file = spool_dir / f"{stem}.lock"
        self._lock_fd: int | None = None
        #: Changes from spools of readers that ended before writing them (applied by flush).
        self.adopted = 0
        #: What this reader is typing, kept on disk (a dropped link loses none of it).
        self.drafts = Drafts(draft_file(spool_dir, stem))
        #: The draft a reader before this one left behind (found by start), to offer back.
        self.adopted_draft: Draft | None = None
        #: Why the library refused the waiting changes at the last flush (a full disk), if it did.
        self.refused: str | None = None
        #: Why the spool could not be written (a full disk): the changes wait in memory only.
        self.unsaved: str | None = None
        #: Changes made (or queued) so far: each one undo step. A screen that must take back
        #: what a dialog did (triage's ``u``) counts the steps between two readings.
        self.made = 0

    # -- the user's changes ----------------------------------------------------------------------
    def set_read(self, ids: Sequence[int], read: bool = True) -> int:
        """Mark papers read (unread); how many changed, or how many will (queued)."""
        return self._submit(Change(READ, tuple(ids), bool(read)))

    def set_starred(self, ids: Sequence[int], starred: bool = True) -> int:
        """Star (unstar) papers; how many changed, or how many will (queued)."""
        return self._submit(Change(STAR, tuple(ids), bool(starred)))

    def add_tag(self, ids: Sequence[int], tag: str) -> int:
        """Tag papers; raises ValueError for an empty tag."""
        return self._submit(Change(TAG_ADD, tuple(ids), normalise_tag(tag)))

    def remove_tag(self, ids: Sequence[int], tag: str) -> int:
        """Remove a tag from papers."""
        if not tag.strip():
            return 0
        return self._submit(Change(TAG_REMOVE, tuple(ids), normalise_tag(tag)))

    def set_note(self, paper_id: int, text: str) -> bool:
        """Set a paper's note (empty text removes it)."""
        return bool(self._submit(Change(NOTE, (paper_id,), text)))

    def undo(self) -> str | None:
        """Undo the latest change: a pending one is simply taken back; else the journal's."""
        if self.pending:
            change = self.pending.pop()
            self._taken_back.append(change)
            self._save()
            return f"{change.describe()} (it was not written yet)"
        entry = self.library.latest_entry(undone=False)
        if entry is None:
            return None
        return self._submit_replay(Change(UNDO, entry=entry.id), entry.summary)

    def redo(self) -> str | None:
        """Redo what undo took back last."""
        if self._taken_back:
            change = self._taken_back.pop()
            self._queue(change)
            self.flush()
            return change.describe()
        entry = self.library.latest_entry(undone=True)
        if entry is None:
            return None
        return self._submit_replay(Change(REDO, entry=entry.id), entry.summary)

    def replay_papers(self, *, undo: bool = True) -> list[int]:
        """The papers the next undo (or redo) would change."""
        if undo and self.pending:
            return list(self.pending[-1].ids)
        if not undo and self._taken_back:
            return list(self._taken_back[-1].ids)
        return self.library.replay_papers(undo=undo)

    # -- applying ----------------------------------------------------------------------------
    def _submit(self, change: Change) -> int:
        self._taken_back.clear()  # a new change: nothing taken back can be redone any more
        if not change.ids:
            return 0
        if not self.pending:
            try:
                changed = int(self._apply(change, wait=KEY_WAIT) or 0)
            except LibraryBusy:
                pass
            else:
                self.made += bool(changed)  # (nothing changed: no journal entry, no undo step)
                return changed
        self._queue(change)
        self.made += 1
        return len(change.ids)

    def _submit_replay(self, change: Change, summary: str) -> str | None:
        if not self.pending:
            try:
                return self._apply(change, wait=KEY_WAIT)  # type: ignore[return-value]
            except LibraryBusy:
                pass
        self._queue(change)
        return summary

    def _apply(self, change: Change, *, wait: float) -> int | str | None:
        library = self.library
        with library.waiting_at_most(wait):
            if change.kind == READ:
                return library.set_read(change.ids, bool(change.value))
            if change.kind == STAR:
                return library.set_starred(change.ids, bool(change.value))
            if change.kind == TAG_ADD:
                return library.add_tag(change.ids, str(change.value))
            if change.kind == TAG_REMOVE:
                return library.remove_tag(change.ids, str(change.value))
            if change.kind == NOTE:
                return int(library.set_note(change.ids[0], str(change.value or "")))
            if change.kind in (UNDO, REDO):
                return library.replay(undo=change.kind == UNDO, expect=change.entry)
        raise ValueError(f"unknown change {change.kind!r}")

    def _queue(self, change: Change) -> None:
        self.pending.append(change)
        self._save()

    def flush(self) -> int:
        """Apply waiting changes in order while the lock is free (never waits); how many applied."""
        applied = 0
        self.refused = None
        while self.pending:
            try:
                self._apply(self.pending[0], wait=0)
            except LibraryBusy:
                break
            except LibraryError as exc:  # a full disk, a damaged file: kept, tried again later
                self.refused = one_line(exc)
                break
            self.pending.pop(0)
            applied += 1
        if applied:
            self._save()
        return applied

    # -- what the screen shows ----------------------------------------------------------------
    def overlay_row(self, row: PaperRow) -> PaperRow:
        """``row`` as it will be once the pending changes are written."""
        read, starred, tags = row.read, row.starred, list(row.tags)
        for change in self.pending:
            if row.id not in change.ids:
                continue
            if change.kind == READ:
                read = bool(change.value)
            elif change.kind == STAR:
                starred = bool(change.value)
            elif change.kind == TAG_ADD and change.value not in tags:
                tags.append(str(change.value))
            elif change.kind == TAG_REMOVE:
                tags = [t for t in tags if t.casefold() != str(change.value).casefold()]
        return dataclasses.replace(row, read=read, starred=starred, tags=tuple(tags))

    def rows(self, ids: Sequence[int]) -> list[PaperRow]:
        """The library's rows for ``ids`` with pending changes laid over them."""
        rows = self.library.rows(ids)
        return [self.overlay_row(row) for row in rows] if self.pending else rows

    def paper(self, paper_id: int | None) -> Paper | None:
        """The whole paper with pending changes laid over it (None if it is gone)."""
        if paper_id is None:
            return None
        paper = self.library.get_paper(paper_id)
        if paper is None or not self.pending:
            return paper
        row = self.overlay_row(
            PaperRow(paper.id, paper.title, None, "", None, paper.read, paper.starred, tuple(paper.tags))
        )
        notes = paper.notes
        for change in self.pending:
            if change.kind == NOTE and paper_id in change.ids:
                notes = str(change.value) if str(change.value or "").strip() else None
        return dataclasses.replace(
            paper, read=row.read, starred=row.starred, tags=list(row.tags), notes=notes
        )

    def pending_state(self) -> Pending:
        """The papers the waiting changes touch, as they will be (what a search lays over the
        file, see tuireader.search.pending)."""
        if not self.pending:
            return NOTHING_PENDING
        ids = sorted({i for change in self.pending for i in change.ids})
        states = {}
        for paper_id in ids:
            paper = self.paper(paper_id)
            if paper is not None:
                states[paper_id] = PaperState(
                    paper.read,
                    paper.starred,
                    frozenset(tag.casefold() for tag in paper.tags),
                    bool(paper.notes),
                )
        return Pending(states)

    def status(self) -> str:
        """One line for the status bar ("" when nothing waits)."""
        if not self.pending:
            return ""
        why = (
            f"the library refused them ({self.refused}); they are tried again"
            if self.refused
            else "another process is writing the library; they will be written when it is done"
        )
        kept = (
            f"; not saved to disk yet ({self.unsaved}): they are kept while the reader runs"
            if self.unsaved
            else ""
        )
        return f"{counted(len(self.pending), 'change')} pending: {why}{kept}"

    # -- the spool: pending changes on disk ---------------------------------------------------
    def start(self) -> None:
        """Hold this reader's spool, and adopt spools of readers that ended with changes pending."""
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(self._lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        adopted: list[Change] = []
        for spool in sorted(self.spool_dir.glob(f"{self._key}-*.json"), key=_mtime):
            if spool == self._spool or not _claim(spool.with_suffix(".lock")):
                continue
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                adopted.extend(Change.from_json(item) for item in json.loads(spool.read_text()))
            spool.unlink(missing_ok=True)
            spool.with_suffix(".lock").unlink(missing_ok=True)
        if adopted:
            self.adopted = len(adopted)
            self.pending[:0] = adopted
            self._save()
        self.adopted_draft = self.drafts.adopt(self._key, _claim)

    def stop(self) -> None:
        """Release the spool: kept on disk (for the next reader) only if changes still wait."""
        self._save()
        if self._lock_fd is not None:
            if not self.pending:
                self._lock_file.unlink(missing_ok=True)
            os.close(self._lock_fd)  # (the lock file is ours, never a database file)
            self._lock_fd = None

    def _save(self) -> None:
        if self._lock_fd is None:
            return
        if not self.pending:
            self._spool.unlink(missing_ok=True)
            return
        temp = self._spool.with_suffix(".part")
        try:
            with temp.open("w", encoding="utf-8") as handle:
                json.dump([change.to_json() for change in self.pending], handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self._spool)
        except OSError as exc:
            # A full disk: the spool before this one stays whole; the changes wait in memory
            # (written to the library or the spool as soon as there is room).
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
            self.unsaved = exc.strerror or str(exc)
            return
        self.unsaved = None


def _library_key(library: Library) -> str:
    """A file-name-safe key of the library's resolved path."""
    import hashlib

    return hashlib.sha256(str(library.path.resolve()).encode()).hexdigest()[:16]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _claim(lock_file: Path) -> bool:
    """True when no running reader holds ``lock_file`` (its spool is an orphan)."""
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    os.close(fd)
    return True
