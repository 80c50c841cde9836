"""Source-language forms left in a translation: exonyms (Idleb, Poutine), words (mieux), whole spans.

Three kinds of evidence, none of them a list of one story's strings:
- an exonym table per language pair (``toolkit/data/exonyms.json``, then CLDR country and city
  names in ``cldr_places.json``): place and person
  names as the source language writes them;
- the frequency gap of a lower-case word between a candidate source language and the
  document's language (wordfreq: "respectivement" fr 4.25, en 0; "mieux" fr 5.67, en
  1.79), sparing the loanwords English has adopted (``toolkit/data/loanwords.txt``);
- per-line language identification with names masked, for sentences left untranslated.
"""

from __future__ import annotations

import bisect
import itertools
import json
import operator
import unicodedata
from functools import lru_cache
from importlib import resources

import regex

from toolkit.document import Finding, Severity
from toolkit.scorers.base import Context, Token
from toolkit.text.language import evidence, mask_names
from toolkit.text.words import has_lang, top_words, zipf, zipf_table

GAP = 2.0  # Zipf points the word is more frequent in the source language
SOURCE_MIN = 3.0  # the word is common there
TARGET_MAX = 3.0  # and uncommon in the document's language
FUNCTION_MIN = 6.0  # a top-frequency function word of the source ("et", "le") ...
FUNCTION_GAP = 2.5  # ... may be flagged even though English has it in fixed phrases
EXONYM_FILES = ("exonyms.json", "cldr_places.json")  # the first file's entry wins
ENGLISH_TOO = 3.0  # an exonym the document's language itself writes this often is one of its words
# particles of names (Wayde van Niekerk, Ursula von der Leyen): not words left untranslated
_PARTICLES = frozenset(
    "van von der den de da das dos do del della di du le la al el bin ibn ter ten".split()  # noqa: SIM905
)


@lru_cache(maxsize=1)
def _exonyms() -> dict[str, dict[str, tuple[str, str]]]:
    """Source form -> (target form, kind) per language pair: the hand list, then CLDR's country
    and city names (``cldr_places.json``) where the hand list has no entry."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for file in EXONYM_FILES:
        raw = json.loads(resources.files("toolkit.data").joinpath(file).read_text(encoding="utf-8"))
        for pair, kinds in raw.items():
            if pair.startswith("_"):
                continue
            table = out.setdefault(pair, {})
            for kind, forms in kinds.items():
                for src, tgt in forms.items():
                    table.setdefault(src, (tgt, kind))
    return out


@lru_cache(maxsize=1)
def _loanwords() -> tuple[frozenset[str], regex.Pattern[str]]:
    text = resources.files("toolkit.data").joinpath("loanwords.txt").read_text(encoding="utf-8")
    items = [x.strip().casefold() for x in text.splitlines() if x.strip() and not x.startswith("#")]
    single = frozenset(x for x in items if " " not in x)
    multi = sorted((x for x in items if " " in x), key=len, reverse=True)
    pat = regex.compile(r"(?<!\p{L})(?:" + "|".join(regex.escape(x) for x in multi) + r")(?!\p{L})", regex.IGNORECASE)
    return single, pat


def score(ctx: Context) -> list[Finding]:
    out = _exonym_findings(ctx)
    segments = _segments(ctx)  # a whole passage left untranslated is one finding, not one per word
    taken = [(f.start, f.end) for f in out + segments]
    out += segments
    out += [f for f in _gap_words(ctx) if not any(s < f.end and f.start < e for s, e in taken)]
    return out


# An exonym starts at a token's start or after an apostrophe inside one, never after a letter,
# mark or hyphen, and ends before a non-letter. Listed forms are looked up by their leading
# letter run, longest first: what one alternation of every form would match (compiling that
# alternation cost a fifth of a second per language pair at every start).
_HEAD = regex.compile(r"[\p{L}\p{M}]*")
_INNER = regex.compile(r"['’-]")


@lru_cache(maxsize=16)
def _exonym_heads(pair: str) -> dict[str, tuple[str, ...]]:
    """Listed forms by their leading letter run, longest first."""
    out: dict[str, list[str]] = {}
    for k in _exonyms().get(pair, {}):
        out.setdefault(_HEAD.match(k).group(), []).append(k)  # type: ignore[union-attr]
    return {h: tuple(sorted(ks, key=lambda k: (-len(k), k))) for h, ks in out.items()}


def _letter(c: str) -> bool:
    return unicodedata.category(c)[0] in "LM"


def _exonym_at(text: str, pos: int, forms: tuple[str, ...]) -> str | None:
    """The longest listed form starting at ``pos`` as a whole word, or None."""
    if pos > 0 and (text[pos - 1] == "-" or _letter(text[pos - 1])):
        return None
    for form in forms:
        end = pos + len(form)
        if text.startswith(form, pos) and (end >= len(text) or not _letter(text[end])):
            return form
    return None


@lru_cache(maxsize=16)
def _any_heads(pairs: tuple[str, ...]) -> frozenset[str]:
    """The leading letter runs of every form listed for any of ``pairs``."""
    return frozenset(h for pair in pairs for h in _exonym_heads(pair))


def _word_starts(ctx: Context, heads: frozenset[str]) -> list[tuple[int, str]]:
    """(offset, letter run there) of every place a form whose letter run is in ``heads`` could
    start, in text order (a superset of the matches: one pass for all language pairs)."""
    out = []
    for t in ctx.tokens:
        w = t.text
        if "'" not in w and "’" not in w and "-" not in w:
            if w in heads:
                out.append((t.start, w))
            continue
        pos = 0
        for m in _INNER.finditer(w):  # after a hyphen too: the pattern's lookbehind refuses those
            if w[pos : m.start()] in heads:
                out.append((t.start + pos, w[pos : m.start()]))
            pos = m.end()
        if w[pos:] in heads:
            out.append((t.start + pos, w[pos:]))
    return out


def _exonym_findings(ctx: Context) -> list[Finding]:
    out = []
    starts: list[tuple[int, str]] | None = None
    for src in ctx.source_langs:
        pair = f"{src}-{ctx.lang}"
        table = _exonyms().get(pair)
        if not table:
            continue
        if starts is None:
            pairs = tuple(f"{x}-{ctx.lang}" for x in ctx.source_langs)
            starts = _word_starts(ctx, _any_heads(pairs))
        heads = _exonym_heads(pair)
        found = []
        end = 0
        for pos, head in starts:
            if pos >= end and (forms := heads.get(head)) and (form := _exonym_at(ctx.text, pos, forms)):
                found.append((pos, form))
                end = pos + len(form)
        for pos, form in found:
            target, kind = table[form]
            if zipf(form.casefold(), ctx.lang) >= ENGLISH_TOO:
                continue  # a form the document's language uses itself (Argentine, the adjective)
            out.append(ctx.finding(
                "untranslated.exonym", "Accuracy/Untranslated",
                Severity.MAJOR if kind == "person" else Severity.MINOR, pos, pos + len(form),
                f"'{form}' is the {src} form of this {kind} name; {ctx.lang} writes '{target}'",
                target, source_lang=src,
            ))  # fmt: skip
    return out


_SPLIT = regex.compile(r"[-'’]")


def _parts(word: str) -> list[str]:
    return [p for p in _SPLIT.split(word) if p]


@lru_cache(maxsize=64)
def _function_words(langs: tuple[str, ...]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for src in langs:
        out |= top_words(src, FUNCTION_MIN)
    return out


_Gap = tuple[str, float, float] | None
_UNSEEN = ("", 0.0, 0.0)  # not None: a word not in the table yet
_GAPS: dict[tuple[str, tuple[str, ...]], dict[str, _Gap]] = {}


def _gaps(ctx: Context) -> dict[str, _Gap]:
    """The verdicts of :func:`_gap_word` for the context's languages, kept per word (one dict
    look-up a token: this runs on every word of every document)."""
    key = (ctx.lang, ctx.source_langs)
    table = _GAPS.get(key)
    if table is None or len(table) > 200_000:
        table = _GAPS[key] = {}
    return table


def _gap(tok: Token, ctx: Context, table: dict[str, _Gap]) -> _Gap:
    """(source language, its Zipf, the target's Zipf) when the word reads as source language;
    ``table``: :func:`_gaps` of the context."""
    w = tok.lower
    if w in table:
        return table[w]
    g = table[w] = _gap_word(w, ctx.lang, ctx.source_langs)
    return g


def _gap_word(w: str, lang: str, source_langs: tuple[str, ...]) -> tuple[str, float, float] | None:
    parts = _parts(w)
    if not parts:
        return None
    if len(parts) == 1 and zipf(w, lang) >= TARGET_MAX and w not in _function_words(source_langs):
        return None  # a common word of the document's language (most tokens stop here)
    zt = max(zipf(w, lang), min(zipf(p, lang) for p in parts)) if len(parts) > 1 else zipf(w, lang)
    best: tuple[str, float, float] | None = None
    for src in source_langs:
        if src == lang or not has_lang(src):
            continue
        zs = zipf(w, src) if len(parts) == 1 else max(zipf(w, src), min(zipf(p, src) for p in parts))
        ok = zs >= SOURCE_MIN and zs - zt >= GAP and zt < TARGET_MAX
        # (a longer word English uses on its own, like the verb "pour", is not one; a short one
        # English writes often too, like "van", "um" or "den", only in the likeliest source language)
        short = len(w) <= 3 and src == source_langs[0]
        ok = ok or (zs >= FUNCTION_MIN and zs - zt >= FUNCTION_GAP and (zt < 4.0 or short))
        # an inflected form the source lists know, in letters the target does not use ("résistez")
        ok = ok or (zt < 1.0 and zs >= 1.0 and _foreign_letters(w, lang))
        if ok and (best is None or zs - zt > best[1] - best[2]):
            best = (src, zs, zt)
    return best


_NATIVE = {"en": frozenset("abcdefghijklmnopqrstuvwxyz'-")}


def _foreign_letters(word: str, lang: str) -> bool:
    native = _NATIVE.get(lang)
    return native is not None and any(c not in native for c in word)


def _gap_words(ctx: Context) -> list[Finding]:
    single, multi = _loanwords()
    spared: list[tuple[int, int]] | None = None  # established phrases ("de facto"), found when needed
    hits: list[tuple[Token, tuple[str, float, float]]] = []
    toks = ctx.tokens
    table = _gaps(ctx)
    # a word the table already knows to be no gap (most of every text) is passed over in C
    known = map(table.get, ctx.lowers, itertools.repeat(_UNSEEN))
    for k in itertools.compress(range(len(toks)), map(operator.is_not, known, itertools.repeat(None))):
        t = toks[k]
        if t.capitalised and (not t.initial or "-" in t.text):
            continue  # names are masked: "Le Monde", "Hollande", "Rheinland-Pfalz"
        if t.text.isupper() or t.lower in single:
            continue
        if t.capitalised and k + 1 < len(toks) and toks[k + 1].capitalised and not toks[k + 1].initial:
            continue  # a name opening the sentence: "Risa Kusuma, a mother of two"
        if t.start and ctx.text[t.start - 1] in "./@#_":
            continue  # part of an address or a handle (.com, @afp)
        if ctx.text[t.end : t.end + 2][:1] == "-" and ctx.text[t.end + 1 : t.end + 2].isdigit():
            continue  # a par-3 hole, a Boeing 737: a word joined to a number
        if t.lower in _PARTICLES and k + 1 < len(toks) and toks[k + 1].capitalised:
            continue
        g = _gap(t, ctx, table)
        if g is None:
            continue
        if spared is None:
            spared = [m.span() for m in multi.finditer(ctx.text)]
        if any(s <= t.start < e for s, e in spared):
            continue
        if g[1] >= FUNCTION_MIN and not (g[1] - g[2] >= GAP and g[2] < TARGET_MAX):
            # a function word English also uses ("et al.", "la", "de facto"): only between
            # two words that are plainly the document's language
            prev = toks[k - 1] if k else None
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if prev is None or nxt is None or _gap(prev, ctx, table) or _gap(nxt, ctx, table):
                continue
            if zipf(prev.lower, ctx.lang) < 2.0 or zipf(nxt.lower, ctx.lang) < 2.0 or nxt.capitalised:
                continue
            if ctx.text[t.end : t.end + 1] == ".":
                continue
        hits.append((t, g))
    # neighbouring hits are one untranslated phrase
    out = []
    k = 0
    while k < len(hits):
        j = k
        while j + 1 < len(hits) and regex.fullmatch(r"[\s\u00a0]*", ctx.text[hits[j][0].end : hits[j + 1][0].start]):
            j += 1
        first, last = hits[k][0], hits[j][0]
        src, zs, zt = hits[k][1]
        words = ctx.text[first.start : last.end]
        out.append(ctx.finding(
            "untranslated.word", "Accuracy/Untranslated", Severity.MAJOR, first.start, last.end,
            f"'{words}' reads as {src}, not {ctx.lang} (word frequency {src} {zs:.1f} vs {ctx.lang} {zt:.1f})",
            None, source_lang=src, zipf_source=round(zs, 2), zipf_target=round(zt, 2),
        ))  # fmt: skip
        k = j + 1
    return out


def _segments(ctx: Context) -> list[Finding]:
    """Lines (or sentences) of at least six words identified as another language, names masked."""

    out = []
    zipfs = zipf_table(ctx.lang)
    starts = [t.start for t in ctx.tokens]
    for s, e in ctx.lines:
        line = ctx.text[s:e]
        if len(line.split()) < 6:
            continue
        lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        words = [t for t in ctx.tokens[lo:hi] if not t.capitalised]
        if not words or sum(zipfs.get(t.lower, 0.0) < TARGET_MAX for t in words) < 0.4 * len(words):
            continue  # most words are common in the document's language: not worth identifying
        res = evidence(mask_names(line)).decide()
        if res.lang not in ("und", ctx.lang) and res.lang in ctx.source_langs and res.prob >= 0.95:
            out.append(ctx.finding(
                "untranslated.segment", "Accuracy/Untranslated", Severity.MAJOR, s, e,
                f"this passage is in {res.lang}, not {ctx.lang}: left untranslated",
                None, source_lang=res.lang, prob=round(res.prob, 3),
            ))  # fmt: skip
    return out
