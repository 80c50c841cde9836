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
    cols = ("same", "cross", "cov", "prec", "copyR", "ARIen", "ARIfr", "ARIx", "wrong")
    print(" ".join(f"{c:>6}" for c in cols))
    for same, cross, cov in itertools.product((0.22, 0.25, 0.28), (0.1, 0.12, 0.15), (0.2, 0.35)):
        cfg = DedupConfig(same_language=same, cross_language=cross, coverage_same=cov)
        r = run(cfg, verbose=False)
        print(
            f"{same:5.2f} {cross:5.2f} {cov:5.2f} {r['pair_precision']:6.3f} {r['copy_recall']:6.3f} "
            f"{r['ari_retranslation_en']:6.3f} {r['ari_retranslation_fr']:6.3f} {r['ari_cross_language']:6.3f} "
            f"{r['wrong_merges']:5d}",
            flush=True,
        )


if __name__ == "__main__":
    main()
