"""Cheap per-sentence evidence the aligner fuses with embedding similarity.

Each channel is a set of hashed items per sentence (CSR arrays of sorted ids); the
alignment kernel counts the items two sentences share:

- anchors: numbers (read in each language's convention: "3,7 millions" = "3.7 million")
  and capitalised words folded to lower case without accents; across languages these are
  mostly names, which a translation keeps;
- chars: character 3-grams of the words, a chrF-like channel, when both sides are in one
  language (an MT against the wire copy); across languages, four-letter cognate prefixes
  take its place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import regex
import xxhash

from toolkit.text.numbers import find_numbers
from toolkit.text.words import fold

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’\-]*")


def anchor_items(sentence: str, lang: str) -> set[str]:
    """Numbers and capitalised words of a sentence, in a language-independent spelling."""
    items = {n.key for n in find_numbers(sentence, lang)}
    for m in _WORD.finditer(sentence):
        w = m.group()
        if len(w) >= 2 and w[0].isupper():
            items.add("w:" + fold(w))
    return items


def cognate_items(sentence: str) -> set[str]:
    """Four-letter prefixes of the longer words, folded (Simard et al.'s cognates: Expedition ~ expédition)."""
    return {"c:" + fold(m.group())[:4] for m in _WORD.finditer(sentence) if len(m.group()) >= 4}


def char_items(sentence: str) -> set[str]:
    """Character 3-grams of the words (with a space at each end), case-folded."""
    items: set[str] = set()
    for m in _WORD.finditer(sentence.casefold()):
        w = f" {m.group()} "
        items.update(w[k : k + 3] for k in range(len(w) - 2))
    return items


def csr(item_sets: Iterable[set[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(row pointers, sorted item ids) of sets of strings, ids from a stable 64-bit hash."""
    ptr = [0]
    ids: list[int] = []
    hash64: Callable[[bytes], int] = xxhash.xxh3_64_intdigest
    for items in item_sets:
        row = sorted({hash64(x.encode("utf-8", "surrogatepass")) for x in items})
        ids.extend(row)
        ptr.append(len(ids))
    return np.array(ptr, dtype=np.int64), np.array(ids, dtype=np.uint64)
