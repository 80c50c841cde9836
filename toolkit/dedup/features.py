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

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from toolkit.dedup.arrays import PAD, buffers, fmix64, scan_tables, sorted_unique, span_hashes, split, unique_max
from toolkit.dedup.params import COPY_SAMPLE, LEX_SKETCH_WEIGHT, SHORT_SAMPLED
from toolkit.dedup.scan import CAPITAL, CASELESS, DIGIT, LOWER, OPENS, scan
from toolkit.dedup.tokens import M32, U64, Cache, lang_salt, name_facts, stable32, word_facts_many
from toolkit.text.numbers import number_key, scale_words
from toolkit.text.tables import load, pack, package_key
from toolkit.text.words import _data, has_lang, zipf_table

MIN_LINE_WORDS = 5  # shorter lines (chrome, tags, headlines) do not count towards identity


CHROME_MAX_WORDS = 30  # a line repeated across documents and at most this long is page chrome


# Every token needs its rarity and number-word key; only capitalised tokens and the words
# after a number need the rest, so those live in a second, less visited table.
_words = Cache(18, [np.float32, np.uint32])


_rest = Cache(16, [np.uint32, np.float32, np.float32])


_numbers = Cache(16, [np.uint32])

# A language's most frequent words have their (rarity, number-word key) compiled once into the
# table cache (:mod:`toolkit.text.tables`), keyed by token hash: a process meeting them for
# the first time looks them up instead of asking the word list word by word (8 µs a word, a
# third of a second for 10,000 news documents). Rarer words are computed as before.
LISTED_WORDS = 50_000
_listed: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray] | None] = {}


def listed_facts(base: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(sorted salted token hashes, rarity, number-word key) of ``base``'s LISTED_WORDS most
    frequent words, or None for a language without a word list."""
    if base not in _listed:
        if not has_lang(base):
            _listed[base] = None
            return None
        # new word lists, new code for the facts or the token hash, or new data: a new table
        code = package_key(
            "toolkit",
            "dedup/features.py",
            "dedup/tokens.py",
            "dedup/scan.py",
            "dedup/params.py",
            "text/numbers.py",
            "data",
        )
        packed = load(f"wordfacts-{base}", f"{_data()[1]};{code[1]};{LISTED_WORDS}", lambda: _build_listed(base))
        keys = np.frombuffer(packed.sections["keys"], dtype="<u8")
        weights = np.frombuffer(packed.sections["weights"], dtype="<f4")
        numwords = np.frombuffer(packed.sections["numwords"], dtype="<u4")
        _listed[base] = (keys, weights, numwords)
    return _listed[base]


def _build_listed(base: str) -> bytes:
    table = zipf_table(base).table
    words = [table.key(r) for r in range(min(LISTED_WORDS, len(table)))]
    # each word hashed as the scan hashes a token: kept where the scan reads it as one token
    # whose lower-case bytes are the word's own
    orig, low = buffers(words)
    starts, ends, th, doc_of, *_ = scan(orig, low, len(orig) - PAD, scan_tables())
    one = np.bincount(doc_of, minlength=len(words)) == 1
    data = low.tobytes()
    keep = [
        k
        for k, (d, a, b) in enumerate(zip(doc_of.tolist(), starts.tolist(), ends.tolist(), strict=True))
        if one[d] and data[a:b] == words[d].encode("utf-8")
    ]
    kept = [words[doc_of[k]] for k in keep]
    weights, numwords = word_facts_many(kept, [base] * len(kept))
    keys = th[keep] ^ U64(lang_salt(base))
    order = np.argsort(keys, kind="stable")
    sections = {
        "keys": keys[order].astype("<u8").tobytes(),
        "weights": np.asarray(weights, dtype="<f4")[order].tobytes(),
        "numwords": np.asarray(numwords, dtype="<u4")[order].tobytes(),
    }
    return pack(sections, {"lang": base, "words": len(kept)})


def _word_facts_of(keys: np.ndarray, words: list[str], bases: list[str]) -> list[list[Any]]:
    """(rarity, number-word key) columns of tokens (their salted hashes, texts and languages):
    from the compiled tables where listed, computed for the rest."""
    weights: list[Any] = [None] * len(words)
    numwords: list[Any] = [None] * len(words)
    by_base: dict[str, list[int]] = {}
    for k, b in enumerate(bases):
        by_base.setdefault(b, []).append(k)
    for b, where in by_base.items():
        listed = listed_facts(b)
        if listed is None:
            continue
        table_keys, table_w, table_n = listed
        at = np.asarray(where, dtype=np.int64)
        pos = np.minimum(np.searchsorted(table_keys, keys[at]), len(table_keys) - 1)
        hit = table_keys[pos] == keys[at]
        for k, w, n in zip(at[hit].tolist(), table_w[pos[hit]].tolist(), table_n[pos[hit]].tolist(), strict=True):
            weights[k], numwords[k] = w, n
    rest = [k for k, w in enumerate(weights) if w is None]
    if rest:
        w_col, n_col = word_facts_many([words[k] for k in rest], [bases[k] for k in rest])
        for k, w, n in zip(rest, w_col, n_col, strict=True):
            weights[k], numwords[k] = w, n
    return [weights, numwords]


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
    exact: int = 0  # hash of the body's words in order (0: fewer than MIN_LINE_WORDS)
    # most name keys come from a script without capitals, where rarer vocabulary passes for
    # names too: its keys are a superset of the names, compared by containment (verify.py)
    caseless: bool = False
    _copy: np.ndarray | None = field(default=None, repr=False)
    _sets: tuple[np.ndarray, ...] | None = field(default=None, repr=False)

    def __reduce__(self) -> tuple[Any, ...]:
        # to and from a worker as one buffer: pickling eight arrays one by one cost more than
        # computing them (13 ms against 5 ms for 250 documents); the caches are built again
        arrays = [getattr(self, name).astype(dtype, copy=False) for name, dtype in _WIRE]
        blob = b"".join([a.tobytes() for a in arrays])
        return _unpack, (blob, tuple(len(a) for a in arrays), self.words, self.exact, self.caseless)

    def _unique(self) -> tuple[np.ndarray, ...]:
        if self._sets is None:
            lex, lex_w = unique_max(self.lex_items, self.lex_item_w)
            xling, xling_w = unique_max(self.xling_items, self.xling_item_w)
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


# Features' arrays in the order and types they travel in (Features.__reduce__): the 8-byte
# one first, so that every array of the buffer is aligned
_WIRE = (
    ("lines", "<u8"),
    ("copy_items", "<u4"),
    ("lex_items", "<u4"),
    ("lex_item_w", "<f4"),
    ("lex_sketch", "<u4"),
    ("xling_items", "<u4"),
    ("xling_item_w", "<f4"),
    ("xling_seq", "<u4"),
)


def _unpack(blob: bytes, sizes: tuple[int, ...], words: int, exact: int, caseless: bool) -> Features:
    buf = bytearray(blob)  # writable, as unpickled arrays are
    lines = np.frombuffer(buf, dtype="<u8", count=sizes[0])
    # the 4-byte arrays as slices of one (a numpy call each cost more than the rest of the unpacking)
    rest = np.frombuffer(buf, dtype="<u4", offset=8 * sizes[0])
    ends = list(itertools.accumulate(sizes[1:]))
    copy_items, lex_items, lex_w, sketch, x_items, x_w, seq = (
        rest[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)
    )
    lex_w, x_w = lex_w.view("<f4"), x_w.view("<f4")
    return Features(copy_items, lex_items, lex_w, sketch, x_items, x_w, seq, words, lines, exact, caseless)


def features(text: str, lang: str, chrome: np.ndarray | None = None) -> Features:
    """The clustering views of a (normalised) text in language ``lang``.

    Lines whose hash is in ``chrome`` (short lines repeated across the batch: navigation,
    footers, newsletter prompts; see :func:`line_hash`) are left out, so that shared page
    furniture never looks like a shared story. One document through :func:`features_batch`.
    """
    return features_batch([text], [lang], chrome)[0]


CHUNK_BYTES = 1 << 19


def features_batch(texts: list[str], langs: list[str], chrome: np.ndarray | None = None) -> list[Features]:
    """:func:`features` for many documents: a document's features do not depend on the others."""
    out: list[Features] = []
    k = 0
    while k < len(texts):
        size, j = 0, k
        while j < len(texts) and (j == k or size + len(texts[j]) < CHUNK_BYTES):
            size += len(texts[j]) + 1
            j += 1
        out.extend(_features_chunk(texts[k:j], langs[k:j], chrome))
        k = j
    return out


# Digits of every script read as ASCII digits (٣٫٥, ३.५): numbers meet across scripts.
@lru_cache(maxsize=1)
def _other_digits() -> np.ndarray:
    """The code points of the decimal digits (Unicode Nd) outside ASCII."""
    points = np.concatenate([np.arange(0x80, 0xD800), np.arange(0xE000, 0x110000)]).astype("<u4")
    # one regular-expression pass over every code point (\d is Nd): 20 ms, against half a
    # second for asking unicodedata about each
    every = points.tobytes().decode("utf-32-le")
    return points[[m.start() for m in re.finditer(r"\d", every)]]


@lru_cache(maxsize=1)
def _digits() -> dict[int, int]:
    table = {c: 48 + unicodedata.digit(chr(c)) for c in _other_digits().tolist()}
    return {**table, 0x066B: ord("."), 0x066C: ord(",")}  # Arabic decimal and thousands separators


@lru_cache(maxsize=1)
def _is_other_digit() -> np.ndarray:
    flags = np.zeros(0x110000, dtype=bool)
    flags[_other_digits()] = True
    return flags


def _ascii_digits(text: str) -> str:
    # a look-up of every code point: a regular expression over the text cost 30–60 times more
    if text.isascii() or not _is_other_digit()[np.frombuffer(text.encode("utf-32-le"), dtype="<u4")].any():
        return text
    return text.translate(_digits())


def _features_chunk(texts: list[str], langs: list[str], chrome: np.ndarray | None) -> list[Features]:
    n = len(texts)
    texts = [_ascii_digits(t) for t in texts]
    orig, low = buffers(texts)
    size = len(orig) - PAD
    starts, ends, th, doc_of, line_of, flags, digit_ends, lhash = scan(orig, low, size, scan_tables())

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
    lines_of_doc = split(lhash[cand], np.searchsorted(line_doc, np.arange(n + 1)))

    keep = np.flatnonzero(body_line[line_of])
    starts, ends, doc_of, th = starts[keep], ends[keep], doc_of[keep], th[keep]
    flags, digit_ends = flags[keep], digit_ends[keep]
    tok_bounds = np.searchsorted(doc_of, np.arange(n + 1))
    words = np.diff(tok_bounds)

    # Per-(token, language) information from the cache.
    bases = [lang.split("-")[0] for lang in langs]
    salts = np.array([lang_salt(b) for b in bases], dtype=U64)
    keys = th ^ salts[doc_of]

    def token_texts(tokens: np.ndarray) -> tuple[list[str], list[str]]:
        """The lower-case text and base language of some tokens."""
        data = low.tobytes()  # one copy, then slices of bytes: a numpy slice per token cost more
        spans = zip(starts[tokens].tolist(), ends[tokens].tolist(), strict=True)
        words = [data[a:b].decode("utf-8", "replace") for a, b in spans]
        return words, [bases[d] for d in doc_of[tokens].tolist()]

    def facts(tokens: np.ndarray, of: Callable[[str, str], tuple[Any, ...]]) -> list[list[Any]]:
        rows = [of(w, b) for w, b in zip(*token_texts(tokens), strict=True)]
        return [list(column) for column in zip(*rows, strict=True)] if rows else []

    def rest_of(tokens: np.ndarray) -> list[np.ndarray]:
        """(name key, name weight, scale) of some tokens."""
        out: list[np.ndarray] = _rest.lookup(keys[tokens], lambda idx: facts(tokens[idx], name_facts))
        return out

    weight, numword = _words.lookup(keys, lambda idx: _word_facts_of(keys[idx], *token_texts(idx)))

    # copy view: word 3-grams within a document; documents of fewer than three tokens keep
    # their tokens. Only shingles whose hash is 0 mod COPY_SAMPLE (Broder's mod-m sampling):
    # the same shingles are kept in every document, so resemblance and containment hold.
    th32 = th & M32
    with np.errstate(over="ignore"):
        grams = (th32[:-2] * U64(0x9E3779B1) + th32[1:-1] * U64(0x85EBCA77) + th32[2:]) & M32
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
    # A short document (briefs, captions) keeps all its shingles: a sample of a few would let
    # near-identical briefs miss each other.
    in_sample = grams % U64(COPY_SAMPLE) == 0
    # (by the count of all its shingles, so that two near-identical briefs are sampled alike)
    short_copy = np.bincount(gram_doc, minlength=n) < SHORT_SAMPLED * COPY_SAMPLE
    sampled = np.flatnonzero(in_sample | short_copy[gram_doc])
    grams, gram_doc = np.take(grams, sampled).astype(np.uint32), np.take(gram_doc, sampled)
    copies = split(grams, np.searchsorted(gram_doc, np.arange(n + 1)))
    # the body's words in order, hashed: identical items of any length meet
    # (each token's hash times its odd-made position in the document, xor-ed: for all at once)
    with np.errstate(over="ignore"):
        placed = th * ((np.arange(len(th), dtype=U64) - tok_bounds[:-1].astype(U64)[doc_of] + U64(1)) | U64(1))
    long_doc = words >= MIN_LINE_WORDS
    exact_hash = np.zeros(n, dtype=U64)
    if long_doc.any():
        # reduced between every document's first token and the next's (an empty document's
        # figure is never used: it is not long)
        per_doc = np.bitwise_xor.reduceat(placed, np.minimum(tok_bounds[:-1], len(placed) - 1))
        exact_hash[long_doc] = fmix64(per_doc[long_doc])
    exact = exact_hash.tolist()

    # Names: capitalised tokens, not all capitals, not opening a sentence, and the rarer tokens
    # of scripts without capitals (tokens.name_facts decides), with a skeleton.
    name_flags = flags & (CAPITAL | LOWER | OPENS)
    cased = (name_flags == (CAPITAL | LOWER)) & (ends - starts >= 3)
    no_case = ((flags & CASELESS) != 0) & (ends - starts >= 6)
    cand_names = np.flatnonzero(cased | no_case)
    caseless_docs = np.bincount(doc_of[no_case], minlength=n) > np.bincount(doc_of[cased], minlength=n)
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
    lex_keys, lex_ws = split(lex_key, lex_bounds), split(lex_w, lex_bounds)
    rarer = lex_w >= LEX_SKETCH_WEIGHT
    sketches = split(lex_key[rarer], np.searchsorted(lex_doc[rarer], np.arange(n + 1)))

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
    x_keys, x_ws = split(x_key[order], x_bounds), split(x_w[order], x_bounds)
    seqs = split(seq_key, seq_bounds)
    return [
        Features(
            copies[i],
            lex_keys[i],
            lex_ws[i],
            sketches[i],
            x_keys[i],
            x_ws[i],
            seqs[i],
            int(words[i]),
            lines_of_doc[i],
            exact[i],
            bool(caseless_docs[i]),
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
        # a look-up of the scale words' own token hashes: asking the word table for every
        # token after a number ran the name analysis on most of the vocabulary
        tc = tok_c[check]
        scaled[check] = np.isin(th[tc] ^ salts[doc_of[tc]], _scale_keys(tuple(sorted(set(bases)))))
    scale_hash = np.where(scaled, th[tok_c], U64(0))
    docs = doc_of[first_tok]
    with np.errstate(over="ignore"):
        span = span_hashes(low, ss, se)
        keys = fmix64(span ^ (scale_hash * U64(31)) ^ salts[docs] ^ pct.astype(U64))

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


@lru_cache(maxsize=64)
def _scale_keys(bases: tuple[str, ...]) -> np.ndarray:
    """The keys (token hash ^ language salt) of the scale words of ``bases`` that are one token."""
    keys = []
    for base in bases:
        words = sorted(scale_words(base))
        orig, low = buffers(words)
        starts, ends, th, doc_of, *_ = scan(orig, low, len(orig) - PAD, scan_tables())
        per_doc = np.bincount(doc_of, minlength=len(words))
        for i in np.flatnonzero(per_doc == 1).tolist():
            t = int(np.searchsorted(doc_of, i))
            if bytes(low[starts[t] : ends[t]]).decode("utf-8") == words[i]:
                keys.append(int(th[t]) ^ lang_salt(base))
    return np.array(sorted(keys), dtype=U64)


def line_hash(line: str) -> int:
    """The hash :func:`features_batch` gives a line (its lower-case word tokens)."""
    f = features_batch([line + "\n"], ["und"])[0]
    return int(f.lines[0]) if len(f.lines) else 0
