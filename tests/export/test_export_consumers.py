"""Every export read back by the tools people import it with (test-only dependencies).

BibTeX through bibtexparser (with its LaTeX decoding), CSL-JSON through citeproc-py (a CSL
processor rendering a bibliography), RIS through rispy; over our fixture of nasty titles
(``{ } % & \\ $ # _ ^ ~ *``, accents, inline math) and over the real seed dumps.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

from tests.helpers import dump, paper
from tuireader.export import export
from tuireader.importer import import_file
from tuireader.library import Library

bibtexparser = pytest.importorskip("bibtexparser")
rispy = pytest.importorskip("rispy")
citeproc = pytest.importorskip("citeproc")

NASTY_FIXTURE = "nasty_titles_daily_papers.txt"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _library(tmp_path: Path, files: list[Path]) -> Library:
    library = Library.open(tmp_path / "lib.db")
    for path in files:
        assert import_file(path, library).ok
    # Names, tags and notes full of specials too.
    library.add_dump(
        dump(
            paper(
                "Tags_and {Notes} & 100% of $x$",
                authors=["Zoë D'Arcy", "Bob_Smith & Co", "Smith, Jr., John"],
                published="2025-11-04",
            )
        ),
        file="nasty-names.txt",
        path=None,
        sha256="1" * 64,
    )
    ids = library.ordered_ids()
    library.add_tag(ids, "c++_50%")
    library.add_tag(ids[:2], "to-read")
    library.set_note(ids[0], "Line {one} with 50% & a \\ backslash.\nLine two: $x^2$ ~ ^ #")
    return library


@pytest.fixture
def nasty(tmp_path, fixtures):
    library = _library(tmp_path, [fixtures / NASTY_FIXTURE])
    yield library.get_papers(library.ordered_ids("title"))
    library.close()


@pytest.fixture
def seeded(tmp_path, seeds):
    library = _library(tmp_path, sorted(seeds.glob("*.txt")))
    yield library.get_papers(library.ordered_ids("title"))
    library.close()


@pytest.fixture(params=["nasty", "seeded"])
def papers(request):
    return request.getfixturevalue(request.param)


def test_the_nasty_fixture_has_every_special_character(nasty):
    titles = "".join(p.title for p in nasty)
    for char in "{}%&\\$#_^~*éÅŁŒß":
        assert char in titles, char


def _parse_bibtex(text: str):
    from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors

    return bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors()]
    )


def _decoded(value: str) -> str:
    # pylatexenc spells \textasciicircum{} as the modifier letter; LaTeX prints a "^".
    return value.replace("\u02c6", "^")


def _as_tex_prints(text: str) -> str:
    """What TeX prints for plain text: its ligatures for dashes and quotes (on purpose)."""
    for ligature, char in (("---", "\u2014"), ("--", "\u2013"), ("``", "\u201c"), ("''", "\u201d")):
        text = text.replace(ligature, char)
    return text


def test_bibtex_reads_back_field_for_field(papers):
    parsed = _parse_bibtex(export(papers, "bibtex"))
    assert parsed.failed_blocks == []
    assert [e.key for e in parsed.entries] == [p.cite_key for p in papers]
    for entry, p in zip(parsed.entries, papers, strict=True):
        assert _decoded(entry["title"]) == _as_tex_prints(p.title)
        assert _decoded(entry["abstract"]) == _as_tex_prints(p.abstract)
        if p.published:
            assert entry["year"] == p.published[:4]
            assert entry.fields_dict["month"].value == MONTHS[int(p.published[5:7]) - 1]
        else:
            assert "year" not in entry.fields_dict
        if p.authors:
            names = entry["author"]
            assert [_decoded(n) for n in names[: len(p.authors)]] == p.authors
            assert (names[-1] == "others") == p.authors_truncated
        elif p.organization:
            assert entry["author"] == [p.organization]
        if p.tags:
            assert _decoded(entry["keywords"]) == ", ".join(p.tags)
        if p.notes:
            assert _decoded(entry["note"]) == p.notes


def test_bibtex_keeps_math_as_math(nasty):
    parsed = _parse_bibtex(export(nasty, "bibtex"))
    raw = {
        e.key: e.fields_dict["title"].value
        for e in bibtexparser.parse_string(export(nasty, "bibtex")).entries
    }
    (param,) = [p for p in nasty if p.title.startswith("Param")]
    assert "$Δ$" in raw[param.cite_key] and r"$\mathcal{L}_{\text{KL}}$" in raw[param.cite_key]
    (unbalanced,) = [p for p in nasty if p.title.startswith("Unbalanced")]
    assert r"\$dollar" in raw[unbalanced.cite_key]
    assert len(parsed.entries) == len(nasty)


def test_csl_json_renders_through_a_csl_processor(papers):
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = json.loads(export(papers, "csl-json"))
    assert [item["id"] for item in items] == [p.cite_key for p in papers]
    for item, p in zip(items, papers, strict=True):
        assert item["title"] == p.title and item["type"] == "article"
        if p.published:
            assert item["issued"]["date-parts"][0][:3] == [int(x) for x in p.published.split("-")]
        if p.tags:
            assert item["keyword"] == ", ".join(p.tags)
    with warnings.catch_warnings():
        # citeproc-py does not know CSL 1.0.2's "citation-key" (pandoc and Zotero do).
        warnings.filterwarnings("ignore", message=".*unsupported: citation_key")
        source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for p in papers:
        bibliography.register(Citation([CitationItem(p.cite_key)]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(papers)
    for p in papers:
        assert sum(p.title in entry for entry in rendered) >= 1, p.title
        if p.published:
            assert any(p.title in e and f"({p.published[:4]})" in e for e in rendered), p.title


def test_ris_reads_back_field_for_field(papers):
    records = rispy.loads(export(papers, "ris"))
    assert len(records) == len(papers)
    for record, p in zip(records, papers, strict=True):
        assert record["id"] == p.cite_key
        assert record["type_of_reference"] == "UNPB"
        assert record["title"] == " ".join(p.title.split())
        assert record["abstract"] == " ".join(p.abstract.split())
        if p.published:
            assert record["year"] == p.published[:4]
            assert record["date"].startswith(p.published.replace("-", "/"))
        if p.authors:
            assert len(record["authors"]) == len(p.authors)
            assert all(re.sub(r"[ ,]", "", a) for a in record["authors"])
        assert record.get("keywords", []) == p.tags
        if p.notes:
            assert record["notes"] == [" ".join(p.notes.split())]


def test_data_exports_read_back(papers):
    import csv
    import io

    from markdown_it import MarkdownIt

    titles = [p.title for p in papers]
    assert [r["title"] for r in json.loads(export(papers, "json"))] == titles
    lines = export(papers, "jsonl").splitlines()
    assert [json.loads(line)["title"] for line in lines] == titles
    rows = list(csv.DictReader(io.StringIO(export(papers, "csv"))))
    assert len(rows) == len(papers)
    assert [row["abstract"] for row in rows] == [p.abstract for p in papers]
    tokens = MarkdownIt().parse(export(papers, "markdown"))
    items = [t for t in tokens if t.type == "list_item_open" and t.level == 1]
    assert len(items) == len(papers)
