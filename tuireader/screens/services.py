"""What the app hands the main screen when it makes it: the services it works with.

Attributes down: the main screen reads these, never the app's own attributes, so the app can
make it with any library, searcher or change queue (and mypy checks each use).
"""

from __future__ import annotations

from dataclasses import dataclass

from tuireader.changes import ChangeQueue
from tuireader.library import Library
from tuireader.search import Searcher
from tuireader.ui_state import UIStateStore


@dataclass(frozen=True, slots=True)
class Services:
    """The library, its searcher, the queue every change goes through, the state store."""

    library: Library
    searcher: Searcher
    changes: ChangeQueue
    state_store: UIStateStore
    #: How often the library file is checked for other writers' commits (seconds).
    poll_interval: float = 2.0
