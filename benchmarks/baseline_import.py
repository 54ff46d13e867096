"""The plain import the real one is measured against: simple parse, one raw executemany.

Run as a subprocess (``python -m benchmarks.baseline_import DUMP DB``) so its wall time includes
Python start-up, like the ``tuireader import`` process it is compared with. It deliberately does
nothing clever: read the file, split it into (title, abstract) records (an abstract is a long line,
its title the non-blank line before it), then write them into a bare table of a fresh WAL file
with ONE ``executemany`` in one transaction. Prints the number of records written.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path


def parse(text: str) -> list[tuple[str, str]]:
    records: list[tuple[str, str]] = []
    previous = ""
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if len(line) >= 300 and previous:
            records.append((previous, line))
        previous = line
    return records


def main(argv: list[str]) -> int:
    dump, db = Path(argv[0]), Path(argv[1])
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    records = parse(dump.read_text(encoding="utf-8"))
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE papers (id INTEGER PRIMARY KEY, title TEXT, abstract TEXT)")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO papers(title, abstract) VALUES (?, ?)", records)
    conn.execute("COMMIT")
    conn.close()
    print(len(records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
