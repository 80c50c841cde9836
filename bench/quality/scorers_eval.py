"""Artefact scorers against the annotated data in ../shared/data and the project's clean news.

Prints, per scorer family: seeds recall/precision (seed_artefacts.jsonl), DEMETR recall on
code-mixing and misspellings with the false-flag rate on the clean controls, and false
flags per 1,000 words on fixtures/clean_news (English news with many rare real names).

Usage: python -m bench.quality.scorers_eval [--show-misses] [--show-false]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from toolkit.config import RunConfig  # noqa: E402
from toolkit.document import Finding, Severity  # noqa: E402
from toolkit.pipeline import run  # noqa: E402
from toolkit.scorers.run import ScorerConfig, score_text  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
HARD_NEGATIVES = {"number_variance_explainable", "temporal_fact"}


def family(code: str) -> str:
    return code.split(".")[0]


def seeds(show_misses: bool, show_false: bool) -> None:
    rows = [json.loads(x) for x in (DATA / "seed_artefacts.jsonl").read_text(encoding="utf-8").splitlines() if x]
    docs = {
        d.id: d for d in run(config=RunConfig(compare=False))
    }  # the scorers: version comparison is measured by compare_eval
    by_file: dict[str, list[dict]] = defaultdict(list)
    spans: dict[str, list[tuple[int, int, dict]]] = defaultdict(list)
    for r in rows:
        by_file[r["file"]].append(r)
    for name, doc in docs.items():
        fname = next((f for f in by_file if f.startswith(name) or name.startswith(f.rsplit(".", 1)[0])), None)
        if fname is None:
            continue
        starts = [0]
        for line in doc.text.split("\n"):
            starts.append(starts[-1] + len(line) + 1)
        for r in by_file[fname]:
            s = starts[r["line"] - 1] + r["char_start"]
            e = s + len(r["span"])
            assert doc.text[s:e] == r["span"], (fname, r["line"], doc.text[s:e], r["span"])
            spans[name].append((s, e, r))
            if "every occurrence on the line" in r["note"]:
                line = doc.text[starts[r["line"] - 1] : starts[r["line"]]]
                k = line.find(r["span"], r["char_start"] + 1)
                while k >= 0:
                    at = starts[r["line"] - 1] + k
                    spans[name].append((at, at + len(r["span"]), r))
                    k = line.find(r["span"], k + 1)
    hit: set[int] = set()
    flags: Counter[str] = Counter()
    good: Counter[str] = Counter()
    false_list: list[tuple[str, Finding]] = []
    for name, doc in docs.items():
        for f in doc.findings:
            over = [r for s, e, r in spans[name] if s < f.end and f.start < e]
            for r in over:
                if r["category"] not in HARD_NEGATIVES:
                    hit.add(id(r))
            fam = family(f.code)
            bad_neg = any(r["category"] in HARD_NEGATIVES for r in over) and f.severity is not Severity.NEUTRAL
            flags[fam] += 1
            if over and not bad_neg:
                good[fam] += 1
            else:
                false_list.append((name, f))
    pos = [r for ss in spans.values() for _, _, r in ss if r["category"] not in HARD_NEGATIVES]
    by_cat: Counter[str] = Counter(r["category"] for r in pos)
    hit_cat: Counter[str] = Counter(r["category"] for r in pos if id(r) in hit)
    recall = len([r for r in pos if id(r) in hit]) / len(pos)
    precision = sum(good.values()) / max(1, sum(flags.values()))
    print(f"seeds: recall {recall:.3f} ({len(hit)}/{len(pos)} spans), precision {precision:.3f} "
          f"({sum(good.values())}/{sum(flags.values())} flags overlap an annotated span)")  # fmt: skip
    for fam in sorted(flags):
        print(f"  {fam:14} flags {flags[fam]:4}  overlapping {good[fam]:4}  precision {good[fam] / flags[fam]:.2f}")
    print("  recall by annotated category:")
    for cat, n in by_cat.most_common():
        print(f"    {cat:28} {hit_cat[cat]:3}/{n:<3}")
    if show_misses:
        for r in pos:
            if id(r) not in hit:
                print("  MISS", r["file"][:3], r["line"], r["category"], repr(r["span"][:60]))
    if show_false:
        for name, f in false_list:
            print("  FALSE?", name[:3], f.code, repr(f.text[:50]), "|", f.message[:80])


def demetr() -> None:
    rows = [json.loads(x) for x in (DATA / "demetr_fr-en_dev.jsonl").read_text(encoding="utf-8").splitlines() if x]
    cfg = ScorerConfig(families=("names", "untranslated"), source_langs=("fr",))

    def flagged(text: str, fams: tuple[str, ...]) -> bool:
        return any(family(f.code) in fams for f in score_text(text, "en", cfg) if f.code.split(".")[0] in fams
                   and f.code in CODES[fams])  # fmt: skip

    CODES = {("untranslated",): {"untranslated.word", "untranslated.exonym", "untranslated.segment"},
             ("names", "spelling"): {"spelling.misspelling", "name.misspelling", "name.inconsistent"}}  # fmt: skip
    controls = [r["mt_en"] for r in rows if r["pert_name"] == "base_id35_reference"]
    for pert, fams in (("critical_id4_codemix", ("untranslated",)), ("minor_id26_misspelled", ("names", "spelling"))):
        pos = [r["pert_en"] for r in rows if r["pert_name"] == pert and r["pert_check"]]
        rec = sum(flagged(t, fams) for t in pos) / len(pos)
        fp = sum(flagged(t, fams) for t in controls)
        print(f"demetr {pert:24} recall {rec:.3f} (n={len(pos)})   controls flagged {fp}/{len(controls)} "
              f"({fp / len(controls):.1%})")  # fmt: skip
    both = sum(flagged(t, ("untranslated",)) or flagged(t, ("names", "spelling")) for t in controls)
    print(f"demetr controls flagged by either scorer: {both}/{len(controls)} ({both / len(controls):.1%})")


def clean_news(show_false: bool) -> None:
    folder = ROOT / "fixtures" / "clean_news"
    words = 0
    flags: Counter[str] = Counter()
    examples = []
    for p in sorted(folder.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        words += len(text.split())
        for f in score_text(text, "en"):
            if f.severity is Severity.NEUTRAL:
                continue
            flags[family(f.code)] += 1
            examples.append((p.name, f))
    total = sum(flags.values())
    print(f"clean news: {words} words, {total} flags = {total * 1000 / max(words, 1):.2f} per 1,000 words "
          f"({dict(flags)})")  # fmt: skip
    if show_false:
        for name, f in examples:
            print("  FALSE", name, f.code, repr(f.text[:50]), "|", f.message[:90])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--show-false", action="store_true")
    args = ap.parse_args()
    if DATA.is_dir():
        seeds(args.show_misses, args.show_false)
        demetr()
    else:
        print(f"scorers_eval: {DATA} is missing (the development data beside this checkout); seeds/DEMETR skipped")
    clean_news(args.show_false)


if __name__ == "__main__":
    main()
