"""A search lays the reader's waiting changes over the file's state (tuireader.search.pending)."""

from __future__ import annotations

from tests.helpers import dump, paper
from tuireader.library import Library
from tuireader.search import Searcher
from tuireader.search.pending import PaperState, Pending


def _library(tmp_path):
    library = Library.open(tmp_path / "lib.db")
    library.add_dump(dump(paper("Alpha"), paper("Beta"), paper("Gamma")), file="a.txt", path=None,
                     sha256="a")
    ids = {p.title: p.id for p in library.get_papers(library.ordered_ids())}
    library.add_tag([ids["Alpha"]], "old")
    library.set_starred([ids["Alpha"]], True)
    return library, ids


def _titles(library, ids_found) -> set[str]:
    return {p.title for p in library.get_papers(list(ids_found))}


def test_waiting_tags_stars_and_notes_are_searched_as_they_will_be(tmp_path):
    library, ids = _library(tmp_path)
    with library:
        searcher = Searcher(library)
        pending = Pending({
            # Alpha: unstarred, its tag removed; Beta: tagged grpB, starred, read, a note.
            ids["Alpha"]: PaperState(False, False, frozenset(), False),
            ids["Beta"]: PaperState(True, True, frozenset({"grpb"}), True),
        })

        def found(query: str) -> set[str]:
            return _titles(library, searcher.search(query, pending=pending).ids)

        assert found("tag:grpB") == {"Beta"}
        assert found("tag:old") == set()
        assert found("is:starred") == {"Beta"}
        assert found("is:unstarred") == {"Alpha", "Gamma"}
        assert found("-is:read") == {"Alpha", "Gamma"}
        assert found("has:notes") == {"Beta"}
        assert found("-has:tags") == {"Alpha", "Gamma"}
        # Nothing waiting: the file's state, and the overlay was never cached into it.
        assert _titles(library, searcher.search("tag:old").ids) == {"Alpha"}
        assert _titles(library, searcher.search("is:starred").ids) == {"Alpha"}
