"""`wirecheck dedup` as a user runs it, against the naive datasketch loop, both from the command line.

Writes synthetic news-length documents (:func:`bench.speed.dedup_bench.corpus`) as JSONL, then
times, in the same run and each in a fresh process (start-up included):

- ``wirecheck dedup FILE --format jsonl -o /dev/null -q`` (clustering only, one process);
- a Python script that reads the same file and runs the per-shingle datasketch loop
  (``MinHash.update`` over word 3-grams, then ``MinHashLSH.insert``), the baseline a user
  would write first.

Prints documents/s for each and their ratio. Run:
``.venv/bin/python -m bench.speed.dedup_cli [--docs 10000]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.speed.dedup_bench import corpus

NAIVE = """
import json, sys
from datasketch import MinHash, MinHashLSH
lsh = MinHashLSH(threshold=0.5, num_perm=64)
for line in open(sys.argv[1], encoding="utf-8"):
    rec = json.loads(line)
    m = MinHash(num_perm=64)
    w = rec["text"].lower().split()
    for k in range(len(w) - 2):
        m.update(" ".join(w[k : k + 3]).encode("utf-8"))
    lsh.insert(rec["id"], m)
"""


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "wirecheck")
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        with feed.open("w", encoding="utf-8") as fh:
            for d in corpus(args.docs):
                fh.write(json.dumps({"id": d.id, "text": d.text, "lang": "en"}) + "\n")
        script = Path(tmp) / "naive.py"
        script.write_text(NAIVE, encoding="utf-8")
        ours = timed([exe, "dedup", str(feed), "--format", "jsonl", "-o", "/dev/null", "-q"])
        naive = timed([sys.executable, str(script), str(feed)])
    n = args.docs
    print(f"{n:,} documents of 600 words, each command in a fresh process, same run")
    print(f"  naive datasketch loop (python script):   {n / naive:8.0f} documents/s ({naive:.1f} s)")
    print(f"  wirecheck dedup --format jsonl:          {n / ours:8.0f} documents/s ({ours:.1f} s)")
    print(f"  wirecheck dedup / naive loop:            {naive / ours:8.2f}x")


if __name__ == "__main__":
    main()
