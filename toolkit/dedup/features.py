"""What a document contributes to clustering: three views of its text.

- ``copy``: word 3-gram shingles — near-verbatim copies (edits, other chrome, truncation);
- ``lex``: the document's rarer content words (by wordfreq in its language) and numbers —
  re-translations in one language, which share facts and vocabulary but few phrases;
- ``xling``: language-independent keys — names reduced to a consonant skeleton that
  survives transliteration and exonyms (Idleb/Idlib, Poutine/Putin, Dmitri/Dmitry) and
  numbers normalised across conventions (3,7 millions = 3.7 million) — versions of a story
  in other languages.

The whole batch is read as one UTF-8 byte array. One compiled pass
(:mod:`toolkit.dedup.scan`) finds the words, hashes them and each line, and flags capitals,
sentence openings and digits; line filters, shingles, names and numbers are then numpy
operations over all documents at once (written numbers hashed eight bytes at a time).
What needs a word list — rarity, name skeletons, number words, the value of a written
number — is computed in Python once per distinct (token, language) and kept in a two-way
table, so after warm-up a document costs no Python call per token.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import regex
import xxhash

from toolkit.dedup.scan import CAPITAL, DIGIT, LOWER, OPENS, class_table, mark_tables, scan
from toolkit.text.numbers import number_key, number_words, scale_words

_FREQ_CUTOFF = 5.2  # zipf; more frequent words carry no identity (the, said, that …)
# The word view's MinHash sketch holds only the rarer words (weight >= 3, wordfreq zipf <= 4):
# half the items and fewer chance collisions; verification still weighs every content word.
LEX_SKETCH_WEIGHT = 3.0
MIN_LINE_WORDS = 5  # shorter lines (chrome, tags, headlines) do not count towards identity
CHROME_MAX_WORDS = 30  # a line repeated across documents and at most this long is page chrome
COPY_SAMPLE = 4
_U64 = np.uint64
_M32 = _U64(0xFFFFFFFF)


@lru_cache(maxsize=1)
def _scan_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    two, three = mark_tables()
    return class_table(), two, three


def _fmix64(h: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = h ^ (h >> _U64(33))
        h = h * _U64(0xFF51AFD7ED558CCD)
        h = h ^ (h >> _U64(33))
        h = h * _U64(0xC4CEB9FE1A85EC53)
        out: np.ndarray = h ^ (h >> _U64(33))
    return out


def _span_hashes(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """64-bit hashes of the byte spans ``buf[s:e]``, eight bytes at a time.

    Each step reads the span's next eight bytes as one little-endian word (an unaligned
    view of the buffer: ``buf`` must extend at least 7 bytes past every span), masks what
    lies past the span's end and mixes it into the hash; only longer spans take more steps.
    """
    words = np.ndarray((len(buf) - 7,), dtype="<u8", buffer=buf, strides=(1,))
    lengths = ends - starts
    with np.errstate(over="ignore"):
        h: np.ndarray = lengths.astype(_U64) * _U64(0x9E3779B97F4A7C15)
        idx: np.ndarray | None = None
        at, rem = starts, lengths
        while True:
            w = words[at]
            shift = (np.minimum(rem, 8) * 8).astype(_U64)
            mask = np.where(rem >= 8, _U64(0xFFFFFFFFFFFFFFFF), (_U64(1) << shift) - _U64(1))
            mixed = _fmix64((h if idx is None else h[idx]) ^ (w & mask))
            if idx is None:
                h = mixed
            else:
                h[idx] = mixed
            more = np.flatnonzero(rem > 8)
            if not len(more):
                return h
            idx = more if idx is None else idx[more]
            at, rem = at[more] + 8, rem[more] - 8


def stable32(text: str) -> int:
    return xxhash.xxh32_intdigest(text.encode("utf-8", "surrogatepass"), seed=0x5EED)


def _lang_salt(lang: str) -> int:
    return xxhash.xxh64_intdigest(lang.encode("utf-8"), seed=0x5EED)


# ---- what needs a word list: once per distinct (token, language) ---------------------------

_weights: dict[str, dict[str, float]] = {}


def rarity(word: str, lang: str) -> float:
    """Identity weight of a lower-case word: 0 for very common words, up to 6 for unseen ones."""
    table = _weights.get(lang)
    if table is None:
        table = _weights[lang] = {}
    w = table.get(word)
    if w is None:
        z = _zipf(word, lang) if lang != "und" else 0.0
        w = 0.0 if z >= _FREQ_CUTOFF else min(6.0, 7.0 - z)
        if len(table) < 1_000_000:
            table[word] = w
    return w


@lru_cache(maxsize=1)
def _wordfreq_languages() -> frozenset[str]:
    from wordfreq import available_languages

    return frozenset(available_languages())


def _zipf(word: str, lang: str) -> float:
    """wordfreq's zipf frequency; plain words are read from its (cached) table directly."""
    from wordfreq import get_frequency_dict, zipf_frequency

    if lang not in _wordfreq_languages():
        return 0.0
    if word.isalpha() and word.isascii():
        freq = get_frequency_dict(lang).get(word, 0.0)
        return round(math.log10(freq) + 9, 2) if freq > 0 else 0.0
    return float(zipf_frequency(word, lang))


_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
_SOUNDS = [
    (regex.compile(r"sch|sh|ch"), "x"),
    (regex.compile(r"ph"), "f"),
    (regex.compile(r"[ckq]+"), "k"),
    (regex.compile(r"[zs]+"), "s"),
    (regex.compile(r"dj|dzh|j"), "j"),
    (regex.compile(r"th"), "t"),
]
_VOWELS = regex.compile(r"[aeiouyhw]")
_REPEATS = regex.compile(r"(.)\1+")
_skeletons: dict[str, str] = {}


def skeleton(name: str) -> str:
    """A name's consonant skeleton, stable across languages' spellings: Idleb/Idlib → idlb."""
    s = _skeletons.get(name)
    if s is not None:
        return s
    t = unicodedata.normalize("NFKD", name.lower().translate(_FOLD))
    t = "".join(c for c in t if "a" <= c <= "z")
    if not t:
        return ""
    for pattern, repl in _SOUNDS:
        t = pattern.sub(repl, t)
    head, tail = t[0], _VOWELS.sub("", t[1:])
    out = _REPEATS.sub(r"\1", head + tail)
    if len(_skeletons) < 500_000:
        _skeletons[name] = out
    return out


def _token_info(word: str, base: str) -> tuple[float, int, float, int, float]:
    """(rarity, name key, name weight, number-word key, scale) of a lower-case token."""
    weight = 0.0 if len(word) < 3 or word[0].isdigit() else rarity(word, base)
    name_key, name_w = 0, 0.0
    sk = skeleton(word) if len(word) >= 3 else ""
    if len(sk) >= 2:
        # Short skeletons collide across unrelated names; their weight is reduced.
        name_key, name_w = stable32("x:" + sk), max(weight, 1.0) * min(1.0, len(sk) / 4)
    value = number_words(base).get(word, 0)
    number = stable32(f"n:{value}") if value >= 10 else 0
    return weight, name_key, name_w, number, float(scale_words(base).get(word, 0.0))


class _Cache:
    """A two-way table from 64-bit keys to rows of 32-bit values, looked up for a whole array at once.

    Each slot is one row of uint32 (key low, key high, used, values...), so a look-up is
    one ``np.take`` of rows (measured 15x faster than a structured-array gather). A key
    lives in one of two slots (from its low and its high bits); keys that find both taken
    go to a Python dict, consulted only for the array's misses. Values are a pure
    function of the key, so results never depend on the cache's history.
    """

    def __init__(self, bits: int, dtypes: list[Any], overflow: int = 1_000_000) -> None:
        self.mask = _U64((1 << bits) - 1)
        self.dtypes = [np.dtype(dt) for dt in dtypes]
        self.tables = [np.zeros((1 << bits, 3 + len(dtypes)), dtype=np.uint32) for _ in range(2)]
        self.overflow: dict[int, tuple[Any, ...]] = {}
        self.overflow_max = overflow

    def _slots(self, keys: np.ndarray, way: int) -> np.ndarray:
        return ((keys >> _U64(32 * way)) & self.mask).astype(np.int64)

    def _probe(self, keys: np.ndarray, way: int) -> tuple[np.ndarray, np.ndarray]:
        rows = np.take(self.tables[way], self._slots(keys, way), axis=0)
        stored = rows[:, 0].astype(_U64) | (rows[:, 1].astype(_U64) << _U64(32))
        return rows, (stored == keys) & (rows[:, 2] == 1)

    def lookup(self, keys: np.ndarray, compute: Any) -> list[np.ndarray]:
        """Values for ``keys``; ``compute(indices)`` returns value lists for ``keys[indices]``."""
        rows_at, hit = self._probe(keys, 0)
        out = [np.ascontiguousarray(rows_at[:, 3 + k]).view(dt) for k, dt in enumerate(self.dtypes)]
        miss = np.flatnonzero(~hit)
        if not len(miss):
            return out
        rows2, hit2 = self._probe(keys[miss], 1)
        for k, column in enumerate(out):
            column[miss[hit2]] = rows2[hit2, 3 + k].view(column.dtype)
        miss = miss[~hit2]
        if not len(miss):
            return out
        uniq, first, inverse = np.unique(keys[miss], return_index=True, return_inverse=True)
        rows: list[tuple[Any, ...] | None] = [self.overflow.get(k) for k in uniq.tolist()]
        todo = [k for k, row in enumerate(rows) if row is None]
        if todo:
            computed = compute(miss[first[todo]])
            for k, row in zip(todo, zip(*computed, strict=True), strict=True):
                rows[k] = row
            left = np.asarray(todo, dtype=np.int64)
            for way in (0, 1):
                left = self._place(uniq, left, rows, way)
            if len(self.overflow) < self.overflow_max:
                for k in left.tolist():
                    self.overflow[int(uniq[k])] = rows[k]
        for col, column in enumerate(out):
            arr = np.asarray([row[col] for row in rows], dtype=column.dtype)  # type: ignore[index]
            column[miss] = arr[inverse.ravel()]
        return out

    def _place(self, uniq: np.ndarray, which: np.ndarray, rows: list[Any], way: int) -> np.ndarray:
        """Store ``uniq[which]`` in free slots of one way (first come first served); return the rest."""
        table = self.tables[way]
        slots = self._slots(uniq[which], way)
        free = table[slots, 2] == 0
        _, firsts = np.unique(slots[free], return_index=True)
        place = np.zeros(len(which), dtype=bool)
        place[np.flatnonzero(free)[firsts]] = True
        placed, keys = slots[place], uniq[which[place]]
        table[placed, 0] = (keys & _M32).astype(np.uint32)
        table[placed, 1] = (keys >> _U64(32)).astype(np.uint32)
        table[placed, 2] = 1
        for col, dt in enumerate(self.dtypes):
            vals = np.asarray([rows[k][col] for k in which[place].tolist()], dtype=dt)
            table[placed, 3 + col] = vals.view(np.uint32)
        out: np.ndarray = which[~place]
        return out


# Every token needs its rarity and number-word key; only capitalised tokens and the words
# after a number need the rest, so those live in a second, less visited table.
_words = _Cache(18, [np.float32, np.uint32])
_rest = _Cache(16, [np.uint32, np.float32, np.float32])
_numbers = _Cache(16, [np.uint32])


# ---- features ------------------------------------------------------------------------------


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


def _unique_max(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys, each with its largest weight."""
    if len(keys) < 2:
        return keys, weights
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    first = np.ones(len(k), dtype=bool)
    np.not_equal(k[1:], k[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return k[starts], np.maximum.reduceat(weights[order], starts)


@dataclass(slots=True)
class Features:
    """The three views of one document.

    ``*_items`` hold every occurrence (MinHash needs no de-duplication); the sorted unique
    sets with their largest weights, which verification needs, are built on first use.
    """

    copy_items: np.ndarray
    lex_items: np.ndarray
    lex_item_w: np.ndarray
    lex_sketch: np.ndarray  # the rarer words' items (weight >= LEX_SKETCH_WEIGHT): what MinHash sees
    xling_items: np.ndarray
    xling_item_w: np.ndarray
    xling_seq: np.ndarray  # name and number keys in text order, for order-aware verification
    words: int
    lines: np.ndarray  # hashes of the lines that could be page chrome (5–30 words)
    _copy: np.ndarray | None = field(default=None, repr=False)
    _sets: tuple[np.ndarray, ...] | None = field(default=None, repr=False)

    def _unique(self) -> tuple[np.ndarray, ...]:
        if self._sets is None:
            lex, lex_w = _unique_max(self.lex_items, self.lex_item_w)
            xling, xling_w = _unique_max(self.xling_items, self.xling_item_w)
            self._sets = (lex, lex_w, xling, xling_w)
        return self._sets

    @property
    def copy(self) -> np.ndarray:
        if self._copy is None:
            self._copy = sorted_unique(self.copy_items)
        return self._copy

    @property
    def lex(self) -> np.ndarray:
        return self._unique()[0]

    @property
    def lex_w(self) -> np.ndarray:
        return self._unique()[1]

    @property
    def xling(self) -> np.ndarray:
        return self._unique()[2]

    @property
    def xling_w(self) -> np.ndarray:
        return self._unique()[3]


def features(text: str, lang: str, chrome: np.ndarray | None = None) -> Features:
    """The clustering views of a (normalised) text in language ``lang``.

    Lines whose hash is in ``chrome`` (short lines repeated across the batch: navigation,
    footers, newsletter prompts; see :func:`line_hash`) are left out, so that shared page
    furniture never looks like a shared story. One document through :func:`features_batch`.
    """
    return features_batch([text], [lang], chrome)[0]


_CHUNK_BYTES = 1 << 19
_PAD = 8  # reads of up to eight bytes past a document's end stay inside the buffer


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


def _buffers(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Original and lower-case UTF-8 bytes of the documents joined by NUL, padded by _PAD NULs."""
    big = "\x00".join(texts) + "\x00" * _PAD
    if big.count("\x00") != len(texts) - 1 + _PAD:  # a NUL inside a text would split it
        big = "\x00".join(t.replace("\x00", " ") for t in texts) + "\x00" * _PAD
    data = big.encode("utf-8", "surrogatepass")
    return np.frombuffer(data, dtype=np.uint8), _lower_utf8(data)


def features_batch(texts: list[str], langs: list[str], chrome: np.ndarray | None = None) -> list[Features]:
    """:func:`features` for many documents: a document's features do not depend on the others."""
    out: list[Features] = []
    k = 0
    while k < len(texts):
        size, j = 0, k
        while j < len(texts) and (j == k or size + len(texts[j]) < _CHUNK_BYTES):
            size += len(texts[j]) + 1
            j += 1
        out.extend(_features_chunk(texts[k:j], langs[k:j], chrome))
        k = j
    return out


def _split(values: np.ndarray, bounds: np.ndarray) -> list[np.ndarray]:
    return [values[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]


def _features_chunk(texts: list[str], langs: list[str], chrome: np.ndarray | None) -> list[Features]:
    n = len(texts)
    orig, low = _buffers(texts)
    size = len(orig) - _PAD
    starts, ends, th, doc_of, line_of, flags, digit_ends, lhash = scan(orig, low, size, _scan_tables())

    # Lines: which hold at least MIN_LINE_WORDS tokens.
    per_line = np.bincount(line_of, minlength=len(lhash))
    first_tok = np.zeros(len(lhash) + 1, dtype=np.int64)
    np.cumsum(per_line, out=first_tok[1:])
    body_line = per_line >= MIN_LINE_WORDS
    chrome_size = body_line & (per_line <= CHROME_MAX_WORDS)
    if chrome is not None and len(chrome):
        body_line &= ~(chrome_size & np.isin(lhash, chrome))
    cand = np.flatnonzero(chrome_size)
    line_doc = doc_of[first_tok[cand]]
    lines_of_doc = _split(lhash[cand], np.searchsorted(line_doc, np.arange(n + 1)))

    keep = np.flatnonzero(body_line[line_of])
    starts, ends, doc_of, th = starts[keep], ends[keep], doc_of[keep], th[keep]
    flags, digit_ends = flags[keep], digit_ends[keep]
    tok_bounds = np.searchsorted(doc_of, np.arange(n + 1))
    words = np.diff(tok_bounds)

    # Per-(token, language) information from the cache.
    bases = [lang.split("-")[0] for lang in langs]
    salts = np.array([_lang_salt(b) for b in bases], dtype=_U64)
    keys = th ^ salts[doc_of]

    def facts(tokens: np.ndarray, fields: tuple[int, ...]) -> list[list[Any]]:
        rows = [
            _token_info(bytes(low[starts[i] : ends[i]]).decode("utf-8", "replace"), bases[doc_of[i]])
            for i in tokens.tolist()
        ]
        return [[row[f] for row in rows] for f in fields]

    def rest_of(tokens: np.ndarray) -> list[np.ndarray]:
        """(name key, name weight, scale) of some tokens."""
        out: list[np.ndarray] = _rest.lookup(keys[tokens], lambda idx: facts(tokens[idx], (1, 2, 4)))
        return out

    weight, numword = _words.lookup(keys, lambda idx: facts(idx, (0, 3)))

    # copy view: word 3-grams within a document; documents of fewer than three tokens keep
    # their tokens. Only shingles whose hash is 0 mod COPY_SAMPLE (Broder's mod-m sampling):
    # the same shingles are kept in every document, so resemblance and containment hold.
    th32 = th & _M32
    with np.errstate(over="ignore"):
        grams = (th32[:-2] * _U64(0x9E3779B1) + th32[1:-1] * _U64(0x85EBCA77) + th32[2:]) & _M32
    gram_ok = doc_of[:-2] == doc_of[2:]
    gram_doc = doc_of[:-2]
    short = words < 3
    if short.any():
        in_short = short[doc_of]
        grams = np.concatenate([grams[gram_ok], th32[in_short]])
        gram_doc = np.concatenate([gram_doc[gram_ok], doc_of[in_short]])
        order = np.argsort(gram_doc, kind="stable")
        grams, gram_doc = grams[order], gram_doc[order]
    else:
        grams, gram_doc = grams[gram_ok], gram_doc[gram_ok]
    sampled = np.flatnonzero(grams % _U64(COPY_SAMPLE) == 0)
    grams, gram_doc = np.take(grams, sampled).astype(np.uint32), np.take(gram_doc, sampled)
    copies = _split(grams, np.searchsorted(gram_doc, np.arange(n + 1)))

    # Names: capitalised tokens, not all capitals, not opening a sentence, with a skeleton.
    name_flags = flags & (CAPITAL | LOWER | OPENS)
    cand_names = np.flatnonzero((name_flags == (CAPITAL | LOWER)) & (ends - starts >= 3))
    name_key, name_w, _ = rest_of(cand_names)
    named = name_key != 0
    cand_names, name_key, name_w = cand_names[named], name_key[named], name_w[named]

    # Numbers: runs of digits joined by group or decimal separators, read in the
    # document's convention with a following scale word or percent sign.
    num_pos, num_doc, num_key = _numbers_of(
        orig, low, starts, ends, th, flags, digit_ends, rest_of, doc_of, bases, salts
    )

    # lex: rarer words, numbers and number words; xling: names, numbers and number words.
    rare = np.flatnonzero(weight > 0)
    nw = np.flatnonzero(numword != 0)
    three = np.float32(3.0)
    lex_doc = np.concatenate([doc_of[rare], doc_of[nw], num_doc])
    lex_key = np.concatenate([th32[rare].astype(np.uint32), numword[nw], num_key])
    lex_w = np.concatenate([weight[rare], np.full(len(nw) + len(num_key), three, np.float32)])
    order = np.argsort(lex_doc, kind="stable")
    lex_bounds = np.searchsorted(lex_doc[order], np.arange(n + 1))
    lex_key, lex_w, lex_doc = lex_key[order], lex_w[order], lex_doc[order]
    lex_keys, lex_ws = _split(lex_key, lex_bounds), _split(lex_w, lex_bounds)
    rarer = lex_w >= LEX_SKETCH_WEIGHT
    sketches = _split(lex_key[rarer], np.searchsorted(lex_doc[rarer], np.arange(n + 1)))

    # xling in text order: names and numbers by position, then number words (not ordered).
    seq_pos = np.concatenate([starts[cand_names], num_pos])
    seq_key = np.concatenate([name_key, num_key])
    seq_w = np.concatenate([name_w, np.full(len(num_key), three, np.float32)])
    seq_doc = np.concatenate([doc_of[cand_names], num_doc])
    order = np.argsort(seq_pos, kind="stable")
    seq_key, seq_w, seq_doc = seq_key[order], seq_w[order], seq_doc[order]
    seq_bounds = np.searchsorted(seq_doc, np.arange(n + 1))
    x_doc = np.concatenate([seq_doc, doc_of[nw]])
    x_key = np.concatenate([seq_key, numword[nw]])
    x_w = np.concatenate([seq_w, np.full(len(nw), three, np.float32)])
    order = np.argsort(x_doc, kind="stable")
    x_bounds = np.searchsorted(x_doc[order], np.arange(n + 1))
    x_keys, x_ws = _split(x_key[order], x_bounds), _split(x_w[order], x_bounds)
    seqs = _split(seq_key, seq_bounds)
    return [
        Features(
            copies[i], lex_keys[i], lex_ws[i], sketches[i], x_keys[i], x_ws[i], seqs[i], int(words[i]), lines_of_doc[i]
        )
        for i in range(n)
    ]


def _numbers_of(
    orig: np.ndarray,
    low: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    th: np.ndarray,
    flags: np.ndarray,
    digit_ends: np.ndarray,
    rest_of: Callable[[np.ndarray], list[np.ndarray]],
    doc_of: np.ndarray,
    bases: list[str],
    salts: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(position, document, key) of the numbers written in digits in the body tokens."""
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint32))
    # Runs of digits that open a token: numbers glued to a word (A320, x25) are identifiers.
    run_tok = np.flatnonzero(flags & DIGIT)
    if not len(run_tok):
        return empty
    rs, re_ = starts[run_tok], digit_ends[run_tok]
    # A run joins the next one across one separator: "," or "." (thousands or decimals),
    # or a space, no-break space or apostrophe before a group of exactly three digits.
    gap = np.append(rs[1:] - re_[:-1], 0)
    c0, c1, c2 = orig[re_], orig[re_ + 1], orig[re_ + 2]
    dec = (gap == 1) & ((c0 == 44) | (c0 == 46))
    grp = ((gap == 1) & ((c0 == 32) | (c0 == 39))) | ((gap == 2) & (c0 == 0xC2) & (c1 == 0xA0))
    grp |= (gap == 3) & (c0 == 0xE2) & (c1 == 0x80) & ((c2 == 0xAF) | (c2 == 0x89) | (c2 == 0x99))
    lengths = re_ - rs
    nxt_len = np.append(lengths[1:], 0)
    join = dec | (grp & (nxt_len == 3) & (lengths <= 3))
    join[-1] = False
    head = np.ones(len(rs), dtype=bool)
    head[1:] = ~join[:-1]
    tail = np.ones(len(rs), dtype=bool)
    tail[:-1] = ~join[:-1]
    ss, se = rs[head], re_[tail]
    first_tok, last_tok = run_tok[head], run_tok[tail]
    e0, e1, e2, e3 = orig[se], orig[se + 1], orig[se + 2], orig[se + 3]
    pct = (e0 == 37) | ((e0 == 32) & (e1 == 37)) | ((e0 == 0xC2) & (e1 == 0xA0) & (e2 == 37))
    pct |= (e0 == 0xE2) & (e1 == 0x80) & (e2 == 0xAF) & (e3 == 37)
    # a scale word (million, milliards) as the next token, one separator away
    tok_c = np.minimum(last_tok + 1, len(starts) - 1)
    gap = starts[tok_c] - se
    space = (gap == 1) & (e0 == 32)
    space |= ((gap == 2) & (e0 == 0xC2) & (e1 == 0xA0)) | ((gap == 3) & (e0 == 0xE2) & (e1 == 0x80))
    near = (last_tok + 1 < len(starts)) & space
    scaled = np.zeros(len(tok_c), dtype=bool)
    check = np.flatnonzero(near & ~pct)
    if len(check):
        scaled[check] = rest_of(tok_c[check])[2] > 0
    scale_hash = np.where(scaled, th[tok_c], _U64(0))
    docs = doc_of[first_tok]
    with np.errstate(over="ignore"):
        span = _span_hashes(low, ss, se)
        keys = _fmix64(span ^ (scale_hash * _U64(31)) ^ salts[docs] ^ pct.astype(_U64))

    def compute(idx: np.ndarray) -> list[list[int]]:
        vals = []
        for i in idx.tolist():
            scale = 1.0
            if scaled[i]:  # its exact value (the table keeps a float32)
                t = int(tok_c[i])
                scale = scale_words(bases[docs[i]])[bytes(low[starts[t] : ends[t]]).decode("utf-8", "replace")]
            written = bytes(orig[ss[i] : se[i]]).decode("utf-8", "replace")
            key = number_key(written, bases[docs[i]], scale, bool(pct[i]))
            vals.append(stable32(key) if key else 0)
        return [vals]

    (key,) = _numbers.lookup(keys, compute)
    sel = key != 0
    return ss[sel], docs[sel], key[sel]


def line_hash(line: str) -> int:
    """The hash :func:`features_batch` gives a line (its lower-case word tokens)."""
    f = features_batch([line + "\n"], ["und"])[0]
    return int(f.lines[0]) if len(f.lines) else 0


def params() -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "copy": f"word 3-grams (1 in {COPY_SAMPLE} by hash), 64-bit FNV-1a token hash, lines of >= 5 words",
        "lex": f"content words with wordfreq zipf < {_FREQ_CUTOFF} (wordfreq {version('wordfreq')}) + numbers; "
        f"MinHash over those of weight >= {LEX_SKETCH_WEIGHT}",
        "xling": "name consonant skeletons + normalised numbers",
    }
