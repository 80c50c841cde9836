"""Threshold sweep for story clustering on the dev set (the measurement behind DedupConfig's defaults).

Run: .venv/bin/python bench/dedup_sweep.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_eval import run

from toolkit.dedup import DedupConfig


def main() -> None:
    cols = ("covS", "cross", "covX", "prec", "copyR", "ARIen", "ARIfr", "ARIx", "wrong")
    print(" ".join(f"{c:>6}" for c in cols))
    for cov_same, cross, cov_cross in itertools.product((0.2, 0.23), (0.12, 0.15), (0.35, 0.45)):
        cfg = DedupConfig(coverage_same=cov_same, cross_language=cross, coverage_cross=cov_cross)
        r = run(cfg, verbose=False)
        row = (
            cov_same,
            cross,
            cov_cross,
            r["pair_precision"],
            r["copy_recall"],
            r["ari_retranslation_en"],
            r["ari_retranslation_fr"],
            r["ari_cross_language"],
        )
        print(" ".join(f"{v:6.3f}" for v in row) + f" {r['wrong_merges']:6d}", flush=True)


if __name__ == "__main__":
    main()
