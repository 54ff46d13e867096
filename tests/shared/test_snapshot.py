"""One consistent snapshot per search: a commit by another connection mid-search never shows."""

from __future__ import annotations

from tests.helpers import dump, paper
from tuireader.library import Library
from tuireader.models import Clause, Kind
from tuireader.search import Engine


def _library_with(path, *titles):
    library = Library.open(path)
    library.add_dump(dump(*(paper(t) for t in titles)), file="a.txt", path=None, sha256="a")
    return library


def test_a_commit_between_two_steps_of_a_search_never_mixes_versions(tmp_path, monkeypatch):
    path = tmp_path / "lib.db"
    library = _library_with(path, "Sparse lanterns", "Dense lanterns", "Tidal pools")
    engine = Engine(library)
    engine.find([Clause(Kind.TEXT, "tidal")], "date")  # warm the order cache at this version
    other = Library.open(path)
    word_sets = Engine._word_sets
    committed = []

    def commit_in_between(self, snap, words):
        if not committed:  # another connection commits after the order was taken
            other.add_dump(
                dump(paper("Lanterns at sea"), paper("Lanterns on land")),
                file="b.txt",
                path=None,
                sha256="b",
            )
            committed.append(True)
        return word_sets(self, snap, words)

    monkeypatch.setattr(Engine, "_word_sets", commit_in_between)
    found = engine.find([Clause(Kind.TEXT, "lanterns")], "date")
    ids = found.ids.tolist()
    assert committed
    titles = {p.title for p in library.get_papers(ids)}
    assert titles == {"Sparse lanterns", "Dense lanterns"}  # the version the search started on
    assert found.strong is not None
    assert set(found.strong.nonzero()[0].tolist()) == set(ids)
    # The next search sees the new papers.
    monkeypatch.setattr(Engine, "_word_sets", word_sets)
    assert len(engine.find([Clause(Kind.TEXT, "lanterns")], "date").ids) == 4
    other.close()
    library.close()
