"""The statistics view: papers read per week, imports over time, the unread backlog, tags."""

from __future__ import annotations

import datetime as dt
import os

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tuireader.library.stats import Week
from tuireader.models import counted
from tuireader.widgets.bar_chart import BarChart
from tuireader.widgets.key_footer import KeyFooter
from tuireader.widgets.reader_app import ReaderAppMixin
from tuireader.widgets.status_line import short_path

#: Weeks shown in each chart (12 columns of 4 cells: fits beside the tags at 80 columns).
WEEKS = 12
#: Tags listed (most used first).
TAGS = 12


def week_labels(weeks: list[Week]) -> list[str]:
    """A label a week: the month's name where a month starts (and first), else the day."""
    labels = []
    month = None
    for week in weeks:
        if week.monday.month != month:
            labels.append(week.monday.strftime("%b"))
            month = week.monday.month
        else:
            labels.append(str(week.monday.day))
    return labels


class StatsScreen(ReaderAppMixin, Screen[None]):
    """Numbers about the library and the reading done in it, drawn in the terminal."""

    BINDINGS = [
        Binding("escape,q,percent_sign", "close", "Back", id="stats.close"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="up"),
    ]

    def __init__(self, today: dt.date | None = None) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        """Title, the two charts on the left, backlog and tags on the right, footer."""
        library = self.app.library
        today = self.today or getattr(self.app, "today", dt.date.today)()
        activity = library.activity(WEEKS, today)
        ascii_only = os.environ.get("TERM", "") == "linux"
        read_total = sum(week.count for week in activity.read)
        new_total = sum(week.count for week in activity.imported)
        with VerticalScroll(id="stats"):
            yield Static(
                Text.assemble(("Statistics", "bold"), f"  {short_path(library.path)}"),
                id="stats-title",
            )
            with Horizontal(id="stats-columns"):
                with Vertical(id="stats-charts"):
                    yield Static(
                        f"Papers read per week · {read_total} in {WEEKS} weeks",
                        classes="stats-heading",
                    )
                    yield BarChart(
                        [w.count for w in activity.read],
                        week_labels(activity.read),
                        ascii=ascii_only,
                        id="read-chart",
                    )
                    yield Static(
                        f"New papers imported per week · {new_total} in {WEEKS} weeks",
                        classes="stats-heading",
                    )
                    yield BarChart(
                        [w.count for w in activity.imported],
                        week_labels(activity.imported),
                        height=4,
                        ascii=ascii_only,
                        id="import-chart",
                    )
                with Vertical(id="stats-side"):
                    yield Static("Unread backlog", classes="stats-heading")
                    yield Static(self._backlog(activity, ascii_only), id="backlog")
                    yield Static("Tags", classes="stats-heading")
                    yield Static(self._tags(), id="stats-tags")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Focus the scrolling column (so j/k and the arrows scroll it)."""
        self.query_one("#stats").focus()

    def _backlog(self, activity, ascii_only: bool) -> Text:
        papers = activity.papers
        share = activity.unread / papers if papers else 0.0
        width = 20
        filled = round(share * width)
        full, rest = ("#", "-") if ascii_only else ("█", "░")
        text = Text()
        text.append(f"{activity.unread} unread of {counted(papers, 'paper')} ({share:.0%})\n")
        text.append(full * filled, style="bold")
        text.append(rest * (width - filled) + "\n", style="dim")
        if activity.unread_oldest:
            text.append(f"oldest from {activity.unread_oldest[:10]}", style="dim")
        return text

    def _tags(self) -> Table | Text:
        tags = self.app.library.tags()
        if not tags:
            return Text("no tags yet (t tags a paper)", style="dim")
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, overflow="ellipsis", max_width=20)
        table.add_column(justify="right", style="bold")
        for name, count in tags[:TAGS]:
            table.add_row(f"#{name}", str(count))
        if len(tags) > TAGS:
            table.add_row(Text(f"… {len(tags) - TAGS} more", style="dim"), "")
        return table

    def action_scroll(self, how: str) -> None:
        """Scroll the view up or down a line."""
        box = self.query_one("#stats", VerticalScroll)
        getattr(box, f"scroll_{how}")(animate=False)

    def action_close(self) -> None:
        """Back to the list."""
        self.dismiss()
