"""What the pair checks share: the issue tuple, word folding, thresholds for telling names from words."""

from __future__ import annotations

import regex

from toolkit.text.words import fold as _fold

Issue = tuple[str, str, str, str | None, int, int]  # side, code, message, fix, start, end


VOCAB_MIN = 4.5  # a capitalised word this frequent, and only in its own language, is vocabulary


INITIAL_MIN = 4.5  # a sentence's first word this frequent is capitalised by position only


TRANSLATED_MIN = 0.5  # cosine of a capitalised word to a word of the other side that translates it


ELISION = regex.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", regex.IGNORECASE)


OPENERS = ".!?:\"“«‘'\n"  # a word after one of these opens a sentence or a quotation


def fold(word: str) -> str:
    """Lower case without accents (the aligner's folding), curly apostrophes straightened."""
    return _fold(word).replace("’", "'")


def bare(word: str) -> str:
    w = fold(ELISION.sub("", word))
    return w[:-2] if len(w) > 3 and w.endswith("'s") else w
