"""Compare sentence segmenters on hand-split English and French news (fixtures/segmentation).

Prints boundary precision/recall/F1 per segmenter and language, and sentences/s.
Run: .venv/bin/python -m bench.quality.segmenters
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_gold(path: Path) -> list[list[str]]:
    paras: list[list[str]] = []
    cur: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if cur:
                paras.append(cur)
            cur = []
        else:
            cur.append(line.strip())
    if cur:
        paras.append(cur)
    return paras


def boundaries(sents: list[str]) -> set[int]:
    """Offsets (spaces ignored) where sentences end; the paragraph's own end is not counted."""
    out, pos = set(), 0
    for s in sents:
        pos += len(s.replace(" ", ""))
        out.add(pos)
    out.discard(pos)
    return out


def segmenters(lang: str) -> dict[str, Callable[[str], list[str]]]:
    import blingfire
    import pysbd
    import sentencex
    import syntok.segmenter as syn
    from sentence_splitter import SentenceSplitter

    from toolkit.text.segment import split_sentences

    ps = pysbd.Segmenter(language=lang, clean=False)
    ss = SentenceSplitter(language=lang)

    def library_split(t: str) -> list[str]:
        # the library as shipped: toolkit.text.segment hands it a regex module that compiles each
        # pattern once, and this figure is the library's own
        import regex
        import sentence_splitter

        saved, sentence_splitter.regex = sentence_splitter.regex, regex
        try:
            return ss.split(t)  # type: ignore[no-any-return]
        finally:
            sentence_splitter.regex = saved

    def syntok_split(t: str) -> list[str]:
        return ["".join(tok.spacing + tok.value for tok in sent).strip() for para in syn.analyze(t) for sent in para]

    return {
        "pysbd": ps.segment,
        "syntok": syntok_split,
        "sentencex": lambda t: list(sentencex.segment(lang, t)),
        "blingfire": lambda t: blingfire.text_to_sentences(t).split("\n"),
        "sentence-splitter (Moses)": library_split,
        "wirecheck (Moses + prefixes)": lambda t: [t[s:e] for s, e in split_sentences(t, lang)],
    }


def main() -> None:
    for lang in ("en", "fr"):
        gold = load_gold(ROOT / "fixtures" / "segmentation" / f"{lang}_gold.txt")
        n_sents = sum(len(p) for p in gold)
        print(f"\n{lang}: {len(gold)} paragraphs, {n_sents} gold sentences")
        print(f"{'segmenter':28} {'P':>6} {'R':>6} {'F1':>6} {'sent/s':>9}")
        for name, fn in segmenters(lang).items():
            tp = fp = fn_ = 0
            t0 = time.perf_counter()
            reps = 20
            for _ in range(reps):
                for para in gold:
                    fn(" ".join(para))
            dt = (time.perf_counter() - t0) / reps
            for para in gold:
                pred = [s for s in fn(" ".join(para)) if s.strip()]
                g, p = boundaries(para), boundaries(pred)
                tp += len(g & p)
                fp += len(p - g)
                fn_ += len(g - p)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn_) if tp + fn_ else 0.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            print(f"{name:28} {prec:6.3f} {rec:6.3f} {f1:6.3f} {n_sents / dt:9.0f}")


if __name__ == "__main__":
    main()
