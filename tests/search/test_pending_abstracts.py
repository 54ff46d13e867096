"""Searching papers whose abstracts wait to be indexed matches as the index will."""

from __future__ import annotations

import pytest

from tests.helpers import dump, paper
from tuireader.library import Library
from tuireader.search import Searcher

ABSTRACT = "We study tidal pools of the outer reef and report the ox bow effect at length."


@pytest.fixture(params=["pending", "indexed"])
def library(request, tmp_path):
    library = Library.open(tmp_path / "lib.db")
    library.add_dump(
        dump(paper("Sparse lanterns", ABSTRACT), paper("Ox carts of the plains")),
        file="a.txt",
        path=None,
        sha256="a",
    )
    if request.param == "indexed":
        while library.index_abstracts():
            pass
    assert library.has_unindexed() == (request.param == "pending")
    yield library
    library.close()


def _titles(library, query):
    return sorted(p.title for p in library.get_papers(list(Searcher(library).search(query).ids)))


def test_a_short_word_matches_titles_and_names_only_indexed_or_not(library):
    # "ox" is in one title and in the other paper's abstract: short words match titles only.
    assert _titles(library, "ox ") == ["Ox carts of the plains"]
    assert _titles(library, "-ox ") == ["Sparse lanterns"]


def test_a_longer_word_matches_abstracts_indexed_or_not(library):
    assert _titles(library, "tidal") == ["Sparse lanterns"]
    assert _titles(library, "tidal -reef") == []
    assert _titles(library, "plains") == ["Ox carts of the plains"]


def test_ranking_reads_titles_again_only_after_the_content_changed(tmp_path, monkeypatch):
    library = Library.open(tmp_path / "lib.db")
    library.add_dump(
        dump(paper("Sparse lanterns"), paper("Dense lanterns"), paper("Lantern festivals")),
        file="a.txt",
        path=None,
        sha256="a",
    )
    searcher = Searcher(library)
    read: list[list[int]] = []
    ranking_texts = library.ranking_texts

    def counted(ids):
        read.append(list(ids))
        return ranking_texts(ids)

    monkeypatch.setattr(library, "ranking_texts", counted)
    first = list(searcher.search("lantern").ids)
    assert len(read) == 1 and sorted(read[0]) == sorted(first)
    assert list(searcher.search("lanterns").ids) != []  # typing on: the same papers ranked
    assert len(read) == 1
    library.add_tag(first[:1], "x")  # the content changed: titles are read again
    searcher.search("lantern")
    assert len(read) == 2
    library.close()
