"""Language identification with langdetect, seeded, with names masked.

langdetect samples n-grams at random; a fixed seed on every detector makes results
identical run to run. Capitalised tokens that do not start a sentence (mostly names) and
digits are masked first, because names are language-neutral and mislead the detector;
what is left must hold enough letters, or the answer is ``und`` with probability 0.
"""

from __future__ import annotations

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
_WORD_CACHE = 100_000  # word vectors kept (55 float32 each: ~22 MB at most)

_SENT_END = set('.!?:;…"«»“”')

_lock = threading.RLock()
_factory: Any = None


@dataclass(frozen=True, slots=True)
class LangResult:
    lang: str
    prob: float
    letters: int  # letters that the decision rests on (after masking)

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
_NON_LETTER = regex.compile(r"[^\p{L}]+")


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
    pattern = _MASK if "@" in text or "://" in text or "www." in text else _MASK_PLAIN
    return " ".join(pattern.sub(_mask_one, text).split())


def _gate(text: str) -> tuple[str, int, bool]:
    """The masked text, its letter count, and whether that is enough to decide on."""
    masked = mask_names(text[: MAX_CHARS * 2])
    letters = len(_NON_LETTER.sub("", masked))
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
    return pack(sections, {"langs": [_canonical(code) for code in factory.langlist]})


class _Profiles:
    """langdetect's n-gram profiles as one log-probability matrix, compiled once into the
    cache (:mod:`toolkit.text.tables`) and mapped."""

    def __init__(self) -> None:
        import numpy as np
        from langdetect.utils.ngram import NGram

        packed = load("langdetect", package_key("langdetect", "profiles", "utils/ngram.py")[1], _build_profiles)
        self.langs: list[str] = packed.meta["langs"]
        self.index = StringTable(packed)
        self.logp = np.frombuffer(packed.sections["logp"], dtype="<f4").reshape(len(self.index), len(self.langs))
        self.table = dict(zip(packed.sections["from"].cast("I"), packed.sections["to"].cast("I"), strict=True))
        self.vi = NGram.normalize_vi
        self.zero = np.zeros(len(self.langs), dtype=np.float32)
        # word vectors, one row each, looked up by word: a gather instead of stacking arrays
        self.rows: dict[str, int] = {}
        self.grams: dict[str, int] = {}  # n-gram -> profile row (-1: none), as read from the table
        self.lock = threading.Lock()
        self.matrix = np.zeros((4096, len(self.langs)), dtype=np.float32)

    def word_vectors(self, words: list[str]) -> Any:
        """The vectors of ``words``, one row each (computed and kept when missing)."""
        # one lock around look-up and gather: another thread of a Dask worker may clear or
        # grow the matrix in between
        with self.lock:
            rows = self._word_rows(words)  # first: it may replace the matrix
            return self.matrix[rows]

    def _word_rows(self, words: list[str]) -> Any:
        import numpy as np

        rows = self.rows
        missing = [w for w in words if w not in rows]
        if missing:
            if len(rows) + len(missing) > _WORD_CACHE:
                rows.clear()  # full: start again, then every word of this call is missing
                missing = list(words)
            need = len(rows) + len(missing)
            if need > len(self.matrix):
                grown = np.zeros((max(need, min(2 * len(self.matrix), _WORD_CACHE)), len(self.langs)), np.float32)
                grown[: len(self.matrix)] = self.matrix
                self.matrix = grown
            start = len(rows)
            self.matrix[start : start + len(missing)] = self._vectors(missing)
            for r, w in enumerate(missing, start):
                rows[w] = r
        return np.fromiter((rows[w] for w in words), dtype=np.intp, count=len(words))

    def _gram_rows(self, word: str, out: list[int]) -> None:
        """Append the profile rows of a normalised word's 1–3-grams (langdetect's NGram rules)."""
        grams = self.grams
        padded = " " + word + " "
        for k in range(1, len(padded)):
            if padded[k].isupper() and padded[k - 1].isupper():
                continue  # langdetect skips n-grams inside all-capital words
            for n in (1, 2, 3):
                if k - n + 1 < 0:
                    break
                gram = padded[k - n + 1 : k + 1]
                if gram == " ":
                    continue
                i = grams.get(gram)
                if i is None:
                    i = grams[gram] = self.index.row(gram)  # grams repeat: the table is read once each
                if i >= 0:
                    out.append(i)

    def _vectors(self, words: list[str]) -> Any:
        """Summed log-probabilities of each word's n-grams, one row a word, in one gather."""
        import numpy as np

        flat: list[int] = []
        owner: list[int] = []
        for k, word in enumerate(words):
            before = len(flat)
            self._gram_rows(word, flat)
            owner += [k] * (len(flat) - before)
        out = np.zeros((len(words), len(self.langs)), dtype=np.float32)
        if flat:
            # add.at adds each word's rows one after another from zero: the same floats as a sum
            # over them (reduceat would pair them differently)
            np.add.at(out, owner, self.logp[flat])
        return out


_profiles: _Profiles | None = None


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

    def decide(self) -> LangResult:
        import numpy as np

        if self.loglik is None or self.letters < MIN_LETTERS or self.words < MIN_WORDS:
            return LangResult(UNDETERMINED, 0.0, self.letters)
        ll = np.asarray(self.loglik, dtype=np.float64)
        post = np.exp(ll - ll.max())
        post /= post.sum()
        best = int(post.argmax())
        prob = float(post[best]) * min(1.0, self.letters / CONFIDENT_LETTERS)
        return LangResult(_get_profiles().langs[best], prob, self.letters)


def evidence(text: str, max_chars: int = MAX_CHARS) -> Evidence:
    """Exhaustive n-gram evidence for the first ``max_chars`` of ``text`` once names, digits and
    URLs are masked."""
    import numpy as np

    masked = mask_names(text[: max_chars * 2])
    letters = len(_NON_LETTER.sub("", masked))
    words = masked.count(" ") + 1 if masked else 0
    prof = _get_profiles()
    norm = prof.vi(masked[:max_chars]).translate(prof.table)
    counts = Counter(norm.split())  # counted in C, keys in first-seen order as before
    if not counts:
        return Evidence(None, letters, words)
    vecs = prof.word_vectors(list(counts))
    ll = np.asarray(list(counts.values()), dtype=np.float32) @ vecs
    return Evidence(ll, letters, words)


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
