"""Dates on listing pages: the capture-year rule, resolving "Oct 13" and the ``year=`` override."""

from __future__ import annotations

import datetime as dt

import pytest

from tuireader.dumps import parse_dump
from tuireader.dumps.common import capture_year, resolve_date

# --- capture_year ---------------------------------------------------------------------------


def test_capture_year_is_after_the_latest_printed_year():
    dates = ["Oct 3", "Sep 22, 2022", "Jan 5, 2024", "May 1"]
    assert capture_year(dates, "Oct 20") == 2025


def test_capture_year_ignores_today_when_years_are_printed():
    # printed years say more than the clock: a page kept for years still dates right
    assert capture_year(["Dec 31, 2020"], "Dec 30", today=dt.date(2030, 1, 1)) == 2021
    assert capture_year(["Jun 3, 2019", "Feb 1, 2018"], None, today=dt.date(2026, 7, 1)) == 2020


def test_capture_year_without_printed_years_is_this_year():
    today = dt.date(2026, 5, 1)
    assert capture_year([], None, today=today) == 2026
    assert capture_year(["Apr 30", "Jan 2"], "May 1", today=today) == 2026  # page date is today
    assert capture_year(["Apr 30"], "Apr 30", today=today) == 2026


def test_capture_year_without_printed_years_goes_back_when_page_date_is_ahead():
    today = dt.date(2026, 5, 1)
    assert capture_year(["Apr 30"], "May 2", today=today) == 2025
    assert capture_year([], "Dec 31", today=today) == 2025
    assert capture_year([], "Jan 1", today=dt.date(2026, 1, 1)) == 2026


def test_capture_year_without_page_date_goes_back_when_a_date_is_ahead():
    # an author page has no page date; "Dec 20" seen on Jan 5 was last year's December
    today = dt.date(2027, 1, 5)
    assert capture_year(["Dec 20", "Nov 2"], None, today=today) == 2026
    assert capture_year(["Jan 5", "Jan 1"], None, today=today) == 2027


def test_capture_year_default_today_is_the_real_date():
    assert capture_year([], None) == dt.date.today().year


# --- resolve_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "iso"),
    [
        ("Oct 13", 2025, "2025-10-13"),
        ("Jan 1", 1999, "1999-01-01"),
        ("Sep 22, 2022", 2025, "2022-09-22"),  # a printed year wins over the capture year
        ("Feb 29", 2024, "2024-02-29"),
        ("Feb 29, 2024", 2025, "2024-02-29"),
        ("Dec 31", 2026, "2026-12-31"),
    ],
)
def test_resolve_date(text, year, iso):
    assert resolve_date(text, year) == iso


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Feb 30", 2025),  # no such day
        ("Feb 29", 2025),  # not a leap year
        ("Feb 29, 2023", 2024),
        ("Apr 31", 2025),
        ("Jan 0", 2025),
        ("Sept 3", 2025),  # not how pages spell months
        ("13 Oct", 2025),
        ("Oct 13 3", 2025),  # a date line with upvotes is not a date
        ("", 2025),
    ],
)
def test_resolve_date_rejects(text, year):
    assert resolve_date(text, year) is None


# --- dates in whole dumps -------------------------------------------------------------------

ABSTRACT = (
    "We describe a method in plain words, long enough to read like prose and nothing like a "
    "title, and we show that it works well on several made-up tasks."
)


def daily(page_date: str, *dates: str) -> str:
    """A small Daily Papers dump with one paper per date line."""
    parts = ["Daily Papers", "", page_date, ""]
    for number, date in enumerate(dates, start=1):
        parts += [f"Paper Number {number}", "", ABSTRACT, "", "  • 2 authors", "·", date, ""]
    return "\n".join(parts)


def author_page(*metas: str) -> str:
    parts = []
    for number, meta in enumerate(metas, start=1):
        parts += [meta, f"Paper Number {number}Anna Berg", ABSTRACT]
    return "\n".join(parts) + "\n"


def test_parse_dump_resolves_dates_in_the_capture_year():
    result = parse_dump(daily("Nov 6", "Oct 2", "Jun 6, 2024 3", "Feb 16"))
    assert result.capture_year == 2025
    assert result.page_date == "2025-11-06"
    assert [p.published for p in result.papers] == ["2025-10-02", "2024-06-06", "2025-02-16"]
    assert [p.comments for p in result.papers] == [None, 3, None]
    assert [p.upvotes for p in result.papers] == [None, None, None]


def test_parse_dump_without_printed_years_uses_today():
    text = daily("Mar 11", "Mar 10", "Jan 2")
    late = parse_dump(text, today=dt.date(2026, 11, 22))
    assert late.capture_year == 2026
    assert [p.published for p in late.papers] == ["2026-03-10", "2026-01-02"]
    early = parse_dump(text, today=dt.date(2026, 3, 1))
    assert early.capture_year == 2025
    assert early.page_date == "2025-03-11"
    assert [p.published for p in early.papers] == ["2025-03-10", "2025-01-02"]


def test_author_page_without_printed_years_never_dates_into_the_future():
    result = parse_dump(author_page("LGDec 20", "CVJan 3"), today=dt.date(2027, 1, 5))
    assert result.capture_year == 2026
    assert [p.published for p in result.papers] == ["2026-12-20", "2026-01-03"]


def test_invalid_date_in_a_dump_is_left_unknown():
    result = parse_dump(daily("Mar 11", "Feb 30, 2024", "Feb 30"), today=dt.date(2026, 11, 22))
    assert [p.published_raw for p in result.papers] == ["Feb 30, 2024", "Feb 30"]
    assert [p.published for p in result.papers] == [None, None]
    assert result.capture_year == 2025  # the printed 2024 still counts


def test_year_override():
    text = daily("Apr 9", "Feb 2", "Mar 18, 2025 7")
    assert parse_dump(text, today=dt.date(2026, 11, 22)).capture_year == 2026
    result = parse_dump(text, year=2030, today=dt.date(2026, 11, 22))
    assert result.capture_year == 2030
    assert result.page_date == "2030-04-09"
    # the override fills missing years only; a printed year stays
    assert [p.published for p in result.papers] == ["2030-02-02", "2025-03-18"]


def test_year_override_on_author_page_and_listing():
    page = parse_dump(author_page("LGDec 20", "CVJan 3, 2021"), year=2019)
    assert page.capture_year == 2019
    assert [p.published for p in page.papers] == ["2019-12-20", "2021-01-03"]
    listing = "Daily Papers\n\nJul 14\n\nA Title\n\n" + ABSTRACT + "\n"
    result = parse_dump(listing, year=2021, today=dt.date(2026, 1, 1))
    assert (result.capture_year, result.page_date) == (2021, "2021-07-14")
