"""Pieces every dump parser shares: decoding, line clean-up, dates and the capture-year rule."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable

from tuireader.models import DumpError

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_RE = "(?:" + "|".join(MONTHS) + ")"
#: "Oct 13", "Sep 22, 2022": the date text as listing pages print it.
DATE_TEXT = rf"{MONTH_RE} \d{{1,2}}(?:, \d{{4}})?"
_DATE_PARTS = re.compile(rf"^(?P<mon>{MONTH_RE}) (?P<day>\d{{1,2}})(?:, (?P<year>\d{{4}}))?$")


def decode_dump(data: bytes) -> str:
    """Decode a dump's bytes as UTF-8 text, or raise :class:`DumpError` saying why not."""
    if not data or data.isspace():  # (no stripped copy of a big file)
        raise DumpError("the file is empty")
    if b"\x00" in data:
        raise DumpError("the file is binary, not a text dump")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DumpError(f"the file is not UTF-8 text (bad byte at offset {exc.start})") from None
    return text.removeprefix("\ufeff")


def clean_lines(text: str | list[str]) -> list[str]:
    """Split ``text`` into lines: BOM dropped, CRLF/CR ends folded, control characters removed
    (see :func:`strip_controls`), spaces/NBSPs stripped.

    A list is taken to be lines cleaned already and returned as it is.
    """
    if isinstance(text, list):
        return text
    text = strip_controls(text.removeprefix("\ufeff"))
    return [line.strip() for line in text.split("\n")]


_SAMPLE = 1 << 20
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def check_text(text: str) -> None:
    """Reject text that is empty or mostly control characters."""
    body = text[1:] if text.startswith("\ufeff") else text
    if not body or body.isspace():
        raise DumpError("the file is empty")
    sample = text[:_SAMPLE]  # a binary file shows itself early; no need to scan it all
    controls = len(_CONTROL_CHARS.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise DumpError("the file is binary, not a text dump")


def year_of(date_text: str) -> int | None:
    """The year printed in ``date_text``, or None when it has none."""
    match = _DATE_PARTS.match(date_text)
    if match and match["year"]:
        return int(match["year"])
    return None


def capture_year(
    date_texts: Iterable[str],
    page_date: str | None,
    *,
    today: dt.date | None = None,
) -> int:
    """Work out the year a listing page was saved in.

    Listing pages print a year only for dates outside the year they were viewed in, so every
    printed year is a year that is *not* the capture year, and the capture year comes after all of
    them: it is the year after the latest printed one. A page that prints no year at all was
    captured this year (``today``), or last year when its page date, or any of its dates, would
    lie in the future.
    """
    date_texts = list(date_texts)
    printed = [year for text in date_texts if (year := year_of(text)) is not None]
    if printed:
        return max(printed) + 1
    today = today or dt.date.today()
    seen = ([page_date] if page_date else []) + date_texts
    for text in seen:
        match = _DATE_PARTS.match(text)
        if match and not match["year"]:
            month = MONTHS.index(match["mon"]) + 1
            if (month, int(match["day"])) > (today.month, today.day):
                return today.year - 1
    return today.year


@functools.lru_cache(maxsize=4096)
def resolve_date(date_text: str, year: int) -> str | None:
    """ISO date for ``date_text`` ("Oct 13" or "Sep 22, 2022"); ``year`` fills a missing year.

    Returns None for a date that does not exist (Feb 30).
    """
    match = _DATE_PARTS.match(date_text)
    if not match:
        return None
    try:
        day = dt.date(
            int(match["year"] or year), MONTHS.index(match["mon"]) + 1, int(match["day"])
        )
    except ValueError:
        return None
    return day.isoformat()


#: ANSI escape sequences (CSI and OSC), removed whole so no "[31m" is left behind.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?")
#: C0 controls but tab and newline (CR is folded into line ends first), DEL, C1 controls.
_STRAY_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without control characters: C0 (but newline and tab), DEL and C1 are removed.

    CR, CRLF line ends become LF first; terminal escape sequences are removed whole. Nothing
    read from a dump can then move a cursor, recolour a terminal or end a line early.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _ESCAPES.sub("", text)
    return _STRAY_CONTROLS.sub("", text)


def looks_like_abstract(text: str) -> bool:
    """An abstract is long prose; a title is a short line."""
    return len(text) >= 300 or (len(text) >= 100 and text.endswith(".") and text.count(" ") >= 15)

