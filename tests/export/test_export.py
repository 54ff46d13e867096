"""Exports: JSON records with a fixed set of keys; JSON Lines, CSV, BibTeX and Markdown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest

from tests.helpers import EXPORT_KEYS_AS_SPECIFIED, JSON_EXPORT_KEYS, dump, paper
from tuireader.export import FORMATS, export, to_bibtex, to_csv, to_json, to_jsonl, to_markdown
from tuireader.importer import import_file
from tuireader.library import Library

TODAY = dt.date(2026, 11, 22)
KEYS = EXPORT_KEYS_AS_SPECIFIED
TIDEPOOL = "Tidepool: A Benchmark for Estuary Flow Forecasting"
ROQ = "ROQ: Rotary Quantisation for Pocket-Sized Speech Models"
SKETCH = "Gradient Sketching with Param$Δ$"
NASTY = "Costs & Benefits: 100% of {Braces}_and #tags, $5 ~ A^2 \\ more"


@pytest.fixture
def lib(tmp_path, fixtures):
    library = Library.open(tmp_path / "lib.db")
    for name in ("daily_papers.txt", "messy_daily_papers.txt", "author_page.txt", "listing.txt"):
        assert import_file(fixtures / name, library, today=TODAY).ok
    library.add_dump(
        dump(
            paper(
                NASTY,
                abstract='An abstract with "quotes", commas, 50% & more; a {brace} and a back\\slash.',
                authors=["Zoë D'Arcy", "Bob_Smith & Co"],
                published="2025-02-03",
            )
        ),
        file="nasty.txt",
        path=None,
        sha256="0" * 64,
    )
    ids = {p.title: p.id for p in library.get_papers(library.ordered_ids())}
    library.set_read([ids[TIDEPOOL]])
    library.set_starred([ids[TIDEPOOL], ids[ROQ]])
    library.add_tag([ids[TIDEPOOL]], "to-read")
    library.add_tag([ids[TIDEPOOL], ids[NASTY]], "ocean")
    library.set_note(ids[TIDEPOOL], 'Line one, with a comma.\nLine two "quoted".')
    yield library
    library.close()


def _papers(library):
    return library.get_papers(library.ordered_ids("title"))


def test_json_is_an_array_of_records_with_exactly_the_export_keys(lib):
    papers = _papers(lib)
    records = json.loads(to_json(papers))
    assert isinstance(records, list) and len(records) == len(papers) == 15
    for record in records:
        assert list(record) == JSON_EXPORT_KEYS
        assert record["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["published"])
        assert isinstance(record["sources"], list) and record["sources"]
        assert all("/" not in s for s in record["sources"])
        assert isinstance(record["tags"], list)
        assert isinstance(record["read"], bool) and isinstance(record["starred"], bool)
        assert dt.datetime.fromisoformat(record["added_at"])


def test_json_values(lib):
    records = {r["title"]: r for r in json.loads(export(_papers(lib), "json"))}
    tidepool = records[TIDEPOOL]
    assert tidepool == {
        **tidepool,
        "authors": None,
        "authors_truncated": False,
        "author_count": None,
        "organization": "Ocean Lab Kiel",
        "org_handle": "oceanlab",
        "published": "2026-02-02",
        "published_raw": "Feb 2",
        "upvotes": None,
        "comments": None,
        "has_code": None,
        "category": None,
        "score": None,
        "arxiv_id": None,
        "read": True,
        "starred": True,
        "tags": ["ocean", "to-read"],
        "notes": 'Line one, with a comma.\nLine two "quoted".',
        "sources": ["daily_papers.txt", "messy_daily_papers.txt"],
    }
    assert tidepool["abstract"].startswith("We release Tidepool, a benchmark")
    roq = records[ROQ]
    assert roq["authors"] == ["Åsa Lindqvist", "Tomás O'Reilly-Núñez", "Wei Zhang"]
    assert roq["authors_truncated"] is True and roq["author_count"] is None
    assert (roq["published"], roq["published_raw"], roq["category"]) == ("2024-10-04", "Oct 4, 2024", "LG")
    assert (roq["has_code"], roq["read"], roq["starred"]) == (False, False, True)
    assert roq["sources"] == ["author_page.txt"]
    sketch = records[SKETCH]
    assert (sketch["score"], sketch["has_code"], sketch["author_count"]) == (61.2, True, 2)
    lantern = records["Lantern: Sparse Attention for Very Long Lecture Transcripts"]
    # a seed-era page: its number after the date is the comment count; no upvotes printed
    assert (lantern["author_count"], lantern["upvotes"], lantern["comments"]) == (4, None, 7)
    moss = records["Moss: Tiny Vision Transformers for Lichen Identification"]
    assert (moss["published"], moss["published_raw"], moss["sources"]) == (None, None, ["listing.txt"])


def test_json_of_nothing():
    assert json.loads(to_json([])) == []
    assert to_jsonl([]) == ""
    assert list(csv.reader(io.StringIO(to_csv([])))) == [KEYS]


def test_jsonl_is_one_record_a_line(lib):
    papers = _papers(lib)
    text = to_jsonl(papers)
    assert text.endswith("\n")
    lines = text.splitlines()
    assert len(lines) == len(papers)
    records = [json.loads(line) for line in lines]
    assert [r["title"] for r in records] == [p.title for p in papers]
    assert all(list(r) == JSON_EXPORT_KEYS for r in records)
    assert json.loads(to_json(papers)) == records


def test_csv_parses_back(lib):
    papers = _papers(lib)
    rows = list(csv.DictReader(io.StringIO(to_csv(papers))))
    assert len(rows) == len(papers)
    assert list(rows[0]) == KEYS
    by_title = {row["title"]: row for row in rows}
    tidepool = by_title[TIDEPOOL]
    assert tidepool["notes"] == 'Line one, with a comma.\nLine two "quoted".'
    assert tidepool["tags"] == "ocean; to-read"
    assert tidepool["sources"] == "daily_papers.txt; messy_daily_papers.txt"
    assert (tidepool["read"], tidepool["starred"], tidepool["upvotes"]) == ("true", "true", "")
    assert tidepool["published"] == "2026-02-02" and tidepool["authors"] == ""
    roq = by_title[ROQ]
    assert roq["authors"] == "Åsa Lindqvist; Tomás O'Reilly-Núñez; Wei Zhang"
    assert (roq["authors_truncated"], roq["has_code"], roq["read"]) == ("true", "false", "false")
    nasty = by_title[NASTY]
    assert nasty["abstract"] == 'An abstract with "quotes", commas, 50% & more; a {brace} and a back\\slash.'
    assert by_title[SKETCH]["score"] == "61.2"


def _entries(text: str) -> list[str]:
    return [e for e in re.split(r"\n(?=@)", text.strip()) if e.strip()]


def _balanced(entry: str) -> bool:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", entry):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _field(entry: str, name: str) -> str:
    match = re.search(rf"^  {name} = \{{(.*)\}},?$", entry, re.MULTILINE)
    assert match, (name, entry)
    return match[1]


def test_bibtex_is_well_formed(lib):
    papers = _papers(lib)
    entries = _entries(to_bibtex(papers))
    assert len(entries) == len(papers)
    keys = []
    for entry in entries:
        match = re.match(r"@misc\{([A-Za-z0-9]+),\n", entry)
        assert match, entry
        keys.append(match[1])
        assert _balanced(entry), entry
        assert entry.rstrip().endswith("}")
        for name in ("title", "abstract"):
            # Every TeX special character is escaped, outside inline math ("Param$Δ$").
            value = re.sub(r"(?<!\\)\$[^$]+(?<!\\)\$", "", _field(entry, name))
            assert not re.search(r"(?<!\\)[&%$#_]", value), (name, value)
            assert "~" not in value and "^" not in value.replace(r"\textasciicircum{}", "")
    assert len(keys) == len(set(keys)), "citation keys must be unique"


def test_bibtex_escapes_special_characters(lib):
    (nasty,) = [p for p in _papers(lib) if p.title == NASTY]
    entry = to_bibtex([nasty])
    title = _field(entry, "title")
    assert title == (
        r"{Costs \& Benefits: 100\% of \{Braces\}\_and \#tags, \$5 \textasciitilde{} "
        r"A\textasciicircum{}2 \textbackslash{} more}"
    )
    assert _field(entry, "author") == r"Zoë D'Arcy and Bob\_Smith \& Co"
    assert _field(entry, "abstract").endswith(r"a \{brace\} and a back\textbackslash{}slash.")
    assert _field(entry, "year") == "2025"
    assert re.search(r"^  month = feb,?$", entry, re.MULTILINE), entry  # the macro, not {2}


def test_bibtex_keeps_inline_math_as_math(lib):
    (sketch,) = [p for p in _papers(lib) if p.title == SKETCH]
    assert _field(to_bibtex([sketch]), "title") == "{Gradient Sketching with Param$Δ$}"


def test_bibtex_authors_and_organisations(lib):
    papers = {p.title: p for p in _papers(lib)}
    roq = to_bibtex([papers[ROQ]])
    assert _field(roq, "author") == "Åsa Lindqvist and Tomás O'Reilly-Núñez and Wei Zhang and others"
    tidepool = to_bibtex([papers[TIDEPOOL]])
    assert _field(tidepool, "author") == "{Ocean Lab Kiel}"
    moss = to_bibtex([papers["Moss: Tiny Vision Transformers for Lichen Identification"]])
    assert "author =" not in moss and "year =" not in moss


def test_bibtex_keys_stay_unique_for_lookalike_papers():
    from tuireader.models import Paper

    def make(title: str) -> Paper:
        return Paper(
            id=1, title=title, abstract="A.", authors=["Ada Lovelace"], authors_truncated=False,
            author_count=1, organization=None, org_handle=None, published="2025-01-01",
            published_raw=None, upvotes=None, has_code=None, category=None, score=None,
            read=False, starred=False, notes=None, added_at="2025-01-01T00:00:00+00:00",
        )  # fmt: skip

    entries = _entries(to_bibtex([make("Engines of Analysis"), make("Engines of Difference")]))
    keys = [re.match(r"@misc\{([^,]+),", e)[1] for e in entries]
    assert len(set(keys)) == 2


def test_markdown_is_one_item_a_paper(lib):
    papers = _papers(lib)
    text = to_markdown(papers)
    lines = text.splitlines()
    assert len(lines) == len(papers)
    assert all(line.startswith("- **") for line in lines)
    tidepool = next(line for line in lines if TIDEPOOL in line)
    assert tidepool == f"- **{TIDEPOOL}** — Ocean Lab Kiel — 2026-02-02 `#ocean` `#to-read`"
    roq = next(line for line in lines if ROQ in line)
    assert "Åsa Lindqvist, Tomás O'Reilly-Núñez et al." in roq and "2024-10-04" in roq


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_ends_with_a_newline(lib, fmt):
    text = export(_papers(lib), fmt)
    assert text.endswith("\n") and not text.endswith("\n\n\n")
