"""Bilingual checks on DEMETR fr→en (../shared/data/demetr_fr-en_dev.jsonl): the French source
against the perturbed English MT. Prints recall on replaced numbers, replaced and removed named
entities, and how many clean controls (the source against its unperturbed MT) get any
finding that is not a neutral note.

Usage: python -m bench.quality.compare_eval [--show]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from toolkit.compare.core import compare  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "demetr_fr-en_dev.jsonl"
CHECKS = {
    "critical_id10_numbers_replaced": "compare.number_mismatch",
    "critical_id9_ne_replaced": "compare.name_mismatch",
    "critical_id25_ne_removed": "compare.name_missing",
}


def codes(src: str, tgt: str) -> set[str]:
    """The codes of the findings that are not neutral notes."""
    res = compare(src, tgt, "fr", "en", mode="translation", presplit=True)
    return {f.code for _, f in res.findings if f.severity.value != "neutral"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--show", action="store_true", help="print the misses and the flagged controls")
    args = ap.parse_args()
    if not DATA.is_file():
        print(f"compare_eval: {DATA} is missing (the development data beside this checkout); skipped")
        return
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x]
    t0 = time.perf_counter()
    for pert, code in CHECKS.items():
        pos = [r for r in rows if r["pert_name"] == pert and r["pert_check"]]
        hits = 0
        for r in pos:
            ok = code in codes(r["src_fr"], r["pert_en"])
            hits += ok
            if args.show and not ok:
                print("  MISS", pert, "|", r["src_fr"][:90], "|", r["pert_en"][:90])
        print(f"{pert:32} recall {hits / len(pos):.3f} ({hits}/{len(pos)}) with {code}")
    controls = [r for r in rows if r["pert_name"] == "base_id35_reference"]
    flagged = 0
    for r in controls:
        got = codes(r["src_fr"], r["mt_en"])
        flagged += bool(got)
        if args.show and got:
            res = compare(r["src_fr"], r["mt_en"], "fr", "en", mode="translation", presplit=True)
            print("  CONTROL", [(f.code, f.text) for _, f in res.findings if f.severity.value != "neutral"])
    print(f"clean controls with any finding that is not neutral: {flagged}/{len(controls)} "
          f"({flagged / len(controls):.1%})   [{time.perf_counter() - t0:.1f} s]")  # fmt: skip


if __name__ == "__main__":
    main()
