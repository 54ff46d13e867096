"""The config file: theme, keys, web search URL and date format, in TOML (no Textual here).

It lives in the platform's config folder (``tuireader path --config`` prints where) and is never
written unless asked for (``tuireader config --init`` writes the commented default). A file that
cannot be used is never fatal: each problem becomes one line naming the key and the line, the
key falls back to its default, and the reader starts.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tuireader import paths

#: The date format used when the config names none: what the dumps give, ISO 8601.
ISO_DATE = "%Y-%m-%d"

DEFAULT_TEXT = """\
# tuireader configuration. Every setting is optional: delete a line to get the default back.
# Written by `tuireader config --init`; `tuireader path --config` prints where it lives.

# The colour theme, by name: the command palette (ctrl+p, "theme") lists them all, e.g.
# "textual-dark", "textual-light", "nord", "gruvbox", "solarized-light", "tokyo-night".
# When set, it is used at every start; a theme picked in the palette lasts until you quit.
# theme = "textual-dark"

# Where `w` searches the web for a paper; {query} is replaced by the title (URL-quoted).
# The environment variable TUIREADER_SEARCH_URL overrides it.
# web_search_url = "https://arxiv.org/search/?searchtype=title&query={query}"

# How dates are shown (strftime codes); the default is ISO, 2025-03-18.
# date_format = "%d %b %Y"

# Key bindings: a binding id (the help screen, ?, shows each key's id) = one key, or several
# separated by commas. Key names as Textual spells them: "ctrl+x", "f2", "question_mark".
[keys]
# toggle-read = "r"
# toggle-star = "s,f"
# stats = "percent_sign"
"""

_KNOWN = {"theme", "web_search_url", "date_format", "keys"}
_KEY_NAME = re.compile(r"^[^\s,]+$")


def config_file() -> Path:
    """Where the config file is (it may not exist)."""
    return paths.config_dir() / "config.toml"


@dataclass(slots=True)
class Config:
    """The settings read from the config file; every field has a default."""

    theme: str | None = None
    web_search_url: str | None = None
    date_format: str = ISO_DATE
    keys: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    source: str = field(default="", repr=False)

    def problem(self, key: str, message: str, section: str | None = None) -> str:
        """One line about a bad value of ``key`` (in ``[section]``) found later: a theme that
        does not exist, a key binding id no binding has."""
        line = _line_of(self.source, key, section)
        name = f"{section}.{key}" if section else key
        return _problem(self.path or config_file(), line, name, message)

    def format_date(self, iso: str | None) -> str:
        """An ISO date (``2025-03-18``) in the configured format; other text is kept as it is."""
        return format_date(iso, self.date_format)

    @property
    def date_width(self) -> int:
        """How many characters a formatted date takes (for the list's date column)."""
        return max(len(format_date("2025-09-28", self.date_format)), 4)


def format_date(iso: str | None, fmt: str = ISO_DATE) -> str:
    """``iso`` (YYYY-MM-DD) in ``fmt``; "" for None, the text itself when it is no ISO date."""
    if not iso:
        return ""
    if fmt == ISO_DATE:
        return iso
    try:
        return dt.date.fromisoformat(iso[:10]).strftime(fmt)
    except ValueError:
        return iso


def _line_of(text: str, key: str, section: str | None = None) -> int | None:
    """The 1-based line where ``key`` is set (at the top level, or inside ``[section]``)."""
    current: str | None = None
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[] ")
            if current == key and section is None:
                return number  # the table itself: [keys]
            continue
        if current == section and pattern.match(line):
            return number
    return None


def _problem(
    path: Path, line: int | None, key: str, message: str, outcome: str = "using the default"
) -> str:
    where = f"{path} line {line}" if line else str(path)
    return f"config {where}: {key}: {message} ({outcome})"


def load_config(path: Path | None = None) -> tuple[Config, list[str]]:
    """Read the config file; returns the settings and one line per problem found.

    A missing file is no problem: every setting keeps its default.
    """
    path = path or config_file()
    config = Config(path=path)
    try:
        text = config.source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return config, []
    except (OSError, UnicodeDecodeError) as exc:
        return config, [f"config {path}: cannot be read ({exc}); using the defaults"]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = found[1] if found else len(text.splitlines()) if "end of document" in message else 0
        where = f"{path} line {line}" if line else str(path)
        lines = text.splitlines()
        key = re.match(r"\s*([\w.\-\"']+)\s*=", lines[int(line) - 1]) if line and lines else None
        reason = re.sub(r"\s*\(at (line .*?|end of document)\)", "", message) or "not valid TOML"
        named = f"{key[1].strip(chr(34))}: " if key else ""
        return config, [f"config {where}: {named}{reason.lower()} (using the defaults)"]
    problems: list[str] = []

    def text_value(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            problems.append(_problem(path, _line_of(text, key), key, "must be a non-empty string"))
            return None
        return value

    for name in data:
        if name not in _KNOWN:
            known = ", ".join(sorted(_KNOWN))
            problems.append(
                _problem(path, _line_of(text, name), name, f"unknown key (known: {known})", "ignored")
            )
    config.theme = text_value("theme")
    url = text_value("web_search_url")
    if url is not None and "{query}" not in url:
        problems.append(
            _problem(path, _line_of(text, "web_search_url"), "web_search_url", "needs {query}")
        )
        url = None
    config.web_search_url = url
    date_format = text_value("date_format")
    if date_format is not None:
        sample = format_date("2025-09-28", date_format)
        if "%" not in date_format or sample == date_format:
            problems.append(
                _problem(
                    path,
                    _line_of(text, "date_format"),
                    "date_format",
                    "needs strftime codes such as %Y-%m-%d",
                )
            )
        else:
            config.date_format = date_format
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        problems.append(_problem(path, _line_of(text, "keys"), "keys", "must be a [keys] table"))
        keys = {}
    for binding_id, value in keys.items():
        line = _line_of(text, binding_id, "keys")
        names = [part.strip() for part in value.split(",")] if isinstance(value, str) else []
        if not names or not all(_KEY_NAME.match(name) for name in names):
            problems.append(
                _problem(path, line, f"keys.{binding_id}", 'must be keys like "x" or "ctrl+x,f2"')
            )
            continue
        config.keys[binding_id] = ",".join(names)
    return config, problems


def write_default(path: Path | None = None) -> bool:
    """Write the commented default config at ``path``; False (and nothing written) if it exists."""
    path = path or config_file()
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DEFAULT_TEXT, encoding="utf-8")
    return True
