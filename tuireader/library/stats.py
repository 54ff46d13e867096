"""Reading the library for the statistics view: reading and importing per week, the backlog."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tuireader.library.core import LibraryBase

#: The SQL for "the Monday of the week of this ISO timestamp".
_MONDAY = "date(substr({column}, 1, 10), '-6 days', 'weekday 1')"


@dataclass(frozen=True, slots=True)
class Week:
    """One week (starting on ``monday``) and a count in it."""

    monday: dt.date
    count: int


@dataclass(frozen=True, slots=True)
class Activity:
    """What the statistics view draws: weekly reading and imports, and the unread backlog."""

    read: list[Week]
    imported: list[Week]
    unread: int
    papers: int
    unread_oldest: str | None


def monday_of(day: dt.date) -> dt.date:
    """The Monday starting the week of ``day``."""
    return day - dt.timedelta(days=day.weekday())


class StatsMixin(LibraryBase):
    """Library methods that count activity over time."""

    def _weekly(self, sql: str, weeks: int, today: dt.date) -> list[Week]:
        last = monday_of(today)
        first = last - dt.timedelta(weeks=weeks - 1)
        counts = {
            dt.date.fromisoformat(row[0]): row[1]
            for row in self.query(sql, (first.isoformat(),))
            if row[0]
        }
        return [
            Week(first + dt.timedelta(weeks=i), counts.get(first + dt.timedelta(weeks=i), 0))
            for i in range(weeks)
        ]

    def activity(self, weeks: int = 12, today: dt.date | None = None) -> Activity:
        """Papers read and papers imported (new) in each of the last ``weeks`` weeks, and the
        unread backlog. A paper read, unread and read again counts in the week it was read last.
        """
        today = today or dt.date.today()
        read_week = _MONDAY.format(column="read_at")
        read = self._weekly(
            f"SELECT {read_week} AS week, count(*) FROM papers"
            " WHERE read = 1 AND read_at IS NOT NULL AND read_at >= ? GROUP BY week",
            weeks,
            today,
        )
        import_week = _MONDAY.format(column="imported_at")
        imported = self._weekly(
            f"SELECT {import_week} AS week, sum(new) FROM imports"
            " WHERE imported_at >= ? GROUP BY week",
            weeks,
            today,
        )
        papers = self.query("SELECT count(*) FROM papers")[0][0]
        read_count = self.query("SELECT count(*) FROM papers WHERE read = 1")[0][0]
        oldest = self.query("SELECT min(added_at) FROM papers WHERE read = 0")[0][0]
        return Activity(read, imported, papers - read_count, papers, oldest)
