"""What clustering knows of a token, computed once per (token, language) and kept: its rarity
(wordfreq), a name's consonant skeleton that survives transliteration and exonyms
(Idleb/Idlib, Poutine/Putin), a written number's value."""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from importlib import resources
from itertools import groupby
from typing import Any

import numpy as np
import regex
import xxhash
from anyascii import anyascii

from toolkit.dedup.params import FREQ_CUTOFF
from toolkit.text.numbers import number_words, scale_words
from toolkit.text.words import NOUN_CAPITALS, has_lang, multilingual, zipf_table

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


_LETTERS = regex.compile(r"[\p{L}\p{M}]+")
# scripts that wordfreq's regex tokenizer keeps whole between spaces (not Thai or CJK, which it segments)
_SPACED = frozenset({"Latn", "Cyrl", "Grek", "Arab", "Hebr", "Deva", "Armn", "Geor"})


@lru_cache(maxsize=64)
def _simple_language(lang: str) -> dict[str, Any] | None:
    """wordfreq's preprocessing settings for ``lang`` where it only normalises a token (no
    segmenting tokenizer, no transliteration); None elsewhere."""
    from wordfreq.language_info import get_language_info

    info = get_language_info(lang)
    if info["tokenizer"] != "regex" or info["script"] not in _SPACED or info["transliteration"]:
        return None
    return dict(info)


_CEDILLAS = str.maketrans({"ș": "ş", "ț": "ţ"})
_COMMAS = str.maketrans({"ş": "ș", "ţ": "ț"})
_DOTLESS = str.maketrans({"İ": "i", "I": "ı"})


def _preprocessed(word: str, lang: str) -> str | None:
    """The one token wordfreq makes of ``word`` (its normal form, case folding, marks and
    letter rules for the language), or None where it may make several or segment it."""
    info = _simple_language(lang)
    if info is None:
        return None
    t = unicodedata.normalize(info["normal_form"], word)
    if info["remove_marks"]:
        t = "".join(c for c in t if c != "\u0640" and unicodedata.category(c) != "Mn")  # and tatweel
    if info["dotless_i"]:
        t = t.translate(_DOTLESS)
    t = t.casefold()
    if info["diacritics_under"] == "cedillas":
        t = t.translate(_CEDILLAS)
    elif info["diacritics_under"] == "commas":
        t = t.translate(_COMMAS)
    return t if _LETTERS.fullmatch(t) else None


def _zipf(word: str, lang: str) -> float:
    """wordfreq's zipf frequency: words of its list from the compiled table, other spellings
    as wordfreq normalises them, and through its tokenizer only where it may split them."""
    if not has_lang(lang):
        return 0.0
    table = zipf_table(lang)
    z = table.dedup_zipf(word)
    if z is not None:
        return z
    if word.isalpha() and word.isascii():
        return 0.0  # a plain word outside the list
    if any(c.isdigit() for c in word):
        # letters glued to digits (g20, و18): an identifier or a typesetting slip, kept as rare; asking
        # wordfreq would load its whole list of the language for a handful of such tokens
        return 0.0
    pre = _preprocessed(word, lang)
    if pre is not None:
        z = table.dedup_zipf(pre) if pre != word else None
        return 0.0 if z is None else z
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, lang))


# the sound classes, applied in this order (sch/sh/ch -> x, ph -> f, c/k/q runs -> k, s/z runs -> s,
# dj -> j, th -> t, p -> b, v -> f), then vowels dropped (a leading one too), h and w dropped after
# the first letter, and repeats collapsed. Arabic writes neither p nor v, and a name's opening vowel
# is a letter, an alef or nothing depending on the script (Erdogan, أردوغان, एर्दोगन): those
# differences are folded so that transliterations of one name meet.
# Plain string operations, not regular expressions: a third of the time, the same skeletons (a test
# compares them with the regex version on adversarial strings).
_KS = str.maketrans({"c": "k", "q": "k", "z": "s", "p": "b", "v": "f"})
_DROP = str.maketrans("", "", "aeiouyhw")
_VOWELS = "aeiouy"
# Arabic's article and the conjunctions and prepositions written onto it (al-, wal-, bil-, lil-,
# fal-, kal-): not part of the name they precede (الأسد, al-Assad)
_AR_ARTICLE = ("وال", "بال", "فال", "كال", "لل", "ال")
# Devanagari's anusvara is a nasal before the next consonant, mostly n in names (लंदन, London);
# the transliteration writes it m
_ANUSVARA = str.maketrans({"\u0902": "\u0928\u094d", "\u0901": "\u0928\u094d"})


def skeleton(name: str) -> str:
    """A name's consonant skeleton, stable across languages' spellings and scripts:
    Idleb/Idlib → dlb, Путин/पुतिन/Poutine/Putin → btn."""
    s = skeletons.get(name)
    if s is not None:
        return s
    t = name.lower()
    if not t.isascii():
        t = anyascii(t.translate(_ANUSVARA)).lower()
    t = "".join(c for c in t if "a" <= c <= "z").lstrip(_VOWELS)
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


def caseless(word: str) -> bool:
    """Written in a script without capitals (Arabic, Devanagari, Hebrew …): case tells no name."""
    c = word[0]
    return not c.isascii() and c.isalpha() and c.upper() == c.lower()


# A name in a script without capitals, or in a language that capitalises every noun, is told
# from vocabulary by its frequency: a word about this common in its language is not a name
# (measured on NTREX's dev split: names mostly below 4.5, the nouns that crowd them above).
NAME_MAX_ZIPF = 4.5


@lru_cache(maxsize=1)
def _endings() -> dict[str, tuple[str, ...]]:
    table = json.loads(resources.files("toolkit.data").joinpath("name_endings.json").read_text(encoding="utf-8"))
    return {lang: tuple(sorted(v, key=len, reverse=True)) for lang, v in table.items() if not lang.startswith("_")}


def name_stem(word: str, base: str) -> str:
    """A lower-case name without the case ending its language added (Путиным → путин)."""
    for end in _endings().get(base, ()):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)]
    return word


def word_facts(word: str, base: str) -> tuple[float, int]:
    """(rarity, number-word key) of a lower-case token: what every token needs."""
    weights_of, keys_of = word_facts_many([word], [base])
    return weights_of[0], keys_of[0]


def word_facts_many(words: list[str], bases: list[str]) -> list[list[Any]]:
    """:func:`word_facts` of each (word, base), as two columns (what a cache fills at once)."""
    w_col: list[Any] = []
    k_col: list[Any] = []
    for word, base in zip(words, bases, strict=True):
        w_col.append(0.0 if len(word) < 3 or word[0].isdigit() else rarity(word, base))
        value = number_words(base).get(word, 0)
        k_col.append(stable32(f"n:{value}") if value >= 10 else 0)
    return [w_col, k_col]


def name_facts(word: str, base: str) -> tuple[int, float, float]:
    """(name key, name weight, scale) of a lower-case token: what capitalised tokens, tokens of
    scripts without capitals and the words after a number need (the skeleton is the costly
    part, so other tokens skip it)."""
    name_key, name_w = 0, 0.0
    scale = float(scale_words(base).get(word, 0.0))
    if len(word) < 3:
        return name_key, name_w, scale
    if caseless(word):
        if base == "ar":
            word = next((word[len(a) :] for a in _AR_ARTICLE if word.startswith(a) and len(word) > len(a) + 2), word)
        if rarity(word, base) < 7.0 - NAME_MAX_ZIPF:
            return name_key, name_w, scale  # a common word
    elif base in NOUN_CAPITALS and not multilingual(word, base):
        return name_key, name_w, scale  # a capitalised noun (Regierung), not a name (Merkel)
    sk = skeleton(name_stem(word, base))
    if len(sk) >= 2:
        weight = 0.0 if word[0].isdigit() else rarity(word, base)
        # Short skeletons collide across unrelated names; their weight is reduced.
        name_key, name_w = stable32("x:" + sk), max(weight, 1.0) * min(1.0, len(sk) / 4)
    return name_key, name_w, scale


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
