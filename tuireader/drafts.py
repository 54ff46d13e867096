"""Drafts: a note or a tag being typed, kept on disk so that a dropped link loses none of it.

The note editor saves what is typed a moment after each pause, and the reader saves whatever is
being typed when it is told to stop (SIGHUP when an ssh link or a tmux session goes, SIGTERM at
a logout or a shutdown, SIGINT) or stops on an error. The draft is one small JSON file beside
the reader's spool of pending changes (the state folder's ``pending/``), named after the same
reader and so guarded by the same advisory lock: while the reader runs, no other reader takes
it. The next reader on the library finds the drafts no running reader holds, adopts the newest
and offers it back on its paper ("draft restored"; Esc discards it). No Textual here.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: What a draft can be of: a paper's note, a tag for papers.
NOTE, TAG = "note", "tag"
KINDS = (NOTE, TAG)
#: The longest draft kept (characters): a note is prose, never megabytes.
MAX_DRAFT = 1_000_000


@dataclass(frozen=True, slots=True)
class Draft:
    """Text being typed: a note on one paper (``kind`` NOTE) or a tag for papers (TAG)."""

    kind: str
    paper_ids: tuple[int, ...]
    text: str

    def to_json(self) -> dict[str, Any]:
        """The draft as JSON data."""
        return {"kind": self.kind, "paper_ids": list(self.paper_ids), "text": self.text}

    @classmethod
    def from_json(cls, data: Any) -> Draft | None:
        """A draft read back (None for anything that is not one: a damaged or foreign file)."""
        if not isinstance(data, dict):
            return None
        kind, ids, text = data.get("kind"), data.get("paper_ids"), data.get("text")
        if kind not in KINDS or not isinstance(text, str) or not isinstance(ids, list):
            return None
        if not ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            return None
        return cls(kind, tuple(ids), text[:MAX_DRAFT])


class Drafts:
    """This reader's draft file (``path``), and the drafts readers before it left behind."""

    def __init__(self, path: Path) -> None:
        """``path``: this reader's draft file, ``<key>-<reader>.draft`` in the spool
        folder, where ``<key>-<reader>.lock`` is the reader's lock (see tuireader.changes)."""
        self.path = path
        self._saved: Draft | None = None

    def save(self, draft: Draft | None) -> None:
        """Keep ``draft`` on disk (None: there is none any more); written whole, then renamed
        into place, so a kill midway leaves the old draft or the new one."""
        if draft == self._saved:
            return
        if draft is None or not draft.text.strip():
            self.clear()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(self.path.name + ".part")
        with temp.open("w", encoding="utf-8") as handle:
            json.dump(draft.to_json(), handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, self.path)
        self._saved = draft

    def clear(self) -> None:
        """No draft any more (it was saved as a note, added as a tag, or discarded)."""
        self.path.unlink(missing_ok=True)
        self._saved = None

    def adopt(self, key: str, claim: Any) -> Draft | None:
        """The newest draft of library ``key`` that no running reader holds, taken over: its
        file is gone from the folder and the draft is this reader's own until it is used.

        ``claim(lock_file)``: True when no running reader holds that lock (its drafts are
        orphans). A file that cannot be read as a draft is left alone.
        """
        found: list[tuple[float, Path, Draft]] = []
        for path in self.path.parent.glob(f"{key}-*.draft"):
            if path == self.path:
                continue
            lock = path.with_name(path.name.removesuffix(".draft") + ".lock")
            if not claim(lock):
                continue
            with contextlib.suppress(OSError, ValueError):
                draft = Draft.from_json(json.loads(path.read_text(encoding="utf-8")))
                if draft is not None:
                    found.append((path.stat().st_mtime, path, draft))
        if not found:
            return None
        found.sort(key=lambda item: item[0])
        newest = found[-1][2]
        self.save(newest)  # ours now: a reader killed again keeps it
        for _, path, _ in found:
            path.unlink(missing_ok=True)
            path.with_name(path.name.removesuffix(".draft") + ".lock").unlink(missing_ok=True)
        return newest


def draft_file(spool_dir: Path, stem: str) -> Path:
    """The draft file of the reader whose spool files are named ``stem``."""
    return spool_dir / f"{stem}.draft"
