"""The tag editor: add tags (with fuzzy completion from existing ones) and remove them."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tuireader.drafts import TAG, Draft
from tuireader.screens.dialogs import DRAFT_RESTORED
from tuireader.screens.guard import busy_safe
from tuireader.textsafe import one_line
from tuireader.widgets.reader_app import ReaderAppMixin
from tuireader.widgets.safe_fields import SafeInput

#: How many completions to offer.
SUGGESTIONS = 8
REMOVE_LABEL = "Tags on this paper (Tab to them; x or Delete removes):"


def rank_tags(typed: str, tags: list[str], limit: int = SUGGESTIONS) -> list[str]:
    """Existing tags that fit what was typed, best first (prefix matches before fuzzy ones)."""
    typed = typed.strip().casefold()
    if not typed:
        return tags[:limit]
    prefix = [t for t in tags if t.casefold().startswith(typed)]
    fuzzy = process.extract(typed, tags, scorer=fuzz.WRatio, processor=str.casefold, limit=limit)
    ranked = prefix + [t for t, score, _ in fuzzy if score >= 60 and t not in prefix]
    return ranked[:limit]


class TagEditor(ReaderAppMixin, ModalScreen[bool]):
    """Edit the tags of one paper, or of all marked papers at once."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="tags.close"),
        Binding(
            "tab",
            "complete",
            "Complete / next",
            priority=True,
            id="tags.complete",
            tooltip="Complete the tag typed; with nothing to complete, go to the paper's tags",
        ),
        Binding("down", "suggestions", "Suggestions", show=False, id="tags.suggestions"),
        Binding(
            "delete,x",
            "remove_tag",
            "Remove tag",
            id="tags.remove",
            tooltip="Remove tag: the one highlighted in the paper's tags",
        ),
    ]

    def __init__(self, paper_ids: list[int], *, restored: str | None = None) -> None:
        """``restored``: a tag a reader before this one was typing (a draft), typed again."""
        super().__init__()
        self.paper_ids = paper_ids
        self.changed = False
        self.restored = restored

    def compose(self) -> ComposeResult:
        """Title, input, suggestions, the tags the papers have, and a hint line."""
        with Vertical(id="tag-editor"):
            yield Static(id="tag-title", markup=False)
            if self.restored is not None:
                yield Static(DRAFT_RESTORED, classes="draft-restored")
            yield SafeInput(
                self.restored or "",
                placeholder="type a tag, Enter adds it",
                id="tag-input",
                select_on_focus=False,  # (a draft restored is typed on, not typed over)
            )
            yield OptionList(id="tag-suggestions")
            yield Static(REMOVE_LABEL, id="tag-current-label")
            yield OptionList(id="tag-current")
            yield Static(
                "Enter add · Tab complete, or go to the tags (x removes) · ↓ suggestions · Esc close",
                id="tag-hint",
            )

    def on_mount(self) -> None:
        """Fill the lists and put the cursor in the input."""
        library = self.app.library
        if len(self.paper_ids) == 1:
            paper = library.get_paper(self.paper_ids[0])
            title = f"Tags for: {paper.title}" if paper else "Tags"
        else:
            title = f"Tags for {len(self.paper_ids)} marked papers"
            self.query_one("#tag-current-label", Static).update(
                "Tags on these papers (Tab to them; x or Delete removes from all):"
            )
        self.query_one("#tag-title", Static).update(Text(one_line(title)))
        self._refresh()
        self.query_one("#tag-input", Input).focus()

    def _current(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.app.changes.rows(self.paper_ids):
            for tag in row.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return counts

    def _refresh(self) -> None:
        current = self._current()
        listing = self.query_one("#tag-current", OptionList)
        previous = listing.highlighted or 0
        listing.clear_options()
        many = len(self.paper_ids) > 1
        for tag, count in sorted(current.items(), key=lambda item: item[0].casefold()):
            label = f"#{tag}" + (f"  ({count}/{len(self.paper_ids)})" if many else "")
            listing.add_option(Option(Text(one_line(label)), id=tag))
        if not current:
            listing.add_option(Option("(no tags yet)", id="", disabled=True))
        else:
            # Keep a tag highlighted, so x / Delete work without pressing Down first.
            listing.highlighted = min(previous, len(current) - 1)
        self._suggest(self.query_one("#tag-input", Input).value)

    def _suggest(self, typed: str) -> None:
        full = {t for t, n in self._current().items() if n == len(self.paper_ids)}
        tags = [name for name, _ in self.app.library.tags() if name not in full]
        suggestions = self.query_one("#tag-suggestions", OptionList)
        suggestions.clear_options()
        for tag in rank_tags(typed, tags):
            suggestions.add_option(Option(Text(one_line(tag)), id=tag))
        suggestions.display = suggestions.option_count > 0

    @on(Input.Changed, "#tag-input")
    def _typed(self, event: Input.Changed) -> None:
        self._suggest(event.value)
        self.app.keep_draft(self.draft())

    def draft(self) -> Draft | None:
        """The tag typed so far and not yet added (a draft worth keeping), if any."""
        typed = self.query_one("#tag-input", Input).value
        return Draft(TAG, tuple(self.paper_ids), typed) if typed.strip() else None

    @on(Input.Submitted, "#tag-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.add(event.value)

    @on(OptionList.OptionSelected, "#tag-suggestions")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.add(event.option.id or "")
        self.query_one("#tag-input", Input).focus()

    @busy_safe
    def add(self, tag: str) -> None:
        """Add ``tag`` to the papers and clear the input."""
        tag = tag.strip()
        if not tag:
            return
        self.app.changes.add_tag(self.paper_ids, tag)
        self.changed = True
        self.query_one("#tag-input", Input).value = ""
        self._refresh()

    @busy_safe
    def action_remove_tag(self) -> None:
        """Remove the highlighted tag (in the list of the papers' tags) from the papers."""
        listing = self.query_one("#tag-current", OptionList)
        if not listing.has_focus or listing.highlighted is None:
            return
        tag = listing.get_option_at_index(listing.highlighted).id
        if tag:
            self.app.changes.remove_tag(self.paper_ids, tag)
            self.changed = True
            self._refresh()

    def action_complete(self) -> None:
        """Tab: complete the input with the best suggestion, else move to the next list."""
        field = self.query_one("#tag-input", Input)
        suggestions = self.query_one("#tag-suggestions", OptionList)
        if field.has_focus and field.value.strip() and suggestions.option_count:
            best = suggestions.get_option_at_index(0).id or ""
            if best and best != field.value:
                field.value = best
                field.cursor_position = len(best)
                return
        current = self.query_one("#tag-current", OptionList)
        if not current.has_focus and self._current():
            current.focus()  # Tab, then x: removing a tag is two keys away
            return
        field.focus()

    def action_suggestions(self) -> None:
        """Down from the input moves into the suggestions."""
        suggestions = self.query_one("#tag-suggestions", OptionList)
        if self.query_one("#tag-input", Input).has_focus and suggestions.option_count:
            suggestions.focus()
            suggestions.highlighted = 0
        elif self.focused is not None and hasattr(self.focused, "action_cursor_down"):
            self.focused.action_cursor_down()

    def action_close(self) -> None:
        """Close the editor (a tag typed and not added is let go: no draft)."""
        self.app.keep_draft(None)
        self.dismiss(self.changed)
