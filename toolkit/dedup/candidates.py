"""Candidate pairs: MinHash LSH over each view (banded keys, the buckets' pairs), and the
lines that several story families share, which are page chrome rather than identity."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

from toolkit.dedup.arrays import sorted_unique
from toolkit.dedup.minhash import signatures
from toolkit.dedup.params import DedupConfig, lsh_params
from toolkit.index.core import band_keys

LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)


def story_candidates(reps: list[int], feats: list[Any], langs: list[str], cfg: DedupConfig) -> set[tuple[int, int]]:
    """LSH candidates between family representatives, with a vectorised MinHash pre-check.

    Verification joins a pair in one language on its shared words (or on names and numbers
    alone only when they agree strongly), and a pair across languages on names and numbers.
    So a pair in one language needs an estimated word resemblance of ``cfg.prefilter`` or a
    name/number resemblance of ``cfg.prefilter_names_same``; a pair across languages needs a
    name/number resemblance of ``cfg.prefilter``. Dropping the others here, for all pairs
    at once, saves the exact set comparisons.
    """

    n = len(reps)
    caseless = np.array([feats[i].caseless for i in reps], dtype=bool)
    xsets = _names_seen(reps, feats, caseless)
    sigs, found = {}, []
    for view, threshold in (("lex", cfg.lsh_lex), ("xling", cfg.lsh_xling)):
        sets = [feats[i].lex_sketch for i in reps] if view == "lex" else xsets
        sigs[view] = signatures(sets, cfg.num_perm, cfg.seed)
        # a report may name few people and figures (five keys in 377 words): its name view is
        # searched from min_keys items, not from the copy view's min_shingles
        least = cfg.min_shingles if view == "lex" else cfg.min_keys
        found.append(_lsh_codes(sets, threshold, cfg, sigs[view], least))
    if caseless.any():
        # a document whose name keys include rarer vocabulary (no capitals in its script) shares
        # a smaller part of its keys with a translation: a lower threshold finds its partners
        low = _lsh_codes(xsets, cfg.lsh_caseless, cfg, sigs["xling"], cfg.min_keys)
        found.append(low[caseless[low // n] | caseless[low % n]])
    codes = np.concatenate(found)
    if not len(codes):
        return set()
    need = int(np.ceil(cfg.prefilter * cfg.num_perm))
    need_names = int(np.ceil(cfg.prefilter_names_same * cfg.num_perm))
    lang_ids = {lang: k for k, lang in enumerate(sorted(set(langs)))}
    lang_of = np.array([lang_ids[langs[i]] for i in reps], dtype=np.int64)
    known = np.array([langs[i] != "und" for i in reps], dtype=bool)
    passed = []
    empty = {view: (sv == np.uint32(0xFFFFFFFF)).all(axis=1) for view, sv in sigs.items()}
    # The lowest byte of each min-hash (b-bit MinHash): a quarter of the memory traffic. Two
    # different values agree by chance 1 time in 256, which can only let an extra pair
    # through to exact verification, never drop one.
    # Packed eight to a 64-bit word, a pair's agreements are counted with XOR and popcount.
    low8 = {
        view: np.ascontiguousarray((sv & np.uint32(0xFF)).astype(np.uint8)).view(np.uint64) for view, sv in sigs.items()
    }
    # Blocks of pairs keep the gathered signature rows small (a single gather of millions
    # of rows spends most of its time faulting in fresh memory).
    for lo in range(0, len(codes), 1 << 15):
        block = codes[lo : lo + (1 << 15)]
        left, right = block // n, block % n
        one_lang = (lang_of[left] == lang_of[right]) & known[left]
        words = _agreements(low8["lex"], left, right)
        ok = one_lang & (words >= need) & ~empty["lex"][left]
        names = _agreements(low8["xling"], left, right)
        need_x = np.where(one_lang, need_names, np.where(caseless[left] | caseless[right], need // 2, need))
        ok |= (names >= need_x) & ~empty["xling"][left]
        passed.append(block[ok])
    rep = np.asarray(reps, dtype=np.int64)
    keep = sorted_unique(np.concatenate(passed))
    a, b = rep[keep // n], rep[keep % n]
    return set(zip(a.tolist(), b.tolist(), strict=True))


def _names_seen(reps: list[int], feats: list[Any], caseless: np.ndarray) -> list[np.ndarray]:
    """The representatives' name and number keys for MinHash; those of a document in a script
    without capitals only where a document with capitals in the batch has the key too.

    Such a document's keys are its names plus its rarer words (nothing tells them apart), and
    no translation shares the words: an Arabic report's 130 keys held 14 of its English
    version's 32, a resemblance of 0.09 that MinHash's 64 values estimated at 1 to 3 agreements
    and that missed every version. Kept to the keys the batch's other documents name, it is
    a resemblance of names again. Verification still compares the whole sets (by containment).
    """
    sets = [feats[i].xling_items for i in reps]
    if not caseless.any() or caseless.all():
        return sets
    named = sorted_unique(np.concatenate([s for s, c in zip(sets, caseless, strict=True) if not c]))
    out = []
    for s, c in zip(sets, caseless, strict=True):
        if c and len(s):
            kept = s[np.isin(s, named)]
            s = kept if len(kept) else s
        out.append(s)
    return out


_HIGH = np.uint64(0x8080808080808080)


def _agreements(packed: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair, how many of the packed bytes are equal (a zero byte of the XOR)."""
    x = packed[left] ^ packed[right]
    nonzero = ((x & LOW7) + LOW7) | x  # high bit of each byte set where the byte is not zero
    out: np.ndarray = np.bitwise_count(~nonzero & _HIGH).sum(axis=1)
    return out


@lru_cache(maxsize=512)
def _triu(size: int) -> tuple[np.ndarray, np.ndarray]:
    ii, jj = np.triu_indices(size, k=1)
    return ii, jj


def lsh_pairs(
    sets: list[np.ndarray], threshold: float, cfg: DedupConfig, sigs: np.ndarray | None = None
) -> set[tuple[int, int]]:
    """Candidate pairs (i < j) from :func:`_lsh_codes`."""
    n = len(sets)
    return {(int(c // n), int(c % n)) for c in _lsh_codes(sets, threshold, cfg, sigs)}


_SMALL = 16


def _lsh_codes(
    sets: list[np.ndarray], threshold: float, cfg: DedupConfig, sigs: np.ndarray | None = None, least: int | None = None
) -> np.ndarray:
    """Candidate pairs: documents that share a bucket in any band.

    The buckets are MinHashLSH's (its bands and rows for the threshold, datasketch's
    affine32 signatures), grouped with numpy for the whole batch at once rather than
    inserted one document at a time; a test checks the pairs equal MinHashLSH's.
    Buckets larger than ``cfg.max_bucket`` carry no identity and are skipped. ``sigs``
    (one row per set) may be passed when the caller has them already. Sets of fewer than
    ``least`` items (default ``cfg.min_shingles``) are left out.
    """

    n = len(sets)
    least = cfg.min_shingles if least is None else least
    keep = np.flatnonzero(np.fromiter(map(len, sets), dtype=np.int64, count=n) >= least)
    if len(keep) < 2:
        return np.zeros(0, dtype=np.int64)
    kept = sigs[keep] if sigs is not None else signatures([sets[i] for i in keep], cfg.num_perm, cfg.seed)
    bands, rows = lsh_params(threshold, cfg.num_perm)
    m = len(keep)
    # All bands at once: a band's keys are seeded with its index, so buckets never mix bands.
    flat = np.concatenate(band_keys(kept, bands, rows))
    order = np.argsort(flat)  # members of a bucket may come in any order: pairs are (min, max)
    bucket_keys, members = flat[order], keep[order % m]
    starts = np.flatnonzero(np.r_[True, bucket_keys[1:] != bucket_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    codes: list[np.ndarray] = []
    # Buckets of up to _SMALL members: pairs at distance d inside the sorted buckets, one
    # vectorised step per d. Larger buckets one by one; beyond max_bucket they carry no identity.
    small = (sizes >= 2) & (sizes <= _SMALL)
    sel = np.repeat(small, sizes)
    sk, sm = bucket_keys[sel], members[sel]
    for d in range(1, _SMALL):
        same = np.flatnonzero(sk[:-d] == sk[d:])
        if not len(same):
            break
        a, b = sm[same], sm[same + d]
        codes.append(np.minimum(a, b) * n + np.maximum(a, b))
    for st, size in zip(starts[sizes > _SMALL], sizes[sizes > _SMALL], strict=True):
        if size > cfg.max_bucket:
            continue
        group = np.sort(members[st : st + size])
        ii, jj = _triu(int(size))
        codes.append(group[ii] * n + group[jj])
    if not codes:
        return np.zeros(0, dtype=np.int64)
    out: np.ndarray = sorted_unique(np.concatenate(codes))
    return out


def exact_pairs(exact: list[int]) -> set[tuple[int, int]]:
    """Pairs (first, other) of documents whose bodies are the same words: short items too
    few shingles to sketch (briefs, captions, re-sends) meet here."""
    first: dict[int, int] = {}
    out = set()
    for i, h in enumerate(exact):
        if h:
            j = first.setdefault(h, i)
            if j != i:
                out.add((j, i))
    return out


def chrome_lines(
    lines: list[np.ndarray],
    family: list[int],
    min_families: int,
    alike: Callable[[int, int], bool] | None = None,
    max_checked: int = 40,
) -> np.ndarray:
    """Hashes of the short lines that stand in documents of at least ``min_families`` copy
    families that are different stories.

    Versions of one story that miss the copy threshold share its sentences; those sentences
    are the best evidence the versions belong together, not page furniture. So a line's
    families count only when their documents do not look like one story (``alike`` on a
    representative of each; the first ``max_checked`` families of a line are examined).
    """
    if not lines:
        return np.zeros(0, dtype=np.uint64)
    counts = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    hashes = np.concatenate(lines) if counts.sum() else np.zeros(0, dtype=np.uint64)
    fams = np.repeat(np.asarray(family, dtype=np.int64), counts)
    docs = np.repeat(np.arange(len(lines), dtype=np.int64), counts)
    if not len(hashes):
        return np.zeros(0, dtype=np.uint64)
    order = np.lexsort((docs, fams, hashes))
    h, f, d = hashes[order], fams[order], docs[order]
    new_pair = np.ones(len(h), dtype=bool)
    new_pair[1:] = (h[1:] != h[:-1]) | (f[1:] != f[:-1])
    h, d = h[new_pair], d[new_pair]  # one (line, family), with the family's first document
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    per_line = np.diff(np.r_[starts, len(h)])
    cand = np.flatnonzero(per_line >= min_families)
    if alike is None:
        out: np.ndarray = h[starts[cand]]
        return out
    keep = []
    for k in cand.tolist():
        kept: list[int] = []  # representatives of different stories
        for doc in d[starts[k] : starts[k] + min(int(per_line[k]), max_checked)].tolist():
            if all(not alike(doc, other) for other in kept):
                kept.append(doc)
                if len(kept) >= min_families:
                    keep.append(k)
                    break
    return h[starts[np.asarray(keep, dtype=np.int64)]] if keep else np.zeros(0, dtype=np.uint64)
