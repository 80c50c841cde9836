"""Threshold sweep for story clustering on the dev set (the measurement behind DedupConfig's defaults).

Run: .venv/bin/python -m bench.quality.dedup_sweep
"""

from __future__ import annotations

import itertools

from bench.quality.dedup_eval import run
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
    # average linkage for pairs below ``sure``: the share of member pairs that must verify
    print("\n" + " ".join(f"{c:>6}" for c in ("link", "prec", "storyR", "ARIen", "ARIfr", "ARIx", "wrong")))
    for linkage in (0.0, 0.34, 0.5, 0.67):
        r = run(DedupConfig(linkage=linkage), verbose=False)
        keys = ("pair_precision", "story_recall", "ari_retranslation_en", "ari_retranslation_fr", "ari_cross_language")
        row = (linkage, *(r[k] for k in keys))
        print(" ".join(f"{v:6.3f}" for v in row) + f" {r['wrong_merges']:6d}", flush=True)


if __name__ == "__main__":
    main()
