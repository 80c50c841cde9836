"""Words and marks of a pair: false friends and calques (``toolkit/data/false_friends/``),
an untranslated copy, quotation marks lost or added."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import regex

from toolkit.compare.words import Issue, fold
from toolkit.text.words import WORD


@lru_cache(maxsize=16)
def false_friends(pair: str) -> list[tuple[tuple[str, ...], frozenset[str], str, str]]:
    """(source stems, English forms, fix, severity) rows of ``toolkit/data/false_friends/PAIR.tsv``."""
    path = resources.files("toolkit.data").joinpath("false_friends", f"{pair}.tsv")
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        stems, forms, fix, severity = line.split("\t")
        rows.append((tuple(stems.split(",")), frozenset(forms.split(",")), fix, severity))
    return rows


@lru_cache(maxsize=16)
def _false_friend_index(pair: str) -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    out: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for stems, forms, fix, severity in false_friends(pair):
        for form in forms:
            out.setdefault(form, []).append((stems, fix, severity))
    return out


def _stem_match(word: str, stem: str) -> bool:
    return word == stem[:-1] if stem.endswith("$") else word.startswith(stem)


def check_false_friends(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Issue]:
    """An English word whose look-alike stands in the aligned source sentence, where the two are a
    known false friend (Actually / Actuellement): flagged with what English writes for it."""
    if src_lang == tgt_lang:
        return []
    index = _false_friend_index(f"{src_lang}-{tgt_lang}")
    if not index:
        return []
    src_words = [fold(m.group()) for m in WORD.finditer(src)]
    out: list[Issue] = []
    for m in WORD.finditer(tgt):
        rows = index.get(m.group().casefold())
        if not rows:
            continue
        for stems, fix, severity in rows:
            hit = next((w for w in src_words for st in stems if _stem_match(w, st)), None)
            if hit is not None:
                code = "compare.false_friend" if severity == "minor" else "compare.false_friend_major"
                out.append(("tgt", code, f"'{m.group()}' renders '{hit}', a false friend: English writes '{fix}'",
                            fix, m.start(), m.end()))  # fmt: skip
                break
    return out


def check_copy(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Issue]:
    """Across languages, a target that repeats the source is untranslated."""
    if src_lang == tgt_lang or len(tgt.split()) < 4:
        return []
    from sacrebleu.metrics.chrf import CHRF

    score = CHRF().sentence_score(tgt, [src]).score
    if score >= 75.0:
        return [("tgt", "compare.untranslated_copy", f"the target copies the source (chrF {score:.0f})", None, 0,
                 len(tgt))]  # fmt: skip
    return []


# every quotation mark, single ones included ('looking like muppets', ‘…’, ‚…‘); a straight single
# quote counts only at a word's edge, where it is no apostrophe
_QUOTE = regex.compile(r"[\"“”«»„‘‚‹›]|(?<![\p{L}\p{N}])'|'(?![\p{L}\p{N}])")


def check_quotes(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Issue]:
    qa, qb = len(_QUOTE.findall(src)), len(_QUOTE.findall(tgt))
    if qa and not qb:
        return [("src", "compare.quote_missing", "a quotation here has no quotation marks in the target", None, 0,
                 len(src))]  # fmt: skip
    if qb and not qa:
        return [("tgt", "compare.quote_added", "quotation marks here have none in the source", None, 0, len(tgt))]
    return []
