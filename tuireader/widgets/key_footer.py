"""The footer: the keys of the current screen, as many whole ones as fit, and the palette key.

Textual's Footer lays its keys out in a grid that, on a narrow terminal, cuts labels mid-word
and lets the palette key overlap them (``^p palettel``). This one draws a single line: it
keeps whole "key label" pairs while they fit, and the palette key only where there is room.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from tuireader.widgets.virtual import theme_style

_GAP = "  "


class KeyFooter(Widget):
    """One line of "key label" pairs for the bindings the screen shows, whole or not at all."""

    COMPONENT_CLASSES = {"key-footer--key", "key-footer--label"}

    def on_mount(self) -> None:
        """Redraw whenever the screen's active bindings change (focus moved, keymap set)."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        """Stop listening."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def items(self) -> list[tuple[str, str]]:
        """(key, label) of each binding shown, one per action, in the screen's order."""
        seen: set[str] = set()
        items = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            items.append((self.app.get_key_display(binding), binding.description))
        return items

    def render(self) -> Text:
        """As many whole pairs as fit; "^p palette" at the right when it fits too."""
        width = self.content_region.width or 80
        key_style = theme_style(self, "key-footer--key")
        label_style = theme_style(self, "key-footer--label")
        palette = ""
        if self.app.ENABLE_COMMAND_PALETTE:
            key = self.app.get_key_display(Binding(self.app.COMMAND_PALETTE_BINDING, ""))
            palette = f"{key} palette"
        text = Text(no_wrap=True, overflow="crop")
        used = 0
        items = self.items()
        for index, (key, label) in enumerate(items):
            piece = len(key) + 1 + len(label) + (len(_GAP) if index else 0)
            if used + piece > width:
                break
            if index:
                text.append(_GAP)
            text.append(key, style=key_style)
            text.append(" " + label, style=label_style)
            used += piece
        if palette and used + len(_GAP) + len(palette) <= width:
            text.append(" " * (width - used - len(palette)))
            key, _, label = palette.partition(" ")
            text.append(key, style=key_style)
            text.append(" " + label, style=label_style)
        return text
