"""The view picker: all, unread, starred, each tag (with counts, and its "most like" order),
saved searches, last import, watched authors and organisations (with their new papers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuireader.models import View, ViewKind, Watch
from tuireader.ranking import sort_for_tag
from tuireader.screens.guard import busy_safe
from tuireader.search import view_clauses
from tuireader.search.expressions import name_expression
from tuireader.textsafe import one_line
from tuireader.widgets.reader_app import ReaderAppMixin


@dataclass(frozen=True, slots=True)
class ViewChoice:
    """What the picker returns: a view to show, or a saved query to run."""

    view: View = field(default_factory=View)
    query: str | None = None
    #: A sort to show it in (a tag's "like #tag" choice: every paper, by that tag's model).
    sort: str | None = None


class ViewPicker(ReaderAppMixin, ModalScreen[ViewChoice | None]):
    """Pick a view from the keyboard; ``x`` deletes a saved search."""

    BINDINGS = [
        Binding("escape,v", "cancel", "Cancel", id="views.cancel"),
        Binding("delete,x", "delete_saved", "Delete saved search", id="views.delete"),
        Binding(
            "l",
            "like_tag",
            "Most like this tag",
            id="views.like",
            tooltip="On a tag: the unread papers, most like the tag's papers first (its model)",
        ),
    ]

    def __init__(self, current: View) -> None:
        super().__init__()
        self.current = current
        self.choices: dict[str, ViewChoice] = {}

    def compose(self) -> ComposeResult:
        """A list of views and a hint."""
        with Vertical(id="view-picker", classes="dialog"):
            yield Static("Show…", classes="dialog-title")
            yield OptionList(id="view-options")
            yield Static(
                "Enter show · l on a tag: unread, most like it first · x delete a saved search"
                " · Esc cancel",
                classes="hint",
            )

    def on_mount(self) -> None:
        """Fill the list and focus it."""
        self._fill()
        self.query_one(OptionList).focus()

    def _add(
        self, options: list[Option], key: str, label: str, count: int | None, choice: ViewChoice
    ) -> None:
        text = Text(one_line(label))
        if count is not None:
            text.append(f"  {count}", style="dim")
        if choice.view == self.current and choice.query is None:
            text.append("  (current)", style="italic dim")
        self.choices[key] = choice
        options.append(Option(text, id=key))

    def _fill(self) -> None:
        library = self.app.library
        counts = library.counts()
        options: list[Option] = []
        self._add(options, "all", "All papers", counts["papers"], ViewChoice(View(ViewKind.ALL)))
        self._add(options, "unread", "Unread", counts["unread"], ViewChoice(View(ViewKind.UNREAD)))
        self._add(
            options, "starred", "Starred", counts["starred"], ViewChoice(View(ViewKind.STARRED))
        )
        batch = library.last_batch()
        if batch:
            files = ", ".join(str(row["file"]) for row in batch[:3])
            files += f" and {len(batch) - 3} more" if len(batch) > 3 else ""
            self._add(
                options,
                "import",
                f"New in the last import ({files})",
                sum(int(str(row["new"])) for row in batch),
                ViewChoice(View(ViewKind.IMPORT, imports=tuple(int(str(row["id"])) for row in batch))),
            )
        for name, count in library.tags():
            tag = View(ViewKind.TAG, tag=name)
            self._add(options, tag.to_text(), f"#{name}", count, ViewChoice(tag))
        for watch in library.watches():
            self._add_watch(options, watch)
        for name, query in library.saved_searches():
            self._add(
                options, f"saved:{name}", f"Saved: {name} — {query}", None, ViewChoice(View(), query)
            )
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        keys = list(self.choices)
        if self.current.to_text() in keys:
            listing.highlighted = keys.index(self.current.to_text())

    def _add_watch(self, options: list[Option], watch: Watch) -> None:
        """A watch, with how many of its papers are new since its view was last opened."""
        clause = view_clauses(watch.view().to_text())[0]
        total, new = self.app.library.watch_counts(name_expression(clause), watch.opened_at)
        what = "author" if watch.kind == "author" else "organisation"
        text = Text(one_line(f"Watching {watch.name} ({what})"))
        text.append(f"  {total}", style="dim")
        if new:
            text.append(f"  {new} new", style="bold")
        view = watch.view()
        if view == self.current:
            text.append("  (current)", style="italic dim")
        self.choices[view.to_text()] = ViewChoice(view)
        options.append(Option(text, id=view.to_text()))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices.get(event.option.id or ""))

    def action_like_tag(self) -> None:
        """On a tag: show the unread papers, those most like the tag's papers first."""
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return
        choice = self.choices.get(listing.get_option_at_index(listing.highlighted).id or "")
        if choice is not None and choice.view.kind is ViewKind.TAG:
            self.dismiss(ViewChoice(View(ViewKind.UNREAD), sort=sort_for_tag(choice.view.tag)))

    @busy_safe
    def action_delete_saved(self) -> None:
        """Delete the highlighted saved search."""
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return
        key = listing.get_option_at_index(listing.highlighted).id or ""
        if key.startswith("saved:"):
            self.app.library.delete_saved_search(key.removeprefix("saved:"))
            self.choices.clear()
            self._fill()
            name = one_line(key.removeprefix("saved:"))
            self.notify(f"deleted saved search {name!r}", markup=False)

    def action_cancel(self) -> None:
        """Keep the current view."""
        self.dismiss(None)
