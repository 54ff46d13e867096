"""Widgets of the reader: the virtual paper list and the abstract pane."""
