"""The main screen's ranking actions: triage (``T``), more like this (``m``), watch (``W``), and
keeping the models current in the background while the reader stars and tags.
"""

from __future__ import annotations

import contextlib

from textual import work

from tuireader.library import LibraryError
from tuireader.models import Clause, Kind, View, ViewKind, counted
from tuireader.ranking import FOR_YOU, MIN_STARRED_FOR_YOU, is_ranking_sort, ranking_key
from tuireader.screens.guard import busy_safe
from tuireader.screens.main_actions import DialogActions
from tuireader.screens.main_base import sort_label
from tuireader.screens.triage import TriageQueue, TriageScreen
from tuireader.search import QueryError, view_clauses
from tuireader.textsafe import one_line

#: A corpus of a library this small is built on a key's path (~50 ms a thousand papers);
#: a bigger one in the background first.
BUILD_INLINE_PAPERS = 3000


class TriageActions(DialogActions):
    """Triage, more like this, watches, and the background learning of the models."""

    def on_mount(self) -> None:
        """As the list's on_mount; then, when a model will be wanted, learn it in the background."""
        super().on_mount()
        if self._wants_model():
            self.call_after_refresh(self.learn)

    # -- the models ------------------------------------------------------------------------------
    def _model_keys(self) -> list[str]:
        key = ranking_key(self.sort)
        return [FOR_YOU] + ([key] if key and key != FOR_YOU else [])

    def _wants_model(self) -> bool:
        """Is a model in use (a ranking sort shown, or enough stars for triage's order)?"""
        ranker = self.app.ranker
        if is_ranking_sort(self.sort) or any(ranker.is_ready(k) for k in self._model_keys()):
            return True
        return self._counts.get("starred", 0) >= MIN_STARRED_FOR_YOU

    #: A refresh is running; another was asked for meanwhile (it runs when this one ends).
    _learning = False
    _learn_again = False

    def learn(self) -> None:
        """Bring the models in use up to date in the background (one refresh at a time; asked
        while one runs, another follows it); then show the new order and reasons."""
        if self._learning:
            self._learn_again = True
            return
        self._learning = True
        self._learn_worker(self._model_keys())

    @work(thread=True, group="ranking")
    def _learn_worker(self, keys: list[str]) -> None:
        """The refresh, in a thread at the lowest CPU priority (the first build reads every
        abstract: seconds at 100k papers)."""
        from tuireader.app import at_low_priority

        try:
            changed = at_low_priority(lambda: self.app.ranker.refresh(keys))
        except LibraryError:
            changed = False  # (a busy or damaged file: the orders stay as they were)
        self.app.call_from_thread(self._learned, changed)

    def _learned(self, changed: bool) -> None:
        self._learning = False
        if self._learn_again:
            self._learn_again = False
            self.learn()
        if not changed:
            return
        if is_ranking_sort(self.sort) or self.view.kind is ViewKind.SIMILAR:
            self.run_search(keep=self.papers.current_id)
        self.show_paper(self.papers.current_id)
        self._update_status()

    def run_search(self, keep: int | None = None) -> None:
        """As the list's search; a model's order not learned yet is learned meanwhile."""
        super().run_search(keep)
        key = ranking_key(self.sort)
        if key is not None and not self.app.ranker.is_ready(key):
            self.learn()

    def sort_text(self) -> str:
        """The sort's name; a model's order says when it is still learning or cannot yet."""
        label = super().sort_text()
        key = ranking_key(self.sort)
        if key is None:
            return label
        if not self.app.ranker.is_ready(key):
            return f"{label} (learning…; date meanwhile)"
        if self.app.ranker.current(key) is None:
            return f"{label} (star or tag papers to teach it; date meanwhile)"
        return label

    def _after_change(self, message: str | None = None, *, research: bool = False) -> None:
        super()._after_change(message, research=research)
        if self._wants_model():
            self.learn()  # (stars or tags may have changed: refitted in the background)

    def show_paper(self, paper_id: int | None) -> None:
        """The paper in the pane; in a model's order, with the words that ranked it."""
        from tuireader.widgets.abstract_pane import AbstractPane

        key = ranking_key(self.sort)
        reasons = self.app.ranker.reasons(paper_id, key) if key and paper_id is not None else []
        pane = self.query_one(AbstractPane)
        pane.show(self.services.changes.paper(paper_id), self.papers.pattern, reasons=reasons)

    def view_label(self) -> str:
        """As View.label, with the title of the paper a "more like this" view is about."""
        if self.view.kind is ViewKind.SIMILAR:
            paper = self.library.get_paper(self.view.paper)
            if paper is not None:
                title = paper.title if len(paper.title) <= 40 else paper.title[:39] + "…"
                return f"like “{title}”"
        return super().view_label()

    # -- triage ----------------------------------------------------------------------------------
    @busy_safe
    def action_triage(self) -> None:
        """Triage: the unread papers of the view (new in the last import, else all unread),
        best first, one key a decision."""
        try:
            queue = self.triage_queue()
        except (QueryError, LibraryError) as exc:
            self._update_status(one_line(str(exc)))
            return
        self.app.push_screen(TriageScreen(queue), self._triage_closed)

    def triage_queue(self) -> TriageQueue:
        """What triage goes through from here: the list's unread papers when a search or a view
        narrows it, else the last import's unread ones, else every unread paper."""
        view, label = self.view, self.view_label()
        if not self.query_text.strip() and view.kind is ViewKind.ALL:
            batch = self.library.last_batch()
            view, label = View(ViewKind.UNREAD), "all unread"
            if batch:
                imported = View(ViewKind.IMPORT, imports=tuple(int(str(r["id"])) for r in batch))
                if self._unread_ids(imported, "date"):
                    view, label = imported, "new in the last import"
        sort = self.sort
        key = ranking_key(sort)
        ranker = self.app.ranker
        starred = self._counts.get("starred", 0)
        if key is None and starred >= MIN_STARRED_FOR_YOU and ranker.current(FOR_YOU) is not None:
            sort, key = FOR_YOU, FOR_YOU  # best first: what you starred says what is best
        order = sort_label(sort)
        if key is not None and ranker.current(key) is None:
            key, order = None, "date (the model is still learning)"  # (the engine's fallback)
        if view.kind is ViewKind.SIMILAR:
            order = "most like it first"
        ids = self._unread_ids(view, sort)
        return TriageQueue(tuple(ids), label, order, key)

    def _unread_ids(self, view: View, sort: str) -> list[int]:
        extra = [*view_clauses(view.to_text()), Clause(Kind.IS, "unread")]
        result = self.services.searcher.search(self.query_text, extra=extra, sort=sort)
        ids = list(result.ids)
        if self.services.changes.pending:  # (a change waiting for the lock counts as made)
            unread = {row.id for row in self.services.changes.rows(ids) if not row.read}
            ids = [i for i in ids if i in unread]
        return ids

    def _triage_closed(self, reached: int | None = None) -> None:
        """Back from triage: everything it changed shows; the cursor on the paper reached."""
        self.services.searcher.invalidate()
        self._after_change(research=True)
        if reached is not None and reached in self.papers.ids:
            self.papers.move_to(self.papers.ids.index(reached))

    # -- more like this --------------------------------------------------------------------------
    def action_more_like_this(self) -> None:
        """Show the papers most like the one under the cursor (a view one can triage)."""
        current = self.papers.current_id
        if current is None:
            return
        ranker = self.app.ranker
        if ranker.corpus_ready or self._counts.get("papers", 0) <= BUILD_INLINE_PAPERS:
            self._show_similar(current)
            return
        self._update_status("reading every abstract to find papers like this one…")
        self._similar_worker(current)

    @work(thread=True, exclusive=True, group="ranking-similar")
    def _similar_worker(self, paper_id: int) -> None:
        from tuireader.app import at_low_priority

        try:
            at_low_priority(self.app.ranker.corpus)
        except LibraryError as exc:
            self.app.call_from_thread(self._update_status, one_line(str(exc)))
            return
        self.app.call_from_thread(self._show_similar, paper_id)

    def _show_similar(self, paper_id: int) -> None:
        self.set_view(View(ViewKind.SIMILAR, paper=paper_id))
        self.papers.move_to(0)
        self._update_status(f"{counted(self._shown, 'paper')} like this one (T triages them)")

    # -- watches ---------------------------------------------------------------------------------
    def action_watch(self) -> None:
        """Watch (or stop watching) the paper's first author, or its organisation."""
        from tuireader.screens.dialogs import WatchMenu

        paper = self.services.changes.paper(self.papers.current_id)
        if paper is None:
            return
        choices = []
        if paper.authors:
            choices.append(("author", paper.authors[0]))
        if paper.organization:
            choices.append(("org", paper.organization))
        if not choices:
            self._update_status("this paper names no author or organisation to watch")
            return
        if len(choices) == 1:
            self._toggle_watch(*choices[0])
            return
        marked = [self.library.is_watched(kind, name) for kind, name in choices]
        self.app.push_screen(
            WatchMenu(choices, marked),
            lambda choice=None: self._toggle_watch(*choice) if choice else None,
        )

    @busy_safe
    def _toggle_watch(self, kind: str, name: str) -> None:
        what = "author" if kind == "author" else "organisation"
        if self.library.is_watched(kind, name):
            self.library.unwatch(kind, name)
            self._update_status(one_line(f"stopped watching {what} {name}"))
        else:
            self.library.watch(kind, name)
            self._update_status(one_line(f"watching {what} {name}: v shows its papers, with how many are new"))

    def set_view(self, view: View, query: str | None = None) -> None:
        """Show ``view``; a watch's view opened makes its papers no longer new."""
        if view.kind is ViewKind.WATCH:
            with contextlib.suppress(LibraryError):  # (read-only: the count stays)
                self.library.watch_opened(view.watch, view.tag)
        super().set_view(view, query)
