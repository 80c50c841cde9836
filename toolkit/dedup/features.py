"""What a document contributes to clustering: three views of its text.

- ``copy``: word 3-gram shingles — near-verbatim copies (edits, other chrome, truncation);
- ``lex``: the document's rarer content words (by wordfreq in its language) and numbers —
  re-translations in one language, which share facts and vocabulary but few phrases;
- ``xling``: language-independent keys — names reduced to a consonant skeleton that
  survives transliteration and exonyms (Idleb/Idlib, Poutine/Putin, Dmitri/Dmitry) and
  numbers normalised across conventions (3,7 millions = 3.7 million) — versions of a story
  in other languages.

Every item is a 32-bit value from a stable hash (xxhash), and each item has a weight
(its rarity) used when candidates are verified.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import regex
import xxhash

from toolkit.text.numbers import number_keys, number_words

_CAP = regex.compile(r"\p{Lu}[\p{L}\p{M}'’\-]{2,}")
_SENT_END = set('.!?:;…"«»“”—–-(')
_MIN_LINE_WORDS = 5  # shorter lines (chrome, tags, headlines) do not count towards identity
_FREQ_CUTOFF = 5.2  # zipf; more frequent words carry no identity (the, said, that …)

_token_hash: dict[str, int] = {}
_weights: dict[str, dict[str, float]] = {}
# Tokenising runs on UTF-8 bytes, where translate/split are C loops (5x faster than a regex
# here): ASCII punctuation becomes a space, and the common typographic marks are replaced first.
_ASCII_PUNCT = bytes(c if (chr(c).isalnum() or c >= 128) else 32 for c in range(256))
_TYPOGRAPHIC = ("«", "»", "“", "”", "‘", "’", "—", "–", "…", "\u00a0", "\u202f", "„", "‹", "›")


def tokenize(text: str) -> list[bytes]:
    """Lower-case word tokens as UTF-8 bytes."""
    low = text.lower()
    for mark in _TYPOGRAPHIC:
        if mark in low:
            low = low.replace(mark, " ")
    return low.encode("utf-8", "surrogatepass").translate(_ASCII_PUNCT).split()


class _Vocabulary:
    """Token bytes → dense id, with per-id hash and per-language rarity in numpy arrays.

    After warm-up a document's tokens become ids in one C-level ``map``; hashes and weights
    are then array look-ups, with no Python loop over the tokens.
    """

    def __init__(self) -> None:
        self.ids: dict[bytes, int] = {}
        self.tokens: list[bytes] = []
        self.hashes = np.zeros(1024, dtype=np.uint64)
        self.weights: dict[str, np.ndarray] = {}

    def lookup(self, tokens: list[bytes]) -> np.ndarray:
        ids = list(map(self.ids.get, tokens))
        if None in ids:
            for k, (tok, i) in enumerate(zip(tokens, ids, strict=True)):
                if i is None:
                    i = self.ids.get(tok)
                    if i is None:
                        i = self._add(tok)
                    ids[k] = i
        return np.fromiter(ids, dtype=np.int64, count=len(ids))

    def _add(self, tok: bytes) -> int:
        i = len(self.tokens)
        self.tokens.append(tok)
        self.ids[tok] = i
        if i >= len(self.hashes):
            self.hashes = np.concatenate([self.hashes, np.zeros(len(self.hashes), dtype=np.uint64)])
        self.hashes[i] = xxhash.xxh32_intdigest(tok, seed=0x5EED)
        return i

    def rarity(self, ids: np.ndarray, lang: str) -> np.ndarray:
        table = self.weights.get(lang)
        if table is None or len(table) < len(self.tokens):
            grown = np.full(max(1024, 2 * len(self.tokens)), np.nan, dtype=np.float32)
            if table is not None:
                grown[: len(table)] = table
            table = self.weights[lang] = grown
        w = table[ids]
        missing = np.flatnonzero(np.isnan(w))
        for k in missing:
            i = int(ids[k])
            word = self.tokens[i].decode("utf-8", "replace")
            table[i] = 0.0 if len(word) < 3 or word[0].isdigit() else rarity(word, lang)
        out: np.ndarray = table[ids] if len(missing) else w
        return out


_vocab = _Vocabulary()


def token_hash(tok: str) -> int:
    h = _token_hash.get(tok)
    if h is None:
        h = xxhash.xxh32_intdigest(tok.encode("utf-8", "surrogatepass"), seed=0x5EED)
        if len(_token_hash) < 2_000_000:
            _token_hash[tok] = h
    return h


def rarity(word: str, lang: str) -> float:
    """Identity weight of a lower-case word: 0 for very common words, up to 6 for unseen ones."""
    table = _weights.get(lang)
    if table is None:
        table = _weights[lang] = {}
    w = table.get(word)
    if w is None:
        from wordfreq import zipf_frequency

        z = zipf_frequency(word, lang) if lang != "und" else 0.0
        w = 0.0 if z >= _FREQ_CUTOFF else min(6.0, 7.0 - z)
        if len(table) < 1_000_000:
            table[word] = w
    return w


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
    out = regex.sub(r"(.)\1+", r"\1", head + tail)
    if len(_skeletons) < 500_000:
        _skeletons[name] = out
    return out


@dataclass(slots=True)
class Features:
    """The three views of one document: sorted unique uint32 items and their weights."""

    copy: np.ndarray
    lex: np.ndarray
    lex_w: np.ndarray
    xling: np.ndarray
    xling_w: np.ndarray
    xling_seq: np.ndarray  # the xling keys in text order, for order-aware verification
    words: int


CHROME_MAX_WORDS = 30  # a line repeated across documents and at most this long is page chrome


def line_key(line: str) -> str:
    return " ".join(line.lower().split())


def _body_lines(text: str, chrome: frozenset[str] | set[str]) -> list[str]:
    out = []
    for line in text.split("\n"):
        if line.count(" ") < _MIN_LINE_WORDS - 1:
            continue
        if chrome:
            n = len(line.split())
            if n < _MIN_LINE_WORDS or (n <= CHROME_MAX_WORDS and line_key(line) in chrome):
                continue
        out.append(line)
    return out


def has_chrome(text: str, chrome: frozenset[str] | set[str]) -> bool:
    return any(line_key(x) in chrome for x in text.split("\n") if 0 < x.count(" ") < CHROME_MAX_WORDS)


_K1, _K2 = np.uint64(0x9E3779B1), np.uint64(0x85EBCA77)
COPY_SAMPLE = 4


_name_keys: dict[tuple[str, str], tuple[int, float] | None] = {}
_units_b: dict[str, dict[bytes, int]] = {}


def _units_bytes(lang: str, units: dict[str, int]) -> dict[bytes, int]:
    table = _units_b.get(lang)
    if table is None:
        table = _units_b[lang] = {k.encode("utf-8"): v for k, v in units.items()}
    return table


def _name_key(name: str, lang: str) -> tuple[int, float] | None:
    """(hash of the name's skeleton, weight) for a capitalised word, or None to skip it."""
    cache_key = (name, lang)
    if cache_key in _name_keys:
        return _name_keys[cache_key]
    word = name.lower()
    out: tuple[int, float] | None = None
    sk = skeleton(word)
    if not name.isupper() and len(word) >= 3 and len(sk) >= 2:
        # Short skeletons collide across unrelated names; their weight is reduced.
        w = max(rarity(word, lang), 1.0) * min(1.0, len(sk) / 4)
        out = (token_hash("x:" + sk), w)
    if len(_name_keys) < 500_000:
        _name_keys[cache_key] = out
    return out


def _names(lines: list[str], lang: str) -> Iterator[tuple[int, int, float]]:
    """(offset in the body, key, weight) of each capitalised word that does not open a sentence."""
    pos = 0
    for line in lines:
        for m in _CAP.finditer(line):
            j = m.start() - 1
            while j >= 0 and line[j] == " ":
                j -= 1
            if j < 0 or line[j] in _SENT_END:
                continue
            named = _name_key(m.group(), lang)
            if named is not None:
                yield pos + m.start(), named[0], named[1]
        pos += len(line) + 1


def features(text: str, lang: str, chrome: frozenset[str] | set[str] = frozenset()) -> Features:
    """The clustering views of a (normalised) text in language ``lang``.

    Lines in ``chrome`` (short lines repeated across the batch: navigation, footers,
    newsletter prompts) are left out, so that shared page furniture never looks like a
    shared story. One document through :func:`features_batch`.
    """
    return features_batch([text], [lang], chrome)[0]


_CHUNK = 512


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """np.unique by sorting: measured 5x faster than numpy's hash-based unique on large uint64 arrays."""
    a = np.sort(a)
    if len(a) < 2:
        return a
    mask = np.empty(len(a), dtype=bool)
    mask[0] = True
    np.not_equal(a[1:], a[:-1], out=mask[1:])
    out: np.ndarray = a[mask]
    return out


def _split(keys: np.ndarray, docs: np.ndarray, n: int) -> list[np.ndarray]:
    bounds = np.searchsorted(docs, np.arange(n + 1))
    return [keys[bounds[i] : bounds[i + 1]] for i in range(n)]


def _group(d: np.ndarray, k: np.ndarray, w: np.ndarray, n: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per document: sorted unique keys, each with its largest weight."""
    order = np.lexsort((-w, k, d))
    d, k, w = d[order], k[order], w[order]
    first = np.ones(len(d), dtype=bool)
    first[1:] = (d[1:] != d[:-1]) | (k[1:] != k[:-1])
    d, k, w = d[first], k[first], w[first]
    return _split(k, d, n), _split(w, d, n)


def features_batch(
    texts: list[str], langs: list[str], chrome: frozenset[str] | set[str] = frozenset()
) -> list[Features]:
    """:func:`features` for many documents: a document's features do not depend on the others.

    Tokens of all documents are looked up, hashed, shingled, weighted and grouped in a few
    numpy calls per chunk of documents instead of a dozen calls per document; chunks keep
    the working memory bounded.
    """
    if len(texts) > _CHUNK:
        return [
            f
            for k in range(0, len(texts), _CHUNK)
            for f in features_batch(texts[k : k + _CHUNK], langs[k : k + _CHUNK], chrome)
        ]
    n = len(texts)
    if n == 0:
        return []
    bodies_lines = [_body_lines(t, chrome) for t in texts]
    bodies = ["\n".join(lines) for lines in bodies_lines]
    toks = [tokenize(b) for b in bodies]
    lengths = np.fromiter(map(len, toks), dtype=np.int64, count=n)
    ids = _vocab.lookup([t for doc in toks for t in doc])
    doc_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
    th = _vocab.hashes[ids]
    # copy view: word 3-grams that do not cross a document boundary; documents of fewer
    # than three tokens keep their tokens. Every shingle whose hash is 0 mod COPY_SAMPLE
    # (Broder's mod-m sampling): the same shingles are kept in every document, so
    # resemblance and containment are preserved.
    if len(ids) >= 3:
        grams = ((th[:-2] * _K1 + th[1:-1] * _K2 + th[2:]) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        gdoc = doc_of[:-2]
        valid = gdoc == doc_of[2:]
    else:
        grams, gdoc, valid = np.zeros(0, np.uint32), np.zeros(0, np.int64), np.zeros(0, bool)
    short = np.flatnonzero(lengths < 3)
    if len(short):
        in_short = np.isin(doc_of, short)
        grams = np.concatenate([grams[valid], th[in_short].astype(np.uint32)])
        gdoc = np.concatenate([gdoc[valid], doc_of[in_short]])
    else:
        grams, gdoc = grams[valid], gdoc[valid]
    keep = grams % COPY_SAMPLE == 0
    combined = _sorted_unique((gdoc[keep].astype(np.uint64) << np.uint64(32)) | grams[keep].astype(np.uint64))
    copies = _split(
        (combined & np.uint64(0xFFFFFFFF)).astype(np.uint32), (combined >> np.uint64(32)).astype(np.int64), n
    )
    # lex view, token part: unique (document, token) pairs weighted by rarity in the doc's language
    pairs = _sorted_unique((doc_of.astype(np.uint64) << np.uint64(32)) | ids.astype(np.uint64))
    pdoc = (pairs >> np.uint64(32)).astype(np.int64)
    pid = (pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
    bases = [lang.split("-")[0] for lang in langs]
    pw = np.zeros(len(pairs), dtype=np.float32)
    base_arr = np.array(bases, dtype=object)
    for base in sorted(set(bases)):
        mask = base_arr[pdoc] == base
        pw[mask] = _vocab.rarity(pid[mask], base)
    content = pw > 0
    lex_d, lex_k, lex_w = [pdoc[content]], [_vocab.hashes[pid[content]].astype(np.uint32)], [pw[content]]
    # numbers, number words and names: per document
    xd: list[int] = []
    xk: list[int] = []
    xw: list[float] = []
    xnum: list[bool] = []  # numbers and number words also count in the lex view
    seqs: list[np.ndarray] = []
    for i in range(n):
        base = bases[i]
        seq: list[tuple[int, int]] = []
        for start, key in number_keys(bodies[i], base):
            h = token_hash(key)
            xd.append(i)
            xk.append(h)
            xw.append(3.0)
            xnum.append(True)
            seq.append((start, h))
        units_b = _units_bytes(base, number_words(base))
        for tok in units_b.keys() & set(toks[i]):
            v = units_b[tok]
            if v >= 10:
                xd.append(i)
                xk.append(token_hash(f"n:{v}"))
                xw.append(3.0)
                xnum.append(True)
        for offset, h, w in _names(bodies_lines[i], base):
            xd.append(i)
            xk.append(h)
            xw.append(w)
            xnum.append(False)
            seq.append((offset, h))
        seq.sort()
        seqs.append(np.fromiter((h for _, h in seq), dtype=np.uint32, count=len(seq)))
    xd_a = np.asarray(xd, dtype=np.int64)
    xk_a = np.asarray(xk, dtype=np.uint32)
    xw_a = np.asarray(xw, dtype=np.float32)
    num = np.asarray(xnum, dtype=bool)
    # Keys of numbers ("n:…") and of words never coincide in practice; where they would,
    # the largest weight is kept.
    lex_keys, lex_weights = _group(
        np.concatenate([*lex_d, xd_a[num]]), np.concatenate([*lex_k, xk_a[num]]), np.concatenate([*lex_w, xw_a[num]]), n
    )
    x_keys, x_weights = _group(xd_a, xk_a, xw_a, n)
    return [
        Features(copies[i], lex_keys[i], lex_weights[i], x_keys[i], x_weights[i], seqs[i], int(lengths[i]))
        for i in range(n)
    ]


def params() -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "copy": f"word 3-grams (1 in {COPY_SAMPLE} by hash), xxh32 seed 0x5EED, lines of >= 5 words",
        "lex": f"content words with wordfreq zipf < {_FREQ_CUTOFF} (wordfreq {version('wordfreq')}) + numbers",
        "xling": "name consonant skeletons + normalised numbers",
    }
