"""A library of three made-up topics for the ranking's app tests: twelve kitchen papers starred
and read in a first import, then a second import of unread papers of every topic.

Titles and abstracts are drawn (with a fixed seed) from each topic's own words, so a model of
the starred papers has something to learn and the order it gives is the same on every run.
"""

from __future__ import annotations

import random
from pathlib import Path

from tests.app_helpers import frozen_clock
from tests.helpers import dump, paper
from tuireader.library import Library

WORDS = {
    "kitchen": "sourdough yeast flour dough baking crust crumb caramel sauce braise oven rye"
    " fermentation kneading butter pastry",
    "stars": "quasar galaxy redshift telescope spectra photometry nebula supernova orbit"
    " exoplanet luminosity cosmic",
    "ciphers": "cipher key lattice encryption adversary hash signature protocol channel"
    " eavesdropper nonce decryption",
}
NAMES = ("Ada Okafor", "Bo Lindgren", "Chen Wei", "Dara Quinn")


def _topic_paper(rng: random.Random, topic: str, number: int, **fields):
    words = WORDS[topic].split()
    title = f"{topic.capitalize()} study {number}: " + " ".join(rng.sample(words, 3)).title()
    abstract = " ".join(rng.choice(words) for _ in range(30)) + " in our experiments."
    return paper(title, abstract, authors=[rng.choice(NAMES), "Eve Park"], **fields)


def build_topic_library(tmp_path: Path, name: str = "topics.db") -> Path:
    """The library described above (12 starred kitchen papers; 9 unread new ones, 3 a topic)."""
    rng = random.Random(7)
    path = tmp_path / name
    first = [_topic_paper(rng, "kitchen", n) for n in range(12)]
    first += [_topic_paper(rng, topic, n) for topic in ("stars", "ciphers") for n in range(4)]
    second = [_topic_paper(rng, topic, 20 + n) for n in range(3) for topic in WORDS]
    with Library.open(path) as library, frozen_clock():
        library.add_dump(dump(*first), file="first.txt", path=None, sha256="first")
        titles = {row.id: row.title for row in library.rows(library.ordered_ids())}
        kitchen = [i for i, t in titles.items() if t.startswith("Kitchen")]
        others = [i for i, t in titles.items() if not t.startswith("Kitchen")]
        library.set_starred(kitchen)
        library.set_read(kitchen + others)
        library.add_dump(dump(*second), file="second.txt", path=None, sha256="second")
        while library.index_abstracts():
            pass
    return path


def topic(title: str) -> str:
    """The topic of a paper of this library, by its title."""
    return title.split()[0].lower()
