"""Searcher results on a small library of our fixtures (the language: test_language.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import dump, paper
from tuireader.importer import import_file
from tuireader.library import Library
from tuireader.search import QueryError, Searcher, view_clauses

TODAY = dt.date(2026, 11, 22)

LANTERN = "Lantern: Sparse Attention for Very Long Lecture Transcripts"
TIDEPOOL = "Tidepool: A Benchmark for Estuary Flow Forecasting"
GARDENS = "Small Gardens, Big Models: Curriculum Pruning Revisited"
WHISKER = "Whisker: One-Shot Audio Tagging for Cats"
QFERRY = "Q-Ferry: Quantised Transport Plans"
KESTREL = "Kestrel-7B Technical Report"
ROQ = "ROQ: Rotary Quantisation for Pocket-Sized Speech Models"
SKETCH = "Gradient Sketching with Param$Δ$"
ADAPTERS = "Cheap Adapters Beat Full Tuning with QLoRA"
AGENTS = "Self-Correcting Agents via GPTs"
RETRIEVAL = "WHAT IS RETRIEVAL FOR?"
MOSS = "Moss: Tiny Vision Transformers for Lichen Identification"
RIDDLES = "Are Benchmarks Leaking Into Pretraining Data? A Case Study on Riddles"
ZLOSS = "Z-Loss Is All You Need (Sometimes)"
PEBBLE = "Pebble: Learned Compression for Sensor Logs"
SHEEP = "Counting Sheep with Drones"
ALL = {
    LANTERN,
    TIDEPOOL,
    GARDENS,
    WHISKER,
    QFERRY,
    KESTREL,
    ROQ,
    SKETCH,
    ADAPTERS,
    AGENTS,
    RETRIEVAL,
    MOSS,
    RIDDLES,
    ZLOSS,
    PEBBLE,
    SHEEP,
}
FIXTURE_DUMPS = ("daily_papers.txt", "author_page.txt", "listing.txt", "listing_bare.txt")


def _build(path, fixtures, *, index: bool) -> Library:
    library = Library.open(path)
    for name in FIXTURE_DUMPS:
        assert import_file(fixtures / name, library, today=TODAY).ok
    if index:
        while library.index_abstracts():
            pass
    return library


class Finder:
    """Run queries and name the results by title."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.searcher = Searcher(library)
        self.ids = {p.title: p.id for p in library.get_papers(library.ordered_ids())}

    def titles(self, query: str, **kwargs) -> list[str]:
        result = self.searcher.search(query, **kwargs)
        return [p.title for p in self.library.get_papers(result.ids)]

    def set(self, query: str, **kwargs) -> set[str]:
        titles = self.titles(query, **kwargs)
        assert len(titles) == len(set(titles))
        return set(titles)


@pytest.fixture
def find(tmp_path, fixtures):
    library = _build(tmp_path / "lib.db", fixtures, index=True)
    yield Finder(library)
    library.close()


def test_the_library_holds_every_fixture_paper(find):
    assert set(find.ids) == ALL
    assert find.set("") == ALL


def test_bare_words(find):
    assert find.titles("lantern") == [LANTERN]
    assert find.titles("LANTERN") == [LANTERN]
    assert find.titles("kestrel-7b") == [KESTREL]
    assert find.set("sheep drones") == {SHEEP}
    assert find.set("sheep lantern") == set()


def test_words_match_authors_and_organisations(find):
    assert find.titles("lindqvist") == [ROQ]
    assert find.titles("nunez") == [ROQ]
    assert find.titles("oceanlab") == [TIDEPOOL]


def test_prefixes(find):
    assert find.titles("lant") == [LANTERN]
    assert find.set("tidep") == {TIDEPOOL}
    found = find.titles("quanti")
    assert set(found) >= {QFERRY, ROQ}


def test_a_typo_is_forgiven(find):
    assert find.titles("lantren") == [LANTERN]
    assert find.titles("kestrle") == [KESTREL]
    assert find.titles("tidepoool") == [TIDEPOOL]


def test_abstract_only_words(find):
    assert find.titles("wasserstein") == [QFERRY]
    assert find.titles("purrs") == [WHISKER]
    assert find.titles("hillside") == [SHEEP]
    assert find.set("spreadsheet") == {AGENTS}


def test_tags(find):
    lib = find.library
    lib.add_tag([find.ids[LANTERN], find.ids[MOSS]], "to-read")
    lib.add_tag([find.ids[QFERRY]], "café")
    assert find.set("tag:to-read") == {LANTERN, MOSS}
    assert find.set("tag:TO-READ") == {LANTERN, MOSS}
    assert find.set("-tag:to-read") == ALL - {LANTERN, MOSS}
    assert find.set("tag:nothing") == set()
    assert find.set("tag:to-read lantern") == {LANTERN}


def test_a_tag_with_accents(find):
    find.library.add_tag([find.ids[QFERRY]], "café")
    find.library.add_tag([find.ids[WHISKER]], "to read")
    assert find.set("tag:café") == {QFERRY}
    assert find.set('tag:"to read"') == {WHISKER}


def test_authors(find):
    assert find.titles("author:lindqvist") == [ROQ]
    assert find.titles('author:"jean-luc moreau"') == [SKETCH]
    assert find.titles("author:Núñez") == [ROQ]
    assert find.titles("author:petrov") == [ADAPTERS]  # a prefix of Petrović
    assert find.titles("author:kestrel") == []  # an organisation is not an author
    assert find.set("-author:lindqvist") == ALL - {ROQ}


def test_organisations(find):
    assert find.titles("org:oceanlab") == [TIDEPOOL]
    assert find.titles('org:"ocean lab"') == [TIDEPOOL]
    assert find.titles('org:"ocean kiel"') == [TIDEPOOL]
    assert find.titles("org:Kestrel") == [KESTREL]
    assert find.titles("org:lindqvist") == []


def test_years(find):
    assert find.set("year:2024") == {QFERRY, ROQ}
    assert find.set("year:2023..2024") == {QFERRY, ROQ, RETRIEVAL}
    assert find.set("year:..2023") == {RETRIEVAL}
    assert find.set("year:2025") == {LANTERN, ADAPTERS}
    assert find.set("year:2026..") == {TIDEPOOL, WHISKER, KESTREL, SKETCH, AGENTS}
    assert find.set("year:2019..2022") == set()


def test_negated_year_keeps_undated_papers(find):
    assert find.set("-year:2026") == ALL - {TIDEPOOL, WHISKER, KESTREL, SKETCH, AGENTS}
    assert find.set("-year:..2024") == ALL - {QFERRY, ROQ, RETRIEVAL}


def test_is_filters(find):
    lib = find.library
    lib.set_read([find.ids[LANTERN], find.ids[SHEEP]])
    lib.set_starred([find.ids[TIDEPOOL]])
    assert find.set("is:read") == {LANTERN, SHEEP}
    assert find.set("is:unread") == ALL - {LANTERN, SHEEP}
    assert find.set("-is:read") == ALL - {LANTERN, SHEEP}
    assert find.set("is:starred") == {TIDEPOOL}
    assert find.set("is:unstarred") == ALL - {TIDEPOOL}
    assert find.set("is:read is:starred") == set()


def test_has_filters(find):
    lib = find.library
    assert find.set("has:code") == {SKETCH, AGENTS}
    assert find.set("has:notes") == set() and find.set("has:tags") == set()
    lib.set_note(find.ids[PEBBLE], "try on the boiler logs")
    lib.add_tag([find.ids[ZLOSS]], "training")
    assert find.set("has:notes") == {PEBBLE}
    assert find.set("has:tags") == {ZLOSS}
    assert find.set("-has:notes") == ALL - {PEBBLE}


def test_negated_has_code_keeps_papers_without_known_code(find):
    assert find.set("-has:code") == ALL - {SKETCH, AGENTS}


def test_notes_are_searched(find):
    find.library.set_note(find.ids[PEBBLE], "compare with zstandard")
    find.searcher.invalidate()
    assert find.titles("zstandard") == [PEBBLE]


def test_negated_words(find):
    # "transformers": Moss's title and Tidepool's abstract.
    assert find.set("transformers") == {MOSS, TIDEPOOL}
    assert find.set("-transformers") == ALL - {MOSS, TIDEPOOL}
    assert find.set("benchmark -tidepool") >= {RIDDLES}
    assert TIDEPOOL not in find.set("benchmark -tidepool")


def test_phrases(find):
    assert find.titles('"dense attention"') == [LANTERN]  # in the abstract
    assert find.titles('"sparse attention"') == [LANTERN]  # in the title
    assert find.titles('"attention dense"') == []
    assert find.titles('"technical report"') == [KESTREL]
    assert find.set('-"technical report"') == ALL - {KESTREL}


def test_ranking_puts_a_title_match_before_an_abstract_only_match(find):
    # By date Tidepool (2026) would come before Moss (undated); ranking puts the title first.
    assert find.titles("", sort="date").index(TIDEPOOL) < find.titles("", sort="date").index(MOSS)
    result = find.searcher.search("transformers")
    assert result.ranked
    assert [find.library.get_paper(i).title for i in result.ids] == [MOSS, TIDEPOOL]


def test_ranking_with_a_typo_uses_the_meant_word(find):
    result = find.searcher.search("transfromers")
    titles = [find.library.get_paper(i).title for i in result.ids]
    assert titles[0] == MOSS
    assert "transformers" in result.highlights


def test_sorts_without_words(find):
    titles = find.titles("", sort="title")
    assert titles == sorted(titles, key=str.casefold)
    by_date = [find.library.get_paper(find.ids[t]).published for t in find.titles("", sort="date")]
    dated = [d for d in by_date if d]
    assert dated == sorted(dated, reverse=True)
    assert by_date[len(dated) :] == [None] * (len(by_date) - len(dated))  # undated last
    with pytest.raises(QueryError, match="sort"):
        find.searcher.search("", sort="colour")


def test_extra_clauses_narrow_a_search(find):
    find.library.set_starred([find.ids[LANTERN]])
    assert find.set("attention", extra=view_clauses("starred")) == {LANTERN}
    assert find.set("", extra=view_clauses("unread")) == ALL


def test_search_raises_query_error_for_a_malformed_query(find):
    with pytest.raises(QueryError):
        find.searcher.search("year:twenty")


def test_highlights(find):
    result = find.searcher.search('lantern "dense attention" -tidepool tag:x')
    assert "lantern" in result.highlights and "dense attention" in result.highlights
    assert "tidepool" not in result.highlights


def test_words_in_abstracts_not_yet_indexed_are_found(tmp_path, fixtures):
    library = _build(tmp_path / "pending.db", fixtures, index=False)
    try:
        assert library.pending_abstracts() == len(ALL)
        finder = Finder(library)
        assert finder.titles("wasserstein") == [QFERRY]
        assert finder.titles("Wasserstein") == [QFERRY]
        assert finder.titles('"dense attention"') == [LANTERN]
        assert finder.set("transformers") == {MOSS, TIDEPOOL}
        assert finder.set("-hillside") == ALL - {SHEEP}
        # Half indexed, half pending: still everything is found.
        library.index_abstracts(batch=7)
        assert 0 < library.pending_abstracts() < len(ALL)
        assert finder.titles("wasserstein") == [QFERRY]
        assert finder.titles("hillside") == [SHEEP]
        assert finder.set("transformers") == {MOSS, TIDEPOOL}
    finally:
        library.close()


def test_invalidate_picks_up_new_words(tmp_path, fixtures):
    library = Library.open(tmp_path / "lib.db")
    try:
        import_file(fixtures / "daily_papers.txt", library, today=TODAY)
        finder = Finder(library)
        assert finder.titles("pebbel") == []
        import_file(fixtures / "listing_bare.txt", library, today=TODAY)
        finder.searcher.invalidate()
        assert finder.titles("pebbel") == [PEBBLE]
    finally:
        library.close()


def test_years_over_many_papers_a_date(tmp_path):
    # Papers share dates, and dates fall on both sides of new year: each year is the stretch of
    # the date order its dates cover.
    dates = ["2023-12-31", "2024-01-01", "2024-06-30", "2024-12-31", "2025-01-01", None, "2024"]
    papers = [
        paper(f"Paper {i} of {date}", published=date, line=i)
        for i, date in enumerate(d for d in dates for _ in range(3))
    ]
    library = Library.open(tmp_path / "lib.db")
    library.add_dump(dump(*papers), file="a.txt", path=None, sha256="a")
    searcher = Searcher(library)

    def dated(query):
        return sorted(
            p.published or "" for p in library.get_papers(list(searcher.search(query).ids))
        )

    assert (
        dated("year:2024")
        == ["2024"] * 3 + ["2024-01-01"] * 3 + ["2024-06-30"] * 3 + ["2024-12-31"] * 3
    )
    assert dated("year:..2023") == ["2023-12-31"] * 3
    assert dated("year:2025..") == ["2025-01-01"] * 3
    assert dated("-year:2024") == [""] * 3 + ["2023-12-31"] * 3 + ["2025-01-01"] * 3
    library.close()
