"""End to end: read → language → dedup against an index of 100,000 documents → scorers → write.

The index (SQLite) is filled once with 100,000 synthetic news-length documents plus the
stories of the measured corpus, and copied before each measured run so every run starts
from the same index. The measured corpus is ``--docs`` news-length documents built from the
seeds, fixtures and (with ../shared) DEMETR and NTREX pseudo-documents and their
republished copies. Prints documents/s of ``wirecheck ingest`` as a user runs it (process
start included), the same run without an index (the baseline, measured in the same run),
and where the time goes, stage by stage, in one process.

Run: .venv/bin/python bench/ingest_bench.py [--docs 5000] [--index-docs 100000]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.devset import base_documents, copy_variant  # noqa: E402

OUT = ROOT / "bench" / "out" / "ingest"


def measured_corpus(n: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """``n`` documents (stories and their copies) and the stories the index already holds."""
    rng = random.Random(3)
    bases = base_documents()
    copies = max(1, math.ceil(n / len(bases)) - 1)
    docs: list[dict[str, str]] = []
    for d in bases:
        docs.append({"id": d["id"], "text": d["text"]})
        docs.extend({"id": c["id"], "text": c["text"]} for c in (copy_variant(d, k, rng) for k in range(1, copies + 1)))
    rng.shuffle(docs)
    docs = docs[:n]
    # one story in ten was ingested before: the index holds another copy of it
    seen = [{"id": f"archive/{d['id']}", "text": copy_variant(d, 99, rng)["text"]}
            for d in bases[::10]]  # fmt: skip
    return docs, seen


def build_index(path: Path, n: int, seen: list[dict[str, str]]) -> float:
    from bench.dedup_bench import corpus as synthetic
    from toolkit.config import RunConfig
    from toolkit.dedup.cluster import band_keys
    from toolkit.dedup.features import features_batch
    from toolkit.dedup.minhash import signatures
    from toolkit.index import Entry, open_index

    t0 = time.perf_counter()
    config = RunConfig()
    cfg = config.dedup_config
    idx = open_index(str(path), config.index_params())
    bands, rows = int(idx.stored["bands"]), int(idx.stored["rows"])
    added = time.time() - 86400
    synth = synthetic(n, seed=17)
    items = [(d.id, d.text) for d in synth] + [(d["id"], d["text"]) for d in seen]
    for start in range(0, len(items), 5000):
        part = items[start : start + 5000]
        feats = features_batch([t for _, t in part], ["en"] * len(part))
        sets = [f.copy_items for f in feats]
        sigs = signatures(sets, cfg.num_perm, cfg.seed)
        entries = [
            Entry(i, i, True, sigs[k], len(feats[k].copy) if len(sets[k]) >= cfg.min_shingles else 0, added)
            for k, (i, _) in enumerate(part)
        ]
        keys = np.stack(band_keys(sigs, bands, rows), axis=1).view(np.int64)
        idx.resolve(entries, keys)
    idx.close()
    return time.perf_counter() - t0


def run_cli(args: list[str]) -> float:
    exe = shutil.which("wirecheck", path=str(Path(sys.executable).parent)) or "wirecheck"
    t0 = time.perf_counter()
    subprocess.run([exe, *args], check=True)
    return time.perf_counter() - t0


def stages(docs: list[dict[str, str]], index_path: Path) -> list[tuple[str, float]]:
    """Seconds per stage in one process, each stage run over the whole corpus in turn."""
    from toolkit.config import RunConfig
    from toolkit.index import open_index
    from toolkit.io.readers import ReaderOptions, read_jsonl
    from toolkit.io.writers import JsonlWriter
    from toolkit.pipeline import default_steps

    config = RunConfig(compare=False, dedup_batch=1000)
    idx = open_index(str(index_path), config.index_params())
    out: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    with (OUT / "corpus.jsonl").open("rb") as fh:
        batch = list(read_jsonl(fh, "corpus", ReaderOptions()))
    out.append(("read", time.perf_counter() - t0))
    for step in default_steps(config, index=idx):
        t0 = time.perf_counter()
        batch = list(step(batch))
        out.append((step.name if step.name != "dedup" else "dedup + index", time.perf_counter() - t0))
    t0 = time.perf_counter()
    with (OUT / "stages.jsonl").open("wb") as fh:
        w = JsonlWriter(fh)
        for d in batch:
            w.write(d)
    out.append(("write", time.perf_counter() - t0))
    idx.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--index-docs", type=int, default=100_000)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    docs, seen = measured_corpus(args.docs)
    src = OUT / "corpus.jsonl"
    src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    master = OUT / f"index-{args.index_docs}.db"
    if not master.exists():
        took = build_index(master, args.index_docs, seen)
        print(f"index: {args.index_docs + len(seen):,} documents added in {took:.0f} s "
              f"({master.stat().st_size / 1e6:.0f} MB)")  # fmt: skip
    words = sum(len(d["text"].split()) for d in docs)
    print(f"corpus: {len(docs):,} documents, {words / len(docs):.0f} words each on average")
    work = OUT / "work.db"
    shutil.copy(master, work)
    t_idx = run_cli(["ingest", str(src), "--index", str(work), "-o", str(OUT / "out.jsonl"), "-q", "--exit-zero"])
    t_base = run_cli(["ingest", str(src), "--no-index", "-o", str(OUT / "base.jsonl"), "-q", "--exit-zero"])
    recs = [json.loads(line) for line in (OUT / "out.jsonl").open()]
    dup_index = sum(1 for r in recs if (r["wirecheck"].get("index") or {}).get("matched", "").startswith("archive/")
                    or (r["wirecheck"].get("index") or {}).get("of", "").startswith("archive/"))  # fmt: skip
    print(f"wirecheck ingest against the {args.index_docs:,}-document index: {t_idx:.1f} s = "
          f"{len(docs) / t_idx:,.0f} documents/s ({dup_index} duplicates of archived stories found)")  # fmt: skip
    print(f"baseline, the same run without an index: {t_base:.1f} s = {len(docs) / t_base:,.0f} documents/s; "
          f"ratio {t_base / t_idx:.2f}x")  # fmt: skip
    shutil.copy(master, work)
    parts = stages(docs, work)
    total = sum(t for _, t in parts)
    print("where the time goes (one process, each stage over the whole corpus):")
    for name, t in parts:
        print(f"  {name:14s} {t:7.2f} s  {100 * t / total:5.1f} %  {len(docs) / t:10,.0f} documents/s")


if __name__ == "__main__":
    main()
