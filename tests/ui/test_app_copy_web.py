"""Pilot tests: copying through OSC 52 and the web search."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from tests.app_helpers import AGENTS, KESTREL, LANTERN, build_library, make_app
from tests.helpers import dump, paper
from tests.power_helpers import (
    SIZE,
    goto,
    mark_first,
    press,
    started,
    status,
    stored,
    text_of,
)
from tuireader.library import Library
from tuireader.screens.dialogs import CopyMenu, UrlDialog
from tuireader.screens.main import MainScreen


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The decorated fixture library: 14 papers; Lantern starred; ROQ and Whisker read; tags."""
    return build_library(tmp_path)


# -- copying -----------------------------------------------------------------------------------
def capture_osc52(app, monkeypatch) -> list[str]:
    """Record the texts the app sends to the terminal's clipboard (OSC 52), decoded."""
    copied: list[str] = []
    write = app._driver.write

    def spy(data: str) -> None:
        for payload in re.findall(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", data):
            copied.append(base64.b64decode(payload).decode("utf-8"))
        write(data)

    monkeypatch.setattr(app._driver, "write", spy)
    return copied


async def copy_as(pilot, key: str) -> None:
    await press(pilot, "y")
    assert isinstance(pilot.app.screen, CopyMenu)
    await press(pilot, key)
    assert isinstance(pilot.app.screen, MainScreen)


async def test_copy_title_bibtex_and_markdown_through_osc52(library: Path, monkeypatch):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        await goto(pilot, KESTREL)

        await copy_as(pilot, "t")
        assert copied[-1] == KESTREL
        assert app.clipboard == KESTREL
        assert "copied title of 1 paper to the clipboard" in status(app)
        assert any(
            n.message == "copied title of 1 paper to the clipboard" for n in app._notifications
        )

        await copy_as(pilot, "b")
        bib = copied[-1]
        assert bib.startswith("@misc{")
        assert "  title = {{Kestrel-7B Technical Report}}" in bib
        assert "  year = {2025}" in bib and "  month = apr" in bib
        assert bib.rstrip().endswith("}")
        assert "copied BibTeX of 1 paper" in status(app)

        await copy_as(pilot, "m")
        line = copied[-1]
        paper = stored(library, KESTREL)
        assert line.startswith(f"- **{KESTREL}** — ")
        assert line.endswith(" — 2025-04-08")
        assert paper.who in line
        assert "\n" not in line
        assert len(copied) == 3


async def test_copy_menu_by_enter_and_escape(library: Path, monkeypatch):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        await goto(pilot, LANTERN)
        await press(pilot, "y")
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        assert copied == []
        await press(pilot, "y")
        await press(pilot, "down", "down", "down", "enter")  # the fourth entry: Markdown
        assert copied[-1].startswith(f"- **{LANTERN}**")
        assert copied[-1].endswith("`#attention` `#long-context`")


async def test_copy_with_marks_copies_every_marked_paper(library: Path, monkeypatch):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        marked = await mark_first(pilot, 3)
        await press(pilot, "y")
        assert "3 marked papers" in text_of(app, ".dialog-title")
        await press(pilot, "t")
        assert copied[-1] == "\n".join(marked)
        assert "copied title of 3 papers" in status(app)
        await copy_as(pilot, "b")
        assert copied[-1].count("@misc{") == 3


async def test_copied_bibtex_of_marked_papers_has_unique_keys(tmp_path: Path, monkeypatch):
    path = tmp_path / "same.db"
    with Library.open(path) as other:
        other.add_dump(
            dump(
                paper(
                    "Sparse Attention for Lectures", authors=["Ada Smith"], published="2025-03-01"
                ),
                paper(
                    "Sparse Attention for Podcasts", authors=["Ada Smith"], published="2025-05-01"
                ),
            ),
            file="same.txt",
            path=None,
            sha256="0" * 64,
        )
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        await mark_first(pilot, 2)
        await copy_as(pilot, "b")
        keys = re.findall(r"^@misc\{([^,]+),", copied[-1], re.MULTILINE)
        assert len(keys) == 2
        assert len(set(keys)) == 2, keys


async def test_copy_csl_json_of_marked_papers(library: Path, monkeypatch):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        marked = await mark_first(pilot, 2)
        await copy_as(pilot, "c")
        items = json.loads(copied[-1])
        assert [item["title"] for item in items] == marked
        stored_keys = [stored(library, title).cite_key for title in marked]
        assert [item["id"] for item in items] == stored_keys
        assert "copied CSL-JSON of 2 papers" in status(app)


# -- web search --------------------------------------------------------------------------------
def arxiv_url(title: str) -> str:
    return "https://arxiv.org/search/?searchtype=title&query=" + quote_plus(title)


async def test_w_without_a_browser_shows_the_url(library: Path, monkeypatch):
    import tuireader.web

    monkeypatch.delenv("TUIREADER_SEARCH_URL", raising=False)
    monkeypatch.setattr(
        tuireader.web,
        "browser_problem",
        lambda: "No graphical browser here: open this URL elsewhere",
    )
    opened: list[str] = []
    monkeypatch.setattr(tuireader.web.webbrowser, "open", lambda url, new=0: opened.append(url))
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        copied = capture_osc52(app, monkeypatch)
        await goto(pilot, KESTREL)
        await press(pilot, "w")
        assert isinstance(app.screen, UrlDialog)
        assert text_of(app, "#url") == arxiv_url(KESTREL)
        assert "No graphical browser here" in text_of(app, ".dialog-title")
        await press(pilot, "y")
        assert copied == [arxiv_url(KESTREL)]
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
    assert opened == []


async def test_w_over_ssh_shows_the_url(library: Path, monkeypatch):
    import tuireader.web

    monkeypatch.delenv("TUIREADER_SEARCH_URL", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setattr(tuireader.web.webbrowser, "open", lambda *a, **k: pytest.fail("opened"))
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "w")
        assert isinstance(app.screen, UrlDialog)
        assert text_of(app, "#url") == arxiv_url(AGENTS)
        assert "ssh" in text_of(app, ".dialog-title")


async def test_w_with_a_browser_opens_it_and_shows_no_dialog(library: Path, monkeypatch):
    import tuireader.web

    monkeypatch.delenv("TUIREADER_SEARCH_URL", raising=False)
    monkeypatch.setattr(tuireader.web, "browser_problem", lambda: None)
    opened: list[str] = []
    monkeypatch.setattr(
        tuireader.web.webbrowser, "open", lambda url, new=0: opened.append(url) or True
    )
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await goto(pilot, LANTERN)
        await press(pilot, "w")
        assert isinstance(app.screen, MainScreen)
        assert "opened a web search in the browser" in status(app)
    assert opened == [arxiv_url(LANTERN)]


async def test_w_uses_the_configured_search_url(library: Path, monkeypatch):
    import tuireader.web

    monkeypatch.setenv("TUIREADER_SEARCH_URL", "https://example.org/?q={query}")
    opened: list[str] = []
    monkeypatch.setattr(tuireader.web, "open_in_browser", lambda url: opened.append(url))
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "w")
        assert isinstance(app.screen, MainScreen)
    assert opened == ["https://example.org/?q=" + quote_plus(AGENTS)]
