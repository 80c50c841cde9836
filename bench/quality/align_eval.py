"""Strict and lax bead P/R/F1 on the gold alignments in ../shared/align_gold (Vecalign's score.py metric).

Usage: python -m bench.quality.align_eval [--sets textberg_test,ntrex_en-fr,...] [--set-param name=value ...]
"""

from __future__ import annotations

import argparse
import ast
import time
from collections.abc import Iterator
from pathlib import Path

from toolkit.align.aligner import align
from toolkit.align.model import AlignConfig
from toolkit.text.embed import Embedder

GOLD = Path(__file__).resolve().parents[3] / "shared" / "align_gold"
Bead = tuple[tuple[int, ...], tuple[int, ...]]


def read_gold(path: Path) -> list[Bead]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        a, b = line.split(":")[:2]
        out.append((tuple(ast.literal_eval(a)), tuple(ast.literal_eval(b))))
    return out


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def docs(name: str) -> Iterator[tuple[str, list[str], list[str], str, str, list[Bead]]]:
    if name.startswith("textberg"):
        root = GOLD / "textberg_de-fr"
        stems = ["dev"] if name == "textberg_dev" else [f"test{i}" for i in range(7)]
        for s in stems:
            yield s, lines(root / f"{s}.de"), lines(root / f"{s}.fr"), "de", "fr", read_gold(root / f"{s}.defr")
        return
    if name == "parice":
        root = GOLD / "parice_en-is"
        for g in sorted((root / "gold").iterdir()):
            src = [x.split("\t", 1)[-1] for x in lines(root / "eng" / g.name)]
            tgt = [x.split("\t", 1)[-1] for x in lines(root / "isl" / g.name)]
            yield g.name, src, tgt, "en", "is", read_gold(g)
        return
    root = GOLD / "ntrex_derived" / name
    langs = {"ntrex_en-fr": ("en", "fr"), "ntrex_en-fr_hard": ("en", "fr"), "ntrex_fr-frCA": ("fr", "fr"),
             "ntrex_en-enIN": ("en", "en")}[name]  # fmt: skip
    for g in sorted((root / "gold").iterdir()):
        yield g.name, lines(root / "src" / g.name), lines(root / "tgt" / g.name), *langs, read_gold(g)


def _lax_hits(test: list[Bead], gold: list[Bead]) -> tuple[int, int]:
    gold_set = set(gold)
    src_to_tgts: dict[int, set[int]] = {}
    for s, t in gold:
        for x in s:
            src_to_tgts.setdefault(x, set()).update(t)
    strict = lax = 0
    for s, t in test:
        if (s, t) in gold_set:
            strict += 1
            lax += 1
            continue
        gold_t: set[int] = set()
        for x in s:
            gold_t |= src_to_tgts.get(x, set())
        if gold_t & set(t):
            lax += 1
    return strict, lax


def score(test: list[Bead], gold: list[Bead]) -> tuple[int, int, int, int, int, int]:
    test = [b for b in test if b[0] or b[1]]
    gold = [b for b in gold if b[0] or b[1]]
    p_strict, p_lax = _lax_hits(test, gold)
    test_full = [b for b in test if b[0] and b[1]]
    gold_full = [b for b in gold if b[0] and b[1]]
    r_strict, r_lax = _lax_hits(gold_full, test_full)
    return p_strict, p_lax, len(test), r_strict, r_lax, len(gold_full)


def prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(name: str, cfg: AlignConfig, embedder: Embedder | None = None) -> dict[str, float]:
    tot = [0] * 6
    sents = 0
    t0 = time.perf_counter()
    for _, src, tgt, sl, tl, gold in docs(name):
        res = align(src, tgt, sl, tl, cfg, embedder)
        test = [(b.src, b.tgt) for b in res.beads]
        for k, v in enumerate(score(test, gold)):
            tot[k] += v
        sents += len(src) + len(tgt)
    dt = time.perf_counter() - t0
    sp, sr, sf = prf(tot[0], tot[2], tot[3], tot[5])
    lp, lr, lf = prf(tot[1], tot[2], tot[4], tot[5])
    return {"strict_p": sp, "strict_r": sr, "strict_f1": sf, "lax_p": lp, "lax_r": lr, "lax_f1": lf,
            "sentences": sents, "seconds": dt}  # fmt: skip


def main() -> None:
    if not GOLD.is_dir():
        print(f"align_eval: {GOLD} is missing (the development data beside this checkout); skipped")
        return
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--sets", default="textberg_dev,textberg_test,ntrex_en-fr,ntrex_en-fr_hard,ntrex_fr-frCA,ntrex_en-enIN"
    )
    ap.add_argument("--set-param", action="append", default=[], metavar="NAME=VALUE")
    args = ap.parse_args()
    cfg = AlignConfig()
    for kv in args.set_param:
        k, v = kv.split("=", 1)
        setattr(cfg, k, type(getattr(cfg, k))(v))
    print(f"{'set':18} {'strict P':>8} {'R':>6} {'F1':>6} | {'lax P':>6} {'R':>6} {'F1':>6} | sents/s")
    for name in args.sets.split(","):
        r = evaluate(name, cfg)
        rate = r["sentences"] / r["seconds"]
        print(f"{name:18} {r['strict_p']:8.3f} {r['strict_r']:6.3f} {r['strict_f1']:6.3f} | "
              f"{r['lax_p']:6.3f} {r['lax_r']:6.3f} {r['lax_f1']:6.3f} | {rate:7.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
