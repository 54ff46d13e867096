"""Shared fixtures: temp platformdirs, fixture and seed paths."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
REAL_PAGES = Path(__file__).resolve().parents[2] / "shared" / "real-pages"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point every platformdirs location and TUIREADER_LIBRARY at a temp dir (never the user's)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TUIREADER_HOME", str(home))
    monkeypatch.delenv("TUIREADER_LIBRARY", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    yield home


@pytest.fixture
def fixtures() -> Path:
    """The folder of our own small fixture dumps."""
    return FIXTURES


@pytest.fixture
def seeds() -> Path:
    """The real example dumps in ../shared/seeds (the test is skipped where they are absent)."""
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip("../shared/seeds is not here")
    return SEEDS


@pytest.fixture
def real_pages() -> Path:
    """Real listing pages in ../shared/real-pages (the test is skipped where they are absent)."""
    if not REAL_PAGES.is_dir() or not any(REAL_PAGES.glob("*.txt")):
        pytest.skip("../shared/real-pages is not here")
    return REAL_PAGES
