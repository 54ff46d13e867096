"""``self.app`` typed as the reader's app, for the screens and widgets that use its services.

Textual types ``app`` as ``App[object]``; the reader's services (library, searcher, changes,
state store, config) live on :class:`tuireader.app.ReaderApp`. Mixed in before ``Screen`` or
``Widget``, :class:`ReaderAppMixin` narrows it for the type checker with Textual's own
``getters.app`` (as Textual itself declares ``app``), so mypy checks every use of a service
instead of failing with "App[Any] has no attribute library". At run time it adds nothing:
``self.app`` is Textual's, which is the running ReaderApp.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual import getters
    from textual.dom import DOMNode

    from tuireader.app import ReaderApp

    _Node = DOMNode
else:
    _Node = object


class ReaderAppMixin(_Node):
    """Mix in first (``class X(ReaderAppMixin, Screen[None])``): ``self.app`` is the ReaderApp."""

    if TYPE_CHECKING:
        app = getters.app(ReaderApp)
