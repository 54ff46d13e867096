"""An arXiv paper in the reader: the pane and the reading view show its identifier, primary
category, every subject, its comments and journal reference; `w` opens its abstract page."""

from __future__ import annotations

from pathlib import Path

from tests.app_helpers import build_library, make_app
from tests.power_helpers import SIZE, abstract_text, goto, press, started, status

WHISTLED = "Whistled Languages as a Benchmark for Pitch Trackers: Silbo Gomero, Kuşköy and Aas"
SIBILANTS = "Sibilants, Stops, Glides"


async def test_the_pane_shows_what_the_arxiv_page_printed_and_w_opens_it(tmp_path: Path, monkeypatch):
    import tuireader.web

    path = build_library(tmp_path, ("arxiv_new_accents.txt",), decorate=False)
    opened: list[str] = []
    monkeypatch.setattr(tuireader.web, "open_in_browser", lambda url: opened.append(url))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await goto(pilot, WHISTLED)
        pane = abstract_text(app)
        assert "Begoña Rodríguez-Quintana, Ömer Faruk Kuşçu" in pane
        assert "Joaquín de la Peña y Ruiz" in pane
        assert "arXiv:2609.06001 · eess.AS" in pane
        assert "subjects: eess.AS cs.CL cs.SD" in pane
        assert "arXiv comments: 11 pages; recordings and code at this https URL" in pane
        assert "journal-ref:" not in pane
        await press(pilot, "w")
        assert "opened arXiv:2609.06001 in the browser" in status(app)
        await goto(pilot, SIBILANTS)
        pane = abstract_text(app)
        assert "arXiv:2407.11223 · eess.AS" in pane
        assert "subjects:" not in pane  # its one subject is the primary category, shown already
        assert "journal-ref: Invented Journal of Phonetics 41 (2025) 200-219" in pane
        await press(pilot, "enter", "w")  # the reading view, in one burst
        reading = abstract_text(app)
        assert "journal-ref: Invented Journal of Phonetics 41 (2025) 200-219" in reading
    assert opened == ["https://arxiv.org/abs/2609.06001", "https://arxiv.org/abs/2407.11223"]
