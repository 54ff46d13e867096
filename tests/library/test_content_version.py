"""The content version: every write a reader would see counts; indexing abstracts does not."""

from __future__ import annotations

from tests.helpers import dump, paper
from tuireader.library import Library
from tuireader.library.backup import restore_from
from tuireader.models import Clause, Kind
from tuireader.search import Engine


def _library(path, *titles):
    library = Library.open(path)
    library.add_dump(dump(*(paper(t) for t in titles)), file="a.txt", path=None, sha256="a")
    return library


def test_writes_count_and_indexing_does_not(tmp_path):
    library = _library(tmp_path / "lib.db", "Sparse lanterns", "Tidal pools")
    first = library.content_version()
    assert first is not None
    ids = library.ordered_ids()
    library.set_starred(ids[:1])
    starred = library.content_version()
    assert starred > first
    while library.index_abstracts():
        pass
    assert library.content_version() == starred  # the index changes no result
    library.set_starred(ids[:1])  # already starred: nothing written, nothing counted
    assert library.content_version() == starred
    library.undo()
    assert library.content_version() > starred
    library.close()


def test_another_process_sees_the_count_change(tmp_path):
    path = tmp_path / "lib.db"
    library = _library(path, "Sparse lanterns")
    other = Library.open(path)
    seen = other.content_version()
    library.add_tag(library.ordered_ids(), "later")
    assert other.content_version() != seen
    other.close()
    library.close()


def test_a_restore_moves_the_count_past_every_number_seen_before(tmp_path):
    library = _library(tmp_path / "lib.db", "Sparse lanterns")
    library.backup_to(tmp_path / "backup.db")
    for _ in range(3):
        library.set_read(library.ordered_ids(), not library.get_papers(library.ordered_ids())[0].read)
    before = library.content_version()
    restore_from(library, tmp_path / "backup.db")
    assert library.content_version() > before
    library.close()


def test_the_engine_keeps_its_orders_while_only_abstracts_are_indexed(tmp_path, monkeypatch):
    path = tmp_path / "lib.db"
    library = _library(path, "Sparse lanterns", "Dense lanterns", "Tidal pools")
    engine = Engine(library)
    loads: list[str] = []
    order_ids = Library.order_ids

    def counted(self, sort="date"):
        loads.append(sort)
        return order_ids(self, sort)

    monkeypatch.setattr(Library, "order_ids", counted)
    assert len(engine.find_ids([Clause(Kind.TEXT, "lanterns")])) == 2
    assert loads == ["date"]
    with Library.open(path) as indexer:  # another connection indexes: the file changed
        while indexer.index_abstracts():
            pass
    assert len(engine.find_ids([Clause(Kind.TEXT, "lanterns")])) == 2
    assert loads == ["date"]  # the same order, not read again
    with Library.open(path) as other:
        other.add_dump(dump(paper("Lanterns at sea")), file="b.txt", path=None, sha256="b")
    assert len(engine.find_ids([Clause(Kind.TEXT, "lanterns")])) == 3  # a new paper: read again
    assert loads == ["date", "date"]
    library.close()
