"""`wirecheck dedup` as a user runs it, beside the MinHash scripts a user would write instead.

Every command reads the same JSONL file in a fresh process (start-up included) and is timed in
the same run, alternating, ``--repeat`` times (the median is reported: these machines drift):

- ``wirecheck dedup FILE --format jsonl -o OUT -q`` (story clustering only), in one process,
  with ``--workers 0`` (one per CPU), and with ``--trust-lang`` (the records' declared language
  taken instead of identified, as a feed that declares it allows);
- the naive datasketch loop: ``MinHash.update`` per word 3-gram, then ``MinHashLSH.insert``;
- datasketch's batch API: ``MinHash.bulk`` over every document's word 3-grams, then insert;
- rensa (Rust MinHash, ``pip install rensa``; ``make bench`` installs it): ``RMinHash.update``
  over word 3-grams, then ``RMinHashLSH.insert``;
- a plain character 5-gram datasketch script (``update_batch`` per document).

The baselines find near-copies only; wirecheck also joins re-translations and other languages
and verifies each pair (docs/clustering.md). Corpora: synthetic news-length documents
(:func:`bench.speed.dedup_bench.corpus`, 10 % copies) and real-vocabulary news built from NTREX
and DEMETR sentences with republished copies (:func:`bench.speed.ingest_bench.feed_corpus`).

Run: ``.venv/bin/python -m bench.speed.dedup_cli [--docs 10000] [--repeat 3] [--corpus both]``
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAIVE = """
import json, sys
from datasketch import MinHash, MinHashLSH
lsh = MinHashLSH(threshold=0.5, num_perm=64)
for n, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    w = json.loads(line)["text"].lower().split()
    m = MinHash(num_perm=64)
    for k in range(len(w) - 2):
        m.update(" ".join(w[k : k + 3]).encode("utf-8"))
    lsh.insert(n, m)
"""

BULK = """
import json, sys
from datasketch import MinHash, MinHashLSH
docs = []
for line in open(sys.argv[1], encoding="utf-8"):
    w = json.loads(line)["text"].lower().split()
    docs.append([" ".join(w[k : k + 3]).encode("utf-8") for k in range(len(w) - 2)])
lsh = MinHashLSH(threshold=0.5, num_perm=64)
with lsh.insertion_session() as session:
    for n, m in enumerate(MinHash.bulk(docs, num_perm=64)):
        session.insert(n, m)
"""

RENSA = """
import json, sys
from rensa import RMinHash, RMinHashLSH
lsh = RMinHashLSH(threshold=0.5, num_perm=64, num_bands=16)
for n, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    w = json.loads(line)["text"].lower().split()
    m = RMinHash(num_perm=64, seed=42)
    m.update([" ".join(w[k : k + 3]) for k in range(len(w) - 2)])
    lsh.insert(n, m)
"""

CHAR5 = """
import json, sys
from datasketch import MinHash, MinHashLSH
lsh = MinHashLSH(threshold=0.5, num_perm=64)
for n, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    t = " ".join(json.loads(line)["text"].lower().split())
    m = MinHash(num_perm=64)
    m.update_batch([t[k : k + 5].encode("utf-8") for k in range(len(t) - 4)])
    lsh.insert(n, m)
"""


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def write_corpus(kind: str, n: int, path: Path) -> int:
    if kind == "synthetic":
        from bench.speed.dedup_bench import corpus

        rows = [{"id": d.id, "text": d.text, "lang": "en"} for d in corpus(n)]
    else:
        from bench.speed.ingest_bench import feed_corpus

        rows = [{"id": d["id"], "text": d["text"]} for d in feed_corpus(n)[0]]  # no declared language
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)


def measure(kind: str, n: int, repeat: int, tmp: Path) -> None:
    feed = tmp / f"{kind}.jsonl"
    docs = write_corpus(kind, n, feed)
    words = sum(len(json.loads(line)["text"].split()) for line in feed.open(encoding="utf-8")) / docs
    exe = str(Path(sys.executable).parent / "wirecheck")
    commands: dict[str, list[str]] = {
        "wirecheck dedup (one process)": [exe, "dedup", str(feed), "--format", "jsonl", "-o", str(tmp / "o.jsonl"),
                                          "-q"],
        "wirecheck dedup --workers 0": [exe, "dedup", str(feed), "--format", "jsonl", "-o", str(tmp / "o2.jsonl"),
                                        "-q", "--workers", "0"],
        "wirecheck dedup --trust-lang": [exe, "dedup", str(feed), "--format", "jsonl", "-o", str(tmp / "o3.jsonl"),
                                         "-q", "--trust-lang"],
    }  # fmt: skip
    scripts = {"naive datasketch loop": NAIVE, "datasketch MinHash.bulk": BULK, "datasketch char 5-grams": CHAR5}
    if importlib.util.find_spec("rensa") is not None:
        scripts["rensa (Rust)"] = RENSA
    for name, body in scripts.items():
        script = tmp / (name.split()[0] + str(len(commands)) + ".py")
        script.write_text(body, encoding="utf-8")
        commands[name] = [sys.executable, str(script), str(feed)]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            times[name].append(timed(cmd))
    med = {name: statistics.median(t) for name, t in times.items()}
    ours = med["wirecheck dedup --workers 0"]
    print(f"\n{kind}: {docs:,} documents, {words:.0f} words each; each command in a fresh process, "
          f"median of {repeat}, same run")  # fmt: skip
    for name, t in med.items():
        print(
            f"  {name:32s} {docs / t:8,.0f} documents/s ({t:5.1f} s)   wirecheck --workers 0 is {t / ours:5.2f}x this"
        )
    if "rensa (Rust)" not in med:
        print("  rensa: not installed (make bench installs it)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", choices=["synthetic", "news", "both"], default="both")
    args = ap.parse_args()
    kinds = ["synthetic", "news"] if args.corpus == "both" else [args.corpus]
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            measure(kind, args.docs, args.repeat, Path(tmp))


if __name__ == "__main__":
    main()
