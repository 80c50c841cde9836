"""What story clustering costs on news with many versions per story, from the command line.

``wirecheck dedup FILE --format jsonl -q`` (language identified, story clustering, no scorers)
beside a plain character 5-gram datasketch MinHash + LSH script on the same JSONL, each in a
fresh process, CPU time (user + system of the child) and wall time, in the same run:

- ``versions``: :func:`bench.devset.versions` — the dev set's originals, re-translations and
  other-language versions, each followed by republished copies (about ten versions a story
  and more), at 2,000, 4,000 and 8,000 documents: the ratio at 4,000 and how the cost grows;
- ``ntrex15``: the 123 NTREX stories in all fifteen language versions plus two copies of each
  English original (:mod:`bench.quality.multilingual_eval`), where every pair is across
  languages and verification does the most work.

Run: ``.venv/bin/python -m bench.speed.cluster_cost [--sizes 2000 4000 8000] [--repeat 1]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.speed.dedup_cli import CHAR5


def run_timed(cmd: list[str]) -> tuple[float, float]:
    """(CPU seconds of the child, wall seconds)."""
    before = os.times()
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system), wall


def write(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n")


def measure(name: str, rows: list[dict[str, str]], tmp: Path, repeat: int) -> dict[str, float]:
    feed = tmp / f"{name}.jsonl"
    write(rows, feed)
    script = tmp / "char5_script.py"
    script.write_text(CHAR5, encoding="utf-8")
    exe = str(Path(sys.executable).parent / "wirecheck")
    cmds = {
        "wirecheck": [exe, "dedup", str(feed), "--format", "jsonl", "-o", str(tmp / "out.jsonl"), "-q"],
        "char5": [sys.executable, str(script), str(feed)],
    }
    cpu: dict[str, list[float]] = {k: [] for k in cmds}
    wall: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(repeat):
        for k, cmd in cmds.items():
            c, w = run_timed(cmd)
            cpu[k].append(c)
            wall[k].append(w)
    res = {f"{k}_{m}": statistics.median(v[k]) for m, v in (("cpu", cpu), ("wall", wall)) for k in cmds}
    print(
        f"  {name:16s} {len(rows):6,d} docs  wirecheck {res['wirecheck_cpu']:6.1f} CPU-s"
        f" ({res['wirecheck_wall']:5.1f} s wall)"
        f"  char-5-gram datasketch {res['char5_cpu']:6.1f} CPU-s  ratio {res['wirecheck_cpu'] / res['char5_cpu']:5.2f}x"
    )
    ours, theirs = in_process(feed)
    res.update(in_process_wirecheck=ours, in_process_char5=theirs)
    print(f"  {'':16s} {'in this process (warm):':>11s} wirecheck {ours:6.1f} CPU-s"
          f"  char-5-gram datasketch {theirs:6.1f} CPU-s  ratio {ours / theirs:5.2f}x")  # fmt: skip
    return res


def in_process(feed: Path) -> tuple[float, float]:
    """CPU seconds in this process, models and tables loaded (sentence embeddings not kept): the steps of
    ``wirecheck dedup`` (normalise, language, features, clustering) and the character-5-gram loop."""
    from toolkit.config import RunConfig
    from toolkit.io.readers import ReaderOptions, read_jsonl
    from toolkit.pipeline import default_steps

    def ours() -> None:
        with feed.open("rb") as fh:
            docs = list(read_jsonl(fh, str(feed), ReaderOptions()))
        # what `wirecheck dedup` runs (toolkit/cli/runs.py): no scorers, no comparison
        for step in default_steps(RunConfig(scorers=False, compare=False, paragraph_lang=False)):
            docs = list(step(docs))

    def theirs() -> None:
        argv, sys.argv = sys.argv, ["char5", str(feed)]  # the script reads its input from argv
        try:
            exec(compile(CHAR5, "char5", "exec"), {"__name__": "char5"})
        finally:
            sys.argv = argv

    from toolkit.text.embed import default_embedder

    out = []
    for job in (ours, theirs):
        job()  # warm: the models and tables a long-running process would hold
        default_embedder()._cache.clear()  # but not these documents' sentence embeddings
        t0 = time.process_time()
        job()
        out.append(time.process_time() - t0)
    return out[0], out[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 4000, 8000])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--skip-ntrex", action="store_true")
    args = ap.parse_args()
    from bench.devset import versions

    print(f"CPU time of each command in a fresh process (median of {args.repeat}), same run")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        sized = {n: measure(f"versions-{n}", versions(n, 7), tmp, args.repeat) for n in args.sizes}
        if len(sized) > 1:
            lo, hi = min(sized), max(sized)
            growth = sized[hi]["wirecheck_cpu"] / sized[lo]["wirecheck_cpu"]
            print(f"  {lo:,} -> {hi:,} documents ({hi / lo:.0f}x the input): wirecheck's CPU time grows {growth:.2f}x")
        if not args.skip_ntrex:
            from bench.quality.multilingual_eval import records

            measure("ntrex15", records("dev") + records("held-out"), tmp, args.repeat)


if __name__ == "__main__":
    main()
