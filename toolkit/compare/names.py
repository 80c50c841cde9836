"""Names of a sentence pair: found with their context (not sentence-initial vocabulary, not a
noun German capitalises), matched across languages (exonyms, acronyms, cognates, initials, words
that translate them); a translation's name with no counterpart in the source is reported."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from toolkit.compare.words import ELISION, INITIAL_MIN, OPENERS, TRANSLATED_MIN, VOCAB_MIN, Issue, bare, fold
from toolkit.text.embed import default_embedder, supports
from toolkit.text.numbers import find_numbers
from toolkit.text.words import NOUN_CAPITALS, WORD, multilingual, zipf


@lru_cache(maxsize=1)
def name_tables() -> dict[str, dict[str, str]]:
    """source form -> English form, per pair: exonyms and organisation acronyms."""
    out: dict[str, dict[str, str]] = {}
    for pair, src, en in table_forms():
        t = out.setdefault(pair, {})
        if len(src.split()) != len(en.split()):
            continue  # word by word only where the words pair up (not Malouines / Falkland Islands)
        for a, b in zip(src.split(), en.split(), strict=True):
            t.setdefault(fold(a), fold(b))
    return out


@lru_cache(maxsize=1)
def table_forms() -> tuple[tuple[str, str, str], ...]:
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
        opens = not before or before[-1] in OPENERS
        if opens and (z >= INITIAL_MIN or (z >= 2.0 and not multilingual(w.casefold(), lang))):
            continue  # a word capitalised because it opens the sentence (Voters, Historically, Comparez)
        if lang in NOUN_CAPITALS and not multilingual(w.casefold(), lang):
            continue  # German capitalises every noun: a name is one that other languages' lists know too
        el = ELISION.match(w)
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
    return zipf(parts[0], lang) >= 4.0 and not multilingual(parts[0], lang)


def counterpart(name: str, words: set[str], table: dict[str, str]) -> str | None:
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


def translated(name: str, other: str, other_lang: str) -> bool:
    """The other side has a word whose multilingual embedding is close to this one's.

    Only the other side's ordinary words are candidates (lower case, or any word where every
    noun is capitalised): two different names embed close to each other (Philippines /
    Singapour 0.56), a name and the word that translates it as well (Tories / conservateurs 0.51).
    """

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
    return OSA.distance(a, b) <= edit_limit(a, b)


def unmatched_acronyms(text: str, other: str, lang: str) -> list[str]:
    """Acronyms of ``text`` that ``other`` does not carry: organisations translate theirs."""
    words = {bare(m.group()) for m in WORD.finditer(other)}
    return [n for n, _, _ in names(text, lang) if n.isupper() and len(n) >= 2 and fold(n) not in words]


def _unexplained_runs(
    text: str, found: list[tuple[str, int, int]], words: set[str], table: dict[str, str], lang: str
) -> list[tuple[str, int, int]]:
    """The names of runs the other side does not account for: a run with one word matched there is
    the same name (Arnold Schwarzenegger / Schwarzenegger), and a run of ordinary words is a name
    made of words, translated (Academy Awards, National Weather Service)."""
    out = []
    for run in name_runs(text, found):
        if len(run) > 1 and any(counterpart(n, words, table) is not None for n, _, _ in run):
            continue
        if len(run) > 1 and all(zipf(n.casefold(), lang) >= 3.0 for n, _, _ in run):
            continue
        out += run
    return out


def check_names(src: str, tgt: str, src_lang: str, tgt_lang: str) -> list[Issue]:
    pair = f"{src_lang}-{tgt_lang}"
    back = f"{tgt_lang}-{src_lang}"
    tables = name_tables()
    to_tgt = tables.get(pair, {})
    to_src = {v: k for k, v in to_tgt.items()} | tables.get(back, {})
    src_words = {bare(m.group()) for m in WORD.finditer(src)}
    tgt_words = {bare(m.group()) for m in WORD.finditer(tgt)}
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
        acronyms = src_lang != tgt_lang and unmatched_acronyms(other_text, text_of[side], other_lang)
        if src_lang != tgt_lang:
            found = _unexplained_runs(text_of[side], found, words, table, tgt_lang if side == "tgt" else src_lang)
        for name, s, e in found:
            match = counterpart(name, words, table)
            if match is None and src_lang != tgt_lang and translated(name, other_text, other_lang):
                continue  # a name made of words, translated (the Temple of the Sun / le temple du soleil)
            if match is None and acronyms and name.isupper():
                continue  # an acronym beside the other side's own acronym: translated (CPF / FWC)
            if match is None:
                out.append((side, "compare.name_mismatch", f"'{name}' has no counterpart in the {other}", None, s, e))
            elif src_lang == tgt_lang and is_variant(bare(name), match) and table.get(fold(name)) != match:
                out.append((side, "compare.name_variant",
                            f"'{name}' is spelled differently in the {other} ('{match}'): a variant, same name",
                            None, s, e))  # fmt: skip
    return out


def edit_limit(a: str, b: str) -> int:
    return 1 if min(len(a), len(b)) < 6 else 2


def name_runs(text: str, found: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """Names that stand next to each other, as one name (Christine Blasey Ford, Kim Jong-un)."""
    runs: list[list[tuple[str, int, int]]] = []
    for item in found:
        if runs and text[runs[-1][-1][2] : item[1]] in (" ", "-", "\u00a0"):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs
