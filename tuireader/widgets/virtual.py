"""Helpers for the line-API widgets: a cached own style, a component's theme colours.

(The quiet virtual-size change is in :mod:`tuireader.widgets.textual_compat`.)
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


class OwnStyle:
    """A widget's own rich style, looked up once per theme and focus.

    ``Widget.rich_style`` walks the DOM: asked for every drawn line it costs more than the line.
    """

    def __init__(self) -> None:
        self.key: tuple[str, bool] | None = None
        self.style = Style()

    def get(self, widget: Widget) -> Style:
        """The style of ``widget`` now (looked up again when the theme or its focus changed)."""
        key = (widget.app.theme, widget.has_focus)
        if key != self.key:
            self.key, self.style = key, widget.rich_style
        return self.style


def theme_style(widget: Widget, component: str) -> Style:
    """The colours and text style a component class sets, resolved against ``widget``.

    A partial style alone keeps ``auto`` and translucent theme colours unresolved (white text
    on a light theme): the colours come from the full style, and only those the component
    itself sets.
    """
    partial = widget.get_component_rich_style(component, partial=True)
    full = widget.get_component_rich_style(component)
    colours = Style(
        color=full.color if partial.color is not None else None,
        bgcolor=full.bgcolor if partial.bgcolor is not None else None,
    )
    return colours + partial.without_color
