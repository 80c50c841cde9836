"""Story clustering across fifteen language versions (NTREX), through ``wirecheck dedup``.

NTREX holds 123 news stories in English and 14 professional translations, line-aligned. The
stories are split in two by a hash of their id: the *dev* half is what thresholds may be tuned
on (bench/devset.py uses only it), the *held-out* half is reported beside it and never tuned on.
Each split's input is every version of its stories, plus two republished copies of each English
original and a re-translation (fr-CA is an independent French translation, en-IN a re-edit).

The records go through the command a user runs (``wirecheck dedup FILE --format jsonl``; the
language is identified, not declared); the clusters are read from its output. Printed per split:
ARI, pair recall per language pair (and for reports under 150 words), precision, and every merge
of two different stories.

A third set, never tuned on, is harder: the Text+Berg de–fr articles (Swiss Alpine Club
yearbooks, OCR'd; ../shared/align_gold/textberg_de-fr) cut into pieces of 15 aligned sentence
groups, the German and French of each piece a story. Pieces of one article share its places and
people, so they are hard negatives; recall and merges are printed.

Run: ``.venv/bin/python -m bench.quality.multilingual_eval [--split both|dev|held-out|textberg|all]``
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import itertools
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.devset import NTREX, copy_variant
from bench.quality.dedup_eval import ari

# file suffix -> language tag of the version
VERSIONS = {
    "src.eng": "en",
    "ref.fra": "fr",
    "ref.fra-CA": "fr-CA",
    "ref.deu": "de",
    "ref.spa": "es",
    "ref.ita": "it",
    "ref.por": "pt",
    "ref.nld": "nl",
    "ref.rus": "ru",
    "ref.ces": "cs",
    "ref.pol": "pl",
    "ref.tur": "tr",
    "ref.ukr": "uk",
    "ref.arb": "ar",
    "ref.hin": "hi",
    "ref.eng-IN": "en-IN",
}
SHORT_WORDS = 150


def split_of(doc_id: str) -> str:
    """dev or held-out, by a hash of the story id (about half each, fixed for ever)."""
    return "dev" if hashlib.sha256(doc_id.encode()).digest()[0] % 2 == 0 else "held-out"


def stories() -> dict[str, dict[str, str]]:
    """story id -> {version tag: text}."""
    doc_ids = [line.split("\t")[0].strip() for line in (NTREX / "DOCUMENT_IDS.tsv").read_text("utf-8").splitlines()]
    out: dict[str, dict[str, list[str]]] = defaultdict(dict)  # type: ignore[arg-type]
    for suffix, tag in VERSIONS.items():
        lines = (NTREX / f"newstest2019-{suffix}.txt").read_text(encoding="utf-8").splitlines()
        for doc_id, line in zip(doc_ids, lines, strict=True):
            out[doc_id].setdefault(tag, []).append(line.strip())  # type: ignore[attr-defined]
    return {d: {t: "\n".join(s) for t, s in v.items()} for d, v in out.items()}  # type: ignore[misc]


def records(split: str, copies: int = 2, seed: int = 23) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for doc_id, versions in sorted(stories().items()):
        if split_of(doc_id) != split:
            continue
        for tag, text in versions.items():
            out.append({"id": f"{doc_id}/{tag}", "text": text, "story": doc_id, "lang_gold": tag.split("-")[0]})
        base = {"id": f"{doc_id}/en", "text": versions["en"], "story": doc_id}
        for n in range(1, copies + 1):
            c = copy_variant(base, n, rng)
            out.append({"id": c["id"], "text": c["text"], "story": doc_id, "lang_gold": "en"})
    return out


TEXTBERG = NTREX.parent / "textberg_de-fr"
PIECE = 15  # aligned sentence groups a piece


def textberg_records() -> list[dict[str, Any]]:
    """German and French pieces of the Text+Berg articles, each pair a story."""
    out: list[dict[str, Any]] = []
    for name in ["dev", *(f"test{k}" for k in range(7))]:
        de = (TEXTBERG / f"{name}.de").read_text(encoding="utf-8").splitlines()
        fr = (TEXTBERG / f"{name}.fr").read_text(encoding="utf-8").splitlines()
        beads = [[ast.literal_eval(x) for x in line.split(":")[:2]]
                 for line in (TEXTBERG / f"{name}.defr").read_text(encoding="utf-8").splitlines()]  # fmt: skip
        for k in range(0, len(beads), PIECE):
            sides = [[lines[i] for b in beads[k : k + PIECE] for i in b[s]] for s, lines in ((0, de), (1, fr))]
            if min(map(len, sides)) < 3:
                continue
            story = f"textberg/{name}-{k // PIECE}"
            for tag, sents in zip(("de", "fr"), sides, strict=True):
                out.append({"id": f"{story}/{tag}", "text": "\n".join(sents), "story": story, "lang_gold": tag})
    return out


def cluster_cli(recs: list[dict[str, Any]], tmp: Path) -> tuple[dict[str, str], float]:
    """Cluster ids by record id, from ``wirecheck dedup``'s JSONL output; and its wall time."""
    feed, out = tmp / "in.jsonl", tmp / "out.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n")
    exe = str(Path(sys.executable).parent / "wirecheck")
    t0 = time.perf_counter()
    subprocess.run([exe, "dedup", str(feed), "--format", "jsonl", "-o", str(out), "-q"], check=True)
    wall = time.perf_counter() - t0
    pred = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        w = r.get("wirecheck", r)
        cluster = w.get("cluster") or {}
        pred[r["id"]] = cluster.get("id", r["id"])
    return pred, wall


def report(split: str, recs: list[dict[str, Any]], pred: dict[str, str], wall: float) -> dict[str, Any]:
    gold = {r["id"]: r["story"] for r in recs}
    lang = {r["id"]: r["lang_gold"] for r in recs}
    words = {r["id"]: len(r["text"].split()) for r in recs}
    found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    short = [0, 0]
    wrong: set[tuple[str, str]] = set()
    predicted = correct = 0
    for a, b in itertools.combinations([r["id"] for r in recs], 2):
        same = pred[a] == pred[b]
        if same:
            predicted += 1
        if gold[a] != gold[b]:
            if same:
                wrong.add(tuple(sorted((gold[a], gold[b]))))  # type: ignore[arg-type]
            continue
        correct += same
        key = tuple(sorted((lang[a], lang[b])))
        found[key][0] += same  # type: ignore[index]
        found[key][1] += 1  # type: ignore[index]
        if min(words[a], words[b]) < SHORT_WORDS and lang[a] != lang[b]:
            short[0] += same
            short[1] += 1
    ids = [r["id"] for r in recs]
    res = {
        "split": split,
        "documents": len(recs),
        "stories": len(set(gold.values())),
        "ari": ari([gold[i] for i in ids], [pred[i] for i in ids]),
        "pair_recall": correct / sum(v[1] for v in found.values()),
        "pair_precision": correct / predicted if predicted else 1.0,
        "short_recall": short[0] / short[1] if short[1] else 1.0,
        "wrong_merges": sorted(wrong),
        "by_pair": {f"{a}-{b}": v[0] / v[1] for (a, b), v in sorted(found.items())},
        "seconds": wall,
    }
    print(
        f"\n{split}: {res['documents']} documents, {res['stories']} stories; wirecheck dedup {wall:.1f} s\n"
        f"  ARI {res['ari']:.3f}  pair recall {res['pair_recall']:.3f}  pair precision {res['pair_precision']:.3f}"
        f"  recall across languages under {SHORT_WORDS} words {res['short_recall']:.3f} ({short[1]} pairs)"
        f"  merges of different stories: {len(wrong)}"
    )
    langs = sorted({lang[i] for i in ids})
    print("  pair recall by language pair (row x column):")
    print("       " + " ".join(f"{x:>5}" for x in langs))
    for x in langs:
        cells = []
        for y in langs:
            v = found.get(tuple(sorted((x, y))))  # type: ignore[arg-type]
            cells.append(f"{v[0] / v[1]:5.2f}" if v and v[1] else "    -")
        print(f"  {x:>4} " + " ".join(cells))
    worst = sorted(res["by_pair"].items(), key=lambda kv: kv[1])[:5]
    print("  lowest pairs: " + ", ".join(f"{k} {v:.2f}" for k, v in worst))
    for a, b in res["wrong_merges"]:
        print(f"  WRONG {a} + {b}")
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["dev", "held-out", "both", "textberg", "all"], default="both")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        splits = {"both": ["dev", "held-out"], "all": ["dev", "held-out", "textberg"]}.get(args.split, [args.split])
        for split in splits:
            if split == "textberg" and not TEXTBERG.exists():
                print(f"note: {TEXTBERG} not found: the Text+Berg set is skipped")
                continue
            recs = textberg_records() if split == "textberg" else records(split)
            pred, wall = cluster_cli(recs, Path(tmp))
            results.append(report(split, recs, pred, wall))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
