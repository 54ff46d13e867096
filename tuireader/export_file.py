"""Writing an export to a file without ever destroying one: checked target, temp file, rename.

No SQL, no Textual: the target is refused by its path and its first bytes, never opened as a
database.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from tuireader.library.opening import companion_suffix
from tuireader.textsafe import one_line

#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"


class ExportTargetError(ValueError):
    """The export would be written over something it must never replace."""


#: How SQLite's write-ahead logs and rollback journals begin.
_SQLITE_COMPANION_MAGIC = (
    b"\x37\x7f\x06\x82",
    b"\x37\x7f\x06\x83",
    bytes.fromhex("d9d505f920a163d7"),
)


def _is_sqlite_file(path: Path) -> bool:
    """A SQLite database, or the -wal/-shm/-journal file of one (by header or by its sibling)."""
    # The target is not a database this process has open: reading its header is harmless.
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    if head == SQLITE_HEADER or head.startswith(_SQLITE_COMPANION_MAGIC):
        return True
    for suffix in ("-wal", "-shm", "-journal"):
        if path.name.endswith(suffix):
            database = path.with_name(path.name.removesuffix(suffix))
            return database.is_file() and _is_sqlite_file(database)
    return False


def check_export_target(target: Path, library: Path | None = None) -> None:
    """Raise :class:`ExportTargetError` if writing an export to ``target`` could destroy data.

    Refused: the library file itself, its ``-wal``, ``-shm`` and ``-journal`` files (by path or
    as the same file under another name), and any existing SQLite database.
    """
    real = Path(os.path.realpath(target))
    shown = one_line(target)
    suffix = companion_suffix(real, library) if library is not None else None
    if suffix is not None:
        what = "the library file itself" if not suffix else f"the library's {suffix} file"
        raise ExportTargetError(f"will not write the export to {shown}: it is {what}")
    if real.is_dir():
        raise ExportTargetError(f"will not write the export to {shown}: it is a folder")
    if real.is_file() and _is_sqlite_file(real):
        raise ExportTargetError(
            f"will not write the export to {shown}: it is a SQLite database, never replaced"
        )


def write_export(text: str, target: str | os.PathLike[str], library: Path | None = None) -> None:
    """Write ``text`` to ``target`` whole or not at all.

    After :func:`check_export_target`, the text goes to a temporary file in the same folder,
    which then replaces ``target`` in one rename: a failure (a full disk, an interrupt) leaves
    the old file as it was and no half-written one. A target that exists and is not a regular
    file (``/dev/stdout``, a pipe) is written directly. Raises ``OSError`` or
    :class:`ExportTargetError`.
    """
    target = Path(target)
    check_export_target(target, library)
    real = Path(os.path.realpath(target))
    if real.exists() and not real.is_file():
        with open(real, "w", encoding="utf-8") as handle:
            handle.write(text)
        return
    if real.exists():
        mode = stat.S_IMODE(real.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".part", dir=real.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
