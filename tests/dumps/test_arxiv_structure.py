"""arXiv entries decided by structure: an author line is a list of names, a title is where the
title stands, and an entry that cannot be read with confidence is a warning, never a paper
with its fields in the wrong place."""

from __future__ import annotations

import pytest

from tuireader.dumps import parse_dump
from tuireader.dumps.arxiv_names import author_list, reads_as_names
from tuireader.models import WarningKind

SUBJECTS = "Subjects: Machine Learning (cs.LG)"
ABSTRACT = (
    "We study a question at length and answer it with a method that works on every data set we"
    " tried, which we describe in detail and release with its code."
)


@pytest.mark.parametrize(
    "line",
    [
        "Gijs Custers, Sven Karbach, Martin Friesen",
        "Evgeny Lakshtanov",
        "Nikolaos P. Rapanos",
        "J.-P. Serre and Ludwig van Beethoven",
        "Jean d'Alembert, Muhammad al-Khwarizmi, Anne O'Neill",
        "Joaquín de la Peña y Ruiz, Nguyễn Thị Thu Hà, Łucja Wąsowska",
        "Martin Luther King, Jr., Rosa Parks",
        "The Kestrel Collaboration, Imke Vos, et al.",
        "A. Smith (MIT), B. Jones (1, 2) ((1) Somewhere, (2) Elsewhere)",
        "Ada Lovelace, Alan Turing, et al. (12 additional authors not shown)",
        "张伟, 李娜",
    ],
)
def test_author_lines_read_as_names(line):
    assert reads_as_names(line)


@pytest.mark.parametrize(
    "line",
    [
        "Regimes in the Order Flow",
        "The Double-Edged Sword of Short-Selling Bans",
        "Smile asymptotics for Bachelier implied volatility",
        "Alpha-R1: Alpha Screening with LLM Reasoning via Reinforcement Learning",
        "Perpetual Futures for Stocks: The SpaceX Pre-IPO Market",
        "Trust, but Verify: Auditing Market Makers",
        "Liquidity, Volatility, and Spreads in Thin Markets",
        "Is Attention All You Need?",
        "Subjects: Machine Learning (cs.LG)",
        "bell hooks, danah boyd",  # lowercase names are not told from words: a warning, not a guess
        ABSTRACT,
    ],
)
def test_titles_and_prose_do_not_read_as_names(line):
    assert not reads_as_names(line)


def test_an_author_list_says_how_many_the_page_left_out():
    shown = author_list("Ada Lovelace, Alan Turing, et al. (12 additional authors not shown)")
    assert shown is not None
    assert (shown.names, shown.truncated, shown.count) == (["Ada Lovelace", "Alan Turing"], True, 14)
    plain = author_list("Ada Lovelace and Alan Turing")
    assert plain is not None and (plain.truncated, plain.count) == (False, 2)


def _page(*entries: str) -> str:
    return "Showing new listings for Monday, 2 June 2025\n" + "\n".join(entries) + "\nTotal of 9 entries\n"


GOOD = ("[9] arXiv:2506.00009 [pdf]", "A Good Title", "Ada Lovelace", SUBJECTS, "", ABSTRACT)


@pytest.mark.parametrize(
    ("entry", "kept", "line", "kind", "says"),
    [
        # the line after the title is no author list (a title cut in two by a hard wrap)
        (("A Title Cut in Two by a Hard Wrap of the", "page", SUBJECTS, "", ABSTRACT),
         None, 4, WarningKind.SKIPPED, "line 4 after its title does not read as an author list"),
        # one bare line that reads as names: the title or the authors, the other is missing
        (("Ada Lovelace, Alan Turing", SUBJECTS, "", ABSTRACT),
         None, 3, WarningKind.SKIPPED, "cannot tell whether line 3 is its title"),
        # one bare line that is no list of names: the title, kept, with no authors
        (("Regimes in the Order Flow", SUBJECTS, "", ABSTRACT),
         ("Regimes in the Order Flow", None, ABSTRACT), 3, WarningKind.DOUBTFUL,
         "no author line after its title"),
        # more bare lines than a title and an author line
        (("A Title", "Ada Lovelace", "Alan Turing", SUBJECTS),
         None, 3, WarningKind.SKIPPED, "lines 3-5 are more than a title and an author line"),
    ],
    ids=["no-author-list", "lone-names", "lone-title", "three-lines"],
)
def test_an_entry_not_read_with_confidence_is_a_warning_naming_its_line_and_id(
    entry, kept, line, kind, says
):
    result = parse_dump(_page("[1] arXiv:2506.00001 [pdf]", *entry, *GOOD))
    papers = [(p.title, p.authors, p.abstract) for p in result.papers]
    assert papers == ([kept] if kept else []) + [("A Good Title", ["Ada Lovelace"], ABSTRACT)]
    (warning,) = result.warnings
    assert (warning.line, warning.kind) == (line, kind)
    assert warning.message.startswith(
        ("skipped " if kind is WarningKind.SKIPPED else "") + "arXiv:2506.00001: "
    )
    assert says in warning.message


def test_a_search_result_with_labels_and_names_one_a_line():
    text = "\n".join([
        "Showing 1–1 of 1 results for all: lovelace",
        "1. arXiv:2506.00009  [pdf, other]  cs.LG stat.ML",
        "Title: Notes on the Analytical Engine, Revisited",
        "Authors:",
        "Ada Lovelace,",
        "Charles Babbage",
        "Abstract: " + ABSTRACT + " △ Less",
        "Submitted 2 June, 2025; originally announced June 2025.",
        "Comments: 4 pages",
        "Next",
        "About",
    ])  # fmt: skip
    result = parse_dump(text)
    assert result.warnings == []
    (paper,) = result.papers
    assert (paper.title, paper.authors, paper.abstract) == (
        "Notes on the Analytical Engine, Revisited", ["Ada Lovelace", "Charles Babbage"], ABSTRACT,
    )  # fmt: skip
    assert (paper.subjects, paper.category, paper.arxiv_comments, paper.published) == (
        "cs.LG stat.ML", "cs.LG", "4 pages", "2025-06-02",
    )  # fmt: skip


def test_the_older_new_page_headings_date_their_entries():
    text = "\n".join([
        "New submissions for Fri, 1 Dec 23",
        "[1]  arXiv:2312.00001 [pdf, other]",
        "Title: A Title",
        "Authors: Ada Lovelace",
        SUBJECTS,
        ABSTRACT,
        "Replacements for Fri, 1 Dec 23",
        "[2]  arXiv:2301.00002 (replaced) [pdf, other]",
        "Title: Another Title",
        "Authors: Alan Turing",
        SUBJECTS,
        ABSTRACT,
    ])  # fmt: skip
    result = parse_dump(text)
    assert result.warnings == []
    assert [(p.title, p.published, p.abstract) for p in result.papers] == [
        ("A Title", "2023-12-01", ABSTRACT),
        ("Another Title", None, ABSTRACT),
    ]
    assert result.page_date == "2023-12-01"
