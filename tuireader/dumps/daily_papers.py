"""Layouts B and C: Hugging Face papers pages (daily lists, search results) and bare listings.

A paper is found by its structure, never by the page's wording: an abstract is long prose, its
title is the short line before it, and the metadata block after it belongs to it. The page as
it is today puts an upvote line before each title (a number, or "-" when nobody upvoted yet);
pages saved in 2025 have none::

    14                                                   (upvotes; current pages only)
    <title>
    <abstract>
      • 5 authors          or   facebook AI at Meta      (who-line)
    ·
    Oct 13 3                                             (date, then the comment count)

Every line that belongs to no paper is page chrome (headers, the period selector, a second page
pasted below the first) and is skipped silently; a line shaped like a paper that lost its
abstract is skipped with a warning. The bare listing (C) has title/abstract pairs and nothing
else. An author-page entry pasted into such a page is read by the author-page rules.
"""

from __future__ import annotations

from tuireader.dumps.author_page import META_LINE, split_title_authors
from tuireader.dumps.common import (
    capture_year,
    clean_lines,
    looks_like_abstract,
    resolve_date,
)
from tuireader.dumps.daily_papers_lines import (
    _AUTHORS,
    _CUT_OFF,
    _DATE_LINE,
    _MAX_META_LENGTH,
    _Item,
    _kind,
    is_chrome_hint,
)
from tuireader.models import (
    LAYOUT_DAILY_PAPERS,
    LAYOUT_LISTING,
    ParsedPaper,
    ParseResult,
    ParseWarning,
    WarningKind,
)


class _Reader:
    """One pass over the classified lines of a page."""

    def __init__(self, items: list[_Item]) -> None:
        self.items = items
        self.papers: list[ParsedPaper] = []
        self.warnings: list[ParseWarning] = []
        self.page_date: str | None = None
        self.blocks = 0
        #: Which items are titles (see :meth:`is_title`), worked out once for every item.
        self.titles = self._titles()
        self.last_title = max(
            (i for i, title in enumerate(self.titles) if title), default=len(items)
        )
        #: Today's layout: an upvote line stands before the titles.
        self.current = any(
            title and items[i - 1].kind == "upvotes" for i, title in enumerate(self.titles) if i
        )

    def _titles(self) -> list[bool]:
        """:meth:`is_title` of every item, cheapest test first (the next line is long prose)."""
        items = self.items
        prose = [item.kind == "text" and looks_like_abstract(item.text) for item in items]
        prose.append(False)
        titles = [False] * len(items)
        for i, item in enumerate(items):
            if (
                item.kind == "text"
                and not prose[i]
                and (prose[i + 1] or self.is_abstract(i + 1))
                and META_LINE.match(item.text) is None
            ):
                titles[i] = True
        return titles

    def kind(self, i: int) -> str | None:
        return self.items[i].kind if 0 <= i < len(self.items) else None

    def is_abstract(self, i: int) -> bool:
        """Long prose; or a shorter sentence that a metadata block follows (the structure says
        it is an abstract even when it ends in a link rather than a full stop)."""
        if self.kind(i) != "text":
            return False
        text = self.items[i].text
        if looks_like_abstract(text):
            return True
        return len(text) >= 60 and text.count(" ") >= 8 and self.is_block_start(i + 1)

    def is_title(self, i: int) -> bool:
        """A short text line with an abstract right after it."""
        return 0 <= i < len(self.titles) and self.titles[i]

    def is_block_start(self, i: int) -> bool:
        """Does a metadata block start at ``i``: an author count, a who-line before a dot, or
        (where a browser dropped the dot) an organisation between an abstract and a date?"""
        kind = self.kind(i)
        if kind in ("authors", "dot"):
            return True
        if kind != "text" or looks_like_abstract(self.items[i].text):
            return False
        if self.kind(i + 1) == "dot":
            return True
        return (
            self.kind(i + 1) == "date"
            and self.kind(i - 1) == "text"
            and looks_like_abstract(self.items[i - 1].text)
        )

    def read(self) -> None:
        items = self.items
        i = 0
        while i < len(items):
            item = items[i]
            if self.titles[i]:  # (a title is no metadata line: the two tests never both pass)
                i = self._paper(i)
            elif item.kind == "text" and META_LINE.match(item.text) and self.kind(i + 1) == "text":
                i = self._author_entry(i)
            elif self.is_block_start(i):
                self.warnings.append(
                    ParseWarning(item.line, "metadata block with no paper before it")
                )
                i = self._block(i, ParsedPaper("", "", item.line), quiet=True)
            elif item.kind == "date":
                if _DATE_LINE.match(item.text)["comments"] is None:  # type: ignore[index]
                    if not self.papers and self.page_date is None:
                        self.page_date = item.text  # later ones: a second page pasted below
                else:
                    self.warnings.append(
                        ParseWarning(
                            item.line,
                            f"unexpected line skipped: {item.text!r}",
                            WarningKind.SKIPPED,
                        )
                    )
                i += 1
            elif item.kind == "text":
                i = self._orphan(i)
            else:  # an upvote line before no paper: chrome
                i += 1

    def _paper(self, i: int) -> int:
        title, abstract = self.items[i], self.items[i + 1]
        paper = ParsedPaper(title=title.text, abstract=abstract.text, line=title.line)
        if self.kind(i - 1) == "upvotes":
            votes = self.items[i - 1].text
            paper.upvotes = 0 if votes == "-" else int(votes)
        i += 2
        if self.is_block_start(i) or self.kind(i) == "date":  # (a date alone: the dot was lost)
            i = self._block(i, paper)
        self.papers.append(paper)
        return i

    def _orphan(self, i: int) -> int:
        """A text line that is no title: a paper that lost its abstract, or page chrome."""
        item = self.items[i]
        if looks_like_abstract(item.text):
            self.warnings.append(
                ParseWarning(
                    item.line, "skipped an abstract with no title before it", WarningKind.SKIPPED
                )
            )
            return i + 1
        if is_chrome_hint(item.text) or META_LINE.match(item.text):
            return i + 1
        after_upvotes = self.kind(i - 1) == "upvotes"
        if self.papers and (after_upvotes or not self.current) and self._cut_abstract(i + 1):
            cut = self.items[i + 1]
            self.papers.append(ParsedPaper(title=item.text, abstract=cut.text, line=item.line))
            if after_upvotes:
                votes = self.items[i - 1].text
                self.papers[-1].upvotes = 0 if votes == "-" else int(votes)
            self.warnings.append(ParseWarning(item.line, _CUT_OFF))
            return i + 2
        block_follows = self.is_block_start(i + 1)
        at_end = i + 1 == len(self.items)
        if self.current:
            # Every title has its upvote line: "upvotes, title" then the next paper, or nothing
            # more of a paper before the page ends.
            damaged = after_upvotes and (
                i > self.last_title or (self.kind(i + 1) == "upvotes" and self.is_title(i + 2))
            )
        else:
            # "title, title, abstract" or a title on the last line, once papers have begun.
            damaged = bool(self.papers) and (self.is_title(i + 1) or at_end)
        if damaged or block_follows:
            self.warnings.append(
                ParseWarning(
                    item.line,
                    f"skipped a title with no abstract: {item.text!r}",
                    WarningKind.SKIPPED,
                )
            )
            if block_follows:
                return self._block(i + 1, ParsedPaper("", "", item.line), quiet=True)
        return i + 1

    def _cut_abstract(self, i: int) -> bool:
        """Is ``items[i]`` the start of an abstract that the end of the page cut off?"""
        if i != len(self.items) - 1 or self.kind(i) != "text":
            return False
        text = self.items[i].text
        return len(text) >= 40 and text.count(" ") >= 5 and not is_chrome_hint(text)

    def _block(self, i: int, paper: ParsedPaper, *, quiet: bool = False) -> int:
        """Read the metadata block starting at ``items[i]`` into ``paper``; return the next index."""
        self.blocks += 1
        who = self.items[i]
        if who.kind == "authors":
            match = _AUTHORS.match(who.text)
            assert match is not None
            paper.author_count = int(match["count"])
            i += 1
        elif who.kind == "date":
            pass  # a block of a date alone
        elif who.kind == "text":
            handle, _, name = who.text.partition(" ")
            paper.org_handle = handle
            paper.organization = name.strip() or handle
            i += 1
        if self.kind(i) == "dot":
            i += 1
        if self.kind(i) == "date":
            match = _DATE_LINE.match(self.items[i].text)
            assert match is not None
            paper.published_raw = match["date"]
            i += 1
            if match["comments"]:
                paper.comments = int(match["comments"])
            elif self.kind(i) == "upvotes" and self.kind(i + 1) == "upvotes":
                # "May 29" / "6" / "14": the comment count on a line of its own, then upvotes.
                paper.comments = int(self.items[i].text) if self.items[i].text != "-" else 0
                i += 1
        elif not quiet:
            self.warnings.append(
                ParseWarning(who.line, "metadata block has no date line; date left empty")
            )
        return i

    def _author_entry(self, i: int) -> int:
        """An author-page entry inside this page: metadata line, title with authors, abstract."""
        meta = META_LINE.match(self.items[i].text)
        assert meta is not None
        body = self.items[i + 1]
        if not self.is_abstract(i + 2):
            self.warnings.append(
                ParseWarning(
                    self.items[i].line,
                    "skipped an author-page entry with no abstract",
                    WarningKind.SKIPPED,
                )
            )
            return i + 2
        split = split_title_authors(body.text)
        title, authors, truncated = split if split else (body.text, None, False)
        paper = ParsedPaper(
            title=title,
            abstract=self.items[i + 2].text,
            line=body.line,
            authors=authors,
            authors_truncated=truncated,
            author_count=None if truncated or authors is None else len(authors),
            published_raw=meta["date"],
            has_code=meta["code"] is not None,
            category=meta["category"],
            score=float(meta["score"]) if meta["score"] else None,
        )
        self.papers.append(paper)
        return i + 3

    def check_end(self) -> None:
        """Warn when the page seems cut off inside its last paper."""
        if not self.papers or any(w.message == _CUT_OFF for w in self.warnings):
            return
        last_item = self.items[-1]
        if last_item.kind == "upvotes" and any(p.upvotes is not None for p in self.papers):
            self.warnings.append(
                ParseWarning(
                    last_item.line,
                    "the page ends after an upvote count: skipped the paper it begins (cut off)",
                    WarningKind.SKIPPED,
                )
            )
            return
        if not self.blocks:
            return
        last = self.papers[-1]
        tail = [item for item in self.items if item.line > last.line]
        if len(tail) == 1 and not last.abstract.rstrip().endswith((".", "!", "?", ")", '"')):
            self.warnings.append(ParseWarning(last.line, _CUT_OFF))


def parse_daily_papers(
    text: str | list[str], *, year: int | None = None, today=None
) -> ParseResult:
    """Parse a Hugging Face papers page (layout B) or a bare listing (layout C)."""
    lines = clean_lines(text)
    # Short lines repeat (the dot, upvote counts, dates, author counts): each text is
    # classified once.
    kinds: dict[str, str] = {}
    items = [
        _Item(
            n,
            "text"
            if len(line) > _MAX_META_LENGTH
            else kinds.get(line) or kinds.setdefault(line, _kind(line)),
            line,
        )
        for n, line in enumerate(lines, start=1)
        if line
    ]
    reader = _Reader(items)
    reader.read()
    reader.check_end()
    papers = reader.papers
    has_upvotes = any(p.upvotes is not None for p in papers)
    layout = LAYOUT_DAILY_PAPERS if reader.blocks or has_upvotes else LAYOUT_LISTING
    dates = [p.published_raw for p in papers if p.published_raw]
    resolved_year = year or capture_year(dates, reader.page_date, today=today)
    for paper in papers:
        if paper.published_raw:
            paper.published = resolve_date(paper.published_raw, resolved_year)
    warnings = sorted(reader.warnings, key=lambda warning: warning.line)
    page_date = reader.page_date
    return ParseResult(
        layout,
        papers,
        warnings,
        page_date=resolve_date(page_date, resolved_year) if page_date else None,
        capture_year=resolved_year,
    )
