"""Language identification with langdetect, seeded, with names masked.

langdetect samples n-grams at random; a fixed seed on every detector makes results
identical run to run. Capitalised tokens that do not start a sentence (mostly names) and
digits are masked first, because names are language-neutral and mislead the detector;
what is left must hold enough letters, or the answer is ``und`` with probability 0.
"""

from __future__ import annotations

import itertools
import operator
import threading
from array import array
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import regex

from toolkit.text.tables import StringTable, load, pack, pack_strings, package_key

UNDETERMINED = "und"
SEED = 0
MIN_LETTERS = 25  # after masking; below this, no label is given
MIN_WORDS = 4
# langdetect is as sure of four words as of a page; below this many letters the
# probability it reports is scaled down in proportion, so short segments never look certain.
CONFIDENT_LETTERS = 50
MAX_CHARS = 3000  # langdetect's text window; detection cost grows with it
# a document's language alone (clustering without the scorers): about 150 words decide it as
# surely as a page, at a third of the cost
DOC_CHARS = 1000
# ... and most decide in their first 300 characters: read further only when those have not
# converged (langdetect's own stopping rule, a best probability above CONV_THRESHOLD) ...
OPENING_CHARS = 300
CONV_THRESHOLD = 0.99999
# ... and when a sample of the window's last 100 characters names the same language (chrome in
# another language ahead of the story cannot then decide it)
GUARD_CHARS = 100
_PROFILE_FORMAT = ";grams-v1"
_WORD_CACHE = 100_000  # word vectors kept (55 float32 each: ~22 MB at most)

_SENT_END = set('.!?:;…"«»“”')

_lock = threading.RLock()
_factory: Any = None


@dataclass(frozen=True, slots=True)
class LangResult:
    lang: str
    prob: float
    letters: int  # letters the decision rests on, after masking (from evidence: counted up to CONFIDENT_LETTERS)

    def to_dict(self) -> dict[str, Any]:
        return {"lang": self.lang, "prob": round(self.prob, 4)}


def _get_factory() -> Any:
    global _factory
    if _factory is None:
        with _lock:
            if _factory is None:
                from langdetect import detector_factory

                detector_factory.init_factory()
                factory = detector_factory._factory
                factory.set_seed(SEED)
                _factory = factory
    return _factory


_TOKENS = (
    r"\d[\d.,:]*"  # numbers
    r"|\p{Lu}[\p{L}\p{M}\d'’\-]*"  # capitalised tokens (checked in _mask_one)
)
_MASK = regex.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|" + _TOKENS)  # URLs and e-mail addresses first
# Without "@", "://" or "www." the address alternatives cannot match, and trying them at
# every word costs three quarters of the time: the same masking, four times faster.
_MASK_PLAIN = regex.compile(_TOKENS)
# ... and _mask_one's decision written into the pattern, so that no Python function is called
# per token (a quarter to a third faster): a capitalised token that opens a sentence (after
# _SENT_END or the start, skipping what _mask_one skips) and holds a lower-case or title-case
# letter (str.isupper is false) or is one letter long is passed over whole ((*SKIP)(*FAIL));
# every other match is masked. tests/text/test_language.py holds it to _mask_one on random text.
_WORD = r"[\p{L}\p{M}\d'’\-]"
_KEEP = (
    r"(?<=(?:^|[.!?:;…\"«»“”])[ \t\n'‘(]*)\p{Lu}"
    r"(?:(?=" + _WORD + r"*?[[\p{Lowercase}\p{Lt}]&&" + _WORD + r"])|(?!" + _WORD + r"))" + _WORD + r"*"
)
_MASK_FAST = regex.compile(r"(?V1)" + _KEEP + r"(*SKIP)(*FAIL)|" + _TOKENS)


def _mask_one(m: regex.Match[str]) -> str:
    tok = m.group()
    if not tok[0].isupper():
        return " "
    # All-capital tokens (acronyms, agency credits) carry no language either.
    if len(tok) > 1 and tok.isupper():
        return " "
    text, j = m.string, m.start() - 1
    while j >= 0 and text[j] in " \t\n'‘(":
        j -= 1
    # A capitalised word that opens a sentence is an ordinary word; elsewhere, likely a name.
    return tok if j < 0 or text[j] in _SENT_END else " "


def mask_names(text: str) -> str:
    """Drop URLs, digits and capitalised tokens that do not open a sentence."""
    if "@" in text or "://" in text or "www." in text:
        return " ".join(_MASK.sub(_mask_one, text).split())
    return " ".join(_MASK_FAST.sub(" ", text).split())


def _gate(text: str) -> tuple[str, int, bool]:
    """The masked text, its letter count, and whether that is enough to decide on."""
    masked = mask_names(text[: MAX_CHARS * 2])
    letters = _letters(masked)
    return masked, letters, letters >= MIN_LETTERS and masked.count(" ") + 1 >= MIN_WORDS


def detect(text: str) -> LangResult:
    """Language of ``text`` as an ISO 639-1 code (langdetect's), or ``und``.

    This is langdetect's own sampling detector with a fixed seed (about 2–10 ms a call).
    """
    masked, letters, enough = _gate(text)
    if not enough:
        return LangResult(UNDETERMINED, 0.0, letters)
    factory = _get_factory()
    detector = factory.create()
    detector.set_max_text_length(MAX_CHARS)
    detector.append(masked)
    try:
        probs = detector.get_probabilities()
    except Exception:  # langdetect raises LangDetectException when no feature is found
        return LangResult(UNDETERMINED, 0.0, letters)
    if not probs:
        return LangResult(UNDETERMINED, 0.0, letters)
    best = probs[0]
    prob = float(best.prob) * min(1.0, letters / CONFIDENT_LETTERS)
    return LangResult(_canonical(best.lang), prob, letters)


def _build_profiles() -> bytes:
    import numpy as np
    from langdetect.utils.ngram import NGram

    factory = _get_factory()
    grams = list(factory.word_lang_prob_map)
    probs = np.array(list(factory.word_lang_prob_map.values()), dtype=np.float64)
    # langdetect's own smoothing: alpha 0.5 over its base frequency 10,000.
    logp = np.log(probs + 0.5 / 10000).astype("<f4")
    # langdetect's per-character normalisation, as one translation table for the BMP
    changed = [(c, ord(NGram.normalize(chr(c)))) for c in range(0x10000)]
    changed = [(c, n) for c, n in changed if c != n]
    sections = pack_strings(grams)
    sections["logp"] = logp.tobytes()
    sections["from"] = array("I", [c for c, _ in changed]).tobytes()
    sections["to"] = array("I", [n for _, n in changed]).tobytes()
    keys, order = _pack_grams(grams)
    sections["gram_keys"], sections["gram_rows"] = keys.tobytes(), order.tobytes()
    return pack(sections, {"langs": [_canonical(code) for code in factory.langlist]})


def _pack_grams(grams: list[str]) -> tuple[Any, Any]:
    """The n-grams packed as :meth:`_Profiles._vectors` packs them (21 bits a code point), sorted,
    and the profile row of each."""
    import numpy as np

    keys = np.zeros(len(grams), dtype="<i8")
    for r, g in enumerate(grams):
        key = 0
        for ch in g:
            key = (key << 21) | ord(ch)
        keys[r] = key
    order = np.argsort(keys, kind="stable").astype("<i8")
    return keys[order], order


class _Profiles:
    """langdetect's n-gram profiles as one log-probability matrix, compiled once into the
    cache (:mod:`toolkit.text.tables`) and mapped."""

    def __init__(self) -> None:
        import numpy as np
        from langdetect.utils.ngram import NGram

        # the format tag names what the table holds: a new section needs a new table
        key = package_key("langdetect", "profiles", "utils/ngram.py")[1] + _PROFILE_FORMAT
        packed = load("langdetect", key, _build_profiles)
        self.langs: list[str] = packed.meta["langs"]
        self.index = StringTable(packed)
        self.logp = np.frombuffer(packed.sections["logp"], dtype="<f4").reshape(len(self.index), len(self.langs))
        self.table = dict(zip(packed.sections["from"].cast("I"), packed.sections["to"].cast("I"), strict=True))
        self.vi = NGram.normalize_vi
        self.zero = np.zeros(len(self.langs), dtype=np.float32)
        # word vectors, one row each, looked up by word: a gather instead of stacking arrays
        self.rows: dict[str, int] = {}
        self.lock = threading.Lock()
        # packed at build time: packing 90,000 n-grams in Python cost a third of a second a process
        self.gram_keys = np.frombuffer(packed.sections["gram_keys"], dtype="<i8")
        self.gram_rows = np.frombuffer(packed.sections["gram_rows"], dtype="<i8")
        self.matrix = np.zeros((4096, len(self.langs)), dtype=np.float32)

    def gather(self, sequence: list[str]) -> Any:
        """The vectors of ``sequence``, one row each (computed and kept when missing; words may repeat)."""
        import numpy as np

        # one lock around look-up and gather: another thread of a Dask worker may clear or
        # grow the matrix in between
        with self.lock:
            found = list(map(self.rows.get, sequence))
            if None in found:
                # the new words, in first-seen order: the rows they are given
                new = itertools.compress(sequence, map(operator.is_, found, itertools.repeat(None)))
                self._add(list(dict.fromkeys(new)), sequence)  # first: it may replace the matrix
                found = list(map(self.rows.__getitem__, sequence))
            return self.matrix[np.fromiter(found, dtype=np.intp, count=len(found))]

    def _add(self, missing: list[str], words: list[str]) -> None:
        """Rows for ``missing``, the words of ``words`` that have none (distinct, first-seen order)."""
        import numpy as np

        rows = self.rows
        if len(rows) + len(missing) > _WORD_CACHE:
            rows.clear()  # full: start again, then every word of this call is missing
            missing = list(dict.fromkeys(words))
        need = len(rows) + len(missing)
        if need > len(self.matrix):
            grown = np.zeros((max(need, min(2 * len(self.matrix), _WORD_CACHE)), len(self.langs)), np.float32)
            grown[: len(self.matrix)] = self.matrix
            self.matrix = grown
        start = len(rows)
        self.matrix[start : start + len(missing)] = self._vectors(missing)
        for r, w in enumerate(missing, start):
            rows[w] = r

    def _vectors(self, words: list[str]) -> Any:
        """Summed log-probabilities of each word's n-grams, one row a word.

        langdetect's NGram rules: the 1–3-grams ending at each character of `` word `` (the word
        padded with a space each side), the lone space left out and none ending inside an
        all-capital run, in that order. Built for all the words at once, as numpy arrays of code
        points packed 21 bits each and looked up in the profile's n-grams packed alike: a Python
        loop per character and a dictionary per n-gram cost 30 µs a new word, most of the
        warm-up of a run (tests/text/test_language.py keeps that loop as the definition).
        """
        import numpy as np

        out = np.zeros((len(words), len(self.langs)), dtype=np.float32)
        padded = "".join(" " + w + " " for w in words)
        cp = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)
        size = np.array([len(w) + 2 for w in words], dtype=np.int64)
        first = np.zeros(len(words), dtype=np.int64)
        np.cumsum(size[:-1], out=first[1:])
        owner = np.repeat(np.arange(len(words)), size)
        k = np.arange(len(cp)) - first[owner]  # position in the padded word
        uniq, inverse = np.unique(cp, return_inverse=True)
        upper = np.array([chr(c).isupper() for c in uniq.tolist()], dtype=bool)[inverse]
        prev_upper = np.zeros(len(cp), dtype=bool)
        prev_upper[1:] = upper[:-1]
        at = np.flatnonzero((k >= 1) & ~(upper & prev_upper))  # langdetect skips inside all-capital words
        c0 = cp[at]
        c1 = cp[at - 1]
        c2 = cp[np.maximum(at - 2, 0)]
        keys = np.stack([c0, (c1 << 21) | c0, (c2 << 42) | (c1 << 21) | c0], axis=1)
        valid = np.stack([c0 != 32, np.ones(len(at), dtype=bool), k[at] >= 2], axis=1)
        gram_keys, gram_rows = self.gram_keys, self.gram_rows
        flat_keys = keys[valid]  # row-major: by position, then 1-, 2-, 3-gram
        flat_owner = np.broadcast_to(owner[at][:, None], valid.shape)[valid]
        pos = np.minimum(np.searchsorted(gram_keys, flat_keys), len(gram_keys) - 1)
        hit = gram_keys[pos] == flat_keys
        _sum_rows(out, flat_owner[hit], self.logp, gram_rows[pos[hit]])
        return out


def _sum_rows(out: Any, owner: Any, table: Any, rows: Any) -> None:
    """``out[owner[i]] += table[rows[i]]`` in order: each output row the sum of its rows added one
    after another from zero (reduceat would pair them differently, and the floats would differ)."""
    import numpy as np

    if len(rows) < 4096:
        np.add.at(out, owner, table[rows])
        return
    # many rows: step j adds every output row's j-th input row at once (np.add.at, one row at a
    # time, costs three times more); output rows ordered by their count, longest first, so
    # those with a j-th row are a prefix
    counts = np.bincount(owner, minlength=len(out))
    order = np.argsort(-counts, kind="stable")
    starts = np.zeros(len(out) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    sorted_counts = counts[order]
    acc = np.zeros((len(out), out.shape[1]), dtype=out.dtype)
    by_owner = rows[np.argsort(owner, kind="stable")]
    for j in range(int(sorted_counts[0])):
        have = int(np.searchsorted(-sorted_counts, -j, side="left"))  # output rows with more than j
        acc[:have] += table[by_owner[starts[order[:have]] + j]]
    out[order] += acc


_profiles: _Profiles | None = None


def forget_words() -> None:
    """Empty the word-vector cache (measurements that must start cold)."""
    if _profiles is not None:
        with _profiles.lock:
            _profiles.rows.clear()


def _get_profiles() -> _Profiles:
    global _profiles
    if _profiles is None:
        with _lock:
            if _profiles is None:
                _profiles = _Profiles()
    return _profiles


@dataclass(slots=True)
class Evidence:
    """What exhaustive scoring found in a text; evidence of several texts adds up."""

    loglik: Any  # numpy vector over langdetect's languages, or None when no n-gram was found
    letters: int
    words: int

    def __add__(self, other: Evidence) -> Evidence:
        if self.loglik is None:
            ll = other.loglik
        elif other.loglik is None:
            ll = self.loglik
        else:
            ll = self.loglik + other.loglik
        return Evidence(ll, self.letters + other.letters, self.words + other.words)

    def converged(self) -> bool:
        """Whether more text could not change the decision: enough letters and words, and the
        best language's posterior above CONV_THRESHOLD."""
        return decide_many([self])[1][0]

    def decide(self) -> LangResult:
        return decide_many([self])[0][0]


def decide_many(evs: list[Evidence]) -> tuple[list[LangResult], list[bool]]:
    """:meth:`Evidence.decide` and :meth:`Evidence.converged` of each, in one pass of array
    operations (the same floats: each row's sum is the one a row alone gives)."""
    import numpy as np

    results = [LangResult(UNDETERMINED, 0.0, ev.letters) for ev in evs]
    converged = [False] * len(evs)
    live = [
        k for k, ev in enumerate(evs) if ev.loglik is not None and ev.letters >= MIN_LETTERS and ev.words >= MIN_WORDS
    ]
    if not live:
        return results, converged
    ll = np.stack([evs[k].loglik for k in live]).astype(np.float64)
    post = np.exp(ll - ll.max(axis=1, keepdims=True))
    total = post.sum(axis=1, keepdims=True)
    conv = (post.max(axis=1, keepdims=True) / total)[:, 0] > CONV_THRESHOLD
    post /= total
    best = post.argmax(axis=1)
    top = post[np.arange(len(live)), best].tolist()
    langs = _get_profiles().langs
    for k, b, p, c in zip(live, best.tolist(), top, conv.tolist(), strict=True):
        ev = evs[k]
        results[k] = LangResult(langs[b], p * min(1.0, ev.letters / CONFIDENT_LETTERS), ev.letters)
        converged[k] = c and ev.letters >= CONFIDENT_LETTERS
    return results, converged


def _masked(text: str, max_chars: int) -> tuple[str, int, int]:
    """``mask_names(text[: 2 * max_chars])`` as far as evidence reads it, with its letters and words.

    Counts at or above CONFIDENT_LETTERS letters and MIN_WORDS words are capped there: no
    decision tells them apart, also when evidence adds up. A text long enough is masked
    from a prefix: masking looks only back, so every token but the prefix's last comes out
    as in the whole, and when the tokens before it fill ``max_chars`` the n-grams are the
    same (masking a third of what was masked, where the other two thirds were never read).
    """
    head = max_chars + max_chars // 4
    if len(text) > head:
        masked = mask_names(text[:head])
        whole = masked.rfind(" ") >= max_chars and masked.count(" ") + 1 >= MIN_WORDS
        if whole and _letters(masked) >= CONFIDENT_LETTERS:
            return masked, CONFIDENT_LETTERS, MIN_WORDS
    masked = mask_names(text[: max_chars * 2])
    words = masked.count(" ") + 1 if masked else 0
    return masked, _letters(masked), min(words, MIN_WORDS)


def _letters(text: str) -> int:
    """Letters in ``text`` (str.isalpha is \\p{L}), counted up to CONFIDENT_LETTERS."""
    if text.isascii():  # the letters are what is left once every other byte is deleted, in C
        return min(len(text.encode("ascii").translate(None, _NOT_ASCII_LETTERS)), CONFIDENT_LETTERS)
    # most texts hold enough in their first few words: the rest need not be counted
    head = sum(map(str.isalpha, text[: 4 * CONFIDENT_LETTERS]))
    if head >= CONFIDENT_LETTERS or len(text) <= 4 * CONFIDENT_LETTERS:
        return min(head, CONFIDENT_LETTERS)
    return min(sum(map(str.isalpha, text)), CONFIDENT_LETTERS)


_NOT_ASCII_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())


def evidence(text: str, max_chars: int = MAX_CHARS) -> Evidence:
    """Exhaustive n-gram evidence for the first ``max_chars`` of ``text`` once names, digits and
    URLs are masked."""
    return evidence_many([(text, max_chars)])[0]


def evidence_many(texts: list[tuple[str, int]]) -> list[Evidence]:
    """:func:`evidence` of each (text, max_chars); the vectors of their new words computed in one call."""
    import numpy as np

    prof = _get_profiles()
    parts = []
    for text, max_chars in texts:
        masked, letters, words = _masked(text, max_chars)
        window = masked[:max_chars]
        # langdetect's Vietnamese rule joins a vowel and a combining mark: none in ASCII
        norm = (window if window.isascii() else prof.vi(window)).translate(prof.table)
        parts.append((Counter(norm.split()), letters, words))  # counted in C, keys in first-seen order
    counters = [counts for counts, _, _ in parts]
    sequence = list(itertools.chain.from_iterable(counters))
    if len(sequence) <= _WORD_CACHE // 2 or len(set(sequence)) <= _WORD_CACHE // 2:
        # every word of every text looked up in one pass of C loops and gathered at once (the
        # new ones computed together); each text's rows are then copied out, the same array
        # its own gather would give
        table = prof.gather(sequence)
        bounds = np.cumsum([0, *map(len, counters)]).tolist()
        gathered = [table[bounds[k] : bounds[k + 1]].copy() for k in range(len(counters))]
    else:  # more new words than the cache keeps together: one text at a time
        gathered = [prof.gather(list(c)) for c in counters]
    out = []
    for k, (counts, letters, words) in enumerate(parts):
        if not counts:
            out.append(Evidence(None, letters, words))
            continue
        out.append(Evidence(np.asarray(list(counts.values()), dtype=np.float32) @ gathered[k], letters, words))
    return out


def detect_fast(text: str) -> LangResult:
    """Like :func:`detect`, scoring every n-gram against langdetect's profiles instead of sampling.

    Exhaustive naive Bayes over the same model and the same n-grams: deterministic by
    construction and 5–20× faster, so it is the default.
    """
    return evidence(text).decide()


def declared_lang(record: Any) -> str | None:
    """The language a record declares in its ``lang`` or ``language`` field, lower-cased, or None."""
    if not isinstance(record, dict):
        return None
    for key in ("lang", "language"):
        v = record.get(key)
        if isinstance(v, str) and 2 <= len(v.strip()) <= 12:
            return v.strip().lower()
    return None


def language_code(declared: str) -> str:
    """A declared tag as this module's codes: the primary subtag (en-GB -> en), but zh-cn / zh-tw."""
    tag = declared.replace("_", "-")
    return tag if tag in ("zh-cn", "zh-tw") else tag.split("-")[0]


def _canonical(code: str) -> str:
    # langdetect says zh-cn / zh-tw; keep its codes but lower-case them.
    return code.lower()


def params() -> dict[str, Any]:
    return {
        "detector": f"langdetect-{version('langdetect')}",
        "seed": SEED,
        "mask": "names+digits+urls",
        "min_letters": MIN_LETTERS,
        "min_words": MIN_WORDS,
        "confident_letters": CONFIDENT_LETTERS,
        "max_chars": MAX_CHARS,
    }
