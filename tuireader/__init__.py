"""tuireader: a keyboard-driven terminal reader for research-paper listing dumps."""

__version__ = "0.1.0"
