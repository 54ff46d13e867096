"""Reading one dump from disk without ever hanging: regular files only, and a bounded size.

A FIFO would block ``open()`` until some writer comes, ``/dev/zero`` and ``/dev/urandom`` never
end, and a folder is no dump: each is refused with one line saying why, before anything is read.
:func:`read_bounded` is the size check on its own, for any binary stream.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from tuireader.models import DumpError

#: Largest dump accepted (a saved listing page is a few hundred KB; this is far beyond that).
MAX_DUMP_BYTES = 2 * 1024**3
_CHUNK = 1024 * 1024
#: Bytes read at a time when a dump is read in chunks (parsed and written block by block).
READ_CHUNK = 1024 * 1024


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
    with _open_regular(path, limit) as stream:
        return read_bounded(stream, limit)


@contextmanager
def _open_regular(path: str | os.PathLike[str], limit: int) -> Iterator[BinaryIO]:
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
            yield stream
    finally:
        if fd >= 0:
            os.close(fd)


def dump_file_chunks(
    path: str | os.PathLike[str], limit: int = MAX_DUMP_BYTES
) -> Iterator[bytes]:
    """The bytes of the regular file ``path`` in chunks of :data:`READ_CHUNK` (checked as
    :func:`read_dump_file` does; :class:`DumpError` once past ``limit``)."""
    total = 0
    with _open_regular(path, limit) as stream:
        while chunk := stream.read(READ_CHUNK):
            total += len(chunk)
            if total > limit:
                raise DumpError(too_big_message(limit))
            yield chunk


@dataclass(frozen=True, slots=True)
class DumpScan:
    """What one read of a whole dump file found: its SHA-256 and its size in bytes."""

    sha256: str
    size: int


def scan_dump_file(path: str | os.PathLike[str], limit: int = MAX_DUMP_BYTES) -> DumpScan:
    """Read ``path`` once in chunks: its checksum and size, or :class:`DumpError` when it is
    empty (blank) or binary (a NUL byte), checked as :func:`~tuireader.dumps.decode_dump`
    checks the bytes of a whole file."""
    digest = hashlib.sha256()
    size = 0
    blank = True
    nul = False
    for chunk in dump_file_chunks(path, limit):
        digest.update(chunk)
        size += len(chunk)
        blank = blank and chunk.isspace()
        nul = nul or b"\x00" in chunk
    _refuse(size == 0 or blank, nul)
    return DumpScan(digest.hexdigest(), size)


def check_dump_bytes(data: bytes) -> None:
    """:class:`DumpError` when ``data`` (a whole dump) is empty (blank) or binary (a NUL)."""
    _refuse(not data or data.isspace(), b"\x00" in data)


def _refuse(blank: bool, nul: bool) -> None:
    if blank:
        raise DumpError("the file is empty")
    if nul:
        raise DumpError("the file is binary, not a text dump")
