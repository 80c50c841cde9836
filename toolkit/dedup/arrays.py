"""numpy kernels of the features: hashing spans of a byte buffer, lower-casing UTF-8, sorted
unique keys with their weights, splitting flat arrays back into documents."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from toolkit.dedup.scan import class_table, mark_tables

U64 = np.uint64
PAD = 8  # reads of up to eight bytes past a document's end stay inside the buffer


@lru_cache(maxsize=1)
def scan_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    two, three = mark_tables()
    return class_table(), two, three


def fmix64(h: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = h ^ (h >> U64(33))
        h = h * U64(0xFF51AFD7ED558CCD)
        h = h ^ (h >> U64(33))
        h = h * U64(0xC4CEB9FE1A85EC53)
        out: np.ndarray = h ^ (h >> U64(33))
    return out


def span_hashes(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """64-bit hashes of the byte spans ``buf[s:e]``, eight bytes at a time.

    Each step reads the span's next eight bytes as one little-endian word (an unaligned
    view of the buffer: ``buf`` must extend at least 7 bytes past every span), masks what
    lies past the span's end and mixes it into the hash; only longer spans take more steps.
    """
    words = np.ndarray((len(buf) - 7,), dtype="<u8", buffer=buf, strides=(1,))
    lengths = ends - starts
    with np.errstate(over="ignore"):
        h: np.ndarray = lengths.astype(U64) * U64(0x9E3779B97F4A7C15)
        idx: np.ndarray | None = None
        at, rem = starts, lengths
        while True:
            w = words[at]
            shift = (np.minimum(rem, 8) * 8).astype(U64)
            mask = np.where(rem >= 8, U64(0xFFFFFFFFFFFFFFFF), (U64(1) << shift) - U64(1))
            mixed = fmix64((h if idx is None else h[idx]) ^ (w & mask))
            if idx is None:
                h = mixed
            else:
                h[idx] = mixed
            more = np.flatnonzero(rem > 8)
            if not len(more):
                return h
            idx = more if idx is None else idx[more]
            at, rem = at[more] + 8, rem[more] - 8


def sorted_unique(a: np.ndarray) -> np.ndarray:
    """np.unique by sorting: several times faster than numpy's hash-based unique here."""
    a = np.sort(a)
    if len(a) < 2:
        return a
    mask = np.empty(len(a), dtype=bool)
    mask[0] = True
    np.not_equal(a[1:], a[:-1], out=mask[1:])
    out: np.ndarray = a[mask]
    return out


def unique_max(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys, each with its largest weight."""
    if len(keys) < 2:
        return keys, weights
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    first = np.ones(len(k), dtype=bool)
    np.not_equal(k[1:], k[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return k[starts], np.maximum.reduceat(weights[order], starts)


@lru_cache(maxsize=1)
def _lower_tables() -> tuple[np.ndarray, np.ndarray]:
    """Lower case of every 2- and 3-byte UTF-8 code point whose lower case has the same length."""
    t2 = np.arange(0x800, dtype=np.uint16)
    t3 = np.arange(0x10000, dtype=np.uint32)
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        low = chr(cp).lower()
        if len(low) != 1 or low == chr(cp):
            continue
        lc = ord(low)
        if cp < 0x800 and 0x80 <= lc < 0x800:
            t2[cp] = lc
        elif cp >= 0x800 and 0x800 <= lc < 0x10000:
            t3[cp] = lc
    return t2, t3


def _lower_utf8(data: bytes) -> np.ndarray:
    """Lower-case UTF-8 bytes with the same length (a character whose lower case is longer, İ, stays)."""
    low = np.frombuffer(data.lower(), dtype=np.uint8)  # bytes.lower changes ASCII only
    if data.isascii():
        return low
    low = low.copy()
    t2, t3 = _lower_tables()
    p = np.flatnonzero((low[:-1] >= 0xC2) & (low[:-1] <= 0xDF))
    if len(p):
        cp = ((low[p].astype(np.uint32) & 0x1F) << 6) | (low[p + 1] & 0x3F)
        new = t2[cp]
        ch = new != cp
        p, new = p[ch], new[ch]
        low[p] = 0xC0 | (new >> 6)
        low[p + 1] = 0x80 | (new & 0x3F)
    p = np.flatnonzero((low[:-2] >= 0xE0) & (low[:-2] <= 0xEF))
    if len(p):
        cp = ((low[p].astype(np.uint32) & 0x0F) << 12) | ((low[p + 1].astype(np.uint32) & 0x3F) << 6)
        cp |= low[p + 2] & 0x3F
        new = t3[cp]
        ch = new != cp
        p, new = p[ch], new[ch]
        low[p] = 0xE0 | (new >> 12)
        low[p + 1] = 0x80 | ((new >> 6) & 0x3F)
        low[p + 2] = 0x80 | (new & 0x3F)
    return low


def buffers(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Original and lower-case UTF-8 bytes of the documents joined by NUL, padded by PAD NULs."""
    big = "\x00".join(texts) + "\x00" * PAD
    if big.count("\x00") != len(texts) - 1 + PAD:  # a NUL inside a text would split it
        big = "\x00".join(t.replace("\x00", " ") for t in texts) + "\x00" * PAD
    data = big.encode("utf-8", "surrogatepass")
    return np.frombuffer(data, dtype=np.uint8), _lower_utf8(data)


def split(values: np.ndarray, bounds: np.ndarray) -> list[np.ndarray]:
    return [values[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]
