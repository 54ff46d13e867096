"""Web search for a paper, opened in a browser when there is one (no Textual here)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import webbrowser
from urllib.parse import quote, quote_plus

#: Where ``w`` searches; ``{query}`` is the quoted title. Override with TUIREADER_SEARCH_URL.
DEFAULT_SEARCH_URL = "https://arxiv.org/search/?searchtype=title&query={query}"
_CONSOLE_BROWSERS = {"lynx", "w3m", "links", "elinks", "www-browser"}


def search_url(title: str, template: str | None = None) -> str:
    """The web search URL for a paper title.

    ``TUIREADER_SEARCH_URL`` wins over ``template`` (the config file's), then the default.
    """
    template = os.environ.get("TUIREADER_SEARCH_URL") or template or DEFAULT_SEARCH_URL
    return template.replace("{query}", quote_plus(title))


#: A paper's own page on arXiv, where the dump gave its identifier.
ARXIV_ABS_URL = "https://arxiv.org/abs/{id}"


def paper_url(title: str, arxiv_id: str | None = None, template: str | None = None) -> str:
    """The paper's arXiv abstract page when its identifier is known, else a title search."""
    if arxiv_id:
        return ARXIV_ABS_URL.format(id=quote(arxiv_id, safe="/."))
    return search_url(title, template)
def browser_command() -> list[str] | None:
    """The first command of $BROWSER (remote editors set it to open the user's own browser)."""
    for entry in os.environ.get("BROWSER", "").split(os.pathsep):
        try:
            words = shlex.split(entry)
        except ValueError:
            continue
        if words:
            return words
    return None


def browser_problem() -> str | None:
    """Why no graphical browser can be opened from here, or None when one can.

    $BROWSER is trusted even over ssh or without a display: editors that run tuireader on a
    remote machine set it to a helper that opens the user's own browser.
    """
    command = browser_command()
    if command:
        if os.path.basename(command[0]) in _CONSOLE_BROWSERS:
            return "Only a terminal browser is set up ($BROWSER): open this URL elsewhere"
        return None
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return "Over ssh: open this URL on your own machine"
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return "No graphical browser here: open this URL elsewhere"
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return "No browser found: open this URL elsewhere"
    if getattr(browser, "name", "") in _CONSOLE_BROWSERS:
        return "Only a terminal browser is set up: open this URL elsewhere"
    return None


def open_in_browser(url: str) -> str | None:
    """Open ``url`` in a browser; return None on success, else why it could not (to show the URL)."""
    problem = browser_problem()
    if problem:
        return problem
    command = browser_command()
    if command:
        return _run_browser(command, url)
    try:
        opened = webbrowser.open(url, new=2)
    except webbrowser.Error:
        opened = False
    return None if opened else "The browser did not start: open this URL yourself"


def _run_browser(command: list[str], url: str) -> str | None:
    """Start $BROWSER's command on ``url`` ("%s" in it stands for the URL), without waiting."""
    if any("%s" in word for word in command):
        args = [word.replace("%s", url) for word in command]
    else:
        args = [*command, url]
    try:
        subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return f"$BROWSER could not be started ({exc.strerror or exc}): open this URL yourself"
    return None
