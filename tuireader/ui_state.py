"""What the reader remembers between runs: view, sort, query, cursor and theme (no Textual here).

Stored as JSON in the state folder: the theme for everyone, the rest per library file. A missing
or damaged state file is treated as empty and never stops the app from starting.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from tuireader import paths
from tuireader.models import SORTS, View
from tuireader.ranking.keys import is_ranking_sort


@dataclass(slots=True)
class ViewState:
    """The reader's place in one library."""

    view: View = field(default_factory=View)
    sort: str = "date"
    query: str = ""
    cursor_paper: int | None = None


class UIStateStore:
    """Reads and writes the UI state file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.ui_state_file()

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp = self.path.with_suffix(".tmp")
            temp.write_text(json.dumps(data, indent=2), encoding="utf-8")
            os.replace(temp, self.path)
        except OSError:
            pass  # Remembering is a convenience: a read-only state folder must not break the app.

    def theme(self) -> str | None:
        """The theme chosen last, if any."""
        theme = self._load().get("theme")
        return theme if isinstance(theme, str) else None

    def save_theme(self, theme: str) -> None:
        """Remember the theme."""
        data = self._load()
        data["theme"] = theme
        self._save(data)

    def view_state(self, library: Path) -> ViewState:
        """The state saved for ``library`` (defaults when none or damaged)."""
        raw = self._load().get("libraries", {}).get(str(Path(library).resolve()), {})
        state = ViewState()
        if isinstance(raw, dict):
            if isinstance(raw.get("view"), str):
                # (a state file from elsewhere, or a view that no longer exists: all papers)
                with contextlib.suppress(ValueError):
                    state.view = View.from_text(raw["view"])
            sort = raw.get("sort")
            if isinstance(sort, str) and (sort.removeprefix("-") in SORTS or is_ranking_sort(sort)):
                state.sort = raw["sort"]
            if isinstance(raw.get("query"), str):
                state.query = raw["query"]
            if isinstance(raw.get("cursor_paper"), int):
                state.cursor_paper = raw["cursor_paper"]
        return state

    def save_view_state(self, library: Path, state: ViewState) -> None:
        """Remember ``state`` for ``library``."""
        data = self._load()
        libraries = data.setdefault("libraries", {})
        if not isinstance(libraries, dict):
            libraries = data["libraries"] = {}
        libraries[str(Path(library).resolve())] = {
            "view": state.view.to_text(),
            "sort": state.sort,
            "query": state.query,
            "cursor_paper": state.cursor_paper,
        }
        self._save(data)
