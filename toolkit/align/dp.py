"""Compiled kernels of the translation-mode aligner (numba, compiled once and cached on disk).

Pass 1 (:func:`anchor_chain`): the heaviest chain of candidate 1-1 pairs increasing on both
sides (a weighted longest-increasing-subsequence over the top-k neighbours, O(P log m)).
Pass 2 (:func:`band_dp`): the m-n dynamic programme over a band of the (i, j) grid around
the chain, scoring each bead from run embeddings, margins, lengths and shared items.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def anchor_chain(ii: np.ndarray, jj: np.ndarray, ww: np.ndarray, m: int) -> np.ndarray:
    """Indices of the max-weight chain of pairs strictly increasing in i and j.

    Pairs must come sorted by i ascending, then j descending, so that two pairs of one row
    never chain. Weights must be positive.
    """
    p = len(ii)
    best = np.zeros(p)
    prev = -np.ones(p, dtype=np.int64)
    tree_v = np.zeros(m + 1)
    tree_k = -np.ones(m + 1, dtype=np.int64)
    for q in range(p):
        # best chain ending at a target < jj[q]: prefix maximum over the Fenwick tree
        v, k, x = 0.0, -1, jj[q]
        while x > 0:
            if tree_v[x] > v:
                v, k = tree_v[x], tree_k[x]
            x -= x & -x
        best[q] = v + ww[q]
        prev[q] = k
        x = jj[q] + 1
        while x <= m:
            if best[q] > tree_v[x]:
                tree_v[x], tree_k[x] = best[q], q
            x += x & -x
    if p == 0:
        return np.zeros(0, dtype=np.int64)
    q = int(np.argmax(best))
    out = []
    while q >= 0:
        out.append(q)
        q = prev[q]
    res = np.empty(len(out), dtype=np.int64)
    for r in range(len(out)):
        res[r] = out[len(out) - 1 - r]
    return res


@njit(cache=True)
def _shared(ptr_a: np.ndarray, it_a: np.ndarray, a: int, ptr_b: np.ndarray, it_b: np.ndarray, b: int) -> int:
    """Number of items two sentences share (sorted unique item ids, CSR layout)."""
    x, xe, y, ye, n = ptr_a[a], ptr_a[a + 1], ptr_b[b], ptr_b[b + 1], 0
    while x < xe and y < ye:
        if it_a[x] == it_b[y]:
            n += 1
            x += 1
            y += 1
        elif it_a[x] < it_b[y]:
            x += 1
        else:
            y += 1
    return n


@njit(cache=True)
def band_dp(
    src_runs: np.ndarray,  # (A, n, d) float32: src_runs[a-1, i] embeds sentences i .. i+a-1
    tgt_runs: np.ndarray,  # (B, m, d)
    lo: np.ndarray,  # (n+1,) first allowed j of grid row i
    hi: np.ndarray,  # (n+1,) last allowed j of grid row i
    len_src: np.ndarray,  # (n+1,) cumulative characters
    len_tgt: np.ndarray,  # (m+1,)
    ratio: float,  # expected target/source length ratio
    sa_ptr: np.ndarray,
    sa_it: np.ndarray,  # anchor items of src sentences, CSR
    ta_ptr: np.ndarray,
    ta_it: np.ndarray,
    sc_ptr: np.ndarray,
    sc_it: np.ndarray,  # char 3-grams (same language) or cognate prefixes (across languages)
    tc_ptr: np.ndarray,
    tc_it: np.ndarray,
    bead_a: np.ndarray,
    bead_b: np.ndarray,
    params: np.ndarray,  # skip, margin, knn, w_len, w_anchor, w_chars, w_many, size
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Best monotone segmentation into beads; returns (bead type, end i, end j) from the start."""
    n = len(lo) - 1
    m = len(len_tgt) - 1
    skip, gamma, knn, w_len, w_anchor, w_chars, w_many, size = (
        params[0],
        params[1],
        int(params[2]),
        params[3],
        params[4],
        params[5],
        params[6],
        params[7],
    )
    d = src_runs.shape[2]
    # kNN means of 1-1 similarity inside the band, for the margin (Artetxe & Schwenk's ratio idea)
    mx = np.zeros(n)
    my = np.zeros(m)
    top_y = np.full((m, knn), -1.0)
    for i in range(n if gamma != 0.0 else 0):
        top = np.full(knn, -1.0)
        for j in range(max(lo[i], lo[i + 1] - 1, 0), min(hi[i], hi[i + 1] - 1, m - 1) + 1):
            s = 0.0
            for t in range(d):
                s += src_runs[0, i, t] * tgt_runs[0, j, t]
            if s > top[knn - 1]:
                k = knn - 1
                while k > 0 and top[k - 1] < s:
                    top[k] = top[k - 1]
                    k -= 1
                top[k] = s
            if s > top_y[j, knn - 1]:
                k = knn - 1
                while k > 0 and top_y[j, k - 1] < s:
                    top_y[j, k] = top_y[j, k - 1]
                    k -= 1
                top_y[j, k] = s
        c = 0
        for k in range(knn):
            if top[k] > -1.0:
                mx[i] += top[k]
                c += 1
        if c:
            mx[i] /= c
    for j in range(m):
        c = 0
        for k in range(knn):
            if top_y[j, k] > -1.0:
                my[j] += top_y[j, k]
                c += 1
        if c:
            my[j] /= c
    cmx = np.zeros(n + 1)
    cmy = np.zeros(m + 1)
    for i in range(n):
        cmx[i + 1] = cmx[i] + mx[i]
    for j in range(m):
        cmy[j + 1] = cmy[j] + my[j]
    width = 0
    for i in range(n + 1):
        width = max(width, hi[i] - lo[i] + 1)
    neg = -1e18
    score = np.full((n + 1, width), neg)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    score[0, 0 - lo[0]] = 0.0
    nt = len(bead_a)
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            best, arg = neg, -1
            for t in range(nt):
                a, b = bead_a[t], bead_b[t]
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = score[pi, pj - lo[pi]]
                if prev <= neg:
                    continue
                if a == 0 or b == 0:
                    s = skip * (a + b)
                else:
                    s = 0.0
                    for t2 in range(d):
                        s += src_runs[a - 1, pi, t2] * tgt_runs[b - 1, pj, t2]
                    marg = 0.5 * ((cmx[i] - cmx[pi]) / a + (cmy[j] - cmy[pj]) / b)
                    s -= gamma * marg
                    lx = (len_src[i] - len_src[pi]) * ratio + 1.0
                    ly = len_tgt[j] - len_tgt[pj] + 1.0
                    r = min(lx, ly) / max(lx, ly)
                    s -= w_len * (1.0 - np.log2(1.0 + r))
                    # CSR row pointers are the running item counts
                    tot = (sa_ptr[i] - sa_ptr[pi]) + (ta_ptr[j] - ta_ptr[pj])
                    if tot > 0 and w_anchor != 0.0:
                        sh = 0
                        for x in range(pi, i):
                            for y in range(pj, j):
                                sh += _shared(sa_ptr, sa_it, x, ta_ptr, ta_it, y)
                        s += w_anchor * (2.0 * sh / tot - 0.5)
                    if w_chars != 0.0:
                        tot = (sc_ptr[i] - sc_ptr[pi]) + (tc_ptr[j] - tc_ptr[pj])
                        if tot > 0:
                            sh = 0
                            for x in range(pi, i):
                                for y in range(pj, j):
                                    sh += _shared(sc_ptr, sc_it, x, tc_ptr, tc_it, y)
                            s += w_chars * (2.0 * sh / tot)
                    # a bead's gain grows (sub-linearly) with the sentences it covers, so a 2-2
                    # that reads much better than two 1-1s wins (Vecalign weighs its cost linearly)
                    s = s * (0.5 * (a + b)) ** size - w_many * (a + b - 2)
                if prev + s > best:
                    best, arg = prev + s, t
            score[i, j - lo[i]] = best
            back[i, j - lo[i]] = arg
    # backtrace from (n, m)
    types = []
    ends_i = []
    ends_j = []
    i, j = n, m
    while i > 0 or j > 0:
        t = back[i, j - lo[i]]
        if t < 0:
            break
        types.append(t)
        ends_i.append(i)
        ends_j.append(j)
        i -= bead_a[t]
        j -= bead_b[t]
    k = len(types)
    ot = np.empty(k, dtype=np.int64)
    oi = np.empty(k, dtype=np.int64)
    oj = np.empty(k, dtype=np.int64)
    for r in range(k):
        ot[r] = types[k - 1 - r]
        oi[r] = ends_i[k - 1 - r]
        oj[r] = ends_j[k - 1 - r]
    return ot, oi, oj
