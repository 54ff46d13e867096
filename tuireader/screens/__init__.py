"""Screens of the reader: main list, reading view, tag editor, help and dialogs."""
