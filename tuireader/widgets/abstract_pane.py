"""The abstract pane: everything known about the paper under the cursor, scrollable."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tuireader.models import Paper


def paper_text(paper: Paper, *, full_authors: bool = True) -> Text:
    """A paper as rich text: title, who, facts, tags, notes, sources, then the abstract."""
    text = Text()
    text.append(paper.title + "\n", style="bold")
    if paper.authors:
        names = ", ".join(paper.authors if full_authors else paper.authors[:6])
        if paper.authors_truncated:
            names += " et al."
        text.append(names + "\n", style="italic")
    if paper.organization:
        handle = f" ({paper.org_handle})" if paper.org_handle else ""
        text.append(f"{paper.organization}{handle}\n", style="italic")
    if not paper.authors and paper.author_count:
        plural = "s" if paper.author_count != 1 else ""
        text.append(f"{paper.author_count} author{plural}\n", style="italic")
    facts = []
    if paper.published:
        facts.append(paper.published)
    elif paper.published_raw:
        facts.append(paper.published_raw)
    if paper.upvotes is not None:
        facts.append(f"{paper.upvotes} upvotes")
    if paper.category:
        facts.append(paper.category)
    if paper.has_code:
        facts.append("has code")
    if paper.score is not None:
        facts.append(f"score {paper.score:g}")
    facts.append("read" if paper.read else "unread")
    if paper.starred:
        facts.append("starred")
    text.append(" · ".join(facts) + "\n", style="dim")
    if paper.tags:
        text.append("tags: ", style="dim")
        text.append(" ".join(f"#{tag}" for tag in paper.tags) + "\n", style="bold")
    if paper.sources:
        text.append("from: " + ", ".join(paper.sources) + "\n", style="dim")
    if paper.notes:
        text.append("\nnote:\n", style="bold")
        text.append(paper.notes.rstrip() + "\n")
    text.append("\n")
    text.append(paper.abstract or "(no abstract)")
    return text


class AbstractPane(VerticalScroll, can_focus=True):
    """Shows one paper in full; focus it (Tab) to scroll with j/k, arrows or PgUp/PgDn."""

    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
    ]

    def compose(self):
        """One Static holds the text."""
        yield Static(id="abstract-body")

    def show(self, paper: Paper | None) -> None:
        """Show ``paper`` (or nothing) from the top."""
        body = self.query_one("#abstract-body", Static)
        body.update(paper_text(paper) if paper else Text("No paper selected.", style="dim"))
        self.scroll_home(animate=False)
