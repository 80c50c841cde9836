"""What the source sentence shows about its translation: a source form left in (Londres, Pekin),
a name misspelt a few edits from the source's (Merkell), a source word copied, a source name
or number dropped."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from toolkit.compare.names import (
    counterpart,
    edit_limit,
    name_runs,
    name_tables,
    names,
    table_forms,
    translated,
    unmatched_acronyms,
)
from toolkit.compare.words import ELISION, OPENERS, Issue, bare, fold
from toolkit.scorers.base import match_case
from toolkit.text.words import NOUN_CAPITALS, WORD, multilingual, zipf

NAME_RARE = 2.3  # a target spelling less frequent than this in the target lists is not an established one


@lru_cache(maxsize=16)
def _target_forms(pair: str) -> dict[str, str]:
    """Folded source-language form -> the target language's form, as written (Pékin -> Beijing,
    États-Unis -> United States), from the exonym and acronym tables. Sources of one word only:
    a word of a multi-word name has no counterpart of its own (Le Caire / Cairo).
    """
    out: dict[str, str] = {}
    for table_pair, src, tgt in table_forms():
        if table_pair == pair and " " not in src and fold(src) != fold(tgt):
            out.setdefault(fold(src), tgt)
    return out


def _nearest(word: str, candidates: list[str]) -> str | None:
    """The candidate a few edits from ``word`` (same first letter; not a declined, longer form of it:
    a source's Merkels is the English Merkel)."""
    from rapidfuzz.distance import OSA

    best: tuple[int, str] | None = None
    for c in candidates:
        if c[:1] != word[:1] or c.startswith(word):
            continue
        d = OSA.distance(word, c)
        if d <= edit_limit(word, c) and (best is None or (d, c) < best):
            best = (d, c)
    return None if best is None else best[1]


def check_source_forms(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Issue]:
    """Across languages: a source form left in the translation (Londres, Pekin for Pékin), and a
    name the translation spells a few edits away from the source (Merkell, Macorn)."""
    if src_lang == tgt_lang:
        return []

    forms = _target_forms(f"{src_lang}-{tgt_lang}")
    src_words = {bare(m.group()) for m in WORD.finditer(src)}
    src_names: dict[str, str] = {}
    for name, _, _ in names(src, src_lang):
        src_names.setdefault(bare(name), name)
    candidates = sorted(src_names)
    tgt_words = {bare(m.group()) for m in WORD.finditer(tgt)}
    out: list[Issue] = []
    for name, s, e in names(tgt, tgt_lang):
        f = bare(name)
        target = forms.get(f)
        if target is not None and f in src_words and not _present(tgt_words, target):
            fix = match_case(name, target)
            out.append(("tgt", "compare.untranslated", f"'{name}' is the {src_lang} form; {tgt_lang} writes '{fix}'",
                        fix, s, e))  # fmt: skip
            continue
        if f in src_words:
            continue
        if zipf(f, tgt_lang) >= NAME_RARE or len(f) < 4:
            continue
        near = _nearest(f, candidates)
        if near is None or near in forms:
            continue  # the source's form has a target form of its own (Moscou / Moscow)
        right = src_names[near]
        if zipf(fold(right), tgt_lang) < zipf(f, tgt_lang):
            continue
        out.append(("tgt", "compare.name_misspelling",
                    f"'{name}' is spelt '{right}' in the source: a misspelt name", right, s, e))  # fmt: skip
    flagged = {(s, e) for _, _, _, _, s, e in out}
    copied = _copied_words(src_words, tgt, src_lang, tgt_lang, forms)
    return out + [x for x in copied if (x[4], x[5]) not in flagged]


SOURCE_GAP = 1.5  # Zipf points a copied word is more frequent in the source language than in the target


def _copied_words(src_words: set[str], tgt: str, src_lang: str, tgt_lang: str, forms: dict[str, str]) -> list[Issue]:
    """A source-language word carried into the translation as it is (the Sénat, the Red Croix,
    Groupe G): written in the aligned source sentence, and a word of the source language rather
    than of the target's (word frequencies). Names the two languages share are spared: a name
    is about as frequent in every language's lists (Merkel), and a copied run of capitalised
    words with a source article (Le Monde) is a title. ``src_words``: the source sentence's words, bare."""
    out: list[Issue] = []
    toks = list(WORD.finditer(tgt))
    for k, m in enumerate(toks):
        w = m.group()
        f = bare(w)
        if len(f) < 4 or f not in src_words or f in forms:
            continue
        low = ELISION.sub("", w).casefold().replace("’", "'")  # the word lists keep accents: sénat
        zs, zt = zipf(low, src_lang), max(zipf(low, tgt_lang), zipf(f, tgt_lang))
        if zs - zt < SOURCE_GAP or zt >= 3.0 or multilingual(low, src_lang):
            continue
        prev = toks[k - 1].group() if k else ""
        if w[0].isupper() and prev[:1].isupper() and zipf(prev.casefold(), src_lang) >= 6.0:
            continue  # Le Monde, La Stampa: a title with its article
        out.append(("tgt", "compare.untranslated",
                    f"'{w}' is copied from the {src_lang} source: {tgt_lang} has its own word for it",
                    None, m.start(), m.end()))  # fmt: skip
    return out


def document_names(src_text: str, tgt_text: str, src_lang: str, tgt_lang: str) -> frozenset[str]:
    """Folded source names the whole translation writes at least as often as the whole source:
    missing from one sentence, such a name was moved (a rewrite, a merged sentence), not dropped."""
    forms = _target_forms(f"{src_lang}-{tgt_lang}")
    src_counts = Counter(bare(n) for n, _, _ in names(src_text, src_lang))
    tgt_counts = Counter(bare(m.group()) for m in WORD.finditer(tgt_text))
    return frozenset(f for f, n in src_counts.items() if tgt_counts[f] + tgt_counts[fold(forms.get(f, ""))] >= n)


def _present(words: set[str], form: str) -> bool:
    """A target-language form (one word or several: United States) written in ``words``, as a word
    or the start of one (Korea in Korean), or its initials (US)."""
    parts = [fold(w) for w in form.replace("-", " ").split()]
    if all(p in words for p in parts) or (len(parts) > 1 and "".join(p[0] for p in parts) in words):
        return True
    # one word, or the distinctive first word of several (the Falklands for the Falkland Islands)
    head = parts[0] if parts else ""
    if len(parts) > 1 and zipf(head, "en") >= 4.5:
        return False  # United, New, South: not the name on their own
    return len(head) >= 4 and any(w.startswith(head) for w in words)


def check_dropped_names(
    src: str, tgt: str, src_lang: str, tgt_lang: str, moved: frozenset[str] = frozenset()
) -> list[Issue]:
    """Across languages: a name of the source sentence with no counterpart in its translation
    (a name the translation dropped), unless the translation has it elsewhere (``moved``:
    :func:`document_names`). A name of several words is there when one of them is (Ford for
    Christine Blasey Ford, Kim for Kim Jong-un) or its initials are (NY). Reported on the
    translation's sentence."""
    if src_lang == tgt_lang:
        return []
    forms = _target_forms(f"{src_lang}-{tgt_lang}")
    tables = name_tables().get(f"{src_lang}-{tgt_lang}", {})
    tgt_set = {bare(m.group()) for m in WORD.finditer(tgt)}
    tgt_set |= {p for w in list(tgt_set) if "-" in w for p in w.split("-")}  # Netherlands-based
    tgt_counts = Counter(bare(m.group()) for m in WORD.finditer(tgt))
    kept = []
    for name, s, e in names(src, src_lang):
        f = bare(name)
        before = src[:s].rstrip()
        initial = not before or before[-1] in OPENERS + "—–-"  # dialogue dashes too
        low = name.casefold()  # the word lists keep accents (êtes, états)
        z = zipf(low, src_lang) or zipf(low.split("-")[0], src_lang)  # Peut-être, Celle-ci: by their first part
        if (initial or src_lang in NOUN_CAPITALS) and z >= 2.0 and not multilingual(f, src_lang):
            # a word capitalised because it opens the sentence (Comparez), or a noun of a language
            # that capitalises nouns (Milliarden), not a name
            continue
        kept.append((name, s, e))
    src_counts = Counter(bare(n) for n, _, _ in kept)
    tgt_acronyms = unmatched_acronyms(tgt, src, tgt_lang)

    def there(name: str) -> bool:
        f = bare(name)
        if f in moved or len(f) < 2 or (tgt_acronyms and name.isupper()):
            return True
        if f in tgt_set:
            # as often as in the source (a repeated name dropped once: Baba Kanjar, Bhutha Kanjar)
            return tgt_counts[f] >= src_counts[f] or len(f) < 4
        target = forms.get(f)
        if (target and _present(tgt_set, target)) or (tables.get(f) or "") in tgt_set:
            return True  # written the target language's way (Londres / London, États-Unis / US)
        return counterpart(name, tgt_set, tables) is not None

    out: list[Issue] = []
    done: set[str] = set()
    for run in name_runs(src, kept):
        words = [n for n, _, _ in run]
        whole = " ".join(words)
        if whole in done or any(there(n) for n in words):
            continue
        if len(run) > 1 and "".join(bare(n)[0] for n in words) in tgt_set:
            continue  # New York / NY
        if len(run) == 1 and translated(words[0], tgt, tgt_lang):
            continue  # a name made of words, translated
        done.add(whole)
        out.append(("tgt", "compare.name_missing",
                    f"'{whole}' of the source is missing from the translation", None, 0, len(tgt)))  # fmt: skip
    return out
