"""Real processes against one library file: CLI imports in subprocesses, file checks."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from benchmarks.generate import write_dump


def cli(library: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``tuireader --library LIBRARY ARGS`` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "tuireader", "--library", str(library), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_cli(library: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``tuireader --library LIBRARY ARGS`` and return at once."""
    return subprocess.Popen(
        [sys.executable, "-m", "tuireader", "--library", str(library), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def dumps(folder: Path, sizes: list[int], seed: int = 7) -> list[Path]:
    """Synthetic Daily Papers dumps with distinct papers (one seed each)."""
    paths = []
    for number, size in enumerate(sizes):
        path = folder / f"dump{number}.txt"
        write_dump(size, path, seed=seed * 100 + number)
        paths.append(path)
    return paths


def integrity(library: Path) -> str:
    """``PRAGMA integrity_check`` through a connection of this test's own ("ok" when sound)."""
    conn = sqlite3.connect(f"{library.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def scalar(library: Path, sql: str) -> object:
    """One value read through a separate read-only connection."""
    conn = sqlite3.connect(f"{library.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()
