"""Parsing a dump block by block, so that memory stays bounded whatever the file's size.

Pure functions over text, like every parser here: :func:`decode_pieces` turns a dump's bytes,
read in chunks, into text pieces that end at line ends; :func:`parse_blocks` turns those pieces
into a run of :class:`~tuireader.models.ParseResult`, one per block of about
:data:`BLOCK_LINES` lines.

The first block is checked, sniffed and its layout recognised as a whole file would be (a file
shows what it is in its first megabyte). A layout that says where a paper may begin (its
``cut``: Hugging Face pages and bare listings) is then parsed block by block: each block ends
just before a paper's first line and is parsed with :data:`MARGIN` lines of the text around it,
so that the papers at its edges read exactly as in the whole file; only the papers and warnings
that begin inside the block are kept, with their line numbers in the whole file. A layout with
no ``cut`` (tuireader JSON, author pages, arXiv listings) is parsed whole once all of it is in.

The capture year that dates without a year are read in depends on every date of the page: the
blocks after the first are read in the first block's year, and when the whole page says
otherwise :class:`YearChanged` is raised at the end (the caller reads the file again in the
right year; that happens only when a later block prints a later year than the first).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from tuireader.dumps.common import capture_year as whole_capture_year
from tuireader.dumps.common import check_text, strip_controls, year_of
from tuireader.models import LAYOUT_DAILY_PAPERS, DumpError, ParseResult, ParseWarning

#: Lines a block holds before it is cut (about 1.3 MB of a Hugging Face page, ~1,500 papers).
#: A big dump is parsed in one process and written in another (see tuireader.import_worker),
#: each holding a block or two: 10,000 lines keep both together under 150 MB at 1M papers
#: (20,000: ~20 MB more, ~3% faster; 40,000 was no faster than 20,000).
BLOCK_LINES = 10_000
#: Lines of context parsed on either side of a block (a paper is under a dozen lines).
MARGIN = 64
#: The first block holds at least this much text before the file is sniffed and recognised.
FIRST_BLOCK_CHARS = 1 << 20

#: (lines, start, stop) -> the index in ``lines[start:stop]`` where a paper begins, or None.
Cutter = Callable[[list[str], int, int], "int | None"]


class YearChanged(Exception):  # noqa: N818 (a signal to read again, not an error)
    """The whole page dates its papers in another year than its first block did."""

    def __init__(self, year: int) -> None:
        super().__init__(f"the page's capture year is {year}")
        self.year = year


@dataclass(slots=True)
class StreamState:
    """What :func:`parse_blocks` learnt of the whole file so far (read it once they are done)."""

    chars: int = 0
    blocks: int = 0
    papers: int = 0
    layout: str | None = None
    page_date: str | None = None
    capture_year: int | None = None
    warnings_head: list[str] = field(default_factory=list)
    _dates: set[str] = field(default_factory=set)


class _Clean(str):
    """A decoded piece whose bytes held nothing :func:`strip_controls` removes or changes (no
    C0 control but tab and newline, no CR, no escape, no DEL, no C1 control): its lines need
    no stripping. Checking the bytes costs a third of stripping the text."""

    __slots__ = ()


#: Every byte :func:`strip_controls` acts on (C0 but tab and newline, so CR and ESC; DEL),
#: mapped to NUL (a NUL byte is refused before, so one left after the mapping is one of these).
_CONTROL_BYTES = bytes.maketrans(
    bytes([*range(0x09), *range(0x0B, 0x20), 0x7F]), bytes(0x09 + 0x20 - 0x0B + 1)
)
#: C1 controls (U+0080..U+009F) as UTF-8.
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")


def _clean(data: bytes) -> bool:
    """True when the UTF-8 ``data`` holds no character :func:`strip_controls` would touch."""
    return data.translate(_CONTROL_BYTES).find(b"\x00") < 0 and _C1_BYTES.search(data) is None


def decode_pieces(chunks: Iterable[bytes]) -> Iterator[str]:
    """Decode a dump's byte chunks as UTF-8 text pieces that each end at a line end (but the
    last); :class:`DumpError` for a NUL byte (binary) or bytes that are not UTF-8 (with the
    offset in the whole file). A leading byte-order mark is dropped."""
    pending = b""
    offset = 0
    first = True
    for chunk in chunks:
        if b"\x00" in chunk:
            raise DumpError("the file is binary, not a text dump")
        data = pending + chunk if pending else chunk
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            cr = data.rfind(b"\r", 0, len(data) - 1)  # (a CR just at the end may begin a CRLF)
            cut = cr + 1
        if cut == 0:
            pending = data
            continue
        head, pending = data[:cut], data[cut:]
        text = _decode(head, offset)
        offset += len(head)
        if first:
            text, first = text.removeprefix("\ufeff"), False
        yield _Clean(text) if _clean(head) else text
    if pending:
        text = _decode(pending, offset)
        text = text.removeprefix("\ufeff") if first else text
        yield _Clean(text) if _clean(pending) else text


def _decode(data: bytes, offset: int) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DumpError(
            f"the file is not UTF-8 text (bad byte at offset {offset + exc.start})"
        ) from None


def _lines(piece: str) -> list[str]:
    text = piece if type(piece) is _Clean else strip_controls(piece)
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # the next piece begins that line
    return [line.strip() for line in lines]


def parse_blocks(
    pieces: Iterable[str],
    state: StreamState,
    *,
    year: int | None = None,
    today: dt.date | None = None,
) -> Iterator[ParseResult]:
    """Parse the text ``pieces`` of one dump block by block (see the module's docstring).

    ``state`` is filled as blocks go by. Raises :class:`DumpError` as :func:`parse_dump` would
    (the first block's checks, or no paper in the whole file) and :class:`YearChanged` at the
    end when the whole page's capture year is not the one its first block was read in.
    """
    from tuireader.dumps import layout_for  # (the registry imports this module's users)

    buffer: list[str] = []  # cleaned lines not parsed yet; buffer[0] is line ``base`` of the file
    head: list[str] | None = []  # the first block's pieces, until it is recognised
    head_chars = 0
    layout = None
    blocks = _Blocks(buffer, state, year, today)
    for piece in pieces:
        state.chars += len(piece)
        buffer.extend(_lines(piece))
        if head is not None:
            head.append(piece)
            head_chars += len(piece)
            if head_chars < FIRST_BLOCK_CHARS or all(p.isspace() for p in head):
                continue
            layout = _recognise("".join(head), buffer, layout_for)
            head = None
        assert layout is not None  # (recognised once the head is read)
        if layout.cut is not None and len(buffer) >= BLOCK_LINES + MARGIN:
            yield from blocks.cut(layout, len(buffer) - MARGIN)
    if head is not None:
        layout = _recognise("".join(head), buffer, layout_for)
        if layout.cut is not None:
            yield from blocks.cut(layout, len(buffer) - MARGIN)
    assert layout is not None
    yield blocks.parse(layout, len(buffer), final=True)
    if not state.papers:
        reasons = "; ".join(state.warnings_head[:3])
        raise DumpError("no complete paper found" + (f" ({reasons})" if reasons else ""))
    if year is None:
        whole = _whole_year(state, today)
        if whole is not None and whole != state.capture_year:
            raise YearChanged(whole)


def _recognise(text: str, lines: list[str], layout_for):
    check_text(text)  # empty, or mostly control characters
    return layout_for(text, lines)


class _Blocks:
    """Cuts the lines read so far into blocks and parses each (see :func:`parse_blocks`)."""

    def __init__(self, buffer: list[str], state: StreamState, year, today) -> None:
        self.buffer = buffer
        self.before: list[str] = []  # the MARGIN lines before buffer[0]: its first paper's context
        self.base = 1  # the line of the file that buffer[0] is
        self.state = state
        self.year = year
        self.today = today

    def cut(self, layout, stop: int) -> Iterator[ParseResult]:
        """Parse blocks of BLOCK_LINES lines, each cut where a paper begins, up to ``stop``."""
        buffer = self.buffer
        while len(buffer) - (len(buffer) - stop) >= BLOCK_LINES:
            cut = layout.cut(buffer, 0, min(stop, BLOCK_LINES))
            if cut is None:
                cut = layout.cut(buffer, 0, stop)  # a long stretch with no paper
            if cut is None:
                return  # no paper begins in it: read on (the block grows)
            yield self.parse(layout, cut, final=False)
            self.before = buffer[max(0, cut - MARGIN) : cut]
            del buffer[:cut]
            self.base += cut
            stop -= cut

    def parse(self, layout, cut: int, *, final: bool) -> ParseResult:
        """Parse ``buffer[:cut]`` (with its margins) and keep what begins inside it."""
        state, buffer, before, base = self.state, self.buffer, self.before, self.base
        after = [] if final else buffer[cut : cut + MARGIN]
        lines = before + buffer[:cut] + after
        shift = base - len(before) - 1  # line n of ``lines`` is line n + shift of the file
        first = state.blocks == 0
        state.blocks += 1
        result = layout.parse(lines, year=self.year or state.capture_year, today=self.today)
        low, high = base, base + cut
        papers = [p for p in result.papers if low <= p.line + shift < high]
        for paper in papers:
            paper.line += shift
            if paper.published_raw:
                state._dates.add(paper.published_raw)
        warnings = [
            ParseWarning(w.line + shift, w.message) if shift else w
            for w in result.warnings
            if low <= w.line + shift < high
        ]
        if first:
            state.page_date = result.page_date
            state.capture_year = result.capture_year
            state.layout = result.layout
        elif result.layout == LAYOUT_DAILY_PAPERS and papers:
            state.layout = result.layout  # (a bare listing's first block, then metadata blocks)
        state.papers += len(papers)
        if len(state.warnings_head) < 3:
            state.warnings_head.extend(str(w) for w in warnings[: 3 - len(state.warnings_head)])
        return ParseResult(
            state.layout or result.layout,
            papers,
            warnings,
            page_date=state.page_date,
            capture_year=state.capture_year,
        )


def _whole_year(state: StreamState, today: dt.date | None) -> int | None:
    """The capture year the whole page gives (see :func:`~tuireader.dumps.common.capture_year`),
    from the dates of every block and the year the first block found."""
    first = state.capture_year
    printed = [y for text in state._dates if (y := year_of(text)) is not None]
    if printed:
        return max(printed) + 1
    if first is None or first != (today or dt.date.today()).year:
        return first  # (the first block's own page date made it last year already)
    return whole_capture_year(state._dates, None, today=today)
