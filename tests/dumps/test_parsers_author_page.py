"""The author-page layout: papers field by field, splitting titles from authors."""

from __future__ import annotations

import pytest

from tests.parser_helpers import (
    check,
    parse_fixture,
    source_line,
)
from tuireader.dumps import parse_dump
from tuireader.dumps.author_page import parse_author_list, split_title_authors
from tuireader.models import LAYOUT_AUTHOR_PAGE

# --- layout A: the author page --------------------------------------------------------------


def test_author_page_papers(fixtures):
    result = parse_fixture(fixtures, "author_page.txt")
    assert result.layout == LAYOUT_AUTHOR_PAGE
    assert result.warnings == []
    assert result.page_date is None
    # printed years 2024, 2025, 2023: the page was saved in 2026
    assert result.capture_year == 2026
    assert [p.line for p in result.papers] == [2, 5, 8, 11, 14]
    for paper in result.papers:
        assert paper.abstract == source_line(fixtures, "author_page.txt", paper.line + 1)
    roq, sketch, adapters, agents, retrieval = result.papers
    check(
        roq,
        title="ROQ: Rotary Quantisation for Pocket-Sized Speech Models",
        abstract=roq.abstract,
        authors=["Åsa Lindqvist", "Tomás O'Reilly-Núñez", "Wei Zhang"],
        authors_truncated=True,
        published="2024-10-04",
        published_raw="Oct 4, 2024",
        has_code=False,
        category="LG",
    )
    check(
        sketch,
        title="Gradient Sketching with Param$Δ$",
        authors=["Ingrid Solberg", "Jean-Luc Moreau"],
        author_count=2,
        published="2026-03-03",
        published_raw="Mar 3",
        has_code=True,
        category="AI",
        score=61.2,
    )
    check(
        adapters,
        title="Cheap Adapters Beat Full Tuning with QLoRA",
        authors=["Maja Petrović", "Hugo LeBlanc"],
        author_count=2,
        published="2025-01-27",
        published_raw="Jan 27, 2025",
        has_code=False,
        category="CV",
    )
    check(
        agents,
        title="Self-Correcting Agents via GPTs",
        authors=["Kenji Watanabe-Ortiz"],
        authors_truncated=True,
        published="2026-08-12",
        published_raw="Aug 12",
        has_code=True,
        category="CL",
        score=7.5,
    )
    check(
        retrieval,
        title="WHAT IS RETRIEVAL FOR?",
        authors=["Siobhán Ní Bhriain", "Ólafur Þórsson"],
        author_count=2,
        published="2023-05-30",
        published_raw="May 30, 2023",
        has_code=False,
        category="IR",
    )
    assert retrieval.abstract.startswith("A position paper. We argue")
    assert retrieval.abstract.endswith("built around downstream choices.")


@pytest.mark.parametrize(
    ("line", "title", "authors", "truncated"),
    [
        # a hyphenated title word, then a name with non-ASCII letters and hyphens
        (
            "Sparse Self-SupervisionÖzge Yılmaz-Kaya, Łukasz Ślęzak et al.",
            "Sparse Self-Supervision",
            ["Özge Yılmaz-Kaya", "Łukasz Ślęzak"],
            True,
        ),
        # "et al" without its full stop
        ("Tiny Models Think TooAnna Berg et al", "Tiny Models Think Too", ["Anna Berg"], True),
        # a camel-cased acronym and an all-capitals acronym right before the first name
        ("Faster Serving with vLLMBo Li, Cara Dunn", "Faster Serving with vLLM", ["Bo Li", "Cara Dunn"], False),
        ("Why Not Use RAGJohn Smith", "Why Not Use RAG", ["John Smith"], False),
        ("Scaling BERTScoreAnna Berg", "Scaling BERTScore", ["Anna Berg"], False),
        # maths and punctuation before the authors
        ("Param$Δ$Anna Berg", "Param$Δ$", ["Anna Berg"], False),
        ("Is GPT-4 Enough?Dara Ó Sé", "Is GPT-4 Enough?", ["Dara Ó Sé"], False),
        ("Learning (Mostly) in 3DAnna Berg", "Learning (Mostly) in 3D", ["Anna Berg"], False),
        # particles, apostrophes, initials with full stops, a surname prefix
        (
            "Deep NetsMaría van der Berg, Seán O'Neill, J. R. Hartley",
            "Deep Nets",
            ["María van der Berg", "Seán O'Neill", "J. R. Hartley"],
            False,
        ),
        ("Energy-Based ModelsIvo Marks, Yann LeCun", "Energy-Based Models", ["Ivo Marks", "Yann LeCun"], False),
    ],
)
def test_split_title_authors(line, title, authors, truncated):
    assert split_title_authors(line) == (title, authors, truncated)


@pytest.mark.parametrize(
    ("line", "title", "authors"),
    [
        # a first author whose given name is itself camel-cased must not be cut in two
        ("The Camel Case ProblemMcKenzie Ross, Li Wei", "The Camel Case Problem", ["McKenzie Ross", "Li Wei"]),
        ("Why Birds SingO'Shea Byrne", "Why Birds Sing", ["O'Shea Byrne"]),
        # a bare initial in a later name must not pull title words into the first name
        ("The OpenWorld Benchmark SuiteJane Doe, K Lee", "The OpenWorld Benchmark Suite", ["Jane Doe", "K Lee"]),
    ],
)
def test_split_title_authors_hard_cases(line, title, authors):
    assert split_title_authors(line) == (title, authors, False)


def test_split_title_authors_gives_up_rather_than_guess():
    # "J" cannot open an author list, and "SuiteJ" is no name: no split at all
    assert split_title_authors("The OpenWorld Benchmark SuiteJ Doe, K Lee") is None
    assert split_title_authors("A title with no authors at all") is None
    assert split_title_authors("A Survey of Poems王小明, 李华") is None


def test_parse_author_list():
    assert parse_author_list("Anna Berg, Bo Li et al.") == (["Anna Berg", "Bo Li"], True)
    assert parse_author_list("Anna Berg") == (["Anna Berg"], False)
    assert parse_author_list("Anna Berg, K Lee", strict=True) is None
    assert parse_author_list("Anna Berg, K Lee") == (["Anna Berg", "K Lee"], False)
    assert parse_author_list("Anna Berg, , Bo Li") is None
    assert parse_author_list("the model is good") is None
    assert parse_author_list("van Dijk, Anna Berg") is None
    assert parse_author_list("RAGJohn Smith") is None
    assert parse_author_list("McKenzie Ross, Seán O'Neill") == (["McKenzie Ross", "Seán O'Neill"], False)
    # camel case beyond the usual prefixes: only loosely, and never in the first name
    assert parse_author_list("Anna Berg, Jake VanderPlas") == (["Anna Berg", "Jake VanderPlas"], False)
    assert parse_author_list("Anna Berg, Jake VanderPlas", strict=True) is None
    assert parse_author_list("Jake VanderPlas, Anna Berg") is None


def test_author_page_title_that_will_not_split_is_kept_with_a_warning():
    text = "LGMay 2, 2024\nlower case title and nothing else\nAn abstract.\n"
    result = parse_dump(text)
    assert [p.title for p in result.papers] == ["lower case title and nothing else"]
    assert result.papers[0].authors is None
    assert [w.line for w in result.warnings] == [2]
    assert "title from the authors" in result.warnings[0].message
