"""Clustering quality on the dev set (bench/devset.py): copies, re-translations, cross-language.

Prints pairwise precision/recall for copies, ARI for re-translations and for French↔English
versions, and every merge of two different stories.
Run: .venv/bin/python -m bench.quality.dedup_eval
"""

from __future__ import annotations

import itertools
from collections import Counter
from math import comb
from typing import Any

from bench.devset import NTREX, SHARED, devset
from toolkit.dedup import DedupConfig, cluster_documents
from toolkit.document import Document
from toolkit.pipeline import Language, Normalize


def ari(gold: list[str], pred: list[str]) -> float:
    n = len(gold)
    cont = Counter(zip(gold, pred, strict=True))
    sum_ij = sum(comb(c, 2) for c in cont.values())
    sum_a = sum(comb(c, 2) for c in Counter(gold).values())
    sum_b = sum(comb(c, 2) for c in Counter(pred).values())
    expected = sum_a * sum_b / comb(n, 2) if n > 1 else 0.0
    max_index = (sum_a + sum_b) / 2
    return 1.0 if max_index == expected else (sum_ij - expected) / (max_index - expected)


def run(config: DedupConfig | None = None, verbose: bool = True) -> dict[str, Any]:
    recs = devset()
    docs = [Document(id=r["id"], text=r["text"], record=r) for r in recs]
    docs = list(Language()(Normalize()(docs)))
    cluster_documents(docs, config or DedupConfig())
    pred = {d.id: d.cluster.id for d in docs if d.cluster}
    gold = {r["id"]: r["story"] for r in recs}
    family = {r["id"]: r["family"] for r in recs}
    ids = [r["id"] for r in recs]

    pairs = list(itertools.combinations(ids, 2))
    predicted = [(a, b) for a, b in pairs if pred[a] == pred[b]]
    correct = [(a, b) for a, b in predicted if gold[a] == gold[b]]
    wrong = [(a, b) for a, b in predicted if gold[a] != gold[b]]
    copy_pairs = [(a, b) for a, b in pairs if family[a] == family[b]]
    copy_found = [(a, b) for a, b in copy_pairs if pred[a] == pred[b]]
    story_pairs = [(a, b) for a, b in pairs if gold[a] == gold[b]]
    story_found = [(a, b) for a, b in story_pairs if pred[a] == pred[b]]

    bases = [r for r in recs if r["kind"] == "base"]
    french = ("/fr", "/fr-CA")
    en = [r["id"] for r in bases if not r["id"].startswith("fixtures/fr") and not r["id"].endswith(french)]
    fr = [r["id"] for r in bases if r["id"].startswith("fixtures/fr") or r["id"].endswith(french)]
    allb = [r["id"] for r in bases]
    res = {
        "documents": len(recs),
        "stories": len(set(gold.values())),
        "pair_precision": len(correct) / len(predicted) if predicted else 1.0,
        "copy_recall": len(copy_found) / len(copy_pairs),
        "story_recall": len(story_found) / len(story_pairs),
        "ari_retranslation_en": ari([gold[i] for i in en], [pred[i] for i in en]),
        "ari_retranslation_fr": ari([gold[i] for i in fr], [pred[i] for i in fr]),
        "ari_cross_language": ari([gold[i] for i in allb], [pred[i] for i in allb]),
        "wrong_merges": len({frozenset((gold[a], gold[b])) for a, b in wrong}),
    }
    if verbose:
        for part, path in (("DEMETR", SHARED / "demetr_fr-en_dev.jsonl"), ("NTREX", NTREX / "DOCUMENT_IDS.tsv")):
            if not path.exists():
                print(f"note: {path} not found: the {part} part of the dev set is skipped")
        print(
            f"dev set: {res['documents']} documents, {res['stories']} stories "
            f"({len(bases)} originals/versions + {len(recs) - len(bases)} generated copies)"
        )
        print(f"copies:          pairwise precision {res['pair_precision']:.3f}  recall {res['copy_recall']:.3f}")
        print(f"re-translations: ARI {res['ari_retranslation_en']:.3f} (English versions, {len(en)} docs)")
        print(f"re-translations: ARI {res['ari_retranslation_fr']:.3f} (French versions, {len(fr)} docs)")
        print(f"fr<->en:         ARI {res['ari_cross_language']:.3f} (all originals and versions, {len(allb)} docs)")
        print(f"all story pairs: recall {res['story_recall']:.3f}")
        print(f"merges of different stories: {res['wrong_merges']}")
        for a, b in sorted({tuple(sorted((gold[a], gold[b]))) for a, b in wrong}):
            print(f"  WRONG {a} + {b}")
        missed = [(a, b) for a, b in story_pairs if pred[a] != pred[b] and family[a] != family[b]]
        for a, b in missed[:15]:
            print(f"  missed {a} ~ {b}")
    return res


if __name__ == "__main__":
    run()
