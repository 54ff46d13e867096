"""Bytes on the wire: what the reader writes to its terminal (an ssh session carries every byte),
beside fzf showing the same papers' titles with the abstract as its preview, in the same run.

Both run in a pty of WIRE_SIZE (120x40) with TERM=xterm-256color. Counted: the first screen
(everything written until the program goes quiet), a cursor move (Down, WIRE_MOVES times) and a
search keystroke (the letters of WIRE_WORDS typed one at a time into the search line / fzf's
query), each until the program is quiet again. The fzf row is skipped with a note where fzf is
not installed (Debian: ``apt-get install fzf``).
"""

from __future__ import annotations

import re
import shutil
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench import TUIREADER, Bench
from benchmarks.sections.pty_session import PtySession, terminal_env

WIRE_SIZE = (120, 40)
#: Papers in the library the wire is measured on (the bytes do not grow with the library).
WIRE_PAPERS = 1_000
WIRE_MOVES = 20
WIRE_WORDS = ("model", "vision")
_SGR = re.compile(rb"\x1b\[[0-9;:]*m")
_ESCAPE = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[^\[\]])")


@dataclass
class Wire:
    """One program's bytes: first screen, per cursor move, per search keystroke."""

    first: int
    moves: list[int]
    keys: list[int]
    sample_move: bytes

    @property
    def move(self) -> float:
        return statistics.mean(self.moves)

    @property
    def key(self) -> float:
        return statistics.mean(self.keys)


def breakdown(data: bytes) -> str:
    """What a chunk of output is made of: text, colour (SGR) escapes, other escapes."""
    sgr = _SGR.findall(data)
    escapes = _ESCAPE.findall(data)
    other = sum(len(e) for e in escapes) - sum(len(s) for s in sgr)
    text = len(data) - sum(len(e) for e in escapes)
    return (
        f"{len(data)} B: {text} text, {sum(len(s) for s in sgr)} in {len(sgr)} SGR,"
        f" {other} other escapes"
    )


def measure(session: PtySession, ready: bytes, down: bytes, search_key: bytes | None,
            escape: bytes) -> Wire:
    """Drive ``session``: first screen, cursor moves, search keystrokes."""
    session.wait_for(ready, timeout=30)
    session.quiet(0.6)
    first = session.mark()
    moves: list[int] = []
    sample = b""
    for _ in range(WIRE_MOVES):
        mark = session.mark()
        session.send(down)
        session.quiet(0.25)
        chunk = session.since(mark)
        moves.append(len(chunk))
        sample = sample or chunk
    keys: list[int] = []
    for word in WIRE_WORDS:
        if search_key:
            session.send(search_key)
            session.quiet(0.25)
        for letter in word:
            mark = session.mark()
            session.send(letter.encode())
            session.quiet(0.3)
            keys.append(len(session.since(mark)))
        session.send(escape)
        session.quiet(0.3)
    return Wire(first, moves, keys, sample)


def tuireader_wire(library: Path) -> Wire:
    """The reader's bytes on ``library``."""
    with tempfile.TemporaryDirectory() as home:
        argv = [str(TUIREADER), "--library", str(library)]
        with PtySession(argv, WIRE_SIZE, terminal_env(Path(home))) as session:
            return measure(session, b"papers", b"\x1b[B", b"/", b"\x1b")


def fzf_wire(library: Path) -> Wire | None:
    """fzf's bytes on the same papers (titles; the abstract as the preview); None without fzf."""
    fzf = shutil.which("fzf")
    if fzf is None:
        return None
    from tuireader.library import Library

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "abs").mkdir()
        lines = []
        with Library.open(library, readonly=True) as opened:
            ids = list(opened.ordered_ids("date"))
            for paper in opened.get_papers(ids):
                (base / "abs" / str(paper.id)).write_text(
                    f"{paper.title}\n\n{paper.abstract or ''}\n", encoding="utf-8"
                )
                lines.append(f"{paper.id}\t{paper.title}")
        (base / "titles").write_text("\n".join(lines) + "\n", encoding="utf-8")
        argv = [
            "sh", "-c",
            f"exec {fzf} --delimiter '\\t' --with-nth 2 --preview 'cat {base}/abs/{{1}}'"
            f"  --layout=reverse --preview-window right:50%:wrap < {base}/titles",
        ]
        with PtySession(argv, WIRE_SIZE, terminal_env(base)) as session:
            return measure(session, f"{len(lines)}/{len(lines)}".encode(), b"\x1b[B", None,
                           b"\x15")  # (ctrl+u clears fzf's query)


def section_wire(bench: Bench, size: int) -> None:
    """Runs once per benchmark run (reported at WIRE_PAPERS)."""
    if "wire" in bench.done:
        return
    bench.done.add("wire")
    library = bench.library(min(size, WIRE_PAPERS))
    ours = tuireader_wire(library)
    theirs = fzf_wire(library)
    shown = min(size, WIRE_PAPERS)
    bench.log(f"wire: a cursor move of the reader: {breakdown(ours.sample_move)}")
    rows = (
        ("first screen", ours.first, theirs.first if theirs else None),
        ("cursor move", ours.move, theirs.move if theirs else None),
        ("search keystroke", ours.key, theirs.key if theirs else None),
    )
    for what, mine, fzf_bytes in rows:
        bench.report(shown, f"wire {what} bytes", mine / 1024, "KB",
                     f"fzf {fzf_bytes / 1024:.1f} KB" if fzf_bytes else "fzf not installed")
        if fzf_bytes:
            bench.report(shown, f"wire {what} ratio (tuireader/fzf)", mine / fzf_bytes, "x")
    if theirs is None:
        bench.log("wire: fzf is not installed (apt-get install fzf): the ratios are skipped")
