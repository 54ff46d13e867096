"""Telling files that are not listing pages apart: BibTeX, RIS, CSV, JSON, HTML, source code.

Such a file must be rejected whole with one line naming what it looks like, never imported as
junk papers (a BibTeX file read as a listing makes a "paper" of every ``month = {5},`` line).
"""

from __future__ import annotations

import csv
import re

from tuireader.dumps.tuireader_json import is_ours, json_records

#: How many non-blank lines are looked at (a file shows what it is early).
_SAMPLE_LINES = 200

_BIBTEX_ENTRY = re.compile(r"^@\s*[A-Za-z]+\s*[{(]")
_BIBTEX_FIELD = re.compile(r"^[A-Za-z][\w-]*\s*=\s*[{\"\d]")
_RIS_TAG = re.compile(r"^[A-Z][A-Z0-9]  - ")
_HTML_START = re.compile(r"^<(?:!doctype\s+html|html|head|body|meta|div|!--)", re.IGNORECASE)
_TAG_LINE = re.compile(r"^<[/!]?[A-Za-z][^>]*>")
_CODE_START = re.compile(
    r"^(?:def |class |import |from \S+ import |#include|#!|function |const |let |var |package |"
    r"public |private |fn |use |func |return\b|if \(|for \(|while \()"
)
_CODE_END = (";", "{", "}", "):", "=>", "*/")


def _share(lines: list[str], test) -> float:
    return sum(1 for line in lines if test(line)) / len(lines) if lines else 0.0


_JSON_START = re.compile(r'^(?:[\[{]\s*$|\{\s*"|\[\s*[\[{"]|\[\s*(?:true|false|null)\b)')


def _looks_like_csv(lines: list[str]) -> bool:
    head = lines[:50]
    if len(head) < 2 or head[0].count(",") + head[0].count(";") + head[0].count("\t") < 2:
        return False
    dialect = ";" if head[0].count(";") > head[0].count(",") else ","
    if "\t" in head[0] and head[0].count("\t") >= 2:
        dialect = "\t"
    rows = list(csv.reader(head, delimiter=dialect))
    widths = [len(row) for row in rows if row]
    width = widths[0]
    # a header of short names, and most rows as wide as it
    names_short = all(0 < len(name.strip()) <= 40 for name in rows[0])
    same = sum(1 for w in widths[1:] if w == width) / max(len(widths) - 1, 1)
    return names_short and width >= 3 and same >= 0.6


def what_it_looks_like(text: str, lines: list[str]) -> str | None:
    """Name what ``text`` looks like when it is plainly not a listing page, else None.

    ``lines`` are its cleaned lines. The names read well after "it looks like".
    """
    content = [line for line in lines if line][:_SAMPLE_LINES]
    if not content:
        return None
    first = content[0]
    if first[0] in "{[":
        records = json_records(lines)
        if records is not None:
            # tuireader's own JSON export is read by a layout of its own
            ours = bool(records) and all(is_ours(record) for _, record in records)
            return None if ours else "JSON data"
        if _JSON_START.match(text.lstrip()):
            return "JSON-like data (it does not even parse as JSON)"
    if _share(content, _BIBTEX_ENTRY.match) > 0 and (
        _share(content, lambda line: _BIBTEX_FIELD.match(line) or line in ("}", "},")) >= 0.4
    ):
        return "BibTeX (a reference list)"
    if _share(content, _RIS_TAG.match) >= 0.5:
        return "a RIS reference file"
    if _HTML_START.match(first) or _share(content, _TAG_LINE.match) >= 0.3:
        return "an HTML page (save the page as text, or copy its text, instead)"
    if _share(content, lambda line: line.endswith(_CODE_END) or _CODE_START.match(line)) >= 0.4:
        return "source code"
    if _looks_like_csv(content):
        return "a CSV table"
    return None
