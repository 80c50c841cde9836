"""The pipeline on Dask: a LocalCluster of 1 and of 2 workers on ``--docs`` feed documents, and
the local executor (a process pool) on the same input, in one run.

The corpus is bench/ingest_bench.py's feed (stories generated from real news sentences, 10 %
republished copies); clustering runs in batches of 1,000 as ``wirecheck ingest`` does, no
index. Prints documents/s for each, the 2-worker speed-up over 1 worker and the ratio
against the local executor, and checks that all runs wrote the same records.

Run: .venv/bin/python -m bench.speed.dask_bench [--docs 50000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

ROOT = Path(__file__).resolve().parents[2]

from bench.speed.ingest_bench import feed_corpus  # noqa: E402
from toolkit.config import RunConfig  # noqa: E402
from toolkit.document import Document  # noqa: E402


def timed(executor: object, config: RunConfig, texts: list[dict[str, str]]) -> tuple[float, str]:
    from toolkit.io.writers import dumps

    docs = (Document(id=r["id"], text=r["text"], record=r) for r in texts)
    h = hashlib.blake2b(digest_size=16)
    t0 = time.perf_counter()
    from toolkit.pipeline import default_steps

    for d in executor.run(default_steps(config), docs):  # type: ignore[attr-defined]
        h.update(dumps(d.to_record()))
    return time.perf_counter() - t0, h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=50_000)
    args = ap.parse_args()
    from toolkit.executor import DaskExecutor, LocalExecutor

    texts, _ = feed_corpus(args.docs)
    config = RunConfig(compare=False, dedup_batch=1000)
    cpus = len(os.sched_getaffinity(0))
    print(f"corpus: {len(texts):,} feed documents; {cpus} CPUs; clustering in batches of 1,000, no index")
    results = {}
    for name, ex in (("dask, 1 worker", DaskExecutor(workers=1)), ("dask, 2 workers", DaskExecutor(workers=2)),
                     ("local executor, 2 processes", LocalExecutor(2))):  # fmt: skip
        t, digest = timed(ex, config, texts)
        results[name] = (t, digest)
        print(f"  {name:28s} {t:7.1f} s  {len(texts) / t:6.0f} documents/s", flush=True)
    one, two, local = (results[k][0] for k in ("dask, 1 worker", "dask, 2 workers", "local executor, 2 processes"))
    print(f"speed-up of 2 Dask workers over 1: {one / two:.2f}x (target 1.7x); "
          f"Dask (2 workers) against the local executor: {local / two:.2f}x")  # fmt: skip
    print(f"identical records in all runs: {len({d for _, d in results.values()}) == 1}")


if __name__ == "__main__":
    main()
