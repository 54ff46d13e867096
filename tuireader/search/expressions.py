"""FTS5 match expressions for the clauses that search text (words, phrases, names).

Pure functions over clauses: the library runs the expressions (``Library.match_ids``), the
engine decides which. FTS5's own query syntax, not SQL.
"""

from __future__ import annotations

import dataclasses

from tuireader.models import Clause, Kind

#: The columns of titles and names (the ``papers_fts`` table holds nothing else).
META_COLUMNS = "title authors organization org_handle notes"
#: The usual endings a finished word also finds ("benchmark" -> "benchmarks").
ENDINGS = ("s", "es", "ed", "ing")


def fts_quote(text: str, prefix: bool = False) -> str:
    """Quote ``text`` as an FTS5 string (a phrase of its tokens), optionally as a prefix."""
    quoted = '"' + text.replace('"', '""') + '"'
    return quoted + ("*" if prefix else "")


def word_expression(clause: Clause, *, short_words_in_meta: bool = True) -> str:
    """The FTS5 expression of a text or phrase clause (over every column of the table).

    ``short_words_in_meta``: limit short words to the title and name columns (for all_fts;
    papers_fts holds nothing else).
    """
    if clause.kind == Kind.PHRASE:
        return fts_quote(clause.value)
    # Prefixes count from two characters ("t*" would match most of the library), and only for
    # the word being typed: a finished word matches as it is, or as one of its typo alternatives.
    prefix = clause.prefix and len(clause.value) >= 2
    parts = [fts_quote(clause.value, prefix=prefix)]
    if not prefix and clause.value.isalpha() and len(clause.value) >= 3:
        parts += [fts_quote(clause.value + ending) for ending in ENDINGS]
    parts += [fts_quote(alt) for alt in clause.alternatives if alt != clause.value]
    expression = " OR ".join(parts)
    if short_words_in_meta and names_only(clause):
        # "is", "of", "a" occur in nearly every abstract, and so do words starting with "tr" or
        # "con": short words, and prefixes under four letters, match titles and names only.
        return f"{{{META_COLUMNS}}} : ({expression})"
    return f"({expression})"


def names_only(clause: Clause) -> bool:
    """Does this word match titles and names only (a short word, or a short prefix)?"""
    prefix = clause.prefix and len(clause.value) >= 2
    short = len(clause.value) < 3 or (prefix and len(clause.value) < 4)
    return clause.kind == Kind.TEXT and short


def words_expression(words: tuple[Clause, ...], *, as_prefixes: bool = False) -> str:
    """Every word or phrase ANDed; ``as_prefixes``: titles and names, each word a prefix."""
    if as_prefixes:
        return " AND ".join(
            word_expression(dataclasses.replace(w, prefix=True), short_words_in_meta=False)
            for w in words
        )
    return " AND ".join(word_expression(w) for w in words)


def column_expression(columns: str, value: str) -> str:
    """FTS5 expression matching every word of ``value`` (as prefixes) within ``columns``."""
    words = [w for w in value.split() if w]
    inner = " AND ".join(fts_quote(word, prefix=True) for word in words) or '""'
    return f"{{{columns}}} : ({inner})"


def name_expression(clause: Clause) -> str:
    """An ``author:``/``org:`` clause: its value or any of its typo-forgiving alternatives."""
    columns = "authors" if clause.kind == Kind.AUTHOR else "organization org_handle"
    values = (clause.value, *clause.alternatives)
    return " OR ".join(column_expression(columns, value) for value in values)
