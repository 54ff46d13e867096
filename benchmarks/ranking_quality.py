"""How well the "for you" order finds what you like: star 3 papers of a topic, order the rest.

For every topic with 13 papers or more in ``benchmarks/labelled/topics.jsonl`` (real listing
text, see SOURCES.md there) and for ``DRAWS`` random draws of 3 of its papers: a library of
every labelled paper (imported in a shuffled order: the "date" order carries no topic), those
3 starred; then precision@10 of the same topic among the other papers, as ordered by

- the "for you" model (tuireader.ranking: TF-IDF and a logistic regression),
- date order (the library's default, newest first),
- plain BM25 similarity (SQLite FTS5's ``bm25()``), the words of the three starred papers'
  titles and abstracts ORed as the query.

Usage: ``python -m benchmarks.ranking_quality`` (prints JSON: the mean of each, and per topic).
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
from pathlib import Path

from tuireader.library import Library
from tuireader.models import LAYOUT_LISTING, ParsedPaper, ParseResult
from tuireader.ranking import Ranker
from tuireader.search.expressions import fts_quote

LABELLED = Path(__file__).resolve().parent / "labelled" / "topics.jsonl"
#: Draws of three starred papers per topic (fixed seed).
DRAWS = 10
STARRED = 3
AT = 10


def load() -> list[dict[str, str]]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line]


def _library(path: Path, papers: list[dict[str, str]], seed: int) -> dict[str, int]:
    shuffled = papers[:]
    random.Random(seed).shuffle(shuffled)
    parsed = [ParsedPaper(p["title"], p["words"], line=i + 1) for i, p in enumerate(shuffled)]
    with Library.open(path) as library:
        library.add_dump(ParseResult(LAYOUT_LISTING, parsed), file="labelled", path=None, sha256="l")
        while library.index_abstracts():
            pass
        return {row.title: row.id for row in library.rows(library.ordered_ids())}


def _precision(order: list[int], starred: set[int], topic_ids: set[int]) -> float:
    rest = [i for i in order if i not in starred][:AT]
    return sum(1 for i in rest if i in topic_ids) / AT


def _bm25(library: Library, starred_texts: list[str], limit: int) -> list[int]:
    words = sorted({w for text in starred_texts for w in re.findall(r"\w+", text.lower()) if len(w) > 2})
    expression = " OR ".join(fts_quote(w) for w in words)
    return library.bm25_ids(expression, limit)


def measure() -> dict[str, object]:
    papers = load()
    topics = sorted({p["topic"] for p in papers})
    judged = [t for t in topics if sum(p["topic"] == t for p in papers) >= STARRED + AT]
    scores: dict[str, dict[str, list[float]]] = {t: {"model": [], "date": [], "bm25": []} for t in judged}
    with tempfile.TemporaryDirectory(prefix="tuireader-quality-") as scratch:
        for number, topic in enumerate(judged):
            members = [p for p in papers if p["topic"] == topic]
            for draw in range(DRAWS):
                seed = number * 100 + draw
                path = Path(scratch) / f"{topic}-{draw}.db"
                ids = _library(path, papers, seed)
                picked = random.Random(seed).sample(members, STARRED)
                starred = {ids[p["title"]] for p in picked}
                topic_ids = {ids[p["title"]] for p in members}
                with Library.open(path) as library:
                    library.set_starred(sorted(starred))
                    ranker = Ranker(library)
                    model = ranker.model()
                    assert model is not None
                    by_model = [int(i) for i in model.order]
                    by_date = library.ordered_ids("date")
                    texts = [p["title"] + " " + p["words"] for p in picked]
                    by_bm25 = _bm25(library, texts, len(ids))
                scores[topic]["model"].append(_precision(by_model, starred, topic_ids))
                scores[topic]["date"].append(_precision(by_date, starred, topic_ids))
                scores[topic]["bm25"].append(_precision(by_bm25, starred, topic_ids))
    mean = {
        how: sum(sum(s[how]) for s in scores.values()) / sum(len(s[how]) for s in scores.values())
        for how in ("model", "date", "bm25")
    }
    return {
        "papers": len(papers),
        "topics": topics,
        "judged": judged,
        "draws": DRAWS,
        "precision_at_10": mean,
        "per_topic": {t: {h: sum(v) / len(v) for h, v in s.items()} for t, s in scores.items()},
    }


if __name__ == "__main__":
    json.dump(measure(), sys.stdout, indent=2)
    print()
