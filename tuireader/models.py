"""Plain data classes shared by the parsers, the library and the UI (no SQL, no Textual)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

LAYOUT_AUTHOR_PAGE = "author-page"
LAYOUT_DAILY_PAPERS = "daily-papers"
LAYOUT_LISTING = "listing"
LAYOUT_ARXIV = "arxiv"
LAYOUT_TUIREADER_JSON = "tuireader-json"


_NOT_ALNUM = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """Return the identity key of a title: Unicode, case, punctuation and spaces folded.

    "Qwen2.5 Technical Report" -> "qwen25technicalreport"; accents are dropped, letters of other
    scripts are kept.
    """
    folded = unicodedata.normalize("NFKD", title.casefold())
    return _NOT_ALNUM.sub("", folded)


_WORD = re.compile(r"\w+", re.UNICODE)


def fold_text(text: str) -> str:
    """Lower-case ``text`` and strip accents, keeping word boundaries (for matching)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(slots=True)
class ParsedPaper:
    """One paper as read from a dump, before it meets the library.

    Unknown values are ``None``: a dump that does not say something leaves it unknown.
    """

    title: str
    abstract: str
    line: int
    authors: list[str] | None = None
    authors_truncated: bool = False
    author_count: int | None = None
    organization: str | None = None
    org_handle: str | None = None
    published: str | None = None
    published_raw: str | None = None
    upvotes: int | None = None
    comments: int | None = None
    has_code: bool | None = None
    category: str | None = None
    score: float | None = None
    arxiv_id: str | None = None
    #: arXiv category codes, primary first, separated by spaces ("q-fin.PR math.PR").
    subjects: str | None = None
    #: What an arXiv page prints after "Comments:" ("45 pages"); not the comment count.
    arxiv_comments: str | None = None
    #: What an arXiv page prints after "Journal-ref:".
    journal_ref: str | None = None

    @property
    def key(self) -> str:
        """The identity key of this paper (see :func:`title_key`)."""
        return title_key(self.title)


class WarningKind(StrEnum):
    """What a parse warning is about: something left out, or something kept but doubtful."""

    SKIPPED = "skipped"
    DOUBTFUL = "doubtful"


@dataclass(slots=True, frozen=True)
class ParseWarning:
    """Something skipped or doubtful in a dump, with the 1-based line it concerns."""

    line: int
    message: str
    kind: WarningKind = WarningKind.DOUBTFUL

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(slots=True)
class ParseResult:
    """What a parser read from one dump."""

    layout: str
    papers: list[ParsedPaper]
    warnings: list[ParseWarning] = field(default_factory=list)
    page_date: str | None = None
    capture_year: int | None = None


#: The keys the JSON/JSONL export adds after the paper's fields, so that merging the export
#: into another library (``tuireader merge -``) carries every state with its time, the tags
#: with their dates (and removals), the note's earlier texts and the dumps it was seen in.
SYNC_KEYS = (
    "cite_key",
    "upvotes_seen_on",
    "comments_seen_on",
    "read_at",
    "starred_at",
    "notes_at",
    "tag_dates",
    "state_times",
    "removed_tags",
    "notes_history",
    "sightings",
)


class DumpError(ValueError):
    """A dump rejected whole (empty, binary, not UTF-8, unrecognisable)."""


@dataclass(slots=True)
class Paper:
    """A paper as stored in the library, with the reader's own state."""

    id: int
    title: str
    abstract: str
    authors: list[str] | None
    authors_truncated: bool
    author_count: int | None
    organization: str | None
    org_handle: str | None
    published: str | None
    published_raw: str | None
    upvotes: int | None
    has_code: bool | None
    category: str | None
    score: float | None
    read: bool
    starred: bool
    notes: str | None
    added_at: str
    tags: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    #: The comment count the page printed after the date (seed-era pages: their only number).
    comments: int | None = None
    #: The arXiv identifier ("2506.01234"), when the dump gave one.
    arxiv_id: str | None = None
    #: arXiv category codes, primary first, separated by spaces ("q-fin.PR math.PR").
    subjects: str | None = None
    #: What an arXiv page prints after "Comments:" ("45 pages"); not the comment count.
    arxiv_comments: str | None = None
    #: What an arXiv page prints after "Journal-ref:".
    journal_ref: str | None = None
    #: The citation key the library gave the paper (see :mod:`tuireader.citekeys`).
    cite_key: str | None = None
    #: What a merge elsewhere needs (:data:`SYNC_KEYS`), filled only for the JSON/JSONL export.
    sync: dict[str, object] | None = None

    @property
    def who(self) -> str:
        """A short "who wrote it" line: organisation, first authors or an author count."""
        return who_line(self.organization, self.authors, self.authors_truncated, self.author_count)


def counted(n: int, noun: str) -> str:
    """ "1 paper", "3 papers": a count with its noun, singular or plural."""
    return f"{n} {noun}" + ("s" if n != 1 else "")


def who_line(
    organization: str | None, authors: list[str] | None, truncated: bool, count: int | None
) -> str:
    """Organisation, else the first two authors (+ "et al."), else "N authors", else ""."""
    if organization:
        return organization
    if authors:
        shown = ", ".join(authors[:2])
        return shown + (" et al." if len(authors) > 2 or truncated else "")
    if count:
        return counted(count, "author")
    return ""


@dataclass(slots=True, frozen=True)
class PaperRow:
    """The light view of a paper that one line of the paper list needs."""

    id: int
    title: str
    published: str | None
    who: str
    upvotes: int | None
    read: bool
    starred: bool
    tags: tuple[str, ...]
    comments: int | None = None


class Kind(StrEnum):
    """What a clause of a query asks for (a ``str``: ``Kind.TAG == "tag"``)."""

    TEXT = "text"  #: a word: title, authors, organisation, notes or abstract
    PHRASE = "phrase"  #: exact words in order
    TAG = "tag"
    AUTHOR = "author"
    ORG = "org"  #: organisation name or handle
    YEAR = "year"  #: ``low``..``high``, either open
    IS = "is"  #: read, unread, starred, unstarred
    HAS = "has"  #: code, notes, tags, upvotes, comments, arxiv
    IMPORT = "import"  #: papers first seen in the imports ``import_ids``
    SIMILAR = "similar"  #: the papers most like paper ``value`` (an id), by their words


@dataclass(slots=True, frozen=True)
class Clause:
    """One condition of a parsed search query, which the search engine turns into a set of ids.

    A text word matches words that start with it when ``prefix`` is set (the word being
    typed); ``alternatives`` are the indexed words a typo may have meant.
    """

    kind: Kind
    value: str = ""
    negated: bool = False
    alternatives: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    prefix: bool = True
    import_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        # A kind given as its text ("tag") becomes the enum member: equal and equally hashed.
        object.__setattr__(self, "kind", Kind(self.kind))


#: The sorts ``o`` cycles through; "foryou" is a model's order (tuireader.ranking), as are the
#: ``like:TAG`` sorts the view picker offers per tag.
SORTS = ("date", "upvotes", "comments", "title", "added", "foryou")


@dataclass(slots=True, frozen=True)
class RankingLabels:
    """What the reader said of papers, as the ranking learns from it: starred, read, tagged
    (tag names folded to lower case)."""

    starred: frozenset[int] = frozenset()
    read: frozenset[int] = frozenset()
    tags: dict[str, frozenset[int]] = field(default_factory=dict)

    def liked(self) -> frozenset[int]:
        """Papers starred or tagged: the positives of the "for you" model."""
        tagged: set[int] = set().union(*self.tags.values()) if self.tags else set()
        return self.starred | tagged

    def passed(self) -> frozenset[int]:
        """Papers read and neither starred nor tagged: the negatives."""
        return self.read - self.liked()


@dataclass(slots=True, frozen=True)
class Sighting:
    """One dump a paper was seen in: which import, when, and what the page said then."""

    import_id: int
    file: str
    imported_at: str
    page_date: str | None
    upvotes: int | None
    published_raw: str | None
    comments: int | None = None


class ViewKind(StrEnum):
    """The views the reader offers (the v picker): every paper, a state, a tag, new in imports."""

    ALL = "all"
    UNREAD = "unread"
    STARRED = "starred"
    TAG = "tag"
    IMPORT = "import"
    SIMILAR = "similar"
    WATCH = "watch"


#: What a watch follows: a paper's (first) author, or its organisation.
WATCH_KINDS = ("author", "org")


@dataclass(slots=True, frozen=True)
class Watch:
    """A watched author or organisation, and when its view was last opened (ISO time)."""

    kind: str
    name: str
    opened_at: str

    def view(self) -> View:
        """The view of the watched name's papers."""
        return View(ViewKind.WATCH, tag=self.name, watch=self.kind)
_IMPORT_IDS = re.compile(r"\d+(,\d+)*")


@dataclass(slots=True, frozen=True)
class View:
    """A view of the library: its kind, and the tag or the imports it shows.

    Written as text (the state file, the search's ``view_clauses``) as ``all``, ``unread``,
    ``starred``, ``tag:NAME`` or ``import:ID,ID…``; :meth:`to_text` and :meth:`from_text` are
    the only places that spelling is known outside the search.
    """

    kind: ViewKind = ViewKind.ALL
    tag: str = ""
    imports: tuple[int, ...] = ()
    #: The paper a "more like this" view is about.
    paper: int = 0
    #: A watch's kind ("author" or "org") and name (the name is kept in ``tag``).
    watch: str = ""

    @classmethod
    def from_text(cls, text: str) -> View:
        """The view ``text`` names; ValueError for a view that does not exist."""
        if text in (ViewKind.ALL, ViewKind.UNREAD, ViewKind.STARRED):
            return cls(ViewKind(text))
        if text.startswith("tag:"):
            return cls(ViewKind.TAG, tag=text[4:])
        if text.startswith("import:") and _IMPORT_IDS.fullmatch(text[7:]):
            return cls(ViewKind.IMPORT, imports=tuple(int(i) for i in text[7:].split(",")))
        if text.startswith("similar:") and text[8:].isdigit():
            return cls(ViewKind.SIMILAR, paper=int(text[8:]))
        kind, _, name = text.removeprefix("watch:").partition(":")
        if text.startswith("watch:") and kind in WATCH_KINDS and name.strip():
            return cls(ViewKind.WATCH, tag=name, watch=kind)
        raise ValueError(f"unknown view {text!r}")

    def to_text(self) -> str:
        """The view as text (``from_text(view.to_text()) == view``)."""
        if self.kind is ViewKind.TAG:
            return f"tag:{self.tag}"
        if self.kind is ViewKind.IMPORT:
            return "import:" + ",".join(str(i) for i in self.imports)
        if self.kind is ViewKind.SIMILAR:
            return f"similar:{self.paper}"
        if self.kind is ViewKind.WATCH:
            return f"watch:{self.watch}:{self.tag}"
        return self.kind.value

    def label(self) -> str:
        """How the status line names the view: "all", "#tag", "new in imports 1, 2"…"""
        if self.kind is ViewKind.TAG:
            return "#" + self.tag
        if self.kind is ViewKind.IMPORT:
            ids = ", ".join(str(i) for i in self.imports)
            return f"new in import{'s' if len(self.imports) > 1 else ''} {ids}"
        if self.kind is ViewKind.SIMILAR:
            return f"like paper {self.paper}"
        if self.kind is ViewKind.WATCH:
            return f"watching {self.tag}"
        return self.kind.value
