"""Deterministic synthetic "Daily Papers" dumps (layout B) of any size, for benchmarks.

Usage::

    python -m benchmarks.generate 100000                 # -> benchmarks/out/daily-papers-100000-s1.txt
    python -m benchmarks.generate 10000 -o dump.txt --seed 7

Abstracts mix a background stream, Zipf-distributed over English function words, general
research words and a long tail of invented words, with words of the paper's one or two topics
(LLMs, diffusion, agents, ...; a few multi-word phrases are drawn as one unit). So, as in real
listings, a topical word like "diffusion" is frequent in some papers and absent from most, and
FTS posting lists, prefix queries and fuzzy matching see a realistic spread of term frequencies. Titles are unique after folding case and punctuation (the library dedupes by the
folded title). A file is only written again when its size, seed or the generator changed: a JSON
sidecar ``FILE.meta.json`` records what made it.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import sys
import time
from pathlib import Path

from benchmarks.words import FUNCTION_WORDS, GENERAL_WORDS, PHRASES, TOPICS_TEXT

#: Bump when the output format or the vocabulary changes: cached dumps are then regenerated.
GENERATOR_VERSION = 2
DEFAULT_SEED = 1
OUT_DIR = Path(__file__).resolve().parent / "out"

HEADER = (
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
)
PAGE_DATE = "Nov 6"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

def _topics(text: str) -> list[list[str]]:
    """Topic word lists; a phrase of PHRASES stays one unit."""
    topics: list[list[str]] = []
    for block in text.strip().split("\n"):
        if not block.startswith(" "):
            topics.append([])
            block = block.partition(":")[2]
        for phrase in PHRASES:
            block = block.replace(phrase, phrase.replace(" ", "_"))
        topics[-1].extend(word.replace("_", " ") for word in block.split())
    return topics


TOPICS = _topics(TOPICS_TEXT)
#: Share of an abstract's words drawn from its topics (the rest from the background stream).
TOPIC_SHARE = 0.2
#: Share of an abstract's words drawn from the long tail of invented words.
TAIL_SHARE = 0.15

TITLE_GLUE = ("for", "with", "via", "of", "in", "and", "to", "from", "towards", "beyond")
ORGS = (
    "google Google",
    "microsoft Microsoft",
    "nvidia NVIDIA",
    "meta-llama Meta Llama",
    "deepseek-ai DeepSeek",
    "allenai Ai2",
    "Qwen Qwen",
    "openbmb OpenBMB",
    "apple Apple",
    "ibm-research IBM Research",
    "salesforce Salesforce",
    "tencent Tencent",
    "bytedance ByteDance Seed",
    "mistralai Mistral AI",
    "stanford Stanford University",
    "mit MIT",
)
_ONSET_TEXT = "b c d f g h j k l m n p r s t v z br cr dr fl gr kl pr st tr ch sh th qu"
_ONSETS = tuple(_ONSET_TEXT.split())
_VOWEL_TEXT = "a e i o u ai ea io ou y"
_VOWELS = tuple(_VOWEL_TEXT.split())
_CODAS = ["", "", "", "n", "r", "s", "l", "x", "m", "t", "nd", "rk"]
#: Invented words: the long tail of rare terms (names, jargon) every real corpus has.
TAIL_WORDS = 60_000
ZIPF_EXPONENT = 1.05


def _invented_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.choice((1, 2, 2, 2, 3)))
        ) + rng.choice(_CODAS)
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def _zipf(count: int, exponent: float, shift: float) -> list[float]:
    """Cumulative Zipf-Mandelbrot weights for ranks 0..count-1."""
    return list(itertools.accumulate(1.0 / (rank + shift) ** exponent for rank in range(count)))


class Vocabulary:
    """Word lists with cumulative Zipf weights: common words, the rare tail, each topic's words."""

    def __init__(self, rng: random.Random) -> None:
        seen: set[str] = set()
        head: list[str] = []
        for word in (*FUNCTION_WORDS, *GENERAL_WORDS):
            if word not in seen:
                seen.add(word)
                head.append(word)
        for topic in TOPICS:
            seen.update(topic)
        self.words = head
        self.cum = _zipf(len(head), ZIPF_EXPONENT, 2.7)
        self.tail = _invented_words(rng, TAIL_WORDS, seen)
        self.tail_cum = _zipf(len(self.tail), ZIPF_EXPONENT, 10.0)
        self.topics = TOPICS
        self.topic_cum = [_zipf(len(topic), 0.9, 1.5) for topic in TOPICS]
        self.topic_pick = _zipf(len(TOPICS), 0.8, 1.0)
        self.general = [w for w in GENERAL_WORDS if "-" not in w or w == "open-source"]
        self.general_cum = _zipf(len(self.general), 0.8, 3.0)


class Generator:
    """Makes papers one at a time; the same seed always gives the same dump."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = Vocabulary(random.Random(seed * 7919 + 1))
        self.names = self._names(4000)
        self.keys: set[bytes] = set()
        self.collisions = 0
        self.topics: tuple[int, int] = (0, 0)

    def _names(self, count: int) -> list[str]:
        rng = random.Random(self.rng.random())
        parts = _invented_words(rng, count * 2, set())
        names = []
        for i in range(count):
            name = parts[2 * i].capitalize()
            if rng.random() < 0.5:
                name += parts[2 * i + 1][:4].capitalize()
            names.append(name)
        return names

    def _background(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab.words, cum_weights=self.vocab.cum, k=k)

    def _rare(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab.tail, cum_weights=self.vocab.tail_cum, k=k)

    def _topical(self, k: int) -> list[str]:
        rng, vocab = self.rng, self.vocab
        primary, secondary = self.topics
        k2 = k // 4
        return rng.choices(
            vocab.topics[primary], cum_weights=vocab.topic_cum[primary], k=k - k2
        ) + rng.choices(vocab.topics[secondary], cum_weights=vocab.topic_cum[secondary], k=k2)

    def title(self) -> str:
        rng = self.rng
        while True:
            size = rng.randint(4, 9)
            topical = rng.randint(1, size - 1)
            words = self._topical(topical) + rng.choices(
                self.vocab.general, cum_weights=self.vocab.general_cum, k=size - topical
            )
            rng.shuffle(words)
            cut = rng.randint(2, len(words) - 1)
            phrase = (
                " ".join(w.capitalize() for w in words[:cut])
                + f" {rng.choice(TITLE_GLUE)} "
                + " ".join(w.capitalize() for w in words[cut:])
            )
            roll = rng.random()
            if roll < 0.45:
                name = rng.choice(self.names)
                if rng.random() < 0.3:
                    name += rng.choice(("-R1", "2", "-V", "1.5", "-Pro", "3", "-Zero", "-Lite"))
                text = f"{name}: {phrase}"
            elif roll < 0.55:
                text = f"{phrase}?"
            else:
                text = phrase
            key = "".join(ch for ch in text.casefold() if ch.isalnum())
            digest = hashlib.blake2b(key.encode(), digest_size=10).digest()
            if digest not in self.keys:
                self.keys.add(digest)
                return text
            self.collisions += 1

    def abstract(self) -> str:
        rng = self.rng
        target = min(2600, max(450, int(rng.gauss(1200, 260))))
        count = target // 6
        words = self._background(int(count * (1 - TOPIC_SHARE - TAIL_SHARE)))
        for word in self._topical(int(count * TOPIC_SHARE)) + self._rare(int(count * TAIL_SHARE)):
            words.insert(rng.randrange(len(words)), word)
        sentences: list[str] = []
        length = 0
        index = 0
        while length < target:
            size = rng.randint(10, 28)
            chunk = words[index : index + size]
            index += size
            if len(chunk) < size:
                words = self._background(count)
                index = 0
                continue
            if rng.random() < 0.15:
                chunk.insert(
                    rng.randrange(len(chunk)), f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%"
                )
            sentence = " ".join(chunk)
            sentence = sentence[0].upper() + sentence[1:] + "."
            sentences.append(sentence)
            length += len(sentence) + 1
        return " ".join(sentences)

    def metadata(self) -> str | None:
        rng = self.rng
        if rng.random() < 0.12:
            return None
        if rng.random() < 0.85:
            who = f"  • {min(40, int(rng.paretovariate(1.6) * 3))} authors"
        else:
            who = rng.choice(ORGS)
        date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"
        if rng.random() < 0.4:
            date += f", {rng.choice((2021, 2022, 2023, 2023, 2024, 2024, 2024))}"
        if rng.random() < 0.5:
            date += f" {min(999, int(rng.paretovariate(1.2)))}"
        return f"{who}\n·\n{date}\n"

    def paper(self) -> str:
        pick = self.vocab.topic_pick
        self.topics = (
            self.rng.choices(range(len(pick)), cum_weights=pick)[0],
            self.rng.choices(range(len(pick)), cum_weights=pick)[0],
        )
        text = f"{self.title()}\n\n{self.abstract()}\n\n"
        block = self.metadata()
        return text + block + "\n" if block else text


def default_path(count: int, seed: int = DEFAULT_SEED) -> Path:
    """Where the cached dump of ``count`` papers made with ``seed`` lives."""
    return OUT_DIR / f"daily-papers-{count}-s{seed}.txt"


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def is_cached(path: Path, count: int, seed: int) -> bool:
    meta = _meta_path(path)
    if not path.is_file() or not meta.is_file():
        return False
    try:
        info = json.loads(meta.read_text())
    except (OSError, ValueError):
        return False
    return info == {
        "papers": count,
        "seed": seed,
        "version": GENERATOR_VERSION,
        "bytes": path.stat().st_size,
    }


def write_dump(count: int, path: Path, seed: int = DEFAULT_SEED, *, verbose: bool = False) -> None:
    """Write a dump of ``count`` papers to ``path`` (streamed; memory stays small)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    generator = Generator(seed)
    started = time.perf_counter()
    temp = path.with_name(path.name + ".part")
    with temp.open("w", encoding="utf-8", newline="\n") as out:
        out.write("\n\n".join((*HEADER, PAGE_DATE)) + "\n\n")
        batch: list[str] = []
        for number in range(1, count + 1):
            batch.append(generator.paper())
            if len(batch) == 2000 or number == count:
                out.write("".join(batch))
                batch.clear()
            if verbose and number % 100_000 == 0:
                elapsed = time.perf_counter() - started
                print(f"  generated {number}/{count} papers ({elapsed:.0f}s)", file=sys.stderr)
    temp.replace(path)
    _meta_path(path).write_text(
        json.dumps(
            {
                "papers": count,
                "seed": seed,
                "version": GENERATOR_VERSION,
                "bytes": path.stat().st_size,
            }
        )
    )


def ensure_dump(
    count: int, path: Path | None = None, seed: int = DEFAULT_SEED, *, verbose: bool = False
) -> tuple[Path, bool]:
    """The path of a dump of ``count`` papers, generating it unless cached; (path, generated)."""
    path = path or default_path(count, seed)
    if is_cached(path, count, seed):
        return path, False
    write_dump(count, path, seed, verbose=verbose)
    return path, True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description="Write a synthetic Daily Papers dump."
    )
    parser.add_argument("papers", type=int, help="how many papers")
    parser.add_argument("-o", "--output", type=Path, help="output file (default: benchmarks/out/)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--force", action="store_true", help="regenerate even when cached")
    args = parser.parse_args(argv)
    if args.papers < 1:
        parser.error("papers must be at least 1")
    path = args.output or default_path(args.papers, args.seed)
    started = time.perf_counter()
    if args.force:
        write_dump(args.papers, path, args.seed, verbose=True)
        generated = True
    else:
        path, generated = ensure_dump(args.papers, path, args.seed, verbose=True)
    size = path.stat().st_size / 1e6
    how = f"generated in {time.perf_counter() - started:.1f}s" if generated else "cached"
    print(f"{path} ({args.papers} papers, {size:.1f} MB, {how})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
