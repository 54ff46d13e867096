"""arXiv pages through the command line, as a user imports, searches and exports them: the two
real /new pages in ../shared/real-pages (skipped where absent) and our own fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run
from tests.dumps.test_arxiv_real_pages import PRICING, PRICING_ENTRIES, TRADING, TRADING_ENTRIES

VOLTERRA = "Pricing and Hedging of Discretely Monitored Asian Options in the Volterra-Heston Model"
WHISTLED = "Whistled Languages as a Benchmark for Pitch Trackers: Silbo Gomero, Kuşköy and Aas"


@pytest.fixture
def lib_path(tmp_path) -> Path:
    return tmp_path / "lib.db"


@pytest.mark.real_pages
def test_both_real_pages_import_and_every_entry_is_found_by_its_names(lib_path, real_pages):
    code, out, err = run("--library", lib_path, "import", real_pages / PRICING, real_pages / TRADING)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{PRICING}: 7 papers (arxiv): 7 new, 0 merged, 0 unchanged",
        f"{TRADING}: 7 papers (arxiv): 7 new, 0 merged, 0 unchanged",
    ]
    for seen in PRICING_ENTRIES + TRADING_ENTRIES:
        surname = seen.authors[-1].split()[-1]
        code, out, _ = run("--library", lib_path, "search", f'author:"{surname}"', "--json")
        assert code == 0
        found = {record["arxiv_id"]: record for record in json.loads(out)}
        record = found[seen.arxiv_id]
        assert (record["title"], record["authors"]) == (seen.title, seen.authors)
        assert (record["category"], record["subjects"]) == (seen.subjects.split()[0], seen.subjects)
        assert record["journal_ref"] == seen.journal_ref
        # an author's name never became a title: searching the title finds the same paper
        code, out, _ = run("--library", lib_path, "search", f'"{seen.title}"', "--json")
        assert seen.arxiv_id in {r["arxiv_id"] for r in json.loads(out)}
    code, out, _ = run("--library", lib_path, "import", real_pages / PRICING)
    assert out.startswith(f"{PRICING}: 7 papers (arxiv): 0 new, 0 merged, 7 unchanged")


@pytest.mark.real_pages
def test_a_real_page_exports_its_papers_with_their_own_fields(lib_path, real_pages, tmp_path):
    assert run("--library", lib_path, "import", real_pages / PRICING)[0] == 0
    out_file = tmp_path / "refs.bib"
    code, _, _ = run("--library", lib_path, "export", "-q", "Custers", "-o", out_file)
    assert code == 0
    bibtex = out_file.read_text(encoding="utf-8")
    assert f"title = {{{{{VOLTERRA}}}}}" in bibtex
    assert "author = {Gijs Custers and Sven Karbach and Martin Friesen}" in bibtex
    assert bibtex.startswith("@misc{custers2026pricing,")
    code, out, _ = run("--library", lib_path, "export", "-f", "json", "-q", "Forsyth")
    (record,) = json.loads(out)
    assert record["journal_ref"] == "SIAM.J.Finan.Math. 6.1 (2015) 117-139"
    assert record["arxiv_comments"].startswith("Fixed conditioning typo")


def _hugging_face_page(fixtures, title: str) -> str:
    """Our Hugging Face page with its first paper renamed ``title``."""
    page = (fixtures / "current_daily_papers.txt").read_text(encoding="utf-8")
    return page.replace("Marigold Fields: Dense Depth Estimation from Flower Photographs", title)


@pytest.mark.parametrize("arxiv_first", [True, False], ids=["arxiv-first", "hugging-face-first"])
def test_a_paper_on_arxiv_and_on_hugging_face_is_one_paper(lib_path, fixtures, tmp_path, arxiv_first):
    hf = tmp_path / "daily.txt"
    hf.write_text(_hugging_face_page(fixtures, WHISTLED.lower()), encoding="utf-8")
    files = [fixtures / "arxiv_new_accents.txt", hf]
    for path in files if arxiv_first else files[::-1]:
        assert run("--library", lib_path, "import", path)[0] == 0
    code, out, _ = run("--library", lib_path, "search", "Kuşçu", "--json")
    (record,) = json.loads(out)  # one paper, found by a name only the arXiv page gave
    assert (record["arxiv_id"], record["category"], record["subjects"]) == (
        "2609.06001", "eess.AS", "eess.AS cs.CL cs.SD",
    )  # fmt: skip
    assert record["upvotes"] == 214  # from the Hugging Face page
    assert len(record["authors"]) == 16  # every name, the arXiv page's (it names more)
    assert sorted(record["sources"]) == sorted(["arxiv_new_accents.txt", "daily.txt"])


def test_an_entry_that_cannot_be_read_is_one_warning_line_with_its_id(lib_path, tmp_path):
    page = tmp_path / "new.txt"
    page.write_text(
        "Showing new listings for Monday, 2 June 2025\n"
        "[1] arXiv:2506.00001 [pdf]\nA Good Title\nAda Lovelace\nSubjects: Machine Learning (cs.LG)\n"
        "[2] arXiv:2506.00002 [pdf]\nA Title\nwhich goes on \x1b[31mhere\nSubjects: Machine Learning (cs.LG)\n",
        encoding="utf-8",
    )
    code, out, _ = run("--library", lib_path, "import", page)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("new.txt: ") and lines[0].endswith(": 1 new, 0 merged, 0 unchanged, 1 skipped")
    assert lines[1:] == [
        "  warning: line 8: skipped arXiv:2506.00002: line 8 after its title does not read as an"
        " author list"
    ]


def test_the_arxiv_fields_travel_by_json_import_and_by_merge(tmp_path, fixtures):
    source, by_json, by_merge = (tmp_path / f"{name}.db" for name in ("source", "json", "merge"))
    assert run("--library", source, "import", fixtures / "arxiv_new_accents.txt")[0] == 0
    export = tmp_path / "all.jsonl"
    assert run("--library", source, "export", "-o", export)[0] == 0
    assert run("--library", by_json, "import", export)[0] == 0
    assert run("--library", by_merge, "merge", source)[0] == 0
    wanted = {
        ("2609.06001", "eess.AS", "eess.AS cs.CL cs.SD",
         "11 pages; recordings and code at this https URL", None),
        ("2609.05877", "cs.CL", "cs.CL eess.AS", None, None),
        ("2407.11223", "eess.AS", "eess.AS", None,
         "Invented Journal of Phonetics 41 (2025) 200-219"),
    }  # fmt: skip
    for library in (source, by_json, by_merge):
        code, out, _ = run("--library", library, "search", "has:arxiv", "--json")
        assert code == 0
        got = {
            (r["arxiv_id"], r["category"], r["subjects"], r["arxiv_comments"], r["journal_ref"])
            for r in json.loads(out)
        }
        assert got == wanted, library.name
