"""Citation keys: readable, unique, given once at insert and never changed."""

from __future__ import annotations

import re
import sqlite3

import pytest

from tests.helpers import dump, make_v1, paper
from tuireader.citekeys import assign_keys, cite_key_base, letters
from tuireader.export import export
from tuireader.library import Library
from tuireader.search import Searcher


def _add(library: Library, result, name: str = "d.txt") -> None:
    library.add_dump(result, file=name, path=None, sha256=name.ljust(64, "0"))


def _keys(library: Library) -> dict[str, str]:
    return {p.title: p.cite_key for p in library.get_papers(library.ordered_ids())}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"authors": ["Ashish Vaswani", "Noam Shazeer"], "published": "2017-06-12"},
            "vaswani2017attention",
        ),
        ({"authors": ["Zoë D'Arcy-Núñez"], "published": "2025-02-03"}, "nunez2025attention"),
        ({"organization": "Google DeepMind", "published": "2024-01-01"}, "google2024attention"),
        ({"org_handle": "deepseek-ai"}, "deepseekattention"),
        ({"published": "2023-05-01"}, "attention2023need"),
        ({"authors": ["李 明"], "published": "2023-05-01"}, "attention2023need"),
    ],
)
def test_a_base_key_is_who_year_and_first_title_word(fields, expected):
    assert cite_key_base("Attention Is All You Need", **fields) == expected


def test_the_title_word_skips_small_words_but_keeps_short_names():
    assert cite_key_base("The Art of Sleep", ["Ada Lovelace"], published="2020-01-01") == (
        "lovelace2020art"
    )
    assert cite_key_base("LLM Judges on Trial", ["Ada Lovelace"]) == "lovelacellm"
    assert cite_key_base("Param$Δ$ for Mixing", ["Ada Lovelace"]) == "lovelaceparam"
    assert cite_key_base("…", None) == "paper"


def test_colliding_keys_get_letters_after_the_base():
    assert [letters(n) for n in (2, 26, 27)] == ["b", "z", "aa"]
    taken = {"smith2024deep"}
    assert assign_keys(["smith2024deep", "smith2024deep", "jones2024x"], taken) == [
        "smith2024deepb",
        "smith2024deepc",
        "jones2024x",
    ]
    # A suffixed key somebody else holds is skipped, as the library reports it.
    assert assign_keys(["a1b", "a1b"], set(), lambda key: key == "a1bb") == ["a1b", "a1bc"]


def test_every_paper_gets_a_unique_readable_key_at_import(tmp_path, fixtures):
    from tuireader.importer import import_file

    with Library.open(tmp_path / "lib.db") as library:
        for name in ("daily_papers.txt", "author_page.txt", "listing.txt"):
            assert import_file(fixtures / name, library).ok
        keys = _keys(library)
        assert None not in keys.values()
        assert len(set(keys.values())) == len(keys)
        assert all(re.fullmatch(r"[a-z0-9]+", key) for key in keys.values())


def test_keys_never_change_across_merges_and_reimports(tmp_path):
    title = "Efficient Prompting via Dynamic Routing"
    with Library.open(tmp_path / "lib.db") as library:
        _add(library, dump(paper(title)), "first.txt")
        before = _keys(library)[title]
        assert before == "efficientprompting"
        # A later page names the authors and the date: the fields fill, the key stays.
        _add(
            library,
            dump(
                paper(title, authors=["Grace Hopper"], published="2024-03-01"),
                page_date="2024-03-02",
            ),
            "second.txt",
        )
        merged = library.get_papers(library.ordered_ids())[0]
        assert merged.authors == ["Grace Hopper"] and merged.published == "2024-03-01"
        assert merged.cite_key == before
        _add(library, dump(paper(title)), "first-again.txt")
        assert _keys(library)[title] == before
    with Library.open(tmp_path / "lib.db") as library:
        assert _keys(library)[title] == before


def test_an_export_of_one_paper_uses_the_same_key_as_the_full_export(tmp_path):
    # Two papers whose bases collide: per-export keys used to depend on what else was exported.
    with Library.open(tmp_path / "lib.db") as library:
        _add(
            library,
            dump(
                paper("Efficient Prompting via Dynamic Routing"),
                paper("Efficient Prompting at Scale"),
            ),
        )
        everything = export(library.get_papers(library.ordered_ids("title")), "bibtex")
        ids = Searcher(library).search('"Prompting via Dynamic"').ids
        alone = export(library.get_papers(ids), "bibtex")
    keys_in_full = dict(
        (title, key)
        for key, title in re.findall(r"@misc\{([^,]+),\s+title = \{\{([^}]*)\}", everything)
    )
    assert len(keys_in_full) == 2
    key = re.match(r"@misc\{([^,]+),", alone)[1]
    assert key == keys_in_full["Efficient Prompting via Dynamic Routing"]


@pytest.mark.parametrize("library_size", [1, 50])
def test_keys_collide_with_the_library_not_only_within_a_dump(tmp_path, library_size):
    # Small imports into a bigger library look keys up; big ones read them all: both must agree.
    with Library.open(tmp_path / "lib.db") as library:
        _add(
            library,
            dump(*[paper(f"Filler number {n}", authors=["Bo Li"]) for n in range(library_size)]),
            "a.txt",
        )
        _add(
            library,
            dump(paper("Deep Tides", authors=["Ann Smith"], published="2024-01-01")),
            "b.txt",
        )
        _add(
            library,
            dump(paper("Deep Tides Revisited", authors=["Al Smith"], published="2024-05-01")),
            "c.txt",
        )
        _add(
            library,
            dump(paper("Deep Tides, the Sequel", authors=["Jo Smith"], published="2024-09-01")),
            "d.txt",
        )
        keys = _keys(library)
    assert keys["Deep Tides"] == "smith2024deep"
    assert keys["Deep Tides Revisited"] == "smith2024deepb"
    assert keys["Deep Tides, the Sequel"] == "smith2024deepc"


def test_the_library_refuses_a_duplicate_key(tmp_path):
    with Library.open(tmp_path / "lib.db") as library:
        _add(library, dump(paper("One"), paper("Two")))
        with pytest.raises(sqlite3.IntegrityError):
            library.conn.execute("UPDATE papers SET cite_key = 'same'")


def test_the_migration_gives_existing_papers_their_keys(tmp_path):
    path = tmp_path / "lib.db"
    with Library.open(path) as library:
        _add(
            library,
            dump(
                paper("Deep Tides", authors=["Ann Smith"], published="2024-01-01"),
                paper("Deep Tides Again", authors=["Al Smith"], published="2024-05-01"),
                paper("Shallow Pools"),
            ),
        )
        library.set_starred(library.ordered_ids())
    make_v1(path)
    with Library.open(path) as library:
        keys = _keys(library)
        assert keys == {
            "Deep Tides": "smith2024deep",
            "Deep Tides Again": "smith2024deepb",
            "Shallow Pools": "shallowpools",
        }
        assert all(p.starred for p in library.get_papers(library.ordered_ids()))
        _add(
            library,
            dump(paper("Deep Tides at Night", authors=["Cy Smith"], published="2024-06-01")),
            "later.txt",
        )
        assert _keys(library)["Deep Tides at Night"] == "smith2024deepc"


@pytest.mark.parametrize("remembered", [3, 150_000])
@pytest.mark.parametrize("library_size", [0, 40])
def test_an_import_in_many_blocks_gives_the_keys_one_block_gives(
    tmp_path, monkeypatch, remembered, library_size
):
    # One allocator serves every block of an import; it remembers the keys it learnt, up to a
    # bound, then asks the library again: the keys are those of the whole dump in one block.
    from tuireader.library import citekeys

    monkeypatch.setattr(citekeys, "MAX_REMEMBERED", remembered)
    filler = [paper(f"Deep filler {n}", authors=["Ann Smith"], published="2024-01-01") for n in range(library_size)]
    papers = [
        paper(f"Deep tides {n}", authors=[("Ann", "Al", "Jo")[n % 3] + " Smith"], published="2024-01-01")
        for n in range(60)
    ]
    keys = []
    for name, blocks in (("one", [dump(*papers)]), ("many", [dump(*papers[i : i + 7]) for i in range(0, 60, 7)])):
        with Library.open(tmp_path / f"{name}.db") as library:
            if filler:
                _add(library, dump(*filler), "filler.txt")
            library.add_dump_blocks(blocks, file="d.txt", path=None, sha256="d" * 64)
            keys.append(_keys(library))
    assert keys[0] == keys[1]
    assert len(set(keys[0].values())) == library_size + 60
    assert keys[0]["Deep tides 59"] == "smith2024deep" + letters(library_size + 60)
