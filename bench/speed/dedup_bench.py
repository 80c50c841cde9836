"""Story-clustering throughput on synthetic news-length documents, against the naive datasketch loop.

Prints docs/s/core for features + signatures + LSH + verification + clusters (one core),
the naive ``MinHash.update()`` loop measured in the same run, their ratio, and memory per
document. Run: .venv/bin/python -m bench.speed.dedup_bench [--docs 20000]
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # one core: the figure is per core

import argparse  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

from toolkit.dedup import DedupConfig, cluster_documents  # noqa: E402
from toolkit.document import Document  # noqa: E402


def corpus(n: int, words: int = 600, seed: int = 5) -> list[Document]:
    """News-length documents: Zipfian English vocabulary, names, numbers, paragraphs; 10 % copies."""
    from wordfreq import top_n_list

    rng = random.Random(seed)
    vocab = top_n_list("en", 30000)
    weights = [1.0 / (r + 10) for r in range(len(vocab))]
    syll = ["ka", "ro", "mi", "tan", "el", "su", "dar", "vi", "no", "lek", "ha", "zu", "pe", "or"]
    names = ["".join(rng.choices(syll, k=rng.randint(2, 4))).capitalize() for _ in range(3000)]
    docs: list[Document] = []
    for i in range(n):
        if i > 10 and rng.random() < 0.1:
            src = docs[rng.randrange(len(docs))].text.split("\n")
            body = [p for p in src if rng.random() > 0.1]
            text = "\n".join(["Republished: " + src[0], *body[1:], "Share this story"])
        else:
            toks = rng.choices(vocab, weights=weights, k=words)
            for k in range(0, words, 20):
                toks[k] = rng.choice(names)
                if k + 7 < words:
                    toks[k + 7] = str(rng.randint(2, 5000))
            paras = [" ".join(toks[k : k + 50]) + "." for k in range(0, words, 50)]
            text = "\n".join([" ".join(toks[:8]).capitalize(), *paras])
        docs.append(Document(id=f"d{i:06d}", text=text, record={}, lang="en", lang_prob=1.0))
    return docs


def naive(docs: list[Document], num_perm: int) -> float:
    """The per-shingle datasketch loop with its default hash: docs/s."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=num_perm)
    t0 = time.perf_counter()
    for d in docs:
        m = MinHash(num_perm=num_perm)
        w = d.text.lower().split()
        for k in range(len(w) - 2):
            m.update(" ".join(w[k : k + 3]).encode("utf-8"))
        lsh.insert(d.id, m)
    return len(docs) / (time.perf_counter() - t0)


def bulk_xxhash(docs: list[Document], num_perm: int) -> float:
    """datasketch's own batched path, MinHash.bulk with an xxhash hash function: docs/s."""
    import xxhash
    from datasketch import MinHash

    t0 = time.perf_counter()
    shingles = []
    for d in docs:
        w = d.text.lower().split()
        shingles.append([" ".join(w[k : k + 3]).encode("utf-8") for k in range(len(w) - 2)])
    MinHash.bulk(shingles, num_perm=num_perm, hashfunc=xxhash.xxh32_intdigest)
    return len(docs) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--naive-docs", type=int, default=400)
    args = ap.parse_args()
    cfg = DedupConfig()
    docs = corpus(args.docs)
    words = sum(len(d.text.split()) for d in docs) / len(docs)
    print(f"corpus: {len(docs):,} synthetic documents, {words:.0f} words on average; {cfg.num_perm} permutations")

    base = naive(corpus(args.naive_docs, seed=9), cfg.num_perm)
    print(f"naive datasketch update() loop: {base:,.0f} docs/s/core (word 3-grams, one view, sha1)")
    bulk = bulk_xxhash(corpus(args.naive_docs * 5, seed=9), cfg.num_perm)
    print(f"datasketch MinHash.bulk + xxhash: {bulk:,.0f} docs/s/core (signatures only, one view, no LSH)")

    # First batch: everything a fresh process pays once (libraries, compiled kernels,
    # word-list look-ups for a vocabulary it has not seen) is inside this figure.
    t0 = time.perf_counter()
    edges = cluster_documents(docs, cfg)
    cold = len(docs) / (time.perf_counter() - t0)
    multi = len({d.cluster.id for d in docs if d.cluster and not d.cluster.canonical})
    print(
        f"wirecheck dedup, first batch of a fresh process: {cold:,.0f} docs/s/core end to end "
        f"(3 views, verification, clusters; {len(edges):,} edges, {multi:,} multi-member clusters)"
    )
    # Next batches: a pipeline process handles a feed batch after batch; new documents, same process.
    rates = []
    for seed in (21, 22, 23, 24, 25):
        batch = corpus(args.docs, seed=seed)
        t0 = time.perf_counter()
        cluster_documents(batch, cfg)
        rates.append(len(batch) / (time.perf_counter() - t0))
    rate = sorted(rates)[len(rates) // 2]
    print(
        f"wirecheck dedup, next batches (median of {len(rates)}): {rate:,.0f} docs/s/core end to end "
        f"(range {min(rates):,.0f}–{max(rates):,.0f})"
    )
    print(f"ratio against the naive loop: {rate / base:.1f}x (first batch: {cold / base:.1f}x)")

    sample = corpus(2000, seed=11)
    tracemalloc.start()
    cluster_documents(sample, cfg)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"memory while clustering: {peak / len(sample) / 1024:.1f} KiB per document (tracemalloc peak / documents)")


if __name__ == "__main__":
    main()
