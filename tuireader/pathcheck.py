"""What is wrong with a path the user named, in a few words, before anything uses it.

A symlink loop, a dangling symlink, a path through a file (``a.txt/b``), a name too long, a
name that is not valid UTF-8: each is one short reason, asked of the operating system by
``stat`` alone (never by opening the file, which may be a library SQLite has open).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


def path_problem(path: str | Path, *, must_exist: bool = False, utf8: bool = True) -> str | None:
    """Why ``path`` cannot be used (None: it can).

    ``must_exist``: a file to read (a missing one is a problem; else it may be made).
    ``utf8``: a name that is not valid UTF-8 is a problem (a library's path is stored, shown
    and remembered as text; a dump's is only read).
    """
    text = os.fspath(path)
    if utf8:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "its name is not valid UTF-8 (rename it)"
    try:
        os.stat(text)
    except OSError as exc:
        return _reason(text, exc, must_exist)
    except ValueError:  # (a NUL byte)
        return "its name holds a NUL byte"
    return None


def _reason(text: str, exc: OSError, must_exist: bool) -> str | None:
    if exc.errno == errno.ELOOP:
        return "it is a symlink loop (a link that leads back to itself)"
    if exc.errno == errno.ENAMETOOLONG:
        return "the name is too long for the file system"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if exc.errno == errno.ENOENT:
        if os.path.islink(text):
            try:
                target = os.readlink(text)
            except OSError:
                target = "?"
            return f"it is a symlink to {target}, which does not exist"
        return "no such file" if must_exist else None
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return f"cannot use it ({exc.strerror or exc})"
