"""The two real arXiv /new pages in ../shared/real-pages (skipped where they are absent).

Every entry is checked against what a reader sees on the page: the expected identifiers,
titles, names, subjects, comments and journal references were typed from reading the pages;
an abstract is the page's line named by its number (the paragraph after the blank line).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.parser_helpers import parse_fixture, source_line
from tuireader.models import LAYOUT_ARXIV, ParsedPaper

PRICING = "arxiv-qfin-pr-new-20260909.txt"
TRADING = "arxiv-qfin-tr-new-20260909.txt"
LISTED = ("2026-09-09", "9 September 2026")


@dataclass(frozen=True)
class Seen:
    """One entry as a reader sees it: its lines, its fields, where its abstract is."""

    line: int
    arxiv_id: str
    title: str
    authors: list[str]
    subjects: str
    abstract_line: int
    replaced: bool = False
    comments: tuple[str, str] | None = None  # (how it starts, how it ends)
    journal_ref: str | None = None


PRICING_ENTRIES = [
    Seen(17, "2609.05433", "Perpetual Futures for Stocks: The SpaceX Pre-IPO Market",
         ["Aditya Gupta", "Nick Polson"], "q-fin.PR", 22),
    Seen(24, "2609.07169",
         "Pricing and Hedging of Discretely Monitored Asian Options in the Volterra-Heston Model",
         ["Gijs Custers", "Sven Karbach", "Martin Friesen"], "q-fin.PR math.PR", 29),
    # (cross-list from q-fin.CP): its primary category is q-fin.CP
    Seen(32, "2609.06137", "Unbiased Monte Carlo Greeks for Discontinuous Payoffs",
         ["Evgeny Lakshtanov"], "q-fin.CP q-fin.PR", 37),
    Seen(40, "1502.05743", "The existence of optimal bang-bang controls for GMxB contracts",
         ["Parsiad Azimzadeh", "Peter A. Forsyth"], "q-fin.PR", 47, replaced=True,
         comments=("Fixed conditioning typo in (2.3), (2.13).", "Minor bib/LaTeX updates"),
         journal_ref="SIAM.J.Finan.Math. 6.1 (2015) 117-139"),
    Seen(49, "2506.08067", "Smile asymptotics for Bachelier implied volatility",
         ["Roberto Baviera", "Michele Domenico Massaria"], "q-fin.PR math.PR q-fin.MF", 54,
         replaced=True),
    Seen(56, "2603.24605", "Bid--Ask Martingale Optimal Transport",
         ["Bryan Liang", "Marcel Nutz", "Shunan Sheng", "Valentin Tissot-Daguette"],
         "q-fin.MF math.FA math.OC math.PR q-fin.PR", 62, replaced=True,
         comments=("45 pages", "45 pages")),
    Seen(64, "2608.13732",
         "On the First Hitting Time Problems for Diffusion Processes: Local Time-Space Approach",
         ["Jerome Detemple", "Yerkin Kitapbayev", "Danila Shabalin"],
         "math.PR q-fin.CP q-fin.PR", 69, replaced=True),
]  # fmt: skip

TRADING_ENTRIES = [
    Seen(16, "2609.06085",
         "Explainable Deep Learning for Price-Trade Dynamics: From Black-Box Forecasts to"
         " Effective Parametric Models",
         ["Manuel Naviglio", "Fabrizio Lillo"], "q-fin.TR cs.AI physics.data-an", 21),
    Seen(23, "2609.07989", "Regimes in the Order Flow", ["Ramzi Jebali"],
         "q-fin.TR q-fin.CP q-fin.MF q-fin.ST", 29,
         comments=("59 pages. 48 figures.", "at Scuola Normale Superiore (Pisa)")),
    Seen(31, "2609.08881", "The Double-Edged Sword of Short-Selling Bans",
         ["Pasquale Della Corte", "Robert Kosowski", "Dimitris Papadimitriou",
          "Nikolaos P. Rapanos"], "q-fin.TR", 36),
    Seen(39, "2512.23515",
         "Alpha-R1: Alpha Screening with LLM Reasoning via Reinforcement Learning",
         ["Zuoyou Jiang", "Li Zhao", "Rui Sun", "Ruohan Sun", "Zhongjian Li", "Jing Li",
          "Daxin Jiang", "Zuo Bai", "Cheng Hua"], "q-fin.TR cs.AI cs.CE cs.LG", 44,
         replaced=True),
    Seen(46, "2606.07059", "Diffusive in plain sight: An inconspicuous law of market impact",
         ["Julius F. Bonart"], "q-fin.TR", 51, replaced=True),
    Seen(53, "2606.14182",
         "Correlation emergence and the Epps effect in two coupled limit order books",
         ["Chris Angstmann", "Tim Gebbie"], "q-fin.TR math.AP q-fin.ST", 59, replaced=True,
         comments=("16 pages, 1 figure, 7 appendices.", "Reproducibility code: this https URL")),
    Seen(61, "2601.02310",
         "Temporal Kolmogorov-Arnold Networks (T-KAN) for High-Frequency Limit Order Book"
         " Forecasting: Efficiency, Interpretability, and Alpha Decay",
         ["Ahmad Makinde"], "cs.LG q-fin.TR", 68, replaced=True,
         comments=("8 pages, 5 figures, Proposes T-KAN architecture for HFT.",
                   "return in cost-adjusted backtests"),
         journal_ref="BILT Student Research Journal, Issue 7, 2026"),
]  # fmt: skip

PAGES = [(PRICING, PRICING_ENTRIES), (TRADING, TRADING_ENTRIES)]


def _check(paper: ParsedPaper, seen: Seen, folder: Path, name: str) -> None:
    where = f"{name} line {seen.line}"
    assert (paper.line, paper.arxiv_id) == (seen.line, seen.arxiv_id), where
    assert paper.title == seen.title, where
    assert paper.authors == seen.authors, where
    assert (paper.author_count, paper.authors_truncated) == (len(seen.authors), False), where
    assert paper.subjects == seen.subjects, where
    assert paper.category == seen.subjects.split()[0], where
    assert paper.abstract == source_line(folder, name, seen.abstract_line), where
    if seen.comments:
        start, end = seen.comments
        assert paper.arxiv_comments and paper.arxiv_comments.startswith(start), where
        assert paper.arxiv_comments.endswith(end), where
    else:
        assert paper.arxiv_comments is None, where
    assert paper.journal_ref == seen.journal_ref, where
    # a replaced paper is older than the listing: its date is not the listing's
    dated = (None, None) if seen.replaced else LISTED
    assert (paper.published, paper.published_raw) == dated, where
    assert (paper.upvotes, paper.comments, paper.organization) == (None, None, None), where


@pytest.mark.real_pages
@pytest.mark.parametrize(("name", "entries"), PAGES, ids=["q-fin.PR", "q-fin.TR"])
def test_every_entry_of_a_real_new_page_reads_as_the_reader_sees_it(real_pages, name, entries):
    result = parse_fixture(real_pages, name)
    assert result.layout == LAYOUT_ARXIV
    assert result.warnings == []
    assert (result.page_date, result.capture_year) == ("2026-09-09", 2026)
    assert len(result.papers) == len(entries) == 7  # "Total of 7 entries"
    for paper, seen in zip(result.papers, entries, strict=True):
        _check(paper, seen, real_pages, name)


@pytest.mark.real_pages
@pytest.mark.parametrize("name", [PRICING, TRADING])
def test_no_author_line_is_a_title_and_no_title_an_abstract(real_pages, name):
    """The issue's failures, stated by structure: each field holds what its own line says."""
    lines = (real_pages / name).read_text(encoding="utf-8").splitlines()
    for paper in parse_fixture(real_pages, name).papers:
        title_line, authors_line = lines[paper.line], lines[paper.line + 1]  # the two after the id
        assert paper.title == title_line.strip()
        assert ", ".join(paper.authors or []) == authors_line.strip()
        assert not paper.abstract.startswith(title_line.strip())
        assert not any(line.strip() == paper.abstract for line in (title_line, authors_line))
