"""The words of a paper as the ranking sees them: folded, without stop words, the title twice.

One function tokenises for building the corpus, for a query typed on the command line and for
explaining a rank, so the words a pane shows are exactly the features the model weighed.
"""

from __future__ import annotations

import re

from tuireader.models import fold_text

#: A word: a letter, then letters, digits or inner hyphens ("chain-of-thought", "gpt-4o", "3d").
_WORD = re.compile(r"[^\W\d_][\w]*(?:-[\w]+)*|\d+[^\W\d_][\w]*")
#: The same for ASCII text (most abstracts), a quarter quicker than the Unicode classes.
_ASCII_WORD = re.compile(r"[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*|[0-9]+[a-z][a-z0-9_]*")

#: Words that say nothing about a paper's subject (English function words and the verbs and
#: nouns every abstract uses). IDF would weigh them down anyway; dropping them keeps the
#: matrix smaller and the explanations clean.
STOP_WORDS = frozenset(
    ["a", "about", "above", "across", "after", "again", "against", "all", "almost", "also", "although", "always", "am", "among", "an", "and", "another", "any", "are", "around", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "cannot", "could", "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else", "enough", "etc", "even", "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less", "like", "made", "make", "makes", "many", "may", "me", "might", "more", "most", "much", "must", "my", "neither", "no", "nor", "not", "now", "of", "off", "often", "on", "once", "one", "only", "or", "other", "others", "our", "ours", "out", "over", "own", "per", "rather", "same", "she", "should", "since", "so", "some", "still", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "therefore", "these", "they", "this", "those", "though", "through", "thus", "to", "too", "two", "under", "until", "up", "upon", "us", "use", "used", "uses", "using", "very", "via", "was", "we", "well", "were", "what", "whether", "when", "where", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your", "paper", "propose", "proposed", "proposes", "present", "presents", "show", "shows", "shown", "introduce", "introduces", "approach", "approaches", "method", "methods", "result", "results", "new", "work", "based", "novel", "also", "existing", "demonstrate", "demonstrates", "achieve", "achieves", "significantly", "furthermore", "moreover", "first", "second", "three", "however", "extensive", "experiments", "experimental", "state-of-the-art"]
)


def words(text: str) -> list[str]:
    """The words of ``text`` the ranking counts, in order (folded, stop words and one-letter
    words left out)."""
    found = _ASCII_WORD.findall(text.lower()) if text.isascii() else _WORD.findall(fold_text(text))
    return [word for word in found if len(word) > 1 and word not in STOP_WORDS]


def paper_words(title: str, abstract: str) -> list[str]:
    """The words of a paper: its title's twice (a title says what the paper is about), then its
    abstract's."""
    title_words = words(title)
    return title_words + title_words + words(abstract)
