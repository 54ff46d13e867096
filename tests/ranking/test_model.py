"""The ranking's core on small hand-written labelled sets: what rises, what sinks, and why."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.helpers import dump, paper
from tuireader.library import Library
from tuireader.ranking import FOR_YOU, Ranker, sort_for_tag
from tuireader.ranking.corpus import build
from tuireader.ranking.model import fit
from tuireader.ranking.text import paper_words, words

#: Three topics, four papers each; every paper shares its topic's words and little else.
TOPICS = {
    "stars": [
        ("Spectra of Distant Quasars", "We measure quasar spectra and redshift with a telescope survey of galaxies."),
        ("A Telescope Survey of Dwarf Galaxies", "Dwarf galaxies observed by the telescope show redshift and faint spectra."),
        ("Redshift Estimates from Galaxy Photometry", "Photometry of galaxies gives redshift without spectra from the telescope."),
        ("Quasar Variability in a Sky Survey", "The survey follows quasar brightness; galaxies and redshift change little."),
    ],
    "kitchen": [
        ("Sourdough Fermentation at Home", "Yeast and flour ferment the dough; baking temperature shapes the crust."),
        ("Braising Vegetables in Cast Iron", "A cast iron pot braises vegetables slowly; the sauce thickens with flour."),
        ("The Chemistry of Caramel Sauce", "Sugar melts into caramel; the sauce burns when the pot is too hot for baking."),
        ("Crust and Crumb of Rye Bread", "Rye flour and yeast give a dense crumb; baking the dough longer hardens the crust."),
    ],
    "ciphers": [
        ("Breaking Substitution Ciphers", "A substitution cipher falls to letter frequency; the key is found by counting."),
        ("Key Exchange over Noisy Channels", "Two parties agree on a key; the cipher resists an eavesdropper on the channel."),
        ("Lattice Attacks on Short Keys", "Short keys leak through lattice reduction; the cipher text reveals the key."),
        ("Side Channels in Cipher Hardware", "Power traces form a side channel that leaks the key of a hardware cipher."),
    ],
}


def _documents():
    docs, topic_of = [], {}
    for topic, papers in TOPICS.items():
        for title, abstract in papers:
            docs.append((len(docs) + 1, title, abstract))
            topic_of[len(docs)] = topic
    return docs, topic_of


def test_words_are_folded_and_stop_words_dropped():
    assert words("The Élan of GPT-4o and Chain-of-Thought in 3D") == ["elan", "gpt-4o", "chain-of-thought", "3d"]
    # the title counts twice: it says what a paper is about
    assert paper_words("Quasar Survey", "a survey") == ["quasar", "survey", "quasar", "survey", "survey"]


def test_starring_papers_of_one_topic_brings_that_topic_first():
    docs, topic_of = _documents()
    corpus = build(docs)
    for topic in TOPICS:
        ids = [i for i, t in topic_of.items() if t == topic]
        model = fit(corpus, positive_ids=ids[:2], negative_ids=[])
        assert model is not None
        unlabelled = [int(i) for i in model.order if int(i) not in ids[:2]]
        # the two papers of the topic not starred come before every other paper
        assert {topic_of[i] for i in unlabelled[:2]} == {topic}, (topic, unlabelled)


def test_papers_read_without_a_star_push_their_words_down():
    docs, topic_of = _documents()
    corpus = build(docs)
    kitchen = [i for i, t in topic_of.items() if t == "kitchen"]
    ciphers = [i for i, t in topic_of.items() if t == "ciphers"]
    liked = fit(corpus, positive_ids=kitchen[:1], negative_ids=ciphers[:3])
    unread = fit(corpus, positive_ids=kitchen[:1], negative_ids=[])
    assert liked is not None and unread is not None
    assert liked.score(ciphers[3]) < liked.score(kitchen[3])
    # three cipher papers read and passed: the fourth falls further than the others do
    fall = liked.score(ciphers[3]) - unread.score(ciphers[3])
    others = [i for i, t in topic_of.items() if t == "stars"]
    assert all(fall < liked.score(i) - unread.score(i) for i in others)


def test_the_reasons_are_the_words_shared_with_what_was_liked():
    docs, topic_of = _documents()
    corpus = build(docs)
    stars = [i for i, t in topic_of.items() if t == "stars"]
    model = fit(corpus, positive_ids=stars[:3], negative_ids=[])
    assert model is not None
    reasons = [word for word, _ in model.reasons(stars[3])]
    assert "quasar" in reasons and "survey" in reasons  # its title's words the starred share
    # words no starred paper has never explain it
    assert not {"variability", "sky", "brightness", "follows"} & set(reasons)
    weights = [weight for _, weight in model.reasons(stars[3])]
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)


def test_no_model_without_positives_or_without_anything_else():
    docs, _ = _documents()
    corpus = build(docs)
    assert fit(corpus, positive_ids=[], negative_ids=[1, 2]) is None
    every = [d[0] for d in docs]
    assert fit(corpus, positive_ids=every, negative_ids=[]) is None


def test_nearest_papers_share_the_topic_and_an_extended_corpus_equals_a_built_one():
    docs, topic_of = _documents()
    whole = build(docs)
    grown = build(docs[:5]).extend(docs[5:])
    assert np.array_equal(whole.ids, grown.ids)
    assert np.allclose(whole.weights, grown.weights) and np.array_equal(whole.indices, grown.indices)
    for paper_id, topic in topic_of.items():
        row = whole.row(paper_id)
        nearest = whole.nearest(whole.dense_row(row), 3, exclude=[paper_id]).tolist()
        assert paper_id not in nearest
        assert [topic_of[i] for i in nearest] == [topic] * 3, (paper_id, nearest)
    found = whole.nearest(whole.text_vector("a cipher key"), 2).tolist()
    assert {topic_of[i] for i in found} == {"ciphers"}
    with pytest.raises(ValueError):
        whole.extend([(1, "an old id", "")])


def _library(tmp_path: Path) -> tuple[Library, dict[str, int], dict[int, str]]:
    library = Library.open(tmp_path / "lib.db")
    papers = [paper(title, abstract) for group in TOPICS.values() for title, abstract in group]
    library.add_dump(dump(*papers), file="topics.txt", path=None, sha256="t")
    ids = {row.title: row.id for row in library.rows(library.ordered_ids())}
    topic_of = {ids[title]: topic for topic, group in TOPICS.items() for title, _ in group}
    return library, ids, topic_of


def test_the_ranker_learns_from_the_library_and_refits_when_stars_change(tmp_path):
    library, ids, topic_of = _library(tmp_path)
    ranker = Ranker(library)
    assert ranker.order("foryou") is None and not ranker.is_ready(FOR_YOU)
    assert ranker.refresh() is True
    assert ranker.current() is None  # nothing starred: no model, the search keeps date order
    library.set_starred([ids["Sourdough Fermentation at Home"]])
    library.set_read([ids["Breaking Substitution Ciphers"]])
    assert ranker.refresh() is True
    order = [int(i) for i in ranker.order("foryou")]
    assert topic_of[order[1]] == "kitchen" and topic_of[order[-1]] == "ciphers"
    assert [int(i) for i in ranker.order("-foryou")] == order[::-1]
    assert ranker.refresh() is False  # nothing changed: nothing refitted
    assert ranker.reasons(order[1]) and set(ranker.reasons(order[1])) <= set(
        words(" ".join(t + " " + a for t, a in TOPICS["kitchen"]))
    )
    library.set_starred([ids["Sourdough Fermentation at Home"]], False)
    library.set_starred([ids["Spectra of Distant Quasars"]])
    assert ranker.refresh() is True
    assert topic_of[int(ranker.order("foryou")[1])] == "stars"


def test_a_tag_has_a_model_of_its_own_and_new_papers_join_the_corpus(tmp_path):
    library, ids, topic_of = _library(tmp_path)
    library.add_tag([ids["Key Exchange over Noisy Channels"]], "crypto")
    library.set_starred([ids["Sourdough Fermentation at Home"]])
    ranker = Ranker(library)
    key = sort_for_tag("crypto")
    ranker.refresh([FOR_YOU, key])
    assert topic_of[int(ranker.order(key)[1])] == "ciphers"
    assert topic_of[int(ranker.order(FOR_YOU)[1])] in ("kitchen", "ciphers")
    library.add_dump(
        dump(paper("Ciphers of the Enigma Machine", "The rotor cipher hides the key; the key repeats.")),
        file="more.txt", path=None, sha256="m",
    )
    assert ranker.refresh([key]) is True
    assert ranker.corpus().size == 13
    new = {row.title: row.id for row in library.rows(library.ordered_ids())}["Ciphers of the Enigma Machine"]
    assert new in [int(i) for i in ranker.order(key)[:4]]
    assert ranker.nearest(new, 3) and all(topic_of.get(i) == "ciphers" for i in ranker.nearest(new, 3))


def test_the_corpus_is_kept_between_sessions_and_only_new_papers_are_read_again(tmp_path):
    library, ids, _ = _library(tmp_path)
    cache = tmp_path / "cache"
    first = Ranker(library, cache_dir=cache)
    built = first.corpus()
    read: list[tuple[int, int | None]] = []
    original = library.ranking_documents

    def recording(after=0, limit=2000, upto=None):
        read.append((after, upto))
        return original(after, limit, upto)

    library.ranking_documents = recording  # type: ignore[method-assign]
    again = Ranker(library, cache_dir=cache).corpus()
    assert read == []  # loaded from the file, nothing read from the library
    assert np.array_equal(again.ids, built.ids) and np.allclose(again.weights, built.weights)
    assert again.words == built.words
    library.add_dump(dump(paper("Ciphers of the Enigma Machine", "The rotor cipher hides the key.")),
                     file="more.txt", path=None, sha256="m")
    grown = Ranker(library, cache_dir=cache).corpus()
    assert grown.size == 13 and read and read[0][0] == max(ids.values())  # only the new paper
    for kept in cache.iterdir():
        kept.write_bytes(b"not a cache")  # damaged: built again, never a crash
    read.clear()
    assert Ranker(library, cache_dir=cache).corpus().size == 13 and read[0][0] == 0
