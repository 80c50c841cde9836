"""End to end: read → language → dedup against an index of 100,000 documents → scorers → write.

The index (SQLite) is filled once with 100,000 synthetic news-length documents plus the
stories of the measured corpus, and copied before each measured run so every run starts
from the same index. The measured corpus is ``--docs`` news-length documents built from the
seeds, fixtures and (with ../shared) DEMETR and NTREX pseudo-documents and their
republished copies. Prints documents/s of ``wirecheck ingest`` as a user runs it (process
start included), the same run without an index (the baseline, measured in the same run),
and where the time goes, stage by stage, in one process.

Run: .venv/bin/python -m bench.speed.ingest_bench [--docs 5000] [--index-docs 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
from bench.devset import base_documents, copy_variant, versions  # noqa: E402

OUT = ROOT / "bench" / "out" / "ingest"


def _sentence_pools() -> dict[str, list[str]]:
    """Real news sentences by language: NTREX-128 and DEMETR (with ../shared), else the seeds and fixtures."""
    from bench.devset import NTREX, SHARED
    from toolkit.text.segment import split_sentences

    pools: dict[str, list[str]] = {"en": [], "fr": []}
    for tag, suffix in (("en", "src.eng"), ("fr", "ref.fra"), ("fr", "ref.fra-CA")):
        path = NTREX / f"newstest2019-{suffix}.txt"
        if path.exists():
            pools[tag] += [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    demetr = SHARED / "demetr_fr-en_dev.jsonl"
    if demetr.exists():
        for line in demetr.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            pools["en"] += [r["mt_en"].strip(), r["ref_en"].strip()]
            pools["fr"].append(r["src_fr"].strip())
    if not pools["en"]:
        for p in [*sorted((ROOT / "seeds").glob("*.txt")), *sorted((ROOT / "fixtures" / "clean_news").glob("*.txt"))]:
            text = p.read_text(encoding="utf-8")
            pools["en"] += [text[a:b] for a, b in split_sentences(text, "en")]  # spans, not strings
    return {k: sorted(set(v)) for k, v in pools.items() if v}


class _Chain:
    """A word-trigram model of real news sentences: new sentences with the vocabulary, names and
    figures of the news, so that distinct stories share words as real ones do, not whole sentences."""

    def __init__(self, sentences: list[str], rng: random.Random) -> None:
        self.rng = rng
        self.next: dict[tuple[str, str], list[str]] = {}
        self.starts: list[tuple[str, str]] = []
        for s in sentences:
            w = ["<s>", "<s>", *s.split(), "</s>"]
            self.starts.append((w[2], w[3]) if len(w) > 4 else ("<s>", w[2]))
            for a, b, c in zip(w, w[1:], w[2:], strict=False):
                self.next.setdefault((a, b), []).append(c)

    def sentence(self) -> str:
        a, b = self.rng.choice(self.starts)
        out = [a, b] if a != "<s>" else [b]
        for _ in range(45):
            c = self.rng.choice(self.next.get((a, b), ["</s>"]))
            if c == "</s>":
                break
            out.append(c)
            a, b = b, c
        return " ".join(out)


def feed_corpus(n: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """A day of a wire feed: distinct stories of 12-20 sentences generated from real news sentences
    (three in four English, the rest French), one in ten a republished copy of an earlier story,
    one in twenty a copy of an archived one; and the archived stories the index holds."""
    rng = random.Random(5)
    chains = {lang: _Chain(pool, rng) for lang, pool in _sentence_pools().items()}
    langs = sorted(chains)

    def story(k: int) -> dict[str, str]:
        lang = "fr" if "fr" in langs and rng.random() < 0.25 else "en"
        sents = [chains[lang].sentence() for _ in range(rng.randint(12, 20))]
        paras = [" ".join(sents[i : i + 3]) for i in range(1, len(sents), 3)]
        return {"id": f"story-{k:06d}", "text": "\n\n".join([sents[0], *paras]), "story": f"s{k}"}

    archived = [story(900_000 + k) for k in range(max(1, n // 20))]
    docs: list[dict[str, str]] = []
    for k in range(n):
        r = rng.random()
        if r < 0.05:
            src = archived[k % len(archived)]
            docs.append({"id": f"copy-of-archive-{k:06d}", "text": copy_variant(src, k, rng)["text"]})
        elif r < 0.15 and docs:
            src = docs[rng.randrange(len(docs))]
            docs.append({"id": f"copy-{k:06d}", "text": copy_variant(src | {"story": ""}, k, rng)["text"]})
        else:
            d = story(k)
            docs.append({"id": d["id"], "text": d["text"]})
    seen = [{"id": f"archive/{d['id']}", "text": d["text"]} for d in archived]
    return docs, seen


def versions_corpus(n: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The clustering dev set's stories, every one in about ten versions (translations, re-translations,
    copies): the hardest case for clustering, nearly every pair needs verifying."""
    rng = random.Random(3)
    bases = base_documents()
    docs = versions(n, seed=3)
    rng.shuffle(docs)
    # one story in ten was ingested before: the index holds another copy of it
    seen = [{"id": f"archive/{d['id']}", "text": copy_variant(d, 99, rng)["text"]}
            for d in bases[::10]]  # fmt: skip
    return docs, seen


def build_index(path: Path, n: int, seen: list[dict[str, str]]) -> float:
    from bench.speed.dedup_bench import corpus as synthetic
    from toolkit.config import RunConfig
    from toolkit.dedup.features import features_batch
    from toolkit.dedup.minhash import signatures
    from toolkit.index import Entry, open_index
    from toolkit.index.core import band_keys

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
    ap.add_argument("--corpus", choices=["feed", "versions"], default="feed")
    ap.add_argument("--workers", type=int, default=0, help="0: one per CPU")
    ap.add_argument("--no-stages", action="store_true", help="skip the per-stage breakdown")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each command; the median is reported")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    docs, seen = (feed_corpus if args.corpus == "feed" else versions_corpus)(args.docs)
    src = OUT / "corpus.jsonl"
    src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    # named by the index scheme too: a cached index built with other shingling would be refused
    from toolkit.config import RunConfig

    scheme = hashlib.sha256(json.dumps(RunConfig().index_params(), sort_keys=True).encode()).hexdigest()[:10]
    master = OUT / f"index-{args.index_docs}-{args.corpus}-{args.docs}-{scheme}.db"
    if not master.exists():
        took = build_index(master, args.index_docs, seen)
        print(f"index: {args.index_docs + len(seen):,} documents added in {took:.0f} s "
              f"({master.stat().st_size / 1e6:.0f} MB)")  # fmt: skip
    words = sum(len(d["text"].split()) for d in docs)
    print(f"corpus ({args.corpus}): {len(docs):,} documents, {words / len(docs):.0f} words each on average")
    work = OUT / "work.db"
    shutil.copy(master, work)
    w = ["--workers", str(args.workers)]
    # each command --repeat times, alternating, each from a fresh copy of the index: the median of
    # each, and their ratio, measured under the same conditions
    t_runs, one_runs = [], []
    for _ in range(args.repeat):
        shutil.copy(master, work)
        t_runs.append(run_cli(["ingest", str(src), "--index", str(work), "-o", str(OUT / "out.jsonl"), "-q",
                               "--exit-zero", *w]))  # fmt: skip
        shutil.copy(master, work)
        one_runs.append(run_cli(["ingest", str(src), "--index", str(work), "-o", str(OUT / "one.jsonl"), "-q",
                                 "--exit-zero", "--workers", "1"]))  # fmt: skip
    t_idx, t_one = statistics.median(t_runs), statistics.median(one_runs)
    print("runs (s): " + ", ".join(f"{a:.1f}" for a in t_runs) + "; one process: "
          + ", ".join(f"{a:.1f}" for a in one_runs))  # fmt: skip
    same = (OUT / "out.jsonl").read_bytes() == (OUT / "one.jsonl").read_bytes()
    recs = [json.loads(line) for line in (OUT / "out.jsonl").open()]
    dup_index = sum(1 for r in recs if (r["wirecheck"].get("index") or {}).get("matched", "").startswith("archive/")
                    or (r["wirecheck"].get("index") or {}).get("of", "").startswith("archive/"))  # fmt: skip
    cpus = len(os.sched_getaffinity(0))
    print(f"wirecheck ingest against the {args.index_docs:,}-document index, {cpus} CPUs, median: {t_idx:.1f} s = "
          f"{len(docs) / t_idx:,.0f} documents/s ({dup_index} duplicates of archived stories found)")  # fmt: skip
    print(f"baseline, the same run in one process (--workers 1): {t_one:.1f} s = {len(docs) / t_one:,.0f} "
          f"documents/s; speed-up {t_one / t_idx:.2f}x; identical output: {same}")  # fmt: skip
    if args.no_stages:
        return
    shutil.copy(master, work)
    parts = stages(docs, work)
    total = sum(t for _, t in parts)
    print("where the time goes (one process, each stage over the whole corpus):")
    for name, t in parts:
        print(f"  {name:14s} {t:7.2f} s  {100 * t / total:5.1f} %  {len(docs) / t:10,.0f} documents/s")


if __name__ == "__main__":
    main()
