"""MinHash signatures in batches, bit-identical to datasketch's ``affine32`` scheme.

datasketch hashes each item in Python and permutes one document at a time. Here the items
are already 32-bit hashes (see :mod:`toolkit.dedup.features`), so a whole batch of
documents is pre-mixed with datasketch's MurmurHash3 finaliser, permuted with datasketch's
own ``(a, b)`` parameters and min-reduced per document in a few numpy calls; a test checks
equality with ``MinHash.update_batch``. :func:`lean` wraps a row in a datasketch
``LeanMinHash``, for comparisons with datasketch's own ``MinHashLSH``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

SCHEME = "affine32"
_EMPTY = np.uint32(0xFFFFFFFF)


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutation parameters for (num_perm, seed, affine32), drawn as its
    ``MinHash._init_permutations`` draws them (a test checks equality): importing datasketch
    loads scipy, half a second at every start."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    out: np.ndarray = h ^ (h >> np.uint32(16))
    return out


def signatures(sets: list[np.ndarray], num_perm: int, seed: int) -> np.ndarray:
    """One row of ``num_perm`` uint32 min-hashes per item set (all-max for an empty set).

    The items of many documents are concatenated and each permutation is one vectorised
    multiply-add followed by a per-document ``minimum.reduceat``; blocks of about 64k items
    keep the working set in cache. Duplicated items do not change a minimum, so the sets
    need not be de-duplicated.
    """
    a, b = permutations(num_perm, seed)
    n = len(sets)
    out = np.full((n, num_perm), _EMPTY, dtype=np.uint32)
    lengths = np.fromiter(map(len, sets), dtype=np.int64, count=n)
    rows = np.flatnonzero(lengths)
    if not len(rows):
        return out
    ends = np.cumsum(lengths[rows])
    block = 1 << 16
    lo = 0
    with np.errstate(over="ignore"):
        while lo < len(rows):
            # whole documents, about ``block`` items (at least one document)
            base = ends[lo - 1] if lo else 0
            hi = max(int(np.searchsorted(ends, base + block, side="right")), lo + 1)
            part = rows[lo:hi]
            items = np.concatenate([sets[i] for i in part.tolist()]).astype(np.uint32, copy=False)
            hv = _fmix32(items)
            offsets = np.zeros(len(part), dtype=np.int64)
            offsets[1:] = ends[lo : hi - 1] - base
            mins = np.empty((num_perm, len(part)), dtype=np.uint32)
            v = np.empty_like(hv)
            for k in range(num_perm):
                np.multiply(hv, a[k], out=v)
                v += b[k]
                mins[k] = np.minimum.reduceat(v, offsets)
            out[part] = mins.T
            lo = hi
    return out


def lean(hashvalues: np.ndarray, seed: int) -> Any:
    """A datasketch LeanMinHash over precomputed hash values."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=hashvalues, scheme=SCHEME)
