"""The clustering dev set: seeds, hand-written versions (fixtures/dedup), DEMETR pseudo-documents
and generated copy variants of all of them, each with a gold story label.

Run alone to write it as JSONL: .venv/bin/python -m bench.devset > bench/out/devset.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"

SEED_STORIES = {
    "000": "afp-force",
    "001": "afp-force",
    "002": "rfi-erdogan",
    "003": "national-warnings",
    "004": "oktay",
}
FIXTURE_STORIES = {
    "fr_001.txt": "afp-force",
    "fr_003.txt": "national-warnings",
    "fr_004.txt": "oktay",
    "en_004_retranslated.txt": "oktay",
}
HEADERS = [
    "Skip to main content",
    "Home › World › Middle East",
    "Advertisement",
    "Listen to this article",
    "Accueil > International > Proche-Orient",
    "Share on Facebook Share on Twitter Share by email",
    "This article was first published on our partner site.",
]
FOOTERS = [
    "Subscribe to our newsletter to get the latest news every morning in your inbox.",
    "© 2020 All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
    "Related: more stories from the region",
    "Comments are closed for this article.",
    "Abonnez-vous à notre lettre d'information pour recevoir l'essentiel de l'actualité.",
    "We use cookies to improve your experience on our website. By continuing you accept them.",
    "Follow us on Twitter, Facebook and Instagram for the latest updates.",
]


def base_documents() -> list[dict[str, Any]]:
    docs = []
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        docs.append({"id": p.name, "text": p.read_text(encoding="utf-8"), "story": SEED_STORIES[p.name[:3]]})
    for name, story in FIXTURE_STORIES.items():
        text = (ROOT / "fixtures" / "dedup" / name).read_text(encoding="utf-8")
        docs.append({"id": f"fixtures/{name}", "text": text, "story": story})
    docs.extend(demetr_documents())
    docs.extend(ntrex_documents())
    for d in docs:
        d["kind"] = "base"
    return docs


def demetr_documents(per_doc: int = 10) -> list[dict[str, Any]]:
    """Pseudo-documents: runs of consecutive DEMETR items as a French source and two English versions."""
    path = SHARED / "demetr_fr-en_dev.jsonl"
    if not path.exists():
        return []
    items: dict[int, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["id"] in (729, 733):  # Italian mislabelled as French (data README)
            continue
        items.setdefault(r["id"], r)
    ids = sorted(items)
    out = []
    for k in range(0, len(ids) - per_doc + 1, per_doc):
        run = [items[i] for i in ids[k : k + per_doc]]
        story = f"demetr-{k // per_doc:02d}"
        for field, lang in (("src_fr", "fr"), ("ref_en", "en-ref"), ("mt_en", "en-mt")):
            text = "\n\n".join(r[field].strip() for r in run)
            out.append({"id": f"demetr/{story}/{lang}", "text": text, "story": story})
    return out


NTREX = ROOT.parent / "shared" / "align_gold" / "ntrex_raw"


def ntrex_documents() -> list[dict[str, Any]]:
    """NTREX-128 news (WMT19 test): each story as its English original, French translation,
    independent French-Canadian translation and Indian-English localisation."""
    ids_path = NTREX / "DOCUMENT_IDS.tsv"
    if not ids_path.exists():
        return []
    doc_ids = [line.split("\t")[0].strip() for line in ids_path.read_text(encoding="utf-8").splitlines()]
    versions = {"en": "src.eng", "fr": "ref.fra", "fr-CA": "ref.fra-CA", "en-IN": "ref.eng-IN"}
    out = []
    for tag, suffix in versions.items():
        lines = (NTREX / f"newstest2019-{suffix}.txt").read_text(encoding="utf-8").splitlines()
        stories: dict[str, list[str]] = {}
        for doc_id, line in zip(doc_ids, lines, strict=True):
            stories.setdefault(doc_id, []).append(line.strip())
        for doc_id, sents in stories.items():
            out.append({"id": f"ntrex/{doc_id}/{tag}", "text": "\n".join(sents), "story": f"ntrex-{doc_id}"})
    return out


def copy_variant(doc: dict[str, Any], n: int, rng: random.Random) -> dict[str, Any]:
    """A republished copy: other chrome, a retouched headline, small edits, maybe truncated."""
    paras = [p for p in doc["text"].split("\n") if p.strip()]
    head = paras[0]
    if rng.random() < 0.5:
        head = rng.choice(["UPDATE: ", "", "Breaking: "]) + head + rng.choice([" | World News", " - Live", ""])
    body = paras[1:]
    if len(body) > 4 and rng.random() < 0.4:
        del body[rng.randrange(1, len(body) - 1)]
    if len(body) > 4 and rng.random() < 0.5:
        body = body[: max(3, int(len(body) * rng.uniform(0.6, 1.0)))]
    edited = []
    for p in body:
        words = p.split()
        for _ in range(max(0, int(len(words) * 0.03))):
            i = rng.randrange(len(words))
            op = rng.random()
            if op < 0.4 and len(words) > 3:
                del words[i]
            elif op < 0.7:
                words.insert(i, words[rng.randrange(len(words))])
            else:
                words[i] = words[i].upper() if rng.random() < 0.5 else words[i] + ","
        edited.append(" ".join(words))
    lines = [*rng.sample(HEADERS, 2), head, *edited, *rng.sample(FOOTERS, 2)]
    return {
        "id": f"{doc['id']}#copy{n}",
        "text": "\n\n".join(lines),
        "story": doc["story"],
        "kind": "copy",
        "family": doc["id"],
    }


def versions(n: int, seed: int) -> list[dict[str, str]]:
    """``n`` documents: every base document followed by as many copy variants as it takes."""
    import math

    rng = random.Random(seed)
    bases = base_documents()
    copies = max(1, math.ceil(n / len(bases)) - 1)
    docs: list[dict[str, str]] = []
    for d in bases:
        docs.append({"id": d["id"], "text": d["text"]})
        docs.extend({"id": c["id"], "text": c["text"]} for c in (copy_variant(d, k, rng) for k in range(1, copies + 1)))
    return docs[:n]


def devset(copies: int = 2, seed: int = 13) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    bases = base_documents()
    out = []
    for d in bases:
        d["family"] = d["id"]
        out.append(d)
        out.extend(copy_variant(d, n, rng) for n in range(1, copies + 1))
    return out


if __name__ == "__main__":
    for rec in devset():
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
