"""Parsing a big dump in a second process while this one writes it: an import on two cores.

The child (``python -I -S -c … ROOT PATH YEAR TODAY SIZES``, see :func:`main`) reads the file in chunks and
parses it block by block with the same pure parser (:func:`~tuireader.dumps.stream.parse_blocks`)
the importer runs in-process for small files; each block goes down its standard output as one
frame (a length, then :mod:`marshal` data: plain tuples of text and numbers), with each paper's
identity key and citation-key base computed there too. Writing to a pipe blocks while its small
buffer is full, so the child is never more than about a block ahead of the writer: memory stays
bounded in both processes. What the child finds wrong (a :class:`DumpError`, a page of another
capture year, a read error, no memory) comes back as a frame and is raised here as the same
exception, so an import reports exactly what an in-process parse would.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import marshal
import operator
import os
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import IO, Any

from tuireader import dumpfile
from tuireader.citekeys import cite_key_base
from tuireader.dumpfile import dump_file_chunks
from tuireader.dumps import stream
from tuireader.dumps.stream import StreamState, YearChanged, decode_pieces, parse_blocks
from tuireader.models import DumpError, ParsedPaper, ParseResult, ParseWarning, WarningKind

_FRAME = struct.Struct("<Q")
#: The folder tuireader is imported from here: the child imports the very same code from it
#: (isolated from the environment and without site-packages: it needs only the standard
#: library and the parsers, and starts sooner).
_ROOT = str(Path(__file__).resolve().parent.parent)
_CHILD = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from tuireader.import_worker import main; raise SystemExit(main(sys.argv[1:]))"
)
#: The sizes the child reads and parses with: this process's own (tests make them small).
_SIZES = (
    (stream, "BLOCK_LINES"),
    (stream, "MARGIN"),
    (stream, "FIRST_BLOCK_CHARS"),
    (dumpfile, "READ_CHUNK"),
)
#: A paper as the tuple of its fields (ParsedPaper's order), as it is sent.
_FIELDS = operator.attrgetter(*(f.name for f in fields(ParsedPaper)))


def _send(out: IO[bytes], message: tuple) -> None:
    data = marshal.dumps(message)
    out.write(_FRAME.pack(len(data)))
    out.write(data)


def _block_message(block: ParseResult, read: int) -> tuple:
    papers = list(map(_FIELDS, block.papers))
    keys = [paper.key for paper in block.papers]
    bases = [
        cite_key_base(p.title, p.authors, p.organization, p.org_handle, p.published)
        for p in block.papers
    ]
    warnings = [(w.line, w.message, str(w.kind)) for w in block.warnings]
    return ("block", read, block.layout, block.page_date, block.capture_year, papers, keys, bases, warnings)


def child(path: str, year: int | None, today: dt.date | None, out: IO[bytes]) -> None:
    """Parse the dump at ``path`` and send its blocks, then its end (or what went wrong)."""
    digest = hashlib.sha256()
    read = 0

    def chunks() -> Iterator[bytes]:
        nonlocal read
        try:
            for chunk in dump_file_chunks(path):
                digest.update(chunk)
                read += len(chunk)
                yield chunk
        except OSError as exc:
            raise DumpError(f"cannot read it ({exc.strerror or exc})") from None

    state = StreamState()
    try:
        for block in parse_blocks(decode_pieces(chunks()), state, year=year, today=today):
            _send(out, _block_message(block, read))
        _send(out, ("done", digest.hexdigest(), state.layout, state.papers))
    except YearChanged as exc:
        _send(out, ("year", exc.year))
    except DumpError as exc:
        _send(out, ("dump", str(exc)))
    except MemoryError:
        _send(out, ("memory",))
    out.flush()


class ParseProcess:
    """A child process parsing one dump file; :meth:`blocks` reads what it sends."""

    def __init__(self, path: Path, year: int | None, today: dt.date | None) -> None:
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        sizes = ",".join(str(getattr(module, name)) for module, name in _SIZES)
        when = today.isoformat() if today is not None else ""
        argv = [sys.executable, "-I", "-S", "-c", _CHILD, _ROOT, os.fsdecode(path)]
        argv += [str(year or ""), when, sizes]
        self.process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._errors
        )
        #: Bytes of the file the child had read when it sent the last block.
        self.read = 0
        #: The child sent its last frame (it ends by itself now).
        self.finished = False

    def blocks(self, state: StreamState, sha256: str) -> Iterator[Any]:
        """The parsed blocks, as :class:`~tuireader.library.KeyedBlock`; ``state`` is filled at
        the end. Raises what the parse raised, and :class:`DumpError` when the file read was
        not the one whose checksum is ``sha256`` (it changed while it was read)."""
        from tuireader.library import KeyedBlock  # (the child never needs the library)

        stream = self.process.stdout
        assert stream is not None
        while True:
            message = self._receive(stream)
            kind = message[0]
            self.finished = kind != "block"
            if kind == "block":
                _, self.read, layout, page_date, year, papers, keys, bases, warnings = message
                result = ParseResult(
                    layout,
                    [ParsedPaper(*paper) for paper in papers],
                    [ParseWarning(line, text, WarningKind(k)) for line, text, k in warnings],
                    page_date=page_date,
                    capture_year=year,
                )
                state.blocks += 1
                yield KeyedBlock(result, keys, bases)
            elif kind == "done":
                _, digest, state.layout, state.papers = message
                if digest != sha256:
                    raise DumpError("the file changed while it was read; nothing was imported")
                return
            elif kind == "year":
                raise YearChanged(message[1])
            elif kind == "dump":
                raise DumpError(message[1])
            else:
                raise MemoryError

    def _receive(self, stream: IO[bytes]) -> tuple:
        head = stream.read(_FRAME.size)
        if len(head) < _FRAME.size:
            raise RuntimeError(f"the parsing process failed:\n{self._failure()}")
        (size,) = _FRAME.unpack(head)
        data = stream.read(size)
        if len(data) < size:
            raise RuntimeError(f"the parsing process failed:\n{self._failure()}")
        return marshal.loads(data)

    def _failure(self) -> str:
        code = self.process.wait()
        self._errors.seek(0)
        text = self._errors.read().decode("utf-8", "replace").strip()
        return text[-2000:] or f"it ended with exit code {code}"

    def close(self) -> None:
        """Reap the child; stop it first if the import stopped before its last frame."""
        if self.finished:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        if self.process.poll() is None:
            self.process.kill()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process.wait()
        self._errors.close()


def main(argv: list[str]) -> int:
    """The child's entry point: ``PATH YEAR TODAY SIZES`` (YEAR and TODAY may be empty)."""
    path, year, today, sizes = argv
    for (module, name), value in zip(_SIZES, sizes.split(","), strict=True):
        setattr(module, name, int(value))
    out = sys.stdout.buffer
    try:
        child(
            path,
            int(year) if year else None,
            dt.date.fromisoformat(today) if today else None,
            out,
        )
    except BrokenPipeError:  # the importer stopped reading (it failed or was interrupted)
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        return 1
    return 0


if __name__ == "__main__":  # (python -m tuireader.import_worker PATH YEAR TODAY SIZES)
    raise SystemExit(main(sys.argv[1:]))
