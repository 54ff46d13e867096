"""What tuireader remembers of a library file's health, in its side state (the state folder).

A full check of every page (SQLite's ``quick_check``) reads the whole file: 0.6 s at 100k papers,
seconds at 1M (``make bench``, section health). Every command cannot pay that, so the state
folder keeps, per library file, one small record:

- **sound**: the file passed a check (or was made here) and is the same file since, by
  ``stat`` alone: device, inode, size and modification time. A process that found it so and
  wrote to it through SQLite records it again as it closes it (its own writes are trusted). A
  file copied, restored or changed by another program no longer matches: the next command
  checks it in full before trusting it.
- **damaged**: a check, or SQLite itself ("database disk image is malformed"), found it damaged.
  While the file is that same file, every command refuses it at once (no connection is even
  opened), so nothing is written to it again; replacing it (``tuireader restore``, a recovered
  copy moved over it) ends the record.

Only ``stat`` is asked of the database file; the record is a JSON file of its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from tuireader import paths

SOUND, DAMAGED = "sound", "damaged"


def record_file(library: Path) -> Path:
    """The side-state file that holds what is known of ``library``'s health."""
    try:
        key = str(library.resolve())
    except (OSError, RuntimeError):  # (a symlink loop)
        key = os.path.abspath(library)
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return paths.state_dir() / "health" / f"{digest}.json"


def identity(library: Path) -> list[int] | None:
    """The file as ``stat`` tells it (device, inode, size, modification time), None if absent."""
    try:
        stat = os.stat(library)
    except (OSError, ValueError):
        return None
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns]


def _read(library: Path) -> dict | None:
    try:
        data = json.loads(record_file(library).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write(library: Path, data: dict) -> None:
    target = record_file(library)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.{os.getpid()}.part")
        temp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temp, target)
    except OSError:
        pass  # (a full or read-only state folder: the next command checks again)


def remembered_damage(library: Path) -> str | None:
    """The problem a check found in this very file (same stat identity), or None."""
    data = _read(library)
    if not data or data.get("verdict") != DAMAGED:
        return None
    if data.get("identity") != identity(library):
        return None  # replaced since (restored, recovered): it is checked anew
    return str(data.get("problem") or "damaged")


def known_sound(library: Path) -> bool:
    """Was this very file (same stat identity) found sound, and not changed by others since?"""
    data = _read(library)
    current = identity(library)
    return bool(
        data and data.get("verdict") == SOUND and current and data.get("identity") == current
    )


def remember_damage(library: Path, problem: str) -> None:
    """Record that ``library`` is damaged: every later command refuses it at once."""
    _write(
        library,
        {
            "path": str(library),
            "verdict": DAMAGED,
            "problem": problem,
            "identity": identity(library),
            "found_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    )


def remember_sound(library: Path, inode: int | None = None) -> None:
    """Record that ``library`` is sound as it is now (unless a damage record stands for it, or
    the path now names another file than inode ``inode``)."""
    current = identity(library)
    if current is None or (inode is not None and current[1] != inode):
        return
    if remembered_damage(library):
        return
    _write(library, {"path": str(library), "verdict": SOUND, "identity": current})


def forget(library: Path) -> None:
    """Drop what is known of ``library`` (its content was replaced: a restore)."""
    with contextlib.suppress(OSError):
        record_file(library).unlink(missing_ok=True)


def backups_dir() -> Path:
    """Where ``tuireader backup`` keeps its dated copies (``tuireader restore`` reads them)."""
    return paths.data_dir() / "backups"


def newest_backup(library: Path) -> tuple[Path, str] | None:
    """The newest dated backup of ``library`` in the backups folder, and when it was made."""
    stem = library.stem or "library"
    try:
        found = sorted(backups_dir().glob(f"{stem}-????????-??????*.db"))
    except OSError:
        return None
    if not found:
        return None
    newest = found[-1]
    stamp = newest.name[len(stem) + 1 : len(stem) + 16]
    try:
        made = dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        made = "date unknown"
    return newest, made


def damaged_message(library: Path, problem: str) -> str:
    """The one line shown for a damaged library: what is wrong and what to do."""
    recover = f"sqlite3 {library} .recover | sqlite3 recovered.db"
    backup = newest_backup(library)
    if backup is not None:
        advice = (
            f"Restore the newest backup: tuireader restore {backup[0]} (made {backup[1]});"
            f" or recover what is left: {recover}"
        )
    else:
        advice = (
            f"No backup in {backups_dir()}: recover what is left with {recover}, then"
            " tuireader restore recovered.db"
        )
    return f"the library {library} is damaged ({problem}); nothing more is written to it. {advice}"
