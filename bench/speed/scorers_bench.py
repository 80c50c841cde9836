"""Scorer speed on news-length documents, one core.

Documents: the seeds and fixtures/clean_news, each also with its paragraphs rotated so the
corpus has 9x as many distinct texts. Prints documents/s for all scorer families (and per
family), against a baseline measured in the same run: the same scorers reading word
frequencies through wordfreq's public ``zipf_frequency`` (which tokenises every lookup)
instead of the frequency dictionaries held in memory. Every pass starts with empty
word caches (the word lists themselves are loaded once, before timing).

Usage: python -m bench.speed.scorers_bench [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from toolkit.scorers import lexicon  # noqa: E402
from toolkit.scorers.base import Context  # noqa: E402
from toolkit.scorers.run import FAMILIES, ScorerConfig, family_funcs, score_context  # noqa: E402


def corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "clean_news").glob("*.txt"))]
    out = []
    for t in texts:
        paras = [p for p in t.split("\n\n") if p.strip()]
        for k in range(9):
            r = k % max(1, len(paras))
            out.append("\n\n".join(paras[r:] + paras[:r]))
    return out


def clear_caches() -> None:
    """Forget every word looked up so far: each measured pass starts cold (word lists stay loaded)."""
    from toolkit.scorers import untranslated

    lexicon.best_neighbour.cache_clear()
    untranslated._GAPS.clear()


def rate(docs: list[str], families: tuple[str, ...]) -> float:
    funcs = family_funcs(ScorerConfig(families=families))
    clear_caches()
    t0 = time.perf_counter()
    for text in docs:
        score_context(Context(text, "en"), funcs)
    return len(docs) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    docs = corpus()
    words = sum(len(d.split()) for d in docs) / len(docs)
    rate(docs[:5], FAMILIES)  # load the word lists and compile the rules
    best = max(rate(docs, FAMILIES) for _ in range(args.repeat))
    print(f"{len(docs)} documents, {words:.0f} words on average, one core")
    print(f"  all scorers:                 {best:7.0f} documents/s")
    for fam in FAMILIES:
        print(f"    {fam:14}             {max(rate(docs, (fam,)) for _ in range(args.repeat)):7.0f} documents/s")
    from wordfreq import zipf_frequency

    fast = lexicon.zipf
    lexicon.zipf = lambda w, lang: zipf_frequency(w, lang)  # type: ignore[assignment]
    for mod in list(sys.modules.values()):
        if getattr(mod, "zipf", None) is fast and mod is not lexicon:
            mod.zipf = lexicon.zipf  # type: ignore[attr-defined]
    base = rate(docs, FAMILIES)
    print(
        f"  baseline (wordfreq.zipf_frequency per lookup): {base:7.0f} documents/s (in-memory lists {best / base:.1f}x)"
    )


if __name__ == "__main__":
    main()
