"""Where tuireader keeps things: every platformdirs call lives here.

``TUIREADER_HOME`` (a folder) replaces all platform locations, which tests and portable set-ups
use; ``TUIREADER_LIBRARY`` or ``--library`` choose the library file itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "tuireader"


def _home() -> Path | None:
    home = os.environ.get("TUIREADER_HOME")
    return Path(home).expanduser() if home else None


def data_dir() -> Path:
    """The folder that holds the library and the demo library."""
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """The folder that holds UI state between runs (view, sort, cursor, theme)."""
    home = _home()
    return home / "state" if home else Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The folder for log files: the traceback of an unexpected error, the ``--debug`` log."""
    home = _home()
    return home / "log" if home else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_library() -> Path:
    """The library file used when neither ``--library`` nor ``TUIREADER_LIBRARY`` is given."""
    return data_dir() / "library.db"


def demo_library() -> Path:
    """The demo library: a separate file, so the demo never touches the real library."""
    return data_dir() / "demo.db"


def resolve_library(cli_path: str | os.PathLike[str] | None) -> Path:
    """The library path: ``--library``, then ``TUIREADER_LIBRARY``, then the default."""
    if cli_path:
        return Path(cli_path).expanduser()
    env = os.environ.get("TUIREADER_LIBRARY")
    if env:
        return Path(env).expanduser()
    return default_library()


def ui_state_file() -> Path:
    """The JSON file that remembers view, sort, query, cursor and theme per library."""
    return state_dir() / "ui-state.json"


def config_dir() -> Path:
    """The folder that holds the config file (``config.toml``)."""
    home = _home()
    return (
        home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    )
