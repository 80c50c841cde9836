"""Words, one definition for every stage: what a word is (``WORD``), its spelling folded so that
it survives translation (``fold``), and how frequent it is in a language (wordfreq's Zipf
scale: 0 = never seen, 3 = once per million words, 7 = "the")."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:['’\-]\p{L}[\p{L}\p{M}]*)*")


def fold(word: str) -> str:
    """Lower case without accents: a spelling that survives translation (Genève ~ geneve)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=16)
def _freqs(lang: str) -> dict[str, float]:
    from wordfreq import available_languages, get_frequency_dict

    if lang not in available_languages():
        return {}
    return get_frequency_dict(lang)


def has_lang(lang: str) -> bool:
    return bool(_freqs(lang))


@lru_cache(maxsize=16)
def _zipfs(lang: str) -> dict[str, float]:
    # wordfreq's frequencies, converted once to the Zipf scale (in numpy: this runs in every
    # worker process at start, a million words over the source languages)
    import numpy as np

    freqs = _freqs(lang)
    values = np.fromiter(freqs.values(), dtype=np.float64, count=len(freqs))
    return dict(zip(freqs, np.round(np.log10(values) + 9.0, 2).tolist(), strict=True))


def zipf_table(lang: str) -> dict[str, float]:
    """Every word's Zipf frequency in ``lang`` (a missing word: 0.0), for loops over tokens."""
    return _zipfs(lang)


def zipf(word: str, lang: str) -> float:
    """Zipf frequency of a lower-case word (0.0 when unknown)."""
    return _zipfs(lang).get(word, 0.0)


@lru_cache(maxsize=16)
def top_words(lang: str, min_zipf: float) -> frozenset[str]:
    """The words of a language at or above a Zipf frequency (its function words at 6)."""
    return frozenset(w for w, z in _zipfs(lang).items() if z >= min_zipf)
