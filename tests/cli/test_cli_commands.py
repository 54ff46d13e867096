"""The command line: import, export and search."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli_helpers import (
    KEYS,
    MOSS,
    TIDEPOOL,
    _one_line_error,
    run,
)
from tests.helpers import JSON_EXPORT_KEYS, snapshot
from tuireader.library import Library


@pytest.fixture
def imported(lib_path, fixtures) -> Path:
    """A library holding daily_papers.txt, author_page.txt and listing.txt (14 papers)."""
    code, _, _ = run(
        "--library", lib_path, "import",
        fixtures / "daily_papers.txt", fixtures / "author_page.txt", fixtures / "listing.txt",
    )  # fmt: skip
    assert code == 0
    return lib_path


@pytest.fixture
def lib_path(tmp_path) -> Path:
    return tmp_path / "lib.db"


# -- import -----------------------------------------------------------------------------------


def test_import_prints_one_summary_line_per_file(lib_path, fixtures):
    code, out, err = run(
        "--library", lib_path, "import", fixtures / "daily_papers.txt", fixtures / "author_page.txt"
    )
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "daily_papers.txt: 6 papers (daily-papers): 6 new, 0 merged, 0 unchanged",
        "author_page.txt: 5 papers (author-page): 5 new, 0 merged, 0 unchanged",
    ]
    with Library.open(lib_path) as library:
        assert library.count() == 11


def test_import_exits_1_when_a_file_is_rejected_and_imports_the_others(lib_path, fixtures, tmp_path):
    code, out, err = run(
        "--library", lib_path, "import",
        fixtures / "daily_papers.txt", fixtures / "empty.txt", fixtures / "binary.bin",
        tmp_path / "missing.txt", fixtures / "listing_bare.txt",
    )  # fmt: skip
    assert code == 1
    assert out.splitlines() == [
        "daily_papers.txt: 6 papers (daily-papers): 6 new, 0 merged, 0 unchanged",
        "listing_bare.txt: 2 papers (listing): 2 new, 0 merged, 0 unchanged",
    ]
    errors = err.splitlines()
    assert len(errors) == 3
    assert errors[0] == "tuireader: empty.txt: rejected: the file is empty"
    assert errors[1].startswith("tuireader: binary.bin: rejected: ") and "binary" in errors[1]
    assert errors[2] == "tuireader: missing.txt: rejected: no such file"
    with Library.open(lib_path) as library:
        assert library.count() == 8


def test_import_prints_warnings_under_the_summary(lib_path, fixtures):
    code, out, _ = run("--library", lib_path, "import", fixtures / "missing_abstract_daily_papers.txt")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "missing_abstract_daily_papers.txt: 2 papers (daily-papers): 2 new, 0 merged, 0 unchanged,"
        " 1 skipped"
    )
    assert lines[1].startswith("  warning: line 13: ")
    assert "An Orphaned Title Without Its Abstract" in lines[1]
    assert len(lines) == 2


def test_reimport_says_nothing_changed(imported, fixtures):
    before = snapshot(imported)
    code, out, _ = run("--library", imported, "import", fixtures / "daily_papers.txt")
    assert code == 0
    assert out.strip() == (
        "daily_papers.txt: 6 papers (daily-papers): 0 new, 0 merged, 6 unchanged"
        " [already imported, nothing changed]"
    )
    assert snapshot(imported) == before


def test_dry_run_writes_nothing_to_an_existing_library(imported, fixtures):
    before = snapshot(imported)
    code, out, _ = run("--library", imported, "import", "--dry-run", fixtures / "listing_bare.txt")
    assert code == 0
    assert out.strip() == (
        "listing_bare.txt: 2 papers (listing): 2 new, 0 merged, 0 unchanged"
        " [dry run, nothing written]"
    )
    assert snapshot(imported) == before


def test_dry_run_does_not_create_a_library(tmp_path, fixtures):
    path = tmp_path / "new" / "lib.db"
    code, out, _ = run("--library", path, "import", "--dry-run", fixtures / "author_page.txt")
    assert code == 0
    assert "5 new" in out and "dry run" in out
    assert not path.exists() and not path.parent.exists()


def test_year_override_changes_resolved_dates(lib_path, fixtures):
    assert run("--library", lib_path, "import", "--year", "2020", fixtures / "daily_papers.txt")[0] == 0
    _, out, _ = run("--library", lib_path, "export", "-f", "json")
    records = {r["title"]: r for r in json.loads(out)}
    assert records[TIDEPOOL]["published"] == "2020-02-02"
    assert records["Kestrel-7B Technical Report"]["published"] == "2020-04-08"
    assert records["Q-Ferry: Quantised Transport Plans"]["published"] == "2024-11-05"


def test_without_year_the_dates_follow_the_page(lib_path, fixtures):
    run("--library", lib_path, "import", fixtures / "daily_papers.txt")
    _, out, _ = run("--library", lib_path, "export")
    records = {r["title"]: r for r in json.loads(out)}
    # The page prints 2025 and 2024 for older dates, so it was saved in 2026.
    assert records[TIDEPOOL]["published"] == "2026-02-02"


# -- export -----------------------------------------------------------------------------------


def test_export_formats_to_stdout(imported):
    code, out, _ = run("--library", imported, "export", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert len(records) == 14 and all(list(r) == JSON_EXPORT_KEYS for r in records)

    _, out, _ = run("--library", imported, "export", "-f", "jsonl")
    assert [json.loads(line)["title"] for line in out.splitlines()] == [r["title"] for r in records]

    _, out, _ = run("--library", imported, "export", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 14 and list(rows[0]) == KEYS

    _, out, _ = run("--library", imported, "export", "-f", "bibtex")
    assert out.count("@misc{") == 14

    _, out, _ = run("--library", imported, "export", "-f", "markdown")
    assert len(out.splitlines()) == 14 and all(line.startswith("- **") for line in out.splitlines())


def test_export_with_a_query(imported):
    _, out, _ = run("--library", imported, "export", "-q", "year:2024")
    assert sorted(r["title"] for r in json.loads(out)) == [
        "Q-Ferry: Quantised Transport Plans",
        "ROQ: Rotary Quantisation for Pocket-Sized Speech Models",
    ]
    _, out, _ = run("--library", imported, "export", "--query", "wasserstein", "-f", "jsonl")
    assert [json.loads(line)["title"] for line in out.splitlines()] == [
        "Q-Ferry: Quantised Transport Plans"
    ]


def test_export_to_a_file(imported, tmp_path):
    target = tmp_path / "out.csv"
    code, out, err = run("--library", imported, "export", "-f", "csv", "-o", target)
    assert code == 0 and out == ""
    assert err.strip() == f"wrote 14 papers to {target}"
    assert len(list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))) == 14


def test_export_to_an_unwritable_place_is_a_one_line_error(imported, tmp_path):
    code, out, err = run("--library", imported, "export", "-o", tmp_path / "no" / "such" / "dir.json")
    assert code == 2 and out == ""
    assert "dir.json" in _one_line_error(err)


def test_an_unknown_format_is_refused_by_the_parser(imported, capsys):
    with pytest.raises(SystemExit) as info:
        run("--library", imported, "export", "-f", "yaml")
    assert info.value.code == 2
    assert "yaml" in capsys.readouterr().err


# -- search -----------------------------------------------------------------------------------


def test_search_lists_results_with_a_count(imported):
    code, out, err = run("--library", imported, "search", "transformers")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert MOSS in lines[0] and TIDEPOOL in lines[1]  # title match first
    assert "2026-02-02" in lines[1] and "Ocean Lab Kiel" in lines[1]
    assert err.strip() == "2 of 2 matching papers"


def test_search_limit(imported):
    code, out, err = run("--library", imported, "search", "transformers", "--limit", "1")
    assert code == 0
    assert len(out.splitlines()) == 1 and MOSS in out
    assert err.strip() == "1 of 2 matching papers"


def test_search_words_are_joined_into_one_query(imported):
    _, out, _ = run("--library", imported, "search", "org:oceanlab", "benchmark")
    assert len(out.splitlines()) == 1 and TIDEPOOL in out


def test_search_json(imported):
    code, out, _ = run("--library", imported, "search", "--json", "--limit", "5", "quanti")
    assert code == 0
    records = json.loads(out)
    assert 2 <= len(records) <= 5
    assert all(list(r) == KEYS for r in records)
    assert {"Q-Ferry: Quantised Transport Plans", "ROQ: Rotary Quantisation for Pocket-Sized Speech Models"} <= {
        r["title"] for r in records
    }


def test_search_with_no_match(imported):
    code, out, err = run("--library", imported, "search", "zzyzx")
    assert (code, out, err.strip()) == (0, "", "0 of 0 matching papers")


@pytest.mark.parametrize(
    ("query", "words"),
    [('lantern "sparse', "quote"), ("venue:neurips", "venue"), ("is:maybe", "is:maybe")],
)
def test_a_malformed_query_is_a_one_line_error(imported, query, words):
    code, out, err = run("--library", imported, "search", query)
    assert code == 2 and out == ""
    assert words in _one_line_error(err)
    code, out, err = run("--library", imported, "export", "-q", query)
    assert code == 2 and out == ""
    _one_line_error(err)
