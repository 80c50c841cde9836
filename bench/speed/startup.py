"""Start-up as a user feels it: wall time and peak memory of the commands one types.

Each command runs in a fresh process (interpreter start included), ``--repeat`` times, beside
anchors measured in the same run: the bare interpreter, ``sacrebleu --help`` and a datasketch
import (tools users compare wirecheck with). Then the same commands with an empty cache
folder (``WIRECHECK_CACHE``), which is what the first run on a new machine pays while the
compiled tables are built (docs/architecture.md, "Compiled tables").

Run: ``.venv/bin/python -m bench.speed.startup [--repeat 5]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one command in a fresh process.

    Linux starts an exec'd child from its parent's high-water RSS; this script imports nothing
    heavy (about 10 MB), so the figure is the command's own (tests/conftest.py adds a launcher
    because a pytest worker is not small)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=env["_CWD"])
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    wc = str(BIN / "wirecheck")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        article = ROOT / "seeds" / "000_25f7e6c52884490d.txt"
        sentence = t / "one.txt"
        sentence.write_text("Recep Tayyip Ergodan said on Tuesday that the talks in Idleb would go on.\n")
        commands = {
            "python -c pass (anchor)": [sys.executable, "-c", "pass"],
            "sacrebleu --help (anchor)": [str(BIN / "sacrebleu"), "--help"],
            "python -c 'import datasketch' (anchor)": [sys.executable, "-c", "import datasketch"],
            "wirecheck --help": [wc, "--help"],
            "wirecheck score one sentence": [wc, "score", str(sentence), "-q", "--out", str(t / "s1"), "--force"],
            "wirecheck score one article (600 words)": [wc, "score", str(article), "-q", "--out", str(t / "s2"),
                                                        "--force"],
            "wirecheck run (the five seeds)": [wc, "run", "-q", "--out", str(t / "r"), "--force"],
        }  # fmt: skip
        if not Path(commands["sacrebleu --help (anchor)"][0]).exists():
            del commands["sacrebleu --help (anchor)"]
        env = {**os.environ, "_CWD": tmp}
        for cmd in commands.values():  # once, so that the user cache exists (the usual case)
            run(cmd, env)
        got: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
        for _ in range(args.repeat):
            for name, cmd in commands.items():
                got[name].append(run(cmd, env))
        print(f"each command in a fresh process, median of {args.repeat}, same run; caches built")
        for name, runs in got.items():
            wall = statistics.median(w for w, _ in runs)
            rss = max(m for _, m in runs)
            print(f"  {name:42s} {wall:6.2f} s  {rss:6.0f} MB peak")
        print("first run on a new machine (empty cache folder, tables built during the command):")
        for name in ("wirecheck score one article (600 words)", "wirecheck run (the five seeds)"):
            fresh = t / "fresh-cache"
            shutil.rmtree(fresh, ignore_errors=True)
            wall, rss = run(commands[name], {**env, "WIRECHECK_CACHE": str(fresh)})
            size = sum(p.stat().st_size for p in fresh.iterdir()) / 1e6 if fresh.exists() else 0.0
            print(f"  {name:42s} {wall:6.2f} s  {rss:6.0f} MB peak; cache {size:.0f} MB")


if __name__ == "__main__":
    main()
