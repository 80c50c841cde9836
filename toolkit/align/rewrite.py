"""Rewrite mode: two outlets' versions of one story, which reorder, drop and add paragraphs.

Nothing is forced into a bead. Page chrome is set aside first (:mod:`toolkit.text.boilerplate`);
then sentence pairs are taken greedily from the most similar down, each sentence at most
once, while the similarity (embedding cosine plus a small bonus for shared numbers and
names) stays above a threshold calibrated on the hand-aligned seeds and the NTREX versions.
Everything else is left unaligned (1-0 / 0-1).
"""

from __future__ import annotations

import numpy as np

from toolkit.align.evidence import anchor_items
from toolkit.align.model import AlignConfig, Alignment, Bead, Sides
from toolkit.text.boilerplate import boilerplate_flags
from toolkit.text.embed import Embedder, default_embedder, supports


def _anchor_dice(src: list[str], tgt: list[str], src_lang: str, tgt_lang: str) -> np.ndarray:
    a = [anchor_items(s, src_lang) for s in src]
    b = [anchor_items(t, tgt_lang) for t in tgt]
    out = np.zeros((len(src), len(tgt)))
    for i, x in enumerate(a):
        if not x:
            continue
        for j, y in enumerate(b):
            if y:
                out[i, j] = 2 * len(x & y) / (len(x) + len(y))
    return out


def align_rewrite(sides: Sides, cfg: AlignConfig, embedder: Embedder | None = None) -> Alignment:
    """Rewrite mode: the most similar sentence pairs, each sentence at most once; the rest unaligned."""
    src, tgt, src_lang, tgt_lang = sides.src, sides.tgt, sides.src_lang, sides.tgt_lang
    params = {"mode": "rewrite", **cfg.params()}
    notes: list[str] = []
    src_chrome = boilerplate_flags(src)
    tgt_chrome = boilerplate_flags(tgt)
    si = [i for i, f in enumerate(src_chrome) if f is None]
    tj = [j for j, f in enumerate(tgt_chrome) if f is None]
    pairs: list[tuple[int, int, float]] = []
    if si and tj:
        emb = embedder or default_embedder()
        params["embedder"] = emb.name
        a_src, a_tgt = [src[i] for i in si], [tgt[j] for j in tj]
        sims = np.zeros((len(si), len(tj)))
        if supports(emb, src_lang) and supports(emb, tgt_lang):
            sims = (emb.encode(a_src) @ emb.encode(a_tgt).T).astype(np.float64)
        else:
            notes.append(f"{src_lang}-{tgt_lang} is outside the embedder's languages: matched on numbers and names")
        sims += cfg.rewrite_anchor * _anchor_dice(a_src, a_tgt, src_lang, tgt_lang)
        # greedy assignment from the best pair down; ties broken by position for determinism
        order = sorted(
            ((sims[x, y], x, y) for x in range(len(si)) for y in range(len(tj)) if sims[x, y] >= cfg.rewrite_threshold),
            key=lambda t: (-t[0], t[1], t[2]),
        )
        used_x: set[int] = set()
        used_y: set[int] = set()
        for s, x, y in order:
            if x in used_x or y in used_y:
                continue
            used_x.add(x)
            used_y.add(y)
            pairs.append((si[x], tj[y], float(s)))
    pairs.sort()
    beads = [Bead((i,), (j,), round(s, 4), "1-1") for i, j, s in pairs]
    matched_src = {i for i, _, _ in pairs}
    matched_tgt = {j for _, j, _ in pairs}
    beads += [
        Bead((i,), (), 0.0, "1-0", src_chrome[i] and "boilerplate") for i in range(len(src)) if i not in matched_src
    ]
    beads += [
        Bead((), (j,), 0.0, "0-1", tgt_chrome[j] and "boilerplate") for j in range(len(tgt)) if j not in matched_tgt
    ]
    return Alignment(beads, params, notes)
