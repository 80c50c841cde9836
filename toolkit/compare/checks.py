"""Bilingual checks on aligned sentence pairs, in the style of translator QA tools
(Xbench, pofilter's ideas; no code of theirs): numbers, names, untranslated copies,
omissions and additions, quotations. Each returns ``(side, code, message, fix, start, end)``
tuples with offsets inside the sentence of that side."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import regex

from toolkit.align.evidence import fold as _fold
from toolkit.scorers.base import WORD
from toolkit.scorers.lexicon import zipf
from toolkit.text.numbers import find_numbers, number_words

Issue = tuple[str, str, str, str | None, int, int]  # side, code, message, fix, start, end
VOCAB_MIN = 4.5  # a capitalised word this frequent, and only in its own language, is vocabulary
INITIAL_MIN = 4.5  # a sentence's first word this frequent is capitalised by position only
TRANSLATED_MIN = 0.5  # cosine of a capitalised word to a word of the other side that translates it
_ELISION = regex.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", regex.IGNORECASE)
_OPENERS = ".!?:\"“«‘'\n"  # a word after one of these opens a sentence or a quotation
_MILITARY = regex.compile(r"^([01]\d|2[0-3])([0-5]\d)$")
_CLOCK_AFTER = regex.compile(r"\s*(?:GMT|UTC|hrs|hours|h\b|Uhr|heures)", regex.IGNORECASE)


def fold(word: str) -> str:
    """Lower case without accents (the aligner's folding), curly apostrophes straightened."""
    return _fold(word).replace("’", "'")


# numbers -------------------------------------------------------------------------------


def number_keys(text: str, lang: str) -> list[tuple[str, int, int]]:
    """(key, start, end) of the numbers of a sentence in a language-independent form."""
    out = []
    for n in find_numbers(text, lang):
        key = n.key
        m = _MILITARY.match(n.text)
        if m and _CLOCK_AFTER.match(text, n.end):
            key = f"t:{int(m.group(1)):02d}:{m.group(2)}"  # "1200 GMT" is the time 12:00
        out.append((key, n.start, n.end))
    return out


def _value(key: str) -> str:
    v = key.split(":", 1)[1]
    # a year and its decade's two digits ("the 1970s" / "les années 70") count as one number
    return v[2:] if len(v) == 4 and v[:2] in ("19", "20") and v.isdigit() else v


_TIME_WORDS = {"noon": "12:00", "midday": "12:00", "midnight": "00:00", "midi": "12:00", "minuit": "00:00",
               "mediodía": "12:00", "medianoche": "00:00", "mittag": "12:00", "mitternacht": "00:00",
               "mezzogiorno": "12:00", "mezzanotte": "00:00", "meio-dia": "12:00", "meia-noite": "00:00"}  # fmt: skip


def _values(key: str) -> tuple[str, ...]:
    """The values a number may be matched by: a whole hour is also its count of hours (7 heures /
    7 hours) and its twelve-hour reading (19:00 / 7 pm)."""
    v = _value(key)
    if key.startswith("t:") and v.endswith(":00"):
        hour = int(v[:2])
        return (v, str(hour), str(hour % 12 or 12))
    return (v,)


def _spelled(text: str, lang: str, digits: Sequence[tuple[str, int, int]] = ()) -> list[tuple[str, int, int]]:
    """Numbers written as words ("trois", "seven") and times of day (noon, midi). One is left out:
    un/une/um/uma/ein are articles far more often than numbers. Words inside a number written
    in digits ("11,2 mil milhões") are part of it."""
    words = number_words(lang)
    out = []
    for m in WORD.finditer(text):
        w = m.group().casefold()
        if any(s <= m.start() < e for _, s, e in digits):
            continue
        if w in _TIME_WORDS:
            out.append((f"t:{_TIME_WORDS[w]}", m.start(), m.end()))
        elif (v := words.get(w)) and v != 1:
            out.append((f"n:{v}", m.start(), m.end()))
    return out


_CODE = regex.compile(r"(?<![\w-])(?=[\w-]*\p{L})(?=[\w-]*\d)[\w-]+(?![\w-])")
_DIGITS = regex.compile(r"\d+")


def _model_numbers(src: str, tgt: str) -> list[Issue]:
    """Digits inside a name (iPhone6 / iPhone7, A320 / A330, G7 / G20): the same name with other digits."""
    if not any(c.isdigit() for c in tgt):
        return []
    src_codes = {m.group().casefold() for m in _CODE.finditer(src)}
    by_letters: dict[str, set[str]] = {}
    for c in src_codes:
        by_letters.setdefault(_DIGITS.sub("#", c), set()).add(c)
    out: list[Issue] = []
    for m in _CODE.finditer(tgt):
        c = m.group().casefold()
        same = by_letters.get(_DIGITS.sub("#", c))
        if same and c not in same:
            out.append(("tgt", "compare.number_mismatch", f"'{m.group()}' is '{sorted(same)[0]}' in the source",
                        None, m.start(), m.end()))  # fmt: skip
    return out


# a measure and its value in metric units (what a translation into a metric language converts)
_UNIT = regex.compile(
    r"\s?(?:-\s?)?(?P<u>km/h|kph|mph|miles?|kilom[eè]t(?:er|re)s?|km|inch(?:es)?|cm|centim[eè]t(?:er|re)s?|mm|"
    r"feet|foot|ft|m[eè]t(?:er|re)s?|m|pounds?|lbs?|kilo(?:gram(?:me)?)?s?|kg|yards?|acres?|hectares?|ha|"
    r"gallons?|lit(?:er|re)s?|l|°\s?F|°\s?C|degrees?\s+Fahrenheit|degr[ée]s?(?:\s+Celsius)?)(?![\p{L}])",
    regex.IGNORECASE,
)
_RANGE = regex.compile(r"\s*(?:to|-|–|à|a|and|et|bis|y|e|or|ou)\s*\d[\d.,]*")
_METRIC = {
    "mph": ("km/h", 1.609344), "mile": ("km", 1.609344), "miles": ("km", 1.609344), "inch": ("cm", 2.54),
    "inches": ("cm", 2.54), "feet": ("m", 0.3048), "foot": ("m", 0.3048), "ft": ("m", 0.3048),
    "pound": ("kg", 0.45359), "pounds": ("kg", 0.45359), "lb": ("kg", 0.45359), "lbs": ("kg", 0.45359),
    "yard": ("m", 0.9144), "yards": ("m", 0.9144), "acre": ("ha", 0.40469), "acres": ("ha", 0.40469),
    "gallon": ("l", 3.78541), "gallons": ("l", 3.78541),
}  # fmt: skip


def _measure(text: str, end: int, value: float) -> tuple[str, float] | None:
    """The metric unit and value of the number ending at ``end``, when a unit follows it (or follows
    the second number of a range: 2 to 4 inches)."""
    r = _RANGE.match(text, end)
    m = _UNIT.match(text, end) or (_UNIT.match(text, r.end()) if r else None)
    if m is None:
        return None
    u = m.group("u").casefold().replace(" ", "")
    if u in _METRIC:
        unit, factor = _METRIC[u]
        return unit, value * factor
    if "f" in u and ("°" in u or "fahrenheit" in u):
        return "c", (value - 32) * 5 / 9
    for unit, prefixes in (("km/h", ("km/h", "kph")), ("km", ("km", "kilom")), ("cm", ("cm", "centim")),
                           ("kg", ("kg", "kilo")), ("ha", ("ha", "hectare")), ("l", ("l", "lit")),
                           ("c", ("°c", "degr")), ("m", ("m",))):  # fmt: skip
        if u.startswith(prefixes):
            return unit, value / 10 if u == "mm" else value
    return None


def _pair_conversions(unmatched: dict[str, list[tuple[str, int, int, bool]]], src: str, tgt: str) -> None:
    """Drop, from ``unmatched``, the pairs that are one measure in two systems (40 miles / 64 km,
    6 inches / 15 cm): a translator converts, and rounds, for readers of the other system."""
    sides: dict[str, list[tuple[tuple[str, int, int, bool], tuple[str, float]]]] = {}
    for side, text in (("src", src), ("tgt", tgt)):
        sides[side] = []
        for key, s, e, is_word in unmatched[side]:
            try:
                value = float(key.split(":", 1)[1])
            except ValueError:
                continue
            m = _measure(text, e, value)
            if m is not None:
                sides[side].append(((key, s, e, is_word), m))
    gone: set[tuple[str, tuple[str, int, int, bool]]] = set()
    for a, (ua, va) in sides["src"]:
        for b, (ub, vb) in sides["tgt"]:
            if ua == ub and ("tgt", b) not in gone and abs(va - vb) <= max(0.08 * max(abs(va), abs(vb)), 1.0):
                gone |= {("src", a), ("tgt", b)}
                break
    for side in ("src", "tgt"):
        unmatched[side] = [x for x in unmatched[side] if (side, x) not in gone]


def check_numbers(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Issue]:
    digits = {"src": number_keys(src, src_lang), "tgt": number_keys(tgt, tgt_lang)}
    spelled = {"src": _spelled(src, src_lang, digits["src"]), "tgt": _spelled(tgt, tgt_lang, digits["tgt"])}
    values = {k: Counter(v for x, _, _ in digits[k] + spelled[k] for v in _values(x)) for k in digits}
    keys = {k: Counter(x for x, _, _ in digits[k] + spelled[k]) for k in digits}
    unmatched: dict[str, list[tuple[str, int, int, bool]]] = {"src": [], "tgt": []}
    for side, other in (("src", "tgt"), ("tgt", "src")):
        seen: Counter[str] = Counter()
        for items, is_word in ((digits[side], False), (spelled[side], True)):
            for key, s, e in items:
                seen[key] += 1
                if seen[key] > keys[other][key] and all(seen[key] > values[other][v] for v in _values(key)):
                    unmatched[side].append((key, s, e, is_word))
    _pair_conversions(unmatched, src, tgt)
    out: list[Issue] = _model_numbers(src, tgt)
    for side, other, name in (("tgt", "src", "source"), ("src", "tgt", "target")):
        text = tgt if side == "tgt" else src
        for _, s, e, is_word in unmatched[side]:
            # a number in words is flagged only against a different number on the other side
            # ("sept" / "six"); alone it is an idiom as often as a figure ("trois fois rien")
            if is_word and not unmatched[other]:
                continue
            out.append((side, "compare.number_mismatch", f"'{text[s:e]}' has no counterpart in the {name}", None, s, e))
    return out


# names ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _name_tables() -> dict[str, dict[str, str]]:
    """source form -> English form, per pair: exonyms and organisation acronyms."""
    out: dict[str, dict[str, str]] = {}
    for pair, src, en in _table_forms():
        t = out.setdefault(pair, {})
        if len(src.split()) != len(en.split()):
            continue  # word by word only where the words pair up (not Malouines / Falkland Islands)
        for a, b in zip(src.split(), en.split(), strict=True):
            t.setdefault(fold(a), fold(b))
    return out


@lru_cache(maxsize=1)
def _table_forms() -> tuple[tuple[str, str, str], ...]:
    """(pair, source form, target form) of the exonym and organisation-acronym tables, as written."""
    data = resources.files("toolkit.data")
    out = []
    for file in ("exonyms.json", "cldr_places.json", "org_acronyms.json"):
        for pair, v in json.loads(data.joinpath(file).read_text(encoding="utf-8")).items():
            if pair.startswith("_"):
                continue
            forms = v.items() if all(isinstance(x, str) for x in v.values()) else [
                kv for kind in v.values() for kv in kind.items()
            ]  # fmt: skip
            out += [(pair, src, tgt) for src, tgt in forms]
    return tuple(out)


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    text = resources.files("toolkit.data").joinpath("titles.txt").read_text(encoding="utf-8")
    return frozenset(w.casefold() for line in text.splitlines() if not line.startswith("#") for w in line.split())


def _vocabulary(word: str, lang: str) -> bool:
    """A capitalised word that is ordinary vocabulary (Monday, Governor, the Black Death), not a name.

    Names are about as frequent in every language's lists (Merkel, Obama); a word is
    clearly more frequent in its own language than elsewhere, even when others borrow it.
    """
    w = word.casefold()
    if w in _titles():
        return True
    z = zipf(w, lang)
    if z < VOCAB_MIN:
        return False
    others = [zipf(w, x) for x in ("en", "fr", "de", "es", "it", "pt", "nl") if x != lang]
    return sum(1 for o in others if o >= z - 1.0) < 3


def names(text: str, lang: str) -> list[tuple[str, int, int]]:
    """Capitalised tokens (elisions stripped) that are not ordinary vocabulary, nor a Roman numeral
    read as a number (XIVe siècle)."""
    return list(_names(text, lang))


@lru_cache(maxsize=4096)
def _names(text: str, lang: str) -> tuple[tuple[str, int, int], ...]:
    # every check of a sentence pair asks for the same sentence's names: found once
    out = []
    romans = [(n.start, n.end) for n in find_numbers(text, lang) if n.text[:1] in "IVXLC"]
    for m in WORD.finditer(text):
        w, s = m.group(), m.start()
        if romans and any(a <= s < b for a, b in romans):
            continue
        before = text[: m.start()].rstrip()
        z = zipf(w.casefold(), lang)
        opens = not before or before[-1] in _OPENERS
        if opens and (z >= INITIAL_MIN or (z >= 2.0 and not _multilingual(w.casefold(), lang))):
            continue  # a word capitalised because it opens the sentence (Voters, Historically, Comparez)
        if lang in NOUN_CAPITALS and not _multilingual(w.casefold(), lang):
            continue  # German capitalises every noun: a name is one that other languages' lists know too
        el = _ELISION.match(w)
        if el:
            w, s = w[el.end() :], s + el.end()
        if len(w) > 3 and w[-2] in "'’" and w[-1] in "sS":
            w = w[:-2]  # Syria's -> Syria
        if "-" in w and _compound_word(w, lang):
            continue
        if len(w) >= 2 and w[0].isupper() and not _vocabulary(w, lang):
            out.append((w, s, s + len(w)))
    return tuple(out)


_CLITICS = frozenset(
    "vous nous moi toi le la les lui leur leurs y en il elle ils elles on je tu ci là uns unes même".split()  # noqa: SIM905
)


def _compound_word(word: str, lang: str) -> bool:
    """A hyphenated token made of ordinary words: a verb with its pronoun (Êtes-vous, Allez-y),
    Peut-être, or an English compound that opens with a word (Year-on-year, Thirty-two, War-era)."""
    parts = word.casefold().split("-")
    if parts[-1] in _CLITICS and lang in ("fr", "und"):
        return True
    return zipf(parts[0], lang) >= 4.0 and not _multilingual(parts[0], lang)


def _counterpart(name: str, words: set[str], table: dict[str, str]) -> str | None:
    """The word of the other side this name corresponds to, if any."""
    f = fold(name)
    if f in words:
        return f
    mapped = table.get(f)
    if mapped and mapped in words:
        return mapped
    for k in (f[:n] for n in range(len(f) - 1, 3, -1)):
        # a derived form of a listed name (Korean from Korea, whose French is Corée)
        if (mapped := table.get(k)) and any(w.startswith(mapped[:4]) for w in words):
            return mapped
    if name.isupper() and len(name) >= 3:
        # an organisation's acronym in another language often has its letters in another order,
        # the adjective after the noun (OMI / IMO, OTAN / NATO)
        letters = sorted(f)
        for w in sorted(words):
            if len(w) == len(f) and sorted(w) == letters:
                return w
    from rapidfuzz.distance import OSA, Indel

    for w in sorted(words):  # in order: a set's order changes with the process's hash seed
        if len(f) >= 4 and len(w) >= 4 and w[:4] == f[:4]:
            return w
        if w[:1] == f[:1] and (
            OSA.distance(f, w) <= (1 if len(f) < 6 else 2) or Indel.normalized_similarity(f, w) >= 0.7
        ):
            return w
        if len(f) >= 5 and w[:3] == f[:3] and abs(len(w) - len(f)) <= 3:
            return w  # a cognate with another ending (Christian / chrétiens)
    return None


def _translated(name: str, other: str, other_lang: str) -> bool:
    """The other side has a word whose multilingual embedding is close to this one's.

    Only the other side's ordinary words are candidates (lower case, or any word where every
    noun is capitalised): two different names embed close to each other (Philippines /
    Singapour 0.56), a name and the word that translates it as well (Tories / conservateurs 0.51).
    """
    from toolkit.align.embed import default_embedder, supports

    emb = default_embedder()
    if not supports(emb, other_lang) or zipf(name.casefold(), "en") < 3.0:
        return False  # rare words are names: nothing to translate them by
    lower_only = other_lang not in NOUN_CAPITALS
    cands = sorted(
        {w for m in WORD.finditer(other) if len(w := m.group()) >= 3 and not (lower_only and w[0].isupper())}
    )
    if not cands:
        return False
    vecs = emb.encode([name.casefold(), *[c.casefold() for c in cands]])
    return float((vecs[1:] @ vecs[0]).max()) >= TRANSLATED_MIN


def is_variant(a: str, b: str) -> bool:
    """Two spellings of one name (Idleb / Idlib, Dmitri / Dmitry), not two forms of a word (Turkey / Turkish)."""
    from rapidfuzz.distance import OSA

    if a == b or a.startswith(b) or b.startswith(a):
        return False
    return OSA.distance(a, b) <= _edit_limit(a, b)


def _bare(word: str) -> str:
    w = fold(_ELISION.sub("", word))
    return w[:-2] if len(w) > 3 and w.endswith("'s") else w


def _unmatched_acronyms(text: str, other: str, lang: str) -> list[str]:
    """Acronyms of ``text`` that ``other`` does not carry: organisations translate theirs."""
    words = {_bare(m.group()) for m in WORD.finditer(other)}
    return [n for n, _, _ in names(text, lang) if n.isupper() and len(n) >= 2 and fold(n) not in words]


def _unexplained_runs(
    text: str, found: list[tuple[str, int, int]], words: set[str], table: dict[str, str], lang: str
) -> list[tuple[str, int, int]]:
    """The names of runs the other side does not account for: a run with one word matched there is
    the same name (Arnold Schwarzenegger / Schwarzenegger), and a run of ordinary words is a name
    made of words, translated (Academy Awards, National Weather Service)."""
    out = []
    for run in name_runs(text, found):
        if len(run) > 1 and any(_counterpart(n, words, table) is not None for n, _, _ in run):
            continue
        if len(run) > 1 and all(zipf(n.casefold(), lang) >= 3.0 for n, _, _ in run):
            continue
        out += run
    return out


def check_names(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Issue]:
    pair = f"{src_lang}-{tgt_lang}"
    back = f"{tgt_lang}-{src_lang}"
    tables = _name_tables()
    to_tgt = tables.get(pair, {})
    to_src = {v: k for k, v in to_tgt.items()} | tables.get(back, {})
    src_words = {_bare(m.group()) for m in WORD.finditer(src)}
    tgt_words = {_bare(m.group()) for m in WORD.finditer(tgt)}
    out: list[Issue] = []
    sides = [("tgt", names(tgt, tgt_lang), src_words, to_src, "source")]
    if src_lang == tgt_lang:
        # across languages the source's names are often rendered by words (la Grande Albanie:
        # Greater Albania), so only the translation's names are checked against the source
        sides.append(("src", names(src, src_lang), tgt_words, to_tgt, "target"))
    text_of = {"src": src, "tgt": tgt}
    for side, found, words, table, other in sides:
        other_text = src if side == "tgt" else tgt
        other_lang = src_lang if side == "tgt" else tgt_lang
        acronyms = src_lang != tgt_lang and _unmatched_acronyms(other_text, text_of[side], other_lang)
        if src_lang != tgt_lang:
            found = _unexplained_runs(text_of[side], found, words, table, tgt_lang if side == "tgt" else src_lang)
        for name, s, e in found:
            match = _counterpart(name, words, table)
            if match is None and src_lang != tgt_lang and _translated(name, other_text, other_lang):
                continue  # a name made of words, translated (the Temple of the Sun / le temple du soleil)
            if match is None and acronyms and name.isupper():
                continue  # an acronym beside the other side's own acronym: translated (CPF / FWC)
            if match is None:
                out.append((side, "compare.name_mismatch", f"'{name}' has no counterpart in the {other}", None, s, e))
            elif src_lang == tgt_lang and is_variant(_bare(name), match) and table.get(fold(name)) != match:
                out.append((side, "compare.name_variant",
                            f"'{name}' is spelled differently in the {other} ('{match}'): a variant, same name",
                            None, s, e))  # fmt: skip
    return out


# source-anchored checks ------------------------------------------------------------------
# With the source sentence beside its translation, a name spelt differently, a source form
# left in and a name the translation dropped are facts, not guesses from word lists.

NAME_RARE = 2.3  # a target spelling less frequent than this in the target lists is not an established one


@lru_cache(maxsize=16)
def _target_forms(pair: str) -> dict[str, str]:
    """Folded source-language form -> the target language's form, as written (Pékin -> Beijing,
    États-Unis -> United States), from the exonym and acronym tables. Sources of one word only:
    a word of a multi-word name has no counterpart of its own (Le Caire / Cairo).
    """
    out: dict[str, str] = {}
    for table_pair, src, tgt in _table_forms():
        if table_pair == pair and " " not in src and fold(src) != fold(tgt):
            out.setdefault(fold(src), tgt)
    return out


def _edit_limit(a: str, b: str) -> int:
    return 1 if min(len(a), len(b)) < 6 else 2


def _nearest(word: str, candidates: list[str]) -> str | None:
    """The candidate a few edits from ``word`` (same first letter; not a declined, longer form of it:
    a source's Merkels is the English Merkel)."""
    from rapidfuzz.distance import OSA

    best: tuple[int, str] | None = None
    for c in candidates:
        if c[:1] != word[:1] or c.startswith(word):
            continue
        d = OSA.distance(word, c)
        if d <= _edit_limit(word, c) and (best is None or (d, c) < best):
            best = (d, c)
    return None if best is None else best[1]


def check_source_forms(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Issue]:
    """Across languages: a source form left in the translation (Londres, Pekin for Pékin), and a
    name the translation spells a few edits away from the source (Merkell, Macorn)."""
    if src_lang == tgt_lang:
        return []
    from toolkit.scorers.base import match_case

    forms = _target_forms(f"{src_lang}-{tgt_lang}")
    src_words = {_bare(m.group()) for m in WORD.finditer(src)}
    src_names: dict[str, str] = {}
    for name, _, _ in names(src, src_lang):
        src_names.setdefault(_bare(name), name)
    candidates = sorted(src_names)
    tgt_words = {_bare(m.group()) for m in WORD.finditer(tgt)}
    out: list[Issue] = []
    for name, s, e in names(tgt, tgt_lang):
        f = _bare(name)
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
        f = _bare(w)
        if len(f) < 4 or f not in src_words or f in forms:
            continue
        low = _ELISION.sub("", w).casefold().replace("’", "'")  # the word lists keep accents: sénat
        zs, zt = zipf(low, src_lang), max(zipf(low, tgt_lang), zipf(f, tgt_lang))
        if zs - zt < SOURCE_GAP or zt >= 3.0 or _multilingual(low, src_lang):
            continue
        prev = toks[k - 1].group() if k else ""
        if w[0].isupper() and prev[:1].isupper() and zipf(prev.casefold(), src_lang) >= 6.0:
            continue  # Le Monde, La Stampa: a title with its article
        out.append(("tgt", "compare.untranslated",
                    f"'{w}' is copied from the {src_lang} source: {tgt_lang} has its own word for it",
                    None, m.start(), m.end()))  # fmt: skip
    return out


def _multilingual(word: str, lang: str) -> bool:
    """Listed about as often in most other languages as in ``lang``: a name (Merkel, Charlie),
    not a word of ``lang``'s vocabulary (Regierung, Comparez)."""
    z = zipf(word, lang)
    others = [zipf(word, x) for x in ("en", "fr", "de", "es", "it", "pt", "nl") if x != lang]
    return sum(1 for o in others if o >= z - 1.5) >= 3


NOUN_CAPITALS = frozenset({"de", "lb"})  # languages that capitalise every noun


def document_names(src_text: str, tgt_text: str, src_lang: str, tgt_lang: str) -> frozenset[str]:
    """Folded source names the whole translation writes at least as often as the whole source:
    missing from one sentence, such a name was moved (a rewrite, a merged sentence), not dropped."""
    forms = _target_forms(f"{src_lang}-{tgt_lang}")
    src_counts = Counter(_bare(n) for n, _, _ in names(src_text, src_lang))
    tgt_counts = Counter(_bare(m.group()) for m in WORD.finditer(tgt_text))
    return frozenset(f for f, n in src_counts.items() if tgt_counts[f] + tgt_counts[fold(forms.get(f, ""))] >= n)


def name_runs(text: str, found: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """Names that stand next to each other, as one name (Christine Blasey Ford, Kim Jong-un)."""
    runs: list[list[tuple[str, int, int]]] = []
    for item in found:
        if runs and text[runs[-1][-1][2] : item[1]] in (" ", "-", "\u00a0"):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


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
    tables = _name_tables().get(f"{src_lang}-{tgt_lang}", {})
    tgt_set = {_bare(m.group()) for m in WORD.finditer(tgt)}
    tgt_set |= {p for w in list(tgt_set) if "-" in w for p in w.split("-")}  # Netherlands-based
    tgt_counts = Counter(_bare(m.group()) for m in WORD.finditer(tgt))
    kept = []
    for name, s, e in names(src, src_lang):
        f = _bare(name)
        before = src[:s].rstrip()
        initial = not before or before[-1] in _OPENERS + "—–-"  # dialogue dashes too
        low = name.casefold()  # the word lists keep accents (êtes, états)
        z = zipf(low, src_lang) or zipf(low.split("-")[0], src_lang)  # Peut-être, Celle-ci: by their first part
        if (initial or src_lang in NOUN_CAPITALS) and z >= 2.0 and not _multilingual(f, src_lang):
            # a word capitalised because it opens the sentence (Comparez), or a noun of a language
            # that capitalises nouns (Milliarden), not a name
            continue
        kept.append((name, s, e))
    src_counts = Counter(_bare(n) for n, _, _ in kept)
    tgt_acronyms = _unmatched_acronyms(tgt, src, tgt_lang)

    def there(name: str) -> bool:
        f = _bare(name)
        if f in moved or len(f) < 2 or (tgt_acronyms and name.isupper()):
            return True
        if f in tgt_set:
            # as often as in the source (a repeated name dropped once: Baba Kanjar, Bhutha Kanjar)
            return tgt_counts[f] >= src_counts[f] or len(f) < 4
        target = forms.get(f)
        if (target and _present(tgt_set, target)) or (tables.get(f) or "") in tgt_set:
            return True  # written the target language's way (Londres / London, États-Unis / US)
        return _counterpart(name, tgt_set, tables) is not None

    out: list[Issue] = []
    done: set[str] = set()
    for run in name_runs(src, kept):
        words = [n for n, _, _ in run]
        whole = " ".join(words)
        if whole in done or any(there(n) for n in words):
            continue
        if len(run) > 1 and "".join(_bare(n)[0] for n in words) in tgt_set:
            continue  # New York / NY
        if len(run) == 1 and _translated(words[0], tgt, tgt_lang):
            continue  # a name made of words, translated
        done.add(whole)
        out.append(("tgt", "compare.name_missing",
                    f"'{whole}' of the source is missing from the translation", None, 0, len(tgt)))  # fmt: skip
    return out


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


# the rest ------------------------------------------------------------------------------


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


PAIR_CHECKS = (
    check_numbers,
    check_names,
    check_source_forms,
    check_dropped_names,
    check_false_friends,
    check_copy,
    check_quotes,
)
