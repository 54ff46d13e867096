"""Run the benchmarks and print every figure beside its target.

Usage::

    .venv/bin/python -m benchmarks.run                  # 1k, 10k and 100k papers
    .venv/bin/python -m benchmarks.run --full           # adds 1M papers
    .venv/bin/python -m benchmarks.run --sizes 1000000 --only search

The sections live in :mod:`benchmarks.sections` (import, index, open, search, the UI in a real
terminal), what they share in :mod:`benchmarks.bench` (targets, figures, the closing table).
The ``ui_*`` sections drive the real app in tmux through ``tui-drive`` and are skipped (with a
note) when tmux or tui-drive is missing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from benchmarks import generate
from benchmarks.bench import DEFAULT_SIZES, FULL_SIZES, TUIREADER, Bench, fmt_size, revision
from benchmarks.sections import SECTIONS, Section


def _section_name(section: Section) -> str:
    return section.__name__.removeprefix("section_")


def main(argv: list[str] | None = None) -> int:
    names = [_section_name(s) for s in SECTIONS]
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--full", action="store_true", help="also 1M papers")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(x) for x in text.split(",")],
        help="comma-separated paper counts",
    )
    parser.add_argument("--only", help=f"comma-separated sections ({', '.join(names)})")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of the query set")
    parser.add_argument("--details", action="store_true", help="print per-query latencies")
    args = parser.parse_args(argv)
    sizes = args.sizes or (FULL_SIZES if args.full else DEFAULT_SIZES)
    chosen = SECTIONS
    if args.only:
        wanted = args.only.split(",")
        unknown = set(wanted) - set(names)
        if unknown:
            parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
        chosen = [s for s in SECTIONS if _section_name(s) in wanted]
    if not TUIREADER.exists():
        parser.error(f"{TUIREADER} not found: install the project in this venv first")

    bench = Bench(generate.OUT_DIR, args.seed, args.rounds)
    bench.out_dir.mkdir(parents=True, exist_ok=True)
    bench.log(
        f"sizes {', '.join(fmt_size(s) for s in sizes)}; sections {', '.join(_section_name(s) for s in chosen)};"
        f" python {sys.version.split()[0]}, {os.cpu_count()} cpus"
        f" (load average {os.getloadavg()[0]:.2f}: other work on the machine skews figures);"
        f" tuireader at {revision()}"
    )
    for size in sizes:
        for section in chosen:
            section(bench, size)
    if args.details:
        for size, (medians, counts) in bench.search_details.items():
            print(f"\nper-query median latency at {fmt_size(size)} papers:")
            for query, ms in medians.items():
                print(f"  {ms:8.1f} ms  {counts[query]:>8} hits  {query}")
        for size, keys in bench.ui_details.items():
            print(f"\nkeystroke -> repaint in the search line at {fmt_size(size)} papers:")
            for query, ms, how in keys:
                print(f"  {ms:8.1f} ms  ({how:<6})  {query!r}")
    print(
        f"\nresults (total {time.perf_counter() - bench.started:.0f}s,"
        f" load average now {os.getloadavg()[0]:.2f}):\n"
    )
    print(bench.table())
    misses = [f for f in bench.figures if f.verdict == "MISS"]
    print(f"\n{len(misses)} target(s) missed" if misses else "\nall targets met")
    if bench.failures:
        print(f"failed (no figures): {', '.join(bench.failures)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

