"""The real seed dumps (skipped where ../shared/seeds is absent)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.parser_helpers import (
    TODAY,
    check,
)
from tuireader.dumps import parse_bytes
from tuireader.models import (
    LAYOUT_AUTHOR_PAGE,
    LAYOUT_DAILY_PAPERS,
    LAYOUT_LISTING,
    ParsedPaper,
    ParseResult,
)

# --- the real seed dumps --------------------------------------------------------------------

SEED_COUNTS = {"000": 7, "001": 93, "002": 45, "003": 88}


def seed(seeds: Path, prefix: str) -> ParseResult:
    return seed_with_today(seeds, prefix, TODAY)


def seed_with_today(seeds: Path, prefix: str, today: dt.date) -> ParseResult:
    (path,) = seeds.glob(f"{prefix}_*.txt")
    return parse_bytes(path.read_bytes(), today=today)


@pytest.mark.seeds
def test_seed_counts(seeds):
    counts = {prefix: len(seed(seeds, prefix).papers) for prefix in SEED_COUNTS}
    assert counts == SEED_COUNTS
    assert sum(counts.values()) == 233


@pytest.mark.seeds
def test_seed_layouts_and_years(seeds):
    results = {prefix: seed(seeds, prefix) for prefix in SEED_COUNTS}
    assert {k: r.layout for k, r in results.items()} == {
        "000": LAYOUT_AUTHOR_PAGE,
        "001": LAYOUT_DAILY_PAPERS,
        "002": LAYOUT_DAILY_PAPERS,
        "003": LAYOUT_LISTING,
    }
    assert {k: r.warnings for k, r in results.items()} == {k: [] for k in SEED_COUNTS}
    # latest printed years: 001 -> 2024, 002 -> 2025, 000 -> 2025
    assert results["001"].capture_year == 2025
    assert results["002"].capture_year == 2026
    assert results["000"].capture_year == 2026
    assert results["001"].page_date == "2025-11-06"
    assert results["002"].page_date == "2026-06-01"
    # 003 prints no date but its page date, "Mar 11", which is before TODAY
    assert results["003"].capture_year == 2026
    assert results["003"].page_date == "2026-03-11"


@pytest.mark.seeds
def test_seed_listing_has_no_metadata(seeds):
    result = seed(seeds, "003")
    assert result.papers[0].title == "NGAME: Negative Mining-aware Mini-batching for Extreme Classification"
    assert result.papers[-1].title == "POA: Pre-training Once for Models of All Sizes"
    for paper in result.papers:
        check(paper, title=paper.title, abstract=paper.abstract)
        assert len(paper.abstract) > 200
    # saved before its page date in a year: then it was last year's page
    assert seed_with_today(seeds, "003", dt.date(2026, 3, 1)).page_date == "2025-03-11"


SEED_000 = [
    (
        "Federated Learning Incentive Mechanism under Buyers' Auction Market",
        ["Jiaxi Yang", "Zihao Guo", "Sheng Cao"],
        True,
        ("LG", None, "2023-09-10", False),
    ),
    (
        "Case-Based Calibration of Adaptive Reasoning and Execution for LLM Tool Use",
        ["Renning Pang", "Tian Lan", "Leyuan Liu"],
        True,
        ("AI", 54.7, "2026-05-14", False),
    ),
    (
        "MobileLLM-R1: Exploring the Limits of Sub-Billion Language Model Reasoners with Open "
        "Training Recipes",
        ["Changsheng Zhao", "Ernie Chang", "Zechun Liu"],
        True,
        ("CL", None, "2025-09-29", True),
    ),
    (
        "STEM: Scaling Transformers with Embedding Modules",
        ["Ranajoy Sadhukhan", "Sheng Cao", "Harry Dong"],
        True,
        ("LG", None, "2026-01-15", False),
    ),
    (
        "Lossless Image Compression through Super-Resolution",
        ["Sheng Cao", "Chao-Yuan Wu", "Philipp Krähenbühl"],
        False,
        ("IV", None, "2020-04-06", True),
    ),
    (
        "LLM-Augmented Retrieval: Enhancing Retrieval Models Through Language Models and "
        "Doc-Level Embedding",
        ["Mingrui Wu", "Sheng Cao"],
        False,
        ("IR", None, "2024-04-08", False),
    ),
    (
        "Param$Δ$ for Direct Weight Mixing: Post-Train Large Language Model at Zero Cost",
        ["Sheng Cao", "Mingrui Wu", "Karthik Prasad"],
        True,
        ("CL", None, "2025-04-23", False),
    ),
]


@pytest.mark.seeds
def test_seed_author_page_splits(seeds):
    papers = seed(seeds, "000").papers
    assert len(papers) == len(SEED_000)
    for paper, (title, authors, truncated, meta) in zip(papers, SEED_000, strict=True):
        assert paper.title == title
        assert paper.authors == authors
        assert paper.authors_truncated is truncated
        assert paper.author_count == (None if truncated else len(authors))
        assert (paper.category, paper.score, paper.published, paper.has_code) == meta
        assert paper.organization is None and paper.upvotes is None
    assert [p.line for p in papers] == [2, 5, 8, 11, 14, 17, 20]
    assert papers[-1].abstract.startswith("The post-training phase of large language models")


@pytest.mark.seeds
def test_seed_same_paper_in_two_years(seeds):
    title = (
        "Balancing the Budget: Understanding Trade-offs Between Supervised and Preference-Based "
        "Finetuning"
    )
    (old,) = [p for p in seed(seeds, "001").papers if p.title == title]
    (new,) = [p for p in seed(seeds, "002").papers if p.title == title]
    assert (old.published_raw, new.published_raw) == ("Feb 16", "Feb 16, 2025")
    assert old.published == new.published == "2025-02-16"
    assert old.author_count == new.author_count == 3
    assert (old.line, new.line) == (481, 261)
    assert old.abstract == new.abstract


def by_title(result: ParseResult) -> dict[str, ParsedPaper]:
    return {p.title: p for p in result.papers}


@pytest.mark.seeds
def test_seed_001_blocks_belong_to_the_paper_before_them(seeds):
    papers = by_title(seed(seeds, "001"))
    meta = papers["The Art of Scaling Reinforcement Learning Compute for LLMs"]
    assert (meta.org_handle, meta.organization) == ("facebook", "AI at Meta")
    assert (meta.author_count, meta.published, meta.comments) == (None, "2025-10-15", 2)
    after = papers["Scaling over Scaling: Exploring Test-Time Scaling Pareto in Large Reasoning Models"]
    assert (after.organization, after.author_count, after.published) == (None, 5, "2025-05-26")

    first = papers["ReNO: Enhancing One-step Text-to-Image Models through Reward-based Noise Optimization"]
    assert (first.line, first.author_count, first.published, first.comments) == (13, 5, "2024-06-06", None)
    frames = papers["From Frames to Clips: Efficient Key Clip Selection for Long-Form Video Understanding"]
    assert (frames.org_handle, frames.organization, frames.published) == ("amazon", "Amazon", "2025-10-02")
    qwen = papers["Qwen3 Technical Report"]
    assert (qwen.org_handle, qwen.organization, qwen.published, qwen.comments) == ("Qwen", "Qwen", "2025-05-14", 10)
    mono = papers["MonoByte: A Pool of Monolingual Byte-level Language Models"]
    assert (mono.author_count, mono.published, mono.comments) == (4, "2022-09-22", 1)
    longcat = papers["LongCat-Flash Technical Report"]
    assert (longcat.author_count, longcat.published) == (182, "2025-09-01")
    last = papers["A^2FM: An Adaptive Agent Foundation Model for Tool-Aware Hybrid Reasoning"]
    assert (last.org_handle, last.organization, last.published, last.comments) == ("OPPOer", "OPPO", "2025-10-13", 3)

    # two papers in a row with no block, then one whose block is its own
    for title in (
        "SIM-CoT: Supervised Implicit Chain-of-Thought",
        "Prefix Grouper: Efficient GRPO Training through Shared-Prefix Forward",
    ):
        check(papers[title], title=title, abstract=papers[title].abstract)
    controllable = papers["Efficient Controllable Multi-Task Architectures"]
    assert (controllable.author_count, controllable.published) == (5, "2023-08-22")


@pytest.mark.seeds
def test_seed_001_papers_without_block(seeds):
    result = seed(seeds, "001")
    bare = [p.title for p in result.papers if p.published_raw is None]
    assert bare == [
        "SIM-CoT: Supervised Implicit Chain-of-Thought",
        "Prefix Grouper: Efficient GRPO Training through Shared-Prefix Forward",
        "Optimizing Chain-of-Thought Reasoners via Gradient Variance Minimization in Rejection "
        "Sampling and RL",
        "Knapsack RL: Unlocking Exploration of LLMs via Optimizing Budget Allocation",
        "When To Solve, When To Verify: Compute-Optimal Problem Solving and Generative "
        "Verification for LLM Reasoning",
        "AgentTTS: Large Language Model Agent for Test-time Compute-optimal Scaling Strategy in "
        "Complex Tasks",
    ]
    for paper in result.papers:
        if paper.published_raw is None:
            check(paper, title=paper.title, abstract=paper.abstract)
    orgs = [(p.org_handle, p.organization) for p in result.papers if p.org_handle]
    assert orgs == [("amazon", "Amazon"), ("Qwen", "Qwen"), ("facebook", "AI at Meta"), ("OPPOer", "OPPO")]


@pytest.mark.seeds
def test_seed_002_blocks(seeds):
    result = seed(seeds, "002")
    papers = by_title(result)
    densing = papers["Densing Law of LLMs"]
    assert (densing.org_handle, densing.organization, densing.published, densing.comments) == (
        "openbmb",
        "OpenBMB",
        "2024-12-05",
        2,
    )
    typhoon = papers["Typhoon-S: Minimal Open Post-Training for Sovereign Large Language Models"]
    assert (typhoon.org_handle, typhoon.organization, typhoon.published, typhoon.comments) == (
        "typhoon-ai",
        "Typhoon",
        "2026-01-25",
        4,
    )
    fit = papers["FIT: Defying Catastrophic Forgetting in Continual LLM Unlearning"]
    assert (fit.author_count, fit.published_raw, fit.published) == (9, "Jan 28", "2026-01-28")
    bare = [p.title for p in result.papers if p.published_raw is None]
    assert bare == [
        "Expert-Choice Routing Enables Adaptive Computation in Diffusion Language Models",
        "SCALE: Selective Resource Allocation for Overcoming Performance Bottlenecks in "
        "Mathematical Test-time Scaling",
    ]
    for title in bare:
        check(papers[title], title=title, abstract=papers[title].abstract)
    exploiting = papers["Exploiting Mixture-of-Experts Redundancy Unlocks Multimodal Generative Abilities"]
    assert (exploiting.author_count, exploiting.published) == (8, "2025-03-28")
    drafts = papers["Towards Optimal Multi-draft Speculative Decoding"]
    assert (drafts.author_count, drafts.published, drafts.comments) == (8, "2025-02-25", 2)
    last = result.papers[-1]
    assert (last.title, last.author_count, last.published) == (
        "Category-Aware Semantic Caching for Heterogeneous LLM Workloads",
        6,
        "2025-10-29",
    )
