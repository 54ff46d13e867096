"""One command, one batch: dry runs that tell the truth, the last import, --year, stdin."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from tests.cli_helpers import run
from tests.helpers import snapshot
from tuireader.library import Library


def _counts(out: str) -> list[str]:
    """The "N new, N merged, N unchanged" part of each summary line."""
    return [line.split(": ", 2)[2].split(" [")[0] for line in out.splitlines() if "papers (" in line]


def test_dry_run_reports_exactly_what_the_import_does(tmp_path, fixtures):
    """daily_papers.txt and messy_daily_papers.txt hold the same six papers: the second merges."""
    files = [fixtures / "daily_papers.txt", fixtures / "messy_daily_papers.txt", fixtures / "listing.txt"]
    path = tmp_path / "lib.db"
    assert run("--library", path, "import", fixtures / "author_page.txt")[0] == 0
    before = snapshot(path)
    code, dry, _ = run("--library", path, "import", "--dry-run", *files)
    assert code == 0
    assert snapshot(path) == before
    code, real, _ = run("--library", path, "import", *files)
    assert code == 0
    assert _counts(dry) == _counts(real)
    assert _counts(real)[1] == "0 new, 6 merged, 0 unchanged"


def test_dry_run_of_a_new_library_sees_the_batch_too(tmp_path, fixtures):
    path = tmp_path / "none" / "lib.db"
    files = [fixtures / "daily_papers.txt", fixtures / "cr_daily_papers.txt"]
    code, out, _ = run("--library", path, "import", "--dry-run", *files)
    assert code == 0
    assert _counts(out) == ["6 new, 0 merged, 0 unchanged", "0 new, 6 merged, 0 unchanged"]
    assert not path.exists()


def test_the_last_import_covers_every_file_of_one_command(tmp_path, fixtures):
    path = tmp_path / "lib.db"
    run("--library", path, "import", fixtures / "listing.txt")
    run(
        "--library", path, "import",
        fixtures / "daily_papers.txt", fixtures / "author_page.txt", fixtures / "listing_bare.txt",
    )  # fmt: skip
    with Library.open(path) as library:
        batch = library.last_batch()
        assert [row["file"] for row in batch] == ["daily_papers.txt", "author_page.txt", "listing_bare.txt"]
        from tuireader.search import Searcher

        ids = Searcher(library).search("", extra=[]).ids
        view = "import:" + ",".join(str(row["id"]) for row in batch)
        from tuireader.search import view_clauses

        new = Searcher(library).search("", extra=view_clauses(view)).ids
        assert len(new) == 6 + 5 + 2
        assert len(ids) == 3 + 13


def test_year_again_redates_what_that_dump_dated(tmp_path, fixtures):
    path = tmp_path / "lib.db"
    dump = fixtures / "daily_papers.txt"
    assert run("--library", path, "import", dump)[0] == 0
    code, out, _ = run("--library", path, "import", "--year", "2025", dump)
    assert code == 0
    # Tidepool "Feb 2", Whisker "Mar 30", Kestrel "Apr 8" print no year; the others do
    assert "3 re-dated" in out
    _, exported, _ = run("--library", path, "export")
    records = {r["title"]: r for r in json.loads(exported)}
    assert records["Tidepool: A Benchmark for Estuary Flow Forecasting"]["published"] == "2025-02-02"
    assert records["Kestrel-7B Technical Report"]["published"] == "2025-04-08"
    assert records["Q-Ferry: Quantised Transport Plans"]["published"] == "2024-11-05"
    # the same again changes nothing
    _, again, _ = run("--library", path, "import", "--year", "2025", dump)
    assert "already imported" in again


def test_year_does_not_redate_what_another_dump_dated(tmp_path, fixtures):
    path = tmp_path / "lib.db"
    run("--library", path, "import", fixtures / "daily_papers.txt")
    run("--library", path, "import", "--year", "2020", fixtures / "messy_daily_papers.txt")
    _, exported, _ = run("--library", path, "export")
    records = {r["title"]: r for r in json.loads(exported)}
    assert records["Tidepool: A Benchmark for Estuary Flow Forecasting"]["published"] == "2026-02-02"


@pytest.mark.parametrize("year", ["1989", "3000", "-5", "twenty"])
def test_year_outside_the_range_is_refused(tmp_path, fixtures, year):
    with pytest.raises(SystemExit) as exit_info:
        run("--library", tmp_path / "lib.db", "import", "--year", year, fixtures / "listing.txt")
    assert exit_info.value.code == 2
    assert not (tmp_path / "lib.db").exists()


def test_year_range_ends_next_year(tmp_path, fixtures):
    import datetime as dt

    next_year = dt.date.today().year + 1
    assert run("--library", tmp_path / "a.db", "import", "--year", "1990", fixtures / "listing.txt")[0] == 0
    assert run("--library", tmp_path / "b.db", "import", "--year", next_year, fixtures / "listing.txt")[0] == 0


# -- standard input -----------------------------------------------------------------------------


def test_import_dash_reads_a_pasted_page_from_stdin(tmp_path, fixtures, monkeypatch):
    data = (fixtures / "current_daily_papers.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code, out, err = run("--library", tmp_path / "lib.db", "import", "-")
    assert code == 0, err
    assert out.startswith("stdin 20") and "4 papers (daily-papers): 4 new" in out
    with Library.open(tmp_path / "lib.db") as library:
        (row,) = library.imports()
        assert row["file"].startswith("stdin ") and row["path"] is None


def test_import_dash_refuses_too_much_input(tmp_path, monkeypatch):
    from tuireader import importer

    monkeypatch.setattr(importer, "MAX_PASTE_BYTES", 1000)
    big = ("A Title\n" + "word " * 100 + ".\n") * 10
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(big.encode()), encoding="utf-8"))
    code, _, err = run("--library", tmp_path / "lib.db", "import", "-")
    assert code == 1
    assert "more than" in err and "save it as a file" in err


def test_import_dash_twice_is_refused(tmp_path):
    code, _, err = run("--library", tmp_path / "lib.db", "import", "-", "-")
    assert code == 2 and "only once" in err


def test_import_dash_through_a_real_pipe(tmp_path, fixtures):
    data = (fixtures / "current_search_results.txt").read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "tuireader", "--library", str(tmp_path / "lib.db"), "import", "-"],
        input=data,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert b"3 papers (daily-papers): 3 new" in done.stdout


def test_year_outside_the_range_says_which_range(tmp_path, fixtures, capsys):
    with pytest.raises(SystemExit):
        run("--library", tmp_path / "lib.db", "import", "--year", "1989", fixtures / "listing.txt")
    err = capsys.readouterr().err
    assert err.splitlines()[-1].endswith("argument --year: 1989 is outside 1990.." + str(_next_year()))


def _next_year() -> int:
    import datetime as dt

    return dt.date.today().year + 1
