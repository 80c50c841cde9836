"""Sentence alignment: beads between two versions of a story.

Translation mode (monotone, 1-1 / m-n / 1-0 / 0-1), anchor-then-window:
1. every source sentence's top-k target neighbours by embedding cosine are candidate
   pairs; the heaviest chain of them increasing on both sides gives confident 1-1 anchors;
2. an m-n dynamic programme (beads of up to ``max_bead`` sentences a side) runs over a
   band of the grid around the anchors, scoring a bead by the cosine of its run
   embeddings, centred on each side's mean sentence vector (optionally minus a kNN
   margin; off by default, measured not to help), a
   length term (character ratio against the pair's overall ratio), the numbers and names
   both sides share, and shared character 3-grams (one language) or cognate prefixes.
Rewrite mode (non-monotone): boilerplate lines are set aside, then sentence pairs are taken
from the most similar down, each sentence once, above a calibrated threshold; the rest stay
unaligned.
"""

from __future__ import annotations

import numpy as np

from toolkit.align.evidence import anchor_items, char_items, cognate_items, csr
from toolkit.align.model import AlignConfig, Alignment, Bead, Sides
from toolkit.align.rewrite import align_rewrite
from toolkit.text.embed import Embedder, default_embedder, run_embeddings, supports
from toolkit.text.language import detect_fast
from toolkit.text.normalize import normalize
from toolkit.text.segment import sentence_spans


def _kind(a: int, b: int) -> str:
    return f"{a}-{b}"


def _bead_types(cfg: AlignConfig) -> tuple[np.ndarray, np.ndarray]:
    types = [(1, 0), (0, 1)]
    for a in range(1, cfg.max_bead + 1):
        for b in range(1, cfg.max_bead + 1):
            if a + b <= cfg.max_total:
                types.append((a, b))
    return np.array([t[0] for t in types], dtype=np.int64), np.array([t[1] for t in types], dtype=np.int64)


def _flat_runs(rows: int) -> np.ndarray:
    out = np.zeros((max(rows, 0), 512), dtype=np.float32)
    out[:, 0] = np.sqrt(0.5)
    return out


def _pad_runs(runs: list[np.ndarray], n: int) -> np.ndarray:
    """Run embeddings as one (runs, n, width) array; the width is the embedder's."""
    out = np.zeros((len(runs), max(n, 1), runs[0].shape[1]), dtype=np.float32)
    for k, r in enumerate(runs):
        out[k, : len(r)] = r
    return out


def _band(s1: np.ndarray, t1: np.ndarray, n: int, m: int, cfg: AlignConfig) -> tuple[np.ndarray, np.ndarray]:
    """Allowed target range of every grid row: everything, or a window around the anchor chain."""
    lo = np.zeros(n + 1, dtype=np.int64)
    hi = np.full(n + 1, m, dtype=np.int64)
    if (n + 1) * (m + 1) <= cfg.full_grid:
        return lo, hi

    k = min(cfg.topk, m)
    ii: list[np.ndarray] = []
    jj: list[np.ndarray] = []
    ww: list[np.ndarray] = []
    for start in range(0, n, 1024):
        sims = s1[start : start + 1024] @ t1.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        rows = np.repeat(np.arange(start, start + len(sims)), k)
        vals = sims[rows - start, top.ravel()]
        ii.append(rows)
        jj.append(top.ravel().astype(np.int64))
        ww.append(vals)
    i_all, j_all, w_all = np.concatenate(ii), np.concatenate(jj), np.concatenate(ww)
    keep = w_all > 0
    i_all, j_all, w_all = i_all[keep], j_all[keep], w_all[keep].astype(np.float64)
    order = np.lexsort((-j_all, i_all))
    i_all, j_all, w_all = i_all[order], j_all[order], w_all[order]
    from toolkit.align.dp import anchor_chain

    chain = anchor_chain(i_all, j_all, w_all, m)
    ai, aj = i_all[chain], j_all[chain]
    w = cfg.window
    # rows between two anchors may use targets between them, widened by the window
    prev_i, prev_j = 0, 0
    points = [*zip(ai.tolist(), aj.tolist(), strict=True), (n, m)]
    for x, y in points:
        for r in range(prev_i, x + 1):
            lo[r] = max(0, prev_j - w)
            hi[r] = min(m, y + w + 1)
        prev_i, prev_j = x + 1, y + 1
    lo[0], hi[n] = 0, m
    # the band must be a connected staircase: each row reaches the next
    for r in range(1, n + 1):
        lo[r] = min(lo[r], hi[r - 1])
    for r in range(n - 1, -1, -1):
        hi[r] = max(hi[r], lo[r + 1])
    return lo, hi


_CENTER_MIN = 8  # sentences a side: below this the mean is the sentences themselves


def _center(runs: list[np.ndarray]) -> list[np.ndarray]:
    """Run embeddings minus the side's mean sentence vector, renormalised.

    The mean carries what all sentences of one text share (its language, its topic);
    removing it leaves what tells one sentence from its neighbours, which is what
    alignment needs (Libovický et al. 2020, language-neutral multilingual representations).
    """
    mu = runs[0].mean(axis=0)
    out = []
    for r in runs:
        c = r - mu
        c /= np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-6)
        out.append(c.astype(np.float32))
    return out


def _length_ratio(chars_src: float, chars_tgt: float, n: int, m: int) -> float:
    """Expected target/source characters: the texts' ratio when both tell the whole story.

    When one side has far fewer sentences (an excerpt), the ratio of mean sentence lengths
    is used instead, so a one-sentence side does not make the model expect a long target.
    """
    if chars_src <= 0 or chars_tgt <= 0:
        return 1.0
    ratio = chars_tgt / chars_src if min(n, m) >= 0.5 * max(n, m) else (chars_tgt / m) / (chars_src / n)
    return float(min(max(ratio, 0.5), 2.0))


def align(
    src: list[str],
    tgt: list[str],
    src_lang: str = "en",
    tgt_lang: str = "en",
    config: AlignConfig | None = None,
    embedder: Embedder | None = None,
    paragraphs: tuple[list[int], list[int]] | None = None,
) -> Alignment:
    """Align two lists of sentences; every sentence appears in exactly one bead.

    ``paragraphs``: the first sentence index of each paragraph on both sides. When both
    sides have as many paragraphs, paragraph k is aligned with paragraph k only (hard
    anchors, translation mode); otherwise the boundaries are ignored and a note says so.
    """
    cfg = config or AlignConfig()
    if paragraphs is not None and cfg.mode == "translation":
        ps, pt = paragraphs
        if len(ps) == len(pt) and len(ps) > 1:
            return _align_by_paragraph(src, tgt, src_lang, tgt_lang, cfg, embedder, ps, pt)
        res = align(src, tgt, src_lang, tgt_lang, cfg, embedder)
        res.notes.append(f"paragraph counts differ ({len(ps)} vs {len(pt)}): aligned as one block")
        return res
    if cfg.mode == "rewrite":
        return align_rewrite(Sides(src, tgt, src_lang, tgt_lang), cfg, embedder)
    if cfg.mode != "translation":
        raise ValueError(f"unknown alignment mode {cfg.mode!r} (translation or rewrite)")
    return align_translation(Sides(src, tgt, src_lang, tgt_lang), cfg, embedder)


def _align_by_paragraph(
    src: list[str],
    tgt: list[str],
    src_lang: str,
    tgt_lang: str,
    cfg: AlignConfig,
    embedder: Embedder | None,
    ps: list[int],
    pt: list[int],
) -> Alignment:
    bs, bt = [*sorted(ps), len(src)], [*sorted(pt), len(tgt)]
    bs[0] = bt[0] = 0
    beads: list[Bead] = []
    res = Alignment([], {})
    for k in range(len(bs) - 1):
        part = Sides(src[bs[k] : bs[k + 1]], tgt[bt[k] : bt[k + 1]], src_lang, tgt_lang)
        res = align_translation(part, cfg, embedder)
        for b in res.beads:
            src_ids = tuple(i + bs[k] for i in b.src)
            tgt_ids = tuple(j + bt[k] for j in b.tgt)
            beads.append(Bead(src_ids, tgt_ids, b.score, b.kind, b.note))
    params = {**res.params, "mode": "translation", "paragraph_anchors": len(bs) - 1}
    return Alignment(beads, params, res.notes)


def align_translation(sides: Sides, cfg: AlignConfig, embedder: Embedder | None = None) -> Alignment:
    """Translation mode: the sentences in order, beads of up to ``cfg.max_bead`` a side."""
    src, tgt, src_lang, tgt_lang = sides.src, sides.tgt, sides.src_lang, sides.tgt_lang
    n, m = len(src), len(tgt)
    params = {"mode": "translation", **cfg.params()}
    notes: list[str] = []
    if n == 0 or m == 0:
        lone = [Bead((i,), (), 0.0, "1-0") for i in range(n)] + [Bead((), (j,), 0.0, "0-1") for j in range(m)]
        return Alignment(lone, params, ["one side is empty: every sentence is unaligned"] if n + m else [])
    emb = embedder or default_embedder()
    params["embedder"] = emb.name
    runs_n = min(cfg.max_bead, max(n, 1))
    runs_m = min(cfg.max_bead, max(m, 1))
    embedded = supports(emb, src_lang) and supports(emb, tgt_lang)
    if embedded:
        s_runs = run_embeddings(emb, src, runs_n)
        t_runs = run_embeddings(emb, tgt, runs_m)
    else:
        notes.append(
            f"{src_lang}-{tgt_lang} is outside the embedder's languages: aligned on length, numbers and names only"
        )
        # every pair gets the same, uninformative similarity (0.5): lengths and shared items decide
        s_runs = [_flat_runs(n - k) for k in range(runs_n)]
        t_runs = [_flat_runs(m - k) for k in range(runs_m)]
    s_dp, t_dp = s_runs, t_runs
    if cfg.center and min(n, m) >= _CENTER_MIN and embedded:
        # the DP compares centred vectors; bead scores stay plain cosines
        s_dp, t_dp = _center(s_runs), _center(t_runs)
    same_lang = src_lang.split("-")[0].lower() == tgt_lang.split("-")[0].lower()
    len_src = np.concatenate([[0.0], np.cumsum([len(s) for s in src])])
    len_tgt = np.concatenate([[0.0], np.cumsum([len(t) for t in tgt])])
    ratio = _length_ratio(len_src[-1], len_tgt[-1], n, m)
    sa = csr(anchor_items(s, src_lang) for s in src)
    ta = csr(anchor_items(t, tgt_lang) for t in tgt)
    if same_lang:
        sc, tc = csr(char_items(s) for s in src), csr(char_items(t) for t in tgt)
    else:
        sc, tc = csr(cognate_items(s) for s in src), csr(cognate_items(t) for t in tgt)
    lo, hi = _band(s_dp[0], t_dp[0], n, m, cfg)
    bead_a, bead_b = _bead_types(cfg)
    ok = (bead_a <= runs_n) & (bead_b <= runs_m)
    bead_a, bead_b = bead_a[ok], bead_b[ok]
    p = np.array(
        [cfg.skip, cfg.margin, cfg.knn, cfg.w_len, cfg.w_anchor, cfg.w_chars, cfg.w_many, cfg.size], dtype=np.float64
    )

    from toolkit.align.dp import band_dp

    types, ends_i, ends_j = band_dp(
        _pad_runs(s_dp, n), _pad_runs(t_dp, m), lo, hi, len_src, len_tgt, ratio,
        sa[0], sa[1], ta[0], ta[1], sc[0], sc[1], tc[0], tc[1], bead_a, bead_b, p,
    )  # fmt: skip
    beads: list[Bead] = []
    for t, i, j in zip(types.tolist(), ends_i.tolist(), ends_j.tolist(), strict=True):
        a, b = int(bead_a[t]), int(bead_b[t])
        score = float(s_runs[a - 1][i - a] @ t_runs[b - 1][j - b]) if a and b else 0.0
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), round(score, 4), _kind(a, b)))
    return Alignment(beads, params, notes)


def split_for_alignment(text: str, lang: str | None = None, presplit: bool = False) -> tuple[list[str], str]:
    """Sentences of a text (one per line when ``presplit``) and its language (detected when not given)."""
    sentences, _, lang = split_with_offsets(text, lang, presplit)
    return sentences, lang


def split_with_offsets(
    text: str, lang: str | None = None, presplit: bool = False
) -> tuple[list[str], list[tuple[int, int]], str]:
    """Sentences of the normalised text, their (start, end) in the original ``text``, and the language."""

    norm = normalize(text)
    if lang is None:
        found = detect_fast(norm.text).lang
        lang = found if found != "und" else "en"
    spans: list[tuple[int, int]] = []
    if presplit:
        pos = 0
        for line in norm.text.split("\n"):
            stripped = line.strip()
            if stripped:
                s = pos + line.index(stripped)
                spans.append((s, s + len(stripped)))
            pos += len(line) + 1
    else:
        spans = sentence_spans(norm.text, lang)
    return [norm.text[s:e] for s, e in spans], [norm.to_original(s, e) for s, e in spans], lang


def align_texts(
    src_text: str,
    tgt_text: str,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    config: AlignConfig | None = None,
    presplit: bool = False,
    embedder: Embedder | None = None,
) -> tuple[list[str], list[str], Alignment]:
    """Split two texts into sentences (or lines) and align them: (source sentences, target sentences, alignment)."""
    src, sl = split_for_alignment(src_text, src_lang, presplit)
    tgt, tl = split_for_alignment(tgt_text, tgt_lang, presplit)
    res = align(src, tgt, sl, tl, config, embedder)
    res.params.update({"src_lang": sl, "tgt_lang": tl, "presplit": presplit})
    return src, tgt, res
