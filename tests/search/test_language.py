"""The search language: queries parsed into clauses, malformed ones refused, views."""

from __future__ import annotations

import pytest

from tuireader.models import Clause
from tuireader.search import QueryError, parse_query, view_clauses


def test_empty_query():
    assert parse_query("") == []
    assert parse_query("   ") == []


def test_bare_words_are_folded():
    assert parse_query("Diffusion  BUDGET") == [Clause("text", "diffusion"), Clause("text", "budget")]
    assert parse_query("Núñez") == [Clause("text", "nunez")]
    assert parse_query("(budget),") == [Clause("text", "budget")]


def test_quoted_phrases():
    assert parse_query('"Test-Time Compute"') == [Clause("phrase", "test-time compute")]
    assert parse_query('"budget"') == [Clause("text", "budget")]
    assert parse_query('"  dense   attention "') == [Clause("phrase", "dense attention")]
    assert parse_query('""') == []
    assert parse_query('lantern "sparse attention"') == [
        Clause("text", "lantern"),
        Clause("phrase", "sparse attention"),
    ]


def test_tag_author_org_fields():
    assert parse_query("tag:to-read") == [Clause("tag", "to-read")]
    assert parse_query('author:"Sheng Cao"') == [Clause("author", "sheng cao")]
    assert parse_query("author:Núñez") == [Clause("author", "nunez")]
    assert parse_query("org:Meta") == [Clause("org", "meta")]
    assert parse_query('org:"ocean lab"') == [Clause("org", "ocean lab")]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("year:2024", 2024, 2024),
        ("year:2023..2025", 2023, 2025),
        ("year:..2022", None, 2022),
        ("year:2023..", 2023, None),
        ("year:2024..2024", 2024, 2024),
    ],
)
def test_year_ranges(text, low, high):
    (clause,) = parse_query(text)
    assert (clause.kind, clause.low, clause.high, clause.negated) == ("year", low, high, False)


@pytest.mark.parametrize("value", ["read", "unread", "starred", "unstarred"])
def test_is_values(value):
    assert parse_query(f"is:{value}") == [Clause("is", value)]


@pytest.mark.parametrize("value", ["code", "notes", "tags"])
def test_has_values(value):
    assert parse_query(f"has:{value}") == [Clause("has", value)]


def test_negation_of_every_kind_of_term():
    clauses = parse_query('-budget -"dense attention" -tag:old -author:smith -org:meta -year:2024 -is:read -has:code')
    assert [(c.kind, c.negated) for c in clauses] == [
        ("text", True),
        ("phrase", True),
        ("tag", True),
        ("author", True),
        ("org", True),
        ("year", True),
        ("is", True),
        ("has", True),
    ]
    assert clauses[0].value == "budget" and clauses[1].value == "dense attention"


def test_a_hyphen_inside_a_word_is_not_negation():
    assert parse_query("test-time") == [Clause("text", "test-time")]


def test_a_combined_query():
    clauses = parse_query('agents tag:to-read year:2024..2025 -is:read "tool use"')
    assert [c.kind for c in clauses] == ["text", "tag", "year", "is", "phrase"]
    assert clauses[3].negated and clauses[3].value == "read"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("venue:neurips", ["unknown field venue:", "tag:", "author:", "year:"]),
        ("year:20x5", ["year:20x5", "year:2024"]),
        ("year:2025..2023", ["backwards"]),
        ("year:..", ["year:.."]),
        ("year:24", ["year:24"]),
        ('lantern "sparse attention', ["quote", "not closed"]),
        ('"', ["quote"]),
        ("is:maybe", ["is:maybe", "is:read", "is:unread", "is:starred", "is:unstarred"]),
        ("has:pdf", ["has:pdf", "has:code", "has:notes", "has:tags"]),
        ('tag:""', ["tag:", "value"]),
        ('author:" "', ["author:", "value"]),
    ],
)
def test_malformed_queries_raise_a_helpful_error(text, words):
    with pytest.raises(QueryError) as info:
        parse_query(text)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message, (word, message)


def test_query_error_is_a_value_error():
    assert issubclass(QueryError, ValueError)


def test_view_clauses():
    assert view_clauses("all") == []
    assert view_clauses("unread") == [Clause("is", "unread")]
    assert view_clauses("starred") == [Clause("is", "starred")]
    assert view_clauses("tag:to-read") == [Clause("tag", "to-read")]
    assert view_clauses("import:3") == [Clause("import", "3", import_ids=(3,))]
    with pytest.raises(QueryError):
        view_clauses("recent")


# -- Searcher on a small library --------------------------------------------------------------
