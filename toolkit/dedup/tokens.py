"""What clustering knows of a token, computed once per (token, language) and kept: its rarity
(wordfreq), a name's consonant skeleton that survives transliteration and exonyms
(Idleb/Idlib, Poutine/Putin), a written number's value."""

from __future__ import annotations

import unicodedata
from itertools import groupby
from typing import Any

import numpy as np
import xxhash

from toolkit.dedup.params import FREQ_CUTOFF
from toolkit.text.numbers import number_words, scale_words
from toolkit.text.words import has_lang, zipf_table

U64 = np.uint64
M32 = U64(0xFFFFFFFF)
# per language: a word's weight (rarity), and a name's skeleton, computed once
weights: dict[str, dict[str, float]] = {}
skeletons: dict[str, str] = {}


def stable32(text: str) -> int:
    return xxhash.xxh32_intdigest(text.encode("utf-8", "surrogatepass"), seed=0x5EED)


def lang_salt(lang: str) -> int:
    return xxhash.xxh64_intdigest(lang.encode("utf-8"), seed=0x5EED)


def rarity(word: str, lang: str) -> float:
    """Identity weight of a lower-case word: 0 for very common words, up to 6 for unseen ones."""
    table = weights.get(lang)
    if table is None:
        table = weights[lang] = {}
    w = table.get(word)
    if w is None:
        z = _zipf(word, lang) if lang != "und" else 0.0
        w = 0.0 if z >= FREQ_CUTOFF else min(6.0, 7.0 - z)
        if len(table) < 1_000_000:
            table[word] = w
    return w


def _zipf(word: str, lang: str) -> float:
    """wordfreq's zipf frequency: words of its list from the compiled table, other spellings
    through its tokenizer (which splits and combines them)."""
    if not has_lang(lang):
        return 0.0
    z = zipf_table(lang).dedup_zipf(word)
    if z is not None:
        return z
    if word.isalpha() and word.isascii():
        return 0.0  # a plain word outside the list
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, lang))


_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


# the sound classes, applied in this order (sch/sh/ch -> x, ph -> f, c/k/q runs -> k, s/z runs -> s,
# dj -> j, th -> t), then vowels, h and w dropped after the first letter and repeats collapsed.
# Plain string operations, not regular expressions: a third of the time, the same skeletons (a test
# compares them with the regex version on adversarial strings).
_KS = str.maketrans({"c": "k", "q": "k", "z": "s"})
_DROP = str.maketrans("", "", "aeiouyhw")


def skeleton(name: str) -> str:
    """A name's consonant skeleton, stable across languages' spellings: Idleb/Idlib → idlb."""
    s = skeletons.get(name)
    if s is not None:
        return s
    t = unicodedata.normalize("NFKD", name.lower().translate(_FOLD))
    t = "".join(c for c in t if "a" <= c <= "z")
    if not t:
        return ""
    t = t.replace("sch", "x").replace("sh", "x").replace("ch", "x").replace("ph", "f").translate(_KS)
    while "kk" in t:
        t = t.replace("kk", "k")
    while "ss" in t:
        t = t.replace("ss", "s")
    t = t.replace("dj", "j").replace("th", "t")
    out = "".join(c for c, _ in groupby(t[0] + t[1:].translate(_DROP)))
    if len(skeletons) < 500_000:
        skeletons[name] = out
    return out


def word_facts(word: str, base: str) -> tuple[float, int]:
    """(rarity, number-word key) of a lower-case token: what every token needs."""
    weight = 0.0 if len(word) < 3 or word[0].isdigit() else rarity(word, base)
    value = number_words(base).get(word, 0)
    return weight, stable32(f"n:{value}") if value >= 10 else 0


def name_facts(word: str, base: str) -> tuple[int, float, float]:
    """(name key, name weight, scale) of a lower-case token: what capitalised tokens and the
    words after a number need (the skeleton is the costly part, so other tokens skip it)."""
    name_key, name_w = 0, 0.0
    sk = skeleton(word) if len(word) >= 3 else ""
    if len(sk) >= 2:
        weight = 0.0 if word[0].isdigit() else rarity(word, base)
        # Short skeletons collide across unrelated names; their weight is reduced.
        name_key, name_w = stable32("x:" + sk), max(weight, 1.0) * min(1.0, len(sk) / 4)
    return name_key, name_w, float(scale_words(base).get(word, 0.0))


class Cache:
    """A two-way table from 64-bit keys to rows of 32-bit values, looked up for a whole array at once.

    Each slot is one row of uint32 (key low, key high, used, values...), so a look-up is
    one ``np.take`` of rows (measured 15x faster than a structured-array gather). A key
    lives in one of two slots (from its low and its high bits); keys that find both taken
    go to a Python dict, consulted only for the array's misses. Values are a pure
    function of the key, so results never depend on the cache's history.
    """

    def __init__(self, bits: int, dtypes: list[Any], overflow: int = 1_000_000) -> None:
        self.mask = U64((1 << bits) - 1)
        self.dtypes = [np.dtype(dt) for dt in dtypes]
        self.tables = [np.zeros((1 << bits, 3 + len(dtypes)), dtype=np.uint32) for _ in range(2)]
        self.overflow: dict[int, tuple[Any, ...]] = {}
        self.overflow_max = overflow

    def _slots(self, keys: np.ndarray, way: int) -> np.ndarray:
        return ((keys >> U64(32 * way)) & self.mask).astype(np.int64)

    def _probe(self, keys: np.ndarray, way: int) -> tuple[np.ndarray, np.ndarray]:
        rows = np.take(self.tables[way], self._slots(keys, way), axis=0)
        stored = rows[:, 0].astype(U64) | (rows[:, 1].astype(U64) << U64(32))
        return rows, (stored == keys) & (rows[:, 2] == 1)

    def lookup(self, keys: np.ndarray, compute: Any) -> list[np.ndarray]:
        """Values for ``keys``; ``compute(indices)`` returns value lists for ``keys[indices]``."""
        rows_at, hit = self._probe(keys, 0)
        out = [np.ascontiguousarray(rows_at[:, 3 + k]).view(dt) for k, dt in enumerate(self.dtypes)]
        miss = np.flatnonzero(~hit)
        if not len(miss):
            return out
        rows2, hit2 = self._probe(keys[miss], 1)
        for k, column in enumerate(out):
            column[miss[hit2]] = rows2[hit2, 3 + k].view(column.dtype)
        miss = miss[~hit2]
        if not len(miss):
            return out
        uniq, first, inverse = np.unique(keys[miss], return_index=True, return_inverse=True)
        rows: list[tuple[Any, ...] | None] = [self.overflow.get(k) for k in uniq.tolist()]
        todo = [k for k, row in enumerate(rows) if row is None]
        if todo:
            computed = compute(miss[first[todo]])
            for k, row in zip(todo, zip(*computed, strict=True), strict=True):
                rows[k] = row
            left = np.asarray(todo, dtype=np.int64)
            for way in (0, 1):
                left = self._place(uniq, left, rows, way)
            if len(self.overflow) < self.overflow_max:
                for k in left.tolist():
                    self.overflow[int(uniq[k])] = rows[k]
        for col, column in enumerate(out):
            arr = np.asarray([row[col] for row in rows], dtype=column.dtype)  # type: ignore[index]
            column[miss] = arr[inverse.ravel()]
        return out

    def _place(self, uniq: np.ndarray, which: np.ndarray, rows: list[Any], way: int) -> np.ndarray:
        """Store ``uniq[which]`` in free slots of one way (first come first served); return the rest."""
        table = self.tables[way]
        slots = self._slots(uniq[which], way)
        free = table[slots, 2] == 0
        _, firsts = np.unique(slots[free], return_index=True)
        place = np.zeros(len(which), dtype=bool)
        place[np.flatnonzero(free)[firsts]] = True
        placed, keys = slots[place], uniq[which[place]]
        table[placed, 0] = (keys & M32).astype(np.uint32)
        table[placed, 1] = (keys >> U64(32)).astype(np.uint32)
        table[placed, 2] = 1
        for col, dt in enumerate(self.dtypes):
            vals = np.asarray([rows[k][col] for k in which[place].tolist()], dtype=dt)
            table[placed, 3 + col] = vals.view(np.uint32)
        out: np.ndarray = which[~place]
        return out
