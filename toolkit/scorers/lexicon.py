"""Spelling neighbours: the strings one edit from a word, the most frequent of them, edit distance
(frequencies from :mod:`toolkit.text.words`)."""

from __future__ import annotations

from functools import lru_cache

from toolkit.text.words import top_words, zipf_table

_LETTERS = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöûùüÿñáíóúßãõœæ'"
# The longest token that edit-distance work looks at. One edit of an n-letter word is ~60n
# strings of n letters, so the search is quadratic in n: a 10,000-letter "word" (a URL, a
# base64 blob, a hostile record) took 11 GB. No misspelt word or name is anywhere near this long
# (German compounds run to ~40 letters).
MAX_EDIT_LEN = 40


def edits1(word: str) -> set[str]:
    """Strings one Damerau edit away (a swap of neighbours counts as one); none past MAX_EDIT_LEN."""
    if len(word) > MAX_EDIT_LEN:
        return set()
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(word)
    return out


def damerau(a: str, b: str) -> int:
    """Optimal-string-alignment distance (adjacent transpositions count as one edit).

    Strings past MAX_EDIT_LEN are compared only for equality (0, else their length): the
    distance costs the product of the lengths.
    """
    from rapidfuzz.distance import OSA

    if max(len(a), len(b)) > MAX_EDIT_LEN:
        return 0 if a == b else max(len(a), len(b))
    return int(OSA.distance(a, b))


@lru_cache(maxsize=65536)
def best_neighbour(word: str, lang: str, min_zipf: float) -> tuple[str, float] | None:
    """The most frequent word one edit from ``word`` with a Zipf frequency of at least ``min_zipf``."""
    if len(word) > MAX_EDIT_LEN:
        return None
    zipfs = zipf_table(lang)
    # only the neighbours in the list at min_zipf or above can be the answer: one set lookup
    # each, and the table probed for those few (probing all ~500 cost 5 ms a never-seen word)
    frequent = top_words(lang, min_zipf)
    best: tuple[str, float] | None = None
    for cand in edits1(word):
        if cand not in frequent:
            continue
        z = zipfs.peek(cand)
        if z is not None and z >= min_zipf and (best is None or z > best[1] or (z == best[1] and cand < best[0])):
            best = (cand, z)
    return best
