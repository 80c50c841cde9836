"""Aligner speed on one core: news-length pairs end to end, and Text+Berg embedding / alignment rates.

Baseline measured in the same run: embedding every run of 1..4 sentences as its own text
(what Bertalign's and Vecalign's overlap files do) instead of wirecheck's pooled runs.

Usage: OMP_NUM_THREADS=1 python -m bench.speed.align_bench
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bench.quality.align_eval import GOLD, docs
from toolkit.align.aligner import align
from toolkit.align.model import AlignConfig
from toolkit.text.embed import USEEmbedder


def news_pairs() -> list[tuple[list[str], list[str]]]:
    out = []
    for _, src, tgt, _, _, _ in docs("ntrex_en-fr"):
        out.append((src[:40], tgt[:40]))
    return out


def main() -> None:
    if not GOLD.is_dir():
        print(f"align_bench: {GOLD} is missing (the development data beside this checkout); skipped")
        return
    emb = USEEmbedder(threads=1)
    emb.encode(["warm-up: load the model and compile the kernels"])
    align(["A warm-up sentence."], ["Une phrase."], "en", "fr", AlignConfig(), emb)

    times = []
    sizes = []
    for src, tgt in news_pairs():
        emb._cache.clear()
        t0 = time.perf_counter()
        align(src, tgt, "en", "fr", AlignConfig(), emb)
        times.append(time.perf_counter() - t0)
        sizes.append(len(src) + len(tgt))
    times_ms = sorted(t * 1000 for t in times)
    print(
        f"NTREX en-fr news pairs (first <=40 sentences a side, {len(times)} pairs, "
        f"mean {statistics.mean(sizes):.0f} sentences),"
    )
    print(f"  cold cache, embedding included, one core: median {statistics.median(times_ms):.0f} ms, "
          f"p90 {times_ms[int(0.9 * len(times_ms))]:.0f} ms, max {times_ms[-1]:.0f} ms")  # fmt: skip

    tb = list(docs("textberg_test"))
    sents = [s for _, a, b, _, _, _ in tb for s in (*a, *b)]
    emb._cache.clear()
    t0 = time.perf_counter()
    for _, a, b, _, _, _ in tb:
        emb.encode_runs(a, 4)
        emb.encode_runs(b, 4)
    t_emb = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _, a, b, sl, tl, _ in tb:
        align(a, b, sl, tl, AlignConfig(), emb)
    t_align = time.perf_counter() - t0
    emb._cache.clear()
    t0 = time.perf_counter()
    for _, a, b, _, _, _ in tb:
        for side in (a, b):
            for k in range(1, 5):
                emb.encode([" ".join(side[i : i + k]) for i in range(len(side) - k + 1)])
    t_base = time.perf_counter() - t0
    n = len(sents)
    print(f"Text+Berg test ({n} sentences):")
    print(f"  embedding, runs of 1-4 from pooled sums: {n / t_emb:7.0f} sentences/s")
    print(
        f"  baseline, every run embedded as text:    {n / t_base:7.0f} sentences/s  "
        f"(pooled runs {t_base / t_emb:.1f}x faster)"
    )
    print(f"  alignment with embeddings cached:        {n / t_align:7.0f} sentences/s")


if __name__ == "__main__":
    main()
