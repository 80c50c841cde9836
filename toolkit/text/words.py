"""Words, one definition for every stage: what a word is (``WORD``), its spelling folded so that
it survives translation (``fold``), and how frequent it is in a language (wordfreq's Zipf
scale: 0 = never seen, 3 = once per million words, 7 = "the").

wordfreq's lists are read through compiled tables (:mod:`toolkit.text.tables`): decoding them
costs about half a second per language and a hundred megabytes, mapping them almost nothing.
"""

from __future__ import annotations

import math
import os
import threading
import unicodedata
from array import array
from functools import lru_cache
from pathlib import Path
from typing import overload

import regex

from toolkit.text.tables import Packed, StringTable, load, pack, pack_strings, package_key

WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:['’\-]\p{L}[\p{L}\p{M}]*)*")
_MEMO = 200_000  # looked-up words kept per language (a dictionary hit is ten times a table probe)
_MISSING = -1.0


def fold(word: str) -> str:
    """Lower case without accents: a spelling that survives translation (Genève ~ geneve)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _data() -> tuple[Path, str]:
    """wordfreq's folder and the key of its lists."""
    return package_key("wordfreq", "data")


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """The languages wordfreq has a list for (what its ``available_languages()`` returns)."""
    out = set()
    for name in os.listdir(_data()[0] / "data"):
        if name.endswith(".msgpack.gz") and not name.startswith("_"):
            kind, _, lang = name.split(".")[0].partition("_")
            if kind in ("small", "large"):
                out.add(lang)
    return frozenset(out)


def has_lang(lang: str) -> bool:
    return lang in languages()


def _build(lang: str) -> bytes:
    import numpy as np
    from wordfreq import get_frequency_dict, zipf_frequency

    freqs = get_frequency_dict(lang)
    words = list(freqs)
    values = np.fromiter(freqs.values(), dtype=np.float64, count=len(freqs))
    # the Zipf value, in hundredths, as np.round(x, 2) computes it (x * 100, rint, / 100)
    text = np.rint((np.log10(values) + 9.0) * 100.0).astype(np.int64)
    order = np.argsort(-text, kind="stable")  # most frequent first: top_words reads a prefix
    words = [words[i] for i in order.tolist()]
    text = text[order]
    # the clustering stage's value: plain words straight from the list (Python's round), other
    # spellings through wordfreq's own tokenizer, as dedup/tokens.py always computed them
    dedup = array("H")
    for w in words:
        plain = w.isalpha() and w.isascii()
        z = round(math.log10(freqs[w]) + 9, 2) if plain else float(zipf_frequency(w, lang))
        dedup.append(round(z * 100))
    if len(text) and (text.min() < 0 or text.max() > 0xFFFF):
        raise ValueError(f"wordfreq {lang}: Zipf values out of range")
    sections = pack_strings(words)
    sections["zipf"] = text.astype("<u2").tobytes()
    sections["dedup"] = dedup.tobytes()
    return pack(sections, {"lang": lang, "words": len(words)})


def _empty() -> bytes:
    """The table of a language wordfreq has no list for: no words."""
    return pack({**pack_strings([]), "zipf": b"", "dedup": b""}, {"words": 0})


class Zipfs:
    """One language's Zipf values: ``get(word, default)`` like a dictionary, backed by a map."""

    def __init__(self, packed: Packed) -> None:
        self.table = StringTable(packed)
        self.values = packed.sections["zipf"].cast("H")
        self.dedup_values = packed.sections["dedup"].cast("H")
        self._memo: dict[str, float] = {}

    def _probe(self, word: str) -> float:
        """The word's value from the table, or ``_MISSING``."""
        row = self.table.row(word)
        return self.values[row] / 100 if row >= 0 else _MISSING

    @overload
    def get(self, word: str, default: float) -> float: ...
    @overload
    def get(self, word: str, default: None = None) -> float | None: ...
    def get(self, word: str, default: float | None = None) -> float | None:
        v = self._memo.get(word)
        if v is None:
            v = self._probe(word)
            if len(self._memo) >= _MEMO:
                self._memo.clear()
            self._memo[word] = v
        return default if v == _MISSING else v

    def peek(self, word: str) -> float | None:
        """Like ``get(word)``, without keeping the answer: for probing many candidate spellings
        (a word's 500 one-edit neighbours) that would crowd the words of the text out of the memo."""
        v = self._memo.get(word)
        if v is None:
            v = self._probe(word)
        return None if v == _MISSING else v

    def dedup_zipf(self, word: str) -> float | None:
        """The clustering stage's value of a word in the list, else None."""
        row = self.table.row(word)
        return self.dedup_values[row] / 100 if row >= 0 else None

    def top(self, min_zipf: float) -> frozenset[str]:
        out = []
        for row in range(len(self.table)):
            if self.values[row] / 100 < min_zipf:
                break
            out.append(self.table.key(row))
        return frozenset(out)


_lock = threading.Lock()
_tables: dict[str, Zipfs] = {}


def zipf_table(lang: str) -> Zipfs:
    """Every word's Zipf frequency in ``lang`` (``.get(word, 0.0)``), for loops over tokens."""
    table = _tables.get(lang)
    if table is None:
        with _lock:
            table = _tables.get(lang)
            if table is None:
                packed = load(f"wordfreq-{lang}", _data()[1], lambda: _build(lang)) if has_lang(lang) else None
                table = _tables[lang] = Zipfs(packed or Packed(_empty()))
    return table


def zipf(word: str, lang: str) -> float:
    """Zipf frequency of a lower-case word (0.0 when unknown)."""
    return zipf_table(lang).get(word, 0.0)


def zipf_peek(word: str, lang: str) -> float:
    """:func:`zipf` for candidate spellings probed by the hundred (not kept in the memo)."""
    v = zipf_table(lang).peek(word)
    return 0.0 if v is None else v


# three thresholds a language (function words, the typo search's COMMON, the famous-name search's
# FAMOUS, the last for the six name languages too): room for a feed of a dozen languages and more
# without rebuilding a set (10 ms) for every new word; the sets are small (at most ~1 MB)
@lru_cache(maxsize=64)
def top_words(lang: str, min_zipf: float) -> frozenset[str]:
    """The words of a language at or above a Zipf frequency (its function words at 6)."""
    return zipf_table(lang).top(min_zipf)


NOUN_CAPITALS = frozenset({"de", "lb"})  # languages that capitalise every noun


def multilingual(word: str, lang: str) -> bool:
    """Listed about as often in most other languages as in ``lang``: a name (Merkel, Charlie),
    not a word of ``lang``'s vocabulary (Regierung, Comparez)."""
    z = zipf(word, lang)
    others = [zipf(word, x) for x in ("en", "fr", "de", "es", "it", "pt", "nl") if x != lang]
    return sum(1 for o in others if o >= z - 1.5) >= 3
