"""Merging two libraries that diverged (issue 14): time, changes applied, conflicts.

Usage::

    .venv/bin/python -m benchmarks.merge                 # 10k papers, 1k state changes
    .venv/bin/python -m benchmarks.merge --papers 100000 --changes 10000

One synthetic dump is imported into library A, which is copied to B (backup API); then
``--changes`` state changes are made, half on each side, on random papers: read/unread,
star/unstar, a tag added or removed, a note written (some papers get a note on both sides:
conflicts), a few undone. Then A<-B (from B's file), B<-A (from A's JSONL export, as over
ssh), and A<-B again (nothing to do) are timed.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from benchmarks.generate import write_dump
from tuireader.export import to_jsonl
from tuireader.importer import import_file
from tuireader.library import Library
from tuireader.library.sync_read import records_from_export


def diverge(library: Library, ids: list[int], count: int, rng: random.Random, side: str) -> None:
    """Make ``count`` state changes on random papers (a few of them undone)."""
    for number in range(count):
        paper = rng.choice(ids)  # (ids are 1..N: paper % 300 is an id too)
        kind = rng.random()
        if kind < 0.3:
            library.set_read([paper], rng.random() < 0.8)
        elif kind < 0.5:
            library.set_starred([paper], rng.random() < 0.7)
        elif kind < 0.7:
            library.add_tag([paper], rng.choice(("to-read", "cite", "llm", "survey")))
        elif kind < 0.8:
            library.remove_tag([paper], rng.choice(("to-read", "cite", "llm", "survey")))
        elif kind < 0.95:
            # Notes go to a few hundred papers, so both sides write some of the same: conflicts.
            library.set_note(ids[paper % 300], f"note {number} written on {side}")
        else:
            library.undo()


def _state(library: Library) -> dict[str, tuple]:
    """Every paper's state by its folded title (what both sides must agree on)."""
    tags: dict[int, list[str]] = {}
    for paper_id, name in library.query(
        "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
    ):
        tags.setdefault(paper_id, []).append(name)
    return {
        row[1]: (row[2], row[3], row[4], sorted(tags.get(row[0], [])))
        for row in library.query("SELECT id, key, read, starred, notes FROM papers")
    }


def main(argv: list[str] | None = None) -> None:
    """Build the two libraries, merge both ways, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tuireader-merge-bench-") as scratch:
        folder = Path(scratch)
        dump = folder / "dump.txt"
        write_dump(args.papers, dump, seed=args.seed)
        a_path, b_path = folder / "a.db", folder / "b.db"
        with Library.open(a_path) as a:
            import_file(dump, a, year=2025)
            ids = [row[0] for row in a.query("SELECT id FROM papers")]
            # A shared history: some papers read, starred, tagged and noted before the copy.
            rng = random.Random(args.seed)
            diverge(a, ids, args.changes // 2, rng, "both")
            a.backup_to(b_path)
        with Library.open(a_path) as a, Library.open(b_path) as b:
            half = args.changes // 2
            diverge(a, ids, half, random.Random(args.seed + 1), "A")
            diverge(b, ids, args.changes - half, random.Random(args.seed + 2), "B")
            started = time.perf_counter()
            records = a.read_other(b_path)
            read = time.perf_counter() - started
            report = a.merge_from(records, source="b.db")
            ab = time.perf_counter() - started
            print(f"A <- B (library file): {ab:.2f} s (reading B {read:.2f} s); {report.summary()}")
            started = time.perf_counter()
            papers = a.get_papers(ids)
            details = a.sync_details(ids)
            for paper in papers:
                paper.sync = details[paper.id]
            text = to_jsonl(papers)
            exported = time.perf_counter() - started
            started = time.perf_counter()
            report = b.merge_from(records_from_export(text), source="stdin")
            ba = time.perf_counter() - started
            print(
                f"B <- A (JSONL, {len(text) / 1e6:.1f} MB, exported in {exported:.2f} s):"
                f" {ba:.2f} s; {report.summary()}"
            )
            started = time.perf_counter()
            report = a.merge_from(a.read_other(b_path), source="b.db")
            again = time.perf_counter() - started
            print(f"A <- B again: {again:.2f} s; {report.summary()}")
            same = _state(a) == _state(b)
            print(f"both libraries hold the same papers and state: {same}")
            started = time.perf_counter()
            undone = a.undo()
            print(f"undo of the first merge: {time.perf_counter() - started:.2f} s ({undone})")


if __name__ == "__main__":
    main()
