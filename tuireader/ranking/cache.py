"""The corpus kept on disk between sessions: building it reads every abstract (seconds at 100k
papers); loading it back takes a fraction of a second, and only the papers added since are
read again.

One file a library (named after its path, in the state folder), written beside itself and
renamed over the old one, so a crash never leaves half a file; a damaged or foreign one is
simply built again. It holds no text but the words of the vocabulary and never touches the
library file (the ranking reads that through the library's own API).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import zipfile
from pathlib import Path

import numpy as np

from tuireader.ranking.corpus import Corpus, weighed

#: Bumped when the file's layout or the tokenising changes: older files are built again.
CACHE_VERSION = 1
Stamp = tuple[int, str, str]


def cache_file(folder: Path, library_path: Path) -> Path:
    """Where the corpus of the library at ``library_path`` is kept."""
    key = hashlib.sha256(str(Path(library_path).resolve()).encode()).hexdigest()[:16]
    return folder / f"corpus-{key}.npz"


def save(path: Path, corpus: Corpus, stamp: Stamp) -> None:
    """Write ``corpus`` and the library ``stamp`` it was built from (errors are ignored: the
    cache only saves time)."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(path.name + f".{os.getpid()}.part")
        with temp.open("wb") as handle:
            np.savez(
                handle,
                version=np.array([CACHE_VERSION]),
                ids=corpus.ids,
                indptr=corpus.indptr,
                indices=corpus.indices,
                counts=corpus.counts.astype(np.uint16),
                words=np.frombuffer("\n".join(corpus.words).encode(), dtype=np.uint8),
                stamp=np.frombuffer("\n".join(map(str, stamp)).encode(), dtype=np.uint8),
            )
        os.replace(temp, path)


def load(path: Path) -> tuple[Corpus, Stamp] | None:
    """The corpus kept at ``path`` and its stamp; None when there is none or it cannot be read."""
    try:
        with np.load(path, allow_pickle=False) as data:
            if int(data["version"][0]) != CACHE_VERSION:
                return None
            names = bytes(data["words"]).decode().split("\n") if len(data["words"]) else []
            top, updated, created = bytes(data["stamp"]).decode().split("\n")
            corpus = weighed(
                data["ids"].astype(np.int64),
                data["indptr"].astype(np.int64),
                data["indices"].astype(np.int32),
                data["counts"].astype(np.float32),
                {word: column for column, word in enumerate(names)},
            )
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if len(corpus.indptr) != corpus.size + 1 or len(corpus.words) < int(corpus.indices.max(initial=-1)) + 1:
        return None
    return corpus, (int(top), updated, created)
