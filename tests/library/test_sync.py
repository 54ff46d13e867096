"""Merging two libraries that diverged (issue 14): outcome, idempotence, symmetry, one
transaction, undo as one step, dry run, conflicts; the JSON round trip.

The two libraries share a base (one file copied with the backup API), then each goes its own
way under a clock that ticks once per call, so "later" is the order of the calls below.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import dump, paper, snapshot
from tuireader.library import Library, LibraryError
from tuireader.library.sync import SyncMixin
from tuireader.library.sync_read import records_from_export

P = {n: f"Paper {name}: a study of {name.lower()} things" for n, name in enumerate(
    ["Alder", "Birch", "Cedar", "Damson", "Elder", "Fir", "Gorse", "Hazel"], start=1)}  # fmt: skip
NA1 = "Quokka Models for Sparse Things"
NB1 = "Quokka Models for Dense Things"
NB2 = "Wombat Burrows as Graphs"


class Clock:
    """ISO times one second apart, one per call."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"2026-03-01T{self.n // 3600:02d}:{self.n // 60 % 60:02d}:{self.n % 60:02d}+00:00"


@pytest.fixture
def clock(monkeypatch):
    tick = Clock()
    for module in ("journal", "merge", "sync"):
        monkeypatch.setattr(f"tuireader.library.{module}.now", tick)
    return tick


def add(library: Library, result, file: str):
    digest = hashlib.sha256(file.encode()).hexdigest()
    return library.add_dump(result, file=file, path=f"/dumps/{file}", sha256=digest)


def ids(library: Library) -> dict[str, int]:
    return {row[1]: row[0] for row in library.query("SELECT id, title FROM papers")}


def diverged(tmp_path: Path) -> tuple[Path, Path]:
    """Two libraries from one base, diverged in every way the issue lists."""
    a_path, b_path = tmp_path / "a.db", tmp_path / "b.db"
    with Library.open(a_path) as a:
        add(a, dump(*(paper(t, comments=3) for t in P.values()), page_date="2026-01-01"), "base.txt")
        i = ids(a)
        a.set_read([i[P[1]]])
        a.add_tag([i[P[4]]], "llm")
        a.add_tag([i[P[2]]], "todo")
        a.add_tag([i[P[6]]], "keep")
        a.set_note(i[P[3]], "base note")
        a.set_note(i[P[5]], "base5")
        a.backup_to(b_path)
    with Library.open(a_path) as a, Library.open(b_path) as b:
        i = ids(a)
        assert ids(b) == i
        add(a, dump(paper(NA1, authors=["Ada Lovelace"], published="2026-02-02"),
                    paper(P[3], comments=9), page_date="2026-02-01"), "a-only.txt")  # fmt: skip
        add(b, dump(paper(NB1, authors=["Ada Lovelace"], published="2026-02-03"),
                    paper(NB2, authors=["Grace Hopper"], published="2026-02-04"),
                    paper(P[8], arxiv_id="2601.00001", organization="Org B"),
                    paper(P[3], comments=5), page_date="2026-01-15"), "b-only.txt")  # fmt: skip
        b.set_starred([i[P[3]]])
        a.set_read([i[P[1]]], False)  # unread after read is a change too
        b.set_read([i[P[2]]])
        a.add_tag([i[P[5]]], "vision")
        a.remove_tag([i[P[4]]], "llm")
        b.remove_tag([i[P[6]]], "keep")
        a.remove_tag([i[P[2]]], "todo")
        b.remove_tag([i[P[2]]], "todo")
        b.add_tag([i[P[2]]], "todo")  # added again, after both removals: it stays
        a.set_note(i[P[3]], "A text")
        b.set_note(i[P[3]], "B text")  # later: wins, and "A text" is a conflict
        a.set_note(i[P[5]], "A5")  # B still has "base5", which A edited: no conflict
        a.set_read([i[P[7]]])
        b.set_read([i[P[7]]])
        assert a.undo() == "read 1 paper"  # undone after B read it: the undo is later
        b.set_starred([i[P[6]]])
        a.set_starred([i[P[6]]])
        b.set_starred([i[P[6]]], False)  # the latest star change of P6: unstarred
        a.set_starred([i[P[8]]])
        a.undo()
        a.redo()  # starred again, by a redo
    return a_path, b_path


#: What both libraries hold once merged, worked out by hand from the rules.
EXPECTED = {
    P[1]: dict(read=0, starred=0, notes=None, tags=()),
    P[2]: dict(read=1, starred=0, notes=None, tags=("todo",)),
    P[3]: dict(read=0, starred=1, notes="B text", tags=(), comments=9),
    P[4]: dict(read=0, starred=0, notes=None, tags=()),
    P[5]: dict(read=0, starred=0, notes="A5", tags=("vision",)),
    P[6]: dict(read=0, starred=0, notes=None, tags=()),
    P[7]: dict(read=0, starred=0, notes=None, tags=()),
    P[8]: dict(read=0, starred=1, notes=None, tags=(), arxiv_id="2601.00001", organization="Org B"),
    NA1: dict(read=0, starred=0, notes=None, tags=()),
    NB1: dict(read=0, starred=0, notes=None, tags=()),
    NB2: dict(read=0, starred=0, notes=None, tags=()),
}


def state(path: Path) -> dict[str, dict]:
    """Every paper's fields and state by title, read through a separate read-only connection."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    out = {}
    for row in conn.execute("SELECT * FROM papers"):
        names = row.keys()
        record = {k: row[k] for k in names if k not in ("id", "first_import", "updated_at")}
        record["tags"] = tuple(sorted(
            r[0] for r in conn.execute("SELECT t.name FROM paper_tags pt JOIN tags t"
                                       " ON t.id = pt.tag_id WHERE pt.paper_id = ?", (row["id"],))))  # fmt: skip
        record["sightings"] = sorted(map(tuple, conn.execute(
            "SELECT i.sha256, i.imported_at, i.file, s.line, s.upvotes, s.comments"
            " FROM sightings s JOIN imports i ON i.id = s.import_id WHERE s.paper_id = ?",
            (row["id"],)).fetchall()))  # fmt: skip
        out[row["title"]] = record
    conn.close()
    return out


def outcome(path: Path) -> dict[str, dict]:
    """What must agree between the two sides: fields and state (not the *_at times or keys)."""
    keep = ("read", "starred", "notes", "tags", "comments", "arxiv_id", "organization",
            "sightings", "abstract", "authors", "published", "added_at")  # fmt: skip
    return {t: {k: r[k] for k in keep} for t, r in state(path).items()}


def check_expected(path: Path) -> None:
    got = state(path)
    assert set(got) == set(EXPECTED)
    for title, want in EXPECTED.items():
        for key, value in want.items():
            assert got[title][key] == value, (path.name, title, key)


def merge_file(into: Path, other: Path, **kwargs):
    with Library.open(into) as library:
        return library.merge_from(library.read_other(other), source=other.name, **kwargs)


def test_both_directions_give_the_expected_papers_and_state(tmp_path, clock):
    a, b = diverged(tmp_path)
    first = merge_file(a, b)
    assert (first.new, first.imports) == (2, 1)  # NB1, NB2; b-only.txt
    assert [(c.title, c.kept, c.lost, c.loser) for c in first.conflicts] == [
        (P[3], "B text", "A text", "this library")
    ]
    check_expected(a)
    second = merge_file(b, a)
    assert second.new == 1 and not second.conflicts  # NA1; "A text" is in A's history now
    check_expected(b)
    assert outcome(a) == outcome(b)


def test_merging_is_symmetric_in_outcome(tmp_path, clock):
    """A<-B gives the same library as B<-A (each from the diverged pair)."""
    a, b = diverged(tmp_path)
    a2, b2 = tmp_path / "a2.db", tmp_path / "b2.db"
    for source, target in ((a, a2), (b, b2)):
        with Library.open(source) as library:
            library.backup_to(target)
    merge_file(a, b)
    report = merge_file(b2, a2)
    assert [(c.kept, c.lost, c.loser) for c in report.conflicts] == [("B text", "A text", "OTHER")]
    assert outcome(a) == outcome(b2)


def test_merging_the_same_other_twice_changes_nothing(tmp_path, clock):
    a, b = diverged(tmp_path)
    merge_file(a, b)
    before = snapshot(a)
    again = merge_file(a, b)
    assert not again.changed and not again.conflicts and again.state == 0
    assert snapshot(a) == before  # not even a journal entry
    merge_file(b, a)
    before_b = snapshot(b)
    assert not merge_file(b, a).changed and not merge_file(a, b).changed
    assert snapshot(b) == before_b


def test_citation_keys_never_change_and_a_colliding_new_key_gets_a_suffix(tmp_path, clock):
    a, b = diverged(tmp_path)
    keys_a, keys_b = (
        {t: r["cite_key"] for t, r in state(p).items()} for p in (a, b)
    )
    assert keys_a[NA1] == keys_b[NB1] == "lovelace2026quokka"  # one key, two papers
    merge_file(a, b)
    merge_file(b, a)
    after_a = {t: r["cite_key"] for t, r in state(a).items()}
    after_b = {t: r["cite_key"] for t, r in state(b).items()}
    assert all(after_a[t] == k for t, k in keys_a.items())  # given once, never changed
    assert all(after_b[t] == k for t, k in keys_b.items())
    assert after_a[NB2] == keys_b[NB2]  # a new paper keeps OTHER's key...
    assert after_a[NB1] != keys_b[NB1] and after_a[NB1].startswith("lovelace2026quokka")
    assert len(set(after_a.values())) == len(after_a)  # ...unless that key is taken here


def test_a_merge_is_one_transaction(tmp_path, clock, monkeypatch):
    a, b = diverged(tmp_path)
    before = snapshot(a)
    calls = []
    real = SyncMixin._apply_state

    def failing(self, item, reverse):
        calls.append(item)
        if len(calls) == 3:
            raise RuntimeError("simulated failure midway")
        real(self, item, reverse)

    monkeypatch.setattr(SyncMixin, "_apply_state", failing)
    with pytest.raises(RuntimeError):
        merge_file(a, b)
    assert snapshot(a) == before


def test_dry_run_reports_what_the_merge_would_do_and_writes_nothing(tmp_path, clock):
    a, b = diverged(tmp_path)
    before = snapshot(a)
    dry = merge_file(a, b, dry_run=True)
    assert snapshot(a) == before
    real = merge_file(a, b)
    counts = ("new", "merged", "unchanged", "fields", "sightings", "imports", "state")
    assert [getattr(dry, k) for k in counts] == [getattr(real, k) for k in counts]
    assert dry.conflicts == real.conflicts and "would merge" in dry.summary()


def test_the_losing_note_is_kept_in_the_journal_and_undo_brings_everything_back(tmp_path, clock):
    a, b = diverged(tmp_path)
    before = stable(snapshot(a))
    merge_file(a, b)
    merged = stable(snapshot(a))
    with Library.open(a) as library:
        entry = library.history(1)[0]
        assert entry.action == "merge"
        changes = json.loads(library.query("SELECT changes FROM journal WHERE id = ?",
                                           (entry.id,))[0][0])  # fmt: skip
        lost = [item[1] for c in changes if c["op"] == "merge-conflict" for item in c["items"]]
        assert lost == ["A text"]
        assert library.undo().startswith("merge b.db")
        assert stable(snapshot(a)) == before
        check_fts(library)
        library.redo()
        assert stable(snapshot(a)) == merged
        check_fts(library)


def stable(tables: dict) -> dict:
    """A snapshot without the journal (which keeps the undone entry), FTS shadow tables and the
    count of content writes (undo is one more)."""
    kept = {k: v for k, v in tables.items() if k != "journal" and "_fts_" not in k}
    if "meta" in kept:
        kept["meta"] = [row for row in kept["meta"] if row[0] != "content_version"]
    return kept


def check_fts(library: Library) -> None:
    for table in ("papers_fts", "all_fts"):
        library.conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")


def test_undo_of_a_merge_is_refused_when_a_later_import_saw_its_new_papers(tmp_path, clock):
    a, b = diverged(tmp_path)
    merge_file(a, b)
    with Library.open(a) as library:
        add(library, dump(paper(NB2, comments=1), page_date="2026-04-01"), "later.txt")
        before = snapshot(a)
        with pytest.raises(LibraryError, match="later import"):
            library.undo()
    assert snapshot(a) == before


async def test_undo_of_a_merge_in_the_reader_is_one_step(tmp_path, clock):
    from tests.app_helpers import make_app, settle

    a, b = diverged(tmp_path)
    before = stable(snapshot(a))
    merge_file(a, b)
    merged = stable(snapshot(a))
    app = make_app(a)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert stable(snapshot(a)) == before
        assert "undid: merge b.db" in str(app.screen.query_one("#status").render())
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert stable(snapshot(a)) == merged


def test_the_json_export_round_trips_through_merge_field_by_field(tmp_path, clock):
    """Exporting and merging into an empty library gives back every field and state."""
    from tuireader.export import to_json, to_jsonl

    a, _ = diverged(tmp_path)
    with Library.open(a) as library:
        papers = library.get_papers(sorted(ids(library).values()))
        details = library.sync_details([p.id for p in papers])
        for p in papers:
            p.sync = details[p.id]
        texts = {"jsonl": to_jsonl(papers), "json": to_json(papers)}
    want = state(a)
    for name, text in texts.items():
        target = tmp_path / f"empty-{name}.db"
        with Library.open(target) as library:
            report = library.merge_from(records_from_export(text), source=name)
            assert report.new == len(want)
        got = state(target)
        assert set(got) == set(want)
        for title, record in want.items():
            for key, value in record.items():
                if key != "key":
                    assert got[title][key] == value, (name, title, key)
        # Tags keep the dates they were added; imports every column.
        assert tag_dates(target) == tag_dates(a)
        assert imports(target) == imports(a)


def tag_dates(path: Path) -> set[tuple]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    rows = set(conn.execute("SELECT p.title, t.name, pt.added_at FROM paper_tags pt"
                            " JOIN tags t ON t.id = pt.tag_id JOIN papers p ON p.id = pt.paper_id"))  # fmt: skip
    conn.close()
    return rows


def imports(path: Path) -> set[tuple]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    rows = set(conn.execute("SELECT file, path, sha256, layout, page_date, capture_year,"
                            " imported_at, papers, new, merged, unchanged, skipped, batch"
                            " FROM imports"))  # fmt: skip
    conn.close()
    return rows


def test_a_bad_export_is_refused_with_its_line(tmp_path):
    with pytest.raises(ValueError, match="line 2"):
        records_from_export('{"title": "A good paper title"}\nnot json\n')
    with pytest.raises(ValueError, match="no title"):
        records_from_export('{"abstract": "x"}\n')
    with pytest.raises(ValueError, match="empty"):
        records_from_export("  \n")


def test_merging_a_library_into_itself_is_refused(tmp_path):
    path = tmp_path / "lib.db"
    with Library.open(path) as library, pytest.raises(LibraryError, match="this library"):
        library.read_other(path)
