"""Keep the UI alive when a write is refused (read-only, damaged, full disk): a message, not a crash."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from tuireader.library import LibraryError
from tuireader.textsafe import one_line

F = TypeVar("F", bound=Callable[..., Any])


def busy_safe(method: F) -> F:
    """Wrap a screen action (or callback) so that a refused write shows as a warning line."""

    @functools.wraps(method)
    def wrapper(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except LibraryError as exc:
            self.app.notify(one_line(exc), severity="warning", timeout=5, markup=False)
            return None

    return wrapper  # type: ignore[return-value]


def shielded(app: Any, callback: F) -> F:
    """Like :func:`busy_safe`, for a dialog's result callback (a plain function)."""

    @functools.wraps(callback)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except LibraryError as exc:
            app.notify(one_line(exc), severity="warning", timeout=5, markup=False)
            return None

    return wrapper  # type: ignore[return-value]


def damage_found(library: Any, error: BaseException) -> str | None:
    """The one line for an error that was SQLite finding the file damaged (remembered, so
    every later command refuses the file at once); None for any other error."""
    from tuireader.library import LibraryDamaged
    from tuireader.library.opening import damage_problem, damaged_message

    if isinstance(error, LibraryDamaged):
        return str(error)
    problem = damage_problem(error)
    if problem is None:
        return None
    library.mark_damaged(problem)
    return damaged_message(library.path, problem)
