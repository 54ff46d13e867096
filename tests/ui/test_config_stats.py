"""Issue 10, the features: config file, provenance, stats, highlights, typo-forgiving names,
reverse sorts; and the command line's small fixes (stats columns, search lines, config)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.app_helpers import (
    AGENTS,
    KESTREL,
    LANTERN,
    TODAY,
    build_library,
    import_fixtures,
    make_app,
    settle,
)
from tests.flows_helpers import (
    ORDER,
    abstract_text,
    goto,
    rendered_text,
    search,
    shown_titles,
)
from tuireader.cli import main
from tuireader.config import DEFAULT_TEXT, config_file, load_config
from tuireader.library import Library
from tuireader.screens.main import MainScreen
from tuireader.search import Searcher

SIZE = (120, 40)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return build_library(tmp_path)


def run(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def write_config(text: str) -> Path:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- the config file ---------------------------------------------------------------------------
def test_config_lives_in_the_config_folder_and_is_written_only_on_request():
    code, out, _ = run("path", "--config")
    assert code == 0 and Path(out.strip()) == config_file()
    assert Path(os.environ["TUIREADER_HOME"]) in config_file().parents  # never the user's own
    assert not config_file().exists()
    code, out, _ = run("config")  # checking writes nothing
    assert code == 0 and "config --init" in out and not config_file().exists()
    code, out, _ = run("config", "--init")
    assert code == 0 and config_file().read_text() == DEFAULT_TEXT
    code, _, err = run("config", "--init")  # never over a file
    assert code == 1 and "exists" in err
    assert run("config")[0] == 0


def test_the_commented_default_reads_as_defaults():
    config, problems = load_config(write_config(DEFAULT_TEXT))
    assert problems == []
    assert (config.theme, config.web_search_url, config.keys) == (None, None, {})
    # Every setting it mentions, uncommented, is understood.
    uncommented = "\n".join(
        line[2:] if re.match(r"# [\w-]+ = ", line) else line for line in DEFAULT_TEXT.splitlines()
    )
    config, problems = load_config(write_config(uncommented))
    assert problems == []
    assert config.theme == "textual-dark" and config.date_format == "%d %b %Y"
    assert config.keys["toggle-star"] == "s,f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('theme = "nord"\ndate_format = 7\n', ["line 2", "date_format", "string"]),
        ('web_search_url = "https://x.org/?q="\n', ["line 1", "web_search_url", "{query}"]),
        ('date_format = "plain"\n', ["line 1", "date_format", "%Y"]),
        ('\n\ncolour = "red"\n', ["line 3", "colour", "unknown key"]),
        ("[keys]\n\ntoggle-read = 5\n", ["line 3", "keys.toggle-read"]),
        ('theme = "nord\n', ["line 1", "theme"]),  # not TOML at all
    ],
)
def test_a_bad_config_is_one_line_naming_key_and_line(text: str, expected: list[str]):
    _, problems = load_config(write_config(text))
    assert len(problems) == 1
    assert "\n" not in problems[0]
    for part in expected:
        assert part in problems[0], (part, problems[0])
    code, _, err = run("config")
    assert code == 1 and err.count("\n") == 1


async def test_config_sets_theme_keys_dates_and_web_search(library: Path, monkeypatch):
    write_config(
        'theme = "textual-light"\ndate_format = "%d %b %Y"\n'
        'web_search_url = "https://example.org/find?q={query}"\n'
        '[keys]\ntoggle-star = "f"\n'
    )
    monkeypatch.setenv("SSH_CONNECTION", "1 2 3 4")  # the URL is shown, not opened
    monkeypatch.delenv("TUIREADER_SEARCH_URL", raising=False)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"
        assert app.config_problems == []
        await goto(pilot, AGENTS)
        await pilot.press("f")
        with Library.open(library) as other:
            assert other.get_paper(app.screen.papers.current_id).starred
        row = "".join(s.text for s in app.screen.papers.render_line(0))
        assert "12 Aug 2025" in row  # the date column, in the configured format
        assert "12 Aug 2025" in abstract_text(app)
        await pilot.press("w")
        await settle(pilot)
        assert app.screen.url.startswith("https://example.org/find?q=Self-Correcting")


async def test_a_bad_config_still_starts_the_reader_and_says_why(library: Path):
    write_config('theme = "no-such-theme"\n[keys]\nno-such-binding = "x"\n')
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.theme == "textual-dark"
        assert len(app.config_problems) == 2
        theme, key = app.config_problems
        assert "line 1" in theme and "theme" in theme and "no-such-theme" in theme
        assert "line 3" in key and "no-such-binding" in key
        shown = [n.message for n in app._notifications]  # noqa: SLF001
        assert shown == app.config_problems


def test_every_binding_has_an_id():
    from tuireader.screens.keys import binding_sections

    for title, bindings in binding_sections()[1:]:  # (General: a summary, no bindings)
        for binding in bindings:
            assert binding.id, (title, binding.key)


# -- provenance ----------------------------------------------------------------------------------
async def test_the_pane_and_the_reading_view_show_where_a_paper_was_seen(library: Path):
    with Library.open(library) as lib:
        import_fixtures(lib, ["daily_papers_later.txt"])
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, LANTERN)
        for where in ("pane", "reading view"):
            text = abstract_text(app)
            assert "seen in 2 dumps" in text, where
            first, second = text.index("daily_papers.txt ·"), text.index("daily_papers_later.txt")
            assert first < second  # oldest first
            assert "page of 2025-04-09 · 7 comments" in text
            assert "page of 2025-04-16 · 19 comments" in text
            await pilot.press("enter")
            await settle(pilot)


# -- stats ---------------------------------------------------------------------------------------
async def test_stats_view_counts_reading_and_imports_per_week(library: Path):
    from tuireader.screens.stats import StatsScreen

    app = make_app(library)
    app.today = dt.date.today  # the papers are read now, below
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for title in (AGENTS, KESTREL, LANTERN):
            await goto(pilot, title)
            await pilot.press("r")
        await pilot.press("percent_sign")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        read = app.screen.query_one("#read-chart")
        # The two papers read while the fixtures were built were read a year ago: not this week.
        assert read.values[-1] == 3
        text = str(app.screen.query_one("#backlog", Static).render())
        assert "9 unread of 14 papers" in text
        tags = rendered_text(app.screen.query_one("#stats-tags", Static).content)
        assert "#quantisation" in tags
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Stats" in commands


def test_activity_weeks_are_counted_from_monday(library: Path):
    with Library.open(library) as lib:
        activity = lib.activity(weeks=4, today=TODAY + dt.timedelta(days=6))
    assert [w.monday for w in activity.read] == [
        dt.date(2025, 11, 10), dt.date(2025, 11, 17), dt.date(2025, 11, 24), dt.date(2025, 12, 1)
    ]  # fmt: skip
    assert [w.count for w in activity.read] == [0, 0, 0, 2]  # the two read in build_library
    assert [w.count for w in activity.imported] == [0, 0, 0, 14]
    assert (activity.unread, activity.papers) == (12, 14)


# -- highlights, names, reverse sorts ----------------------------------------------------------
async def test_matches_are_highlighted_in_the_abstract_and_the_reading_view(library: Path):
    from tuireader.widgets.abstract_pane import AbstractPane

    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "anchor")
        await pilot.press("enter")
        for _ in range(2):  # the pane, then the reading view
            pane = app.screen.query_one(AbstractPane)
            text = pane._text  # noqa: SLF001
            start = text.plain.index("anchor tokens")
            styled = [s for s in text.spans if s.start == start and s.end == start + 6]
            assert styled and styled[0].style.underline, text.spans
            await pilot.press("enter")
            await settle(pilot)


def test_author_and_org_forgive_typos(library: Path):
    with Library.open(library) as lib:
        searcher = Searcher(lib)
        titles = {row.id: row.title for row in lib.rows(lib.ordered_ids())}
        assert [titles[i] for i in searcher.search("author:watanabee").ids] == [AGENTS]
        assert [titles[i] for i in searcher.search("author:watanabe").ids] == [AGENTS]
        assert [titles[i] for i in searcher.search("org:kestral").ids] == [KESTREL]
        assert searcher.search("author:qqqqzzz").ids == []
        assert AGENTS not in [titles[i] for i in searcher.search("-author:watanabe").ids]


async def test_every_sort_reverses(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("O")
        await settle(pilot)
        titles = shown_titles(app)
        dated = [t for t in ORDER[:10]]
        assert titles[:10] == dated[::-1]  # oldest first, undated still last
        assert set(titles[10:]) == set(ORDER[10:])
        status = str(app.screen.query_one("#status", Static).render())
        assert "date, oldest first" in status
        await pilot.press("o")  # the next sort, in its usual direction
        await settle(pilot)
        assert app.screen.sort == "upvotes"
        await pilot.press("O")
        await settle(pilot)
        with Library.open(library) as lib:
            upvotes = [lib.get_paper(i).upvotes for i in app.screen.papers.ids]
        known = [u for u in upvotes if u is not None]
        assert known == sorted(known) and upvotes[: len(known)] == known  # None last
        await pilot.press("o", "O")  # comments, fewest first
        await settle(pilot)
        with Library.open(library) as lib:
            comments = [lib.get_paper(i).comments for i in app.screen.papers.ids]
        known = [c for c in comments if c is not None]
        assert known and known == sorted(known) and comments[: len(known)] == known
        assert shown_titles(app)[0] == LANTERN  # 7 comments, the fewest
        await pilot.press("o", "O")
        await settle(pilot)
        assert shown_titles(app) == sorted(ORDER, key=str.casefold, reverse=True)


async def test_a_reversed_sort_is_remembered(library: Path):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("O")
        await settle(pilot)
        await pilot.press("q")
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.sort == "-date"
        assert shown_titles(app)[0] == "WHAT IS RETRIEVAL FOR?"  # the oldest dated paper


# -- the command line ----------------------------------------------------------------------------
def test_cli_stats_columns_line_up(library: Path):
    code, out, _ = run("--library", library, "stats")
    assert code == 0
    columns = {line.index(line.split()[-1]) for line in out.splitlines()[1:7]}
    assert len(columns) == 1, out


def test_cli_search_lines_never_end_in_a_bare_dash(tmp_path: Path, fixtures: Path):
    path = tmp_path / "lib.db"
    assert run("--library", path, "import", fixtures / "listing.txt")[0] == 0
    code, out, _ = run("--library", path, "search", "benchmarks")
    assert code == 0 and out.strip()
    for line in out.splitlines():
        assert not line.rstrip().endswith("—"), line


async def test_the_readme_config_example_is_understood(library: Path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", readme, re.DOTALL)[1]
    config, problems = load_config(write_config(example))
    assert problems == [] and config.keys
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.config_problems == []
        assert app.theme == config.theme
