"""Reading one dump from disk without ever hanging: regular files only, and a bounded size.

A FIFO would block ``open()`` until some writer comes, ``/dev/zero`` and ``/dev/urandom`` never
end, and a folder is no dump: each is refused with one line saying why, before anything is read.
:func:`read_bounded` is the size check on its own, for any binary stream.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from tuireader.models import DumpError

#: Largest dump accepted (a saved listing page is a few hundred KB; this is far beyond that).
MAX_DUMP_BYTES = 2 * 1024**3
_CHUNK = 1024 * 1024


def too_big_message(limit: int = MAX_DUMP_BYTES) -> str:
    """The reason given for a dump over ``limit`` bytes."""
    return f"it is larger than {_size(limit)}, the most one dump may be"


def _size(n: int) -> str:
    return f"{n / 1024**3:g} GB" if n >= 1024**3 else f"{n / 1024**2:g} MB"


def not_regular_reason(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a folder, not a dump file"
    if stat.S_ISFIFO(mode):
        return "it is a pipe (FIFO), not a regular file; only regular files are read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a regular file; only regular files are read"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a regular file; only regular files are read"
    return "it is not a regular file; only regular files are read"


def read_bounded(stream: BinaryIO, limit: int = MAX_DUMP_BYTES) -> bytes:
    """Everything ``stream`` holds, or :class:`DumpError` as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise DumpError(too_big_message(limit))


def read_dump_file(path: str | os.PathLike[str], limit: int = MAX_DUMP_BYTES) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``).

    Raises :class:`DumpError` (with the reason) for a folder, a pipe, a device or a socket, or a
    file larger than ``limit``; ``OSError`` (FileNotFoundError, PermissionError…) as ``open``
    does. The file is opened without blocking and checked again once open, so a FIFO put in its
    place after the first check cannot block the read either.
    """
    reason = not_regular_reason(os.stat(path).st_mode)
    if reason:
        raise DumpError(reason)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        reason = not_regular_reason(info.st_mode)
        if reason:
            raise DumpError(reason)
        if info.st_size > limit:
            raise DumpError(too_big_message(limit))
        with os.fdopen(fd, "rb", closefd=True) as stream:
            fd = -1
            return read_bounded(stream, limit)
    finally:
        if fd >= 0:
            os.close(fd)

