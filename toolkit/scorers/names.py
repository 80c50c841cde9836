"""Misspelled names and words, and spellings that vary inside one document or story.

Evidence, strongest first:
1. the story itself: a capitalised token written another way, more often, within one or
   two edits (Ergodan beside Erdogan x5). When both spellings are unknown to the word
   lists (Latmaneh / Latamneh) it is an inconsistency, not a verdict on which is right;
2. the word lists: a token (nearly) unknown to wordfreq, one edit (a swap counts as one)
   from a much more frequent word. For a capitalised token that never occurs in the lists
   the neighbour must be a name (present in several languages' lists: Merkel is, "aria"
   is an Italian word), so rare real names (Kafranbel, Ariha) are not "corrected";
3. one document writing a compound three ways (ceasefire, cease-fire, cease fire).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import lru_cache

from toolkit.document import Finding, Severity
from toolkit.scorers.base import Context, Token, match_case
from toolkit.scorers.lexicon import MAX_EDIT_LEN, best_neighbour, damerau, edits1
from toolkit.text.words import WORD, top_words, zipf, zipf_peek

RARE = 2.3  # below this a word is rare enough to be a typo (wordfreq keeps common typos at 1-2)
UNKNOWN = 0.5
COMMON = 3.5
FAMOUS = 4.0  # a name this frequent in the lists, and in most languages', is well known
FAMOUS_LEN = 6  # letters a never-seen token needs before any single edit of a famous name counts
WORD_TOO = 4.2  # a "name" this frequent in the document's language is also one of its words
NAME_LANGS = ("fr", "de", "es", "it", "pt", "nl")


def _name_like(word: str, lang: str) -> bool:
    """A word frequent in the document's language and in most other lists: a name, not a vocabulary word."""
    z = zipf(word, lang)
    if z < 3.0:
        return False
    others = [zipf(word, x) for x in NAME_LANGS if x != lang]
    return sum(1 for o in others if o >= z - 1.0) >= 4


def _known_elsewhere(word: str, ctx: Context) -> bool:
    return any(zipf(word, x) >= 3.0 for x in ctx.source_langs if x != ctx.lang)


# English inflections: (ending, what the stem ends with instead); 'roosts' is 'roost' + s
_INFLECTIONS = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                ("ing", "e"), ("er", ""), ("ers", ""), ("est", ""), ("ly", ""))  # fmt: skip
INFLECTED_STEM = 3.0  # a rare form whose stem is this common is an inflection, not a slip


def _inflected(word: str, lang: str) -> bool:
    """A rare regular inflection of a common English word (roosts, fringing, significances):
    wordfreq lists inflected forms by their own, smaller counts."""
    if lang != "en":
        return False
    for end, repl in _INFLECTIONS:
        if word.endswith(end) and len(word) - len(end) >= 3:
            stem = word[: -len(end)] + repl
            if end == "es" and not stem.endswith(("s", "x", "z", "ch", "sh", "o")):
                continue  # 'consideres' is no form of 'consider'
            if zipf(stem, lang) >= INFLECTED_STEM:
                return True
            doubled = end in ("ing", "ed", "er", "est") and len(stem) > 3 and stem[-1] == stem[-2]
            if doubled and zipf(stem[:-1], lang) >= INFLECTED_STEM:  # stopping -> stop
                return True
    return False


def score(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    out += _story_variants(ctx)
    flagged = {(f.start, f.end) for f in out}
    out += [f for f in _lexicon_typos(ctx) if (f.start, f.end) not in flagged]
    out += _compound_variants(ctx)
    return out


_LONG = 40  # longer words are no names: compared with each other directly, without deletion keys
_FEW = 12  # words of one first letter that are paired directly, not through deletion keys


@lru_cache(maxsize=65536)
def _deletions(cf: str) -> tuple[str, ...]:
    """``cf`` and its forms with up to two letters deleted (one under six letters), sorted. Kept:
    a feed names the same people in document after document, and a story's names in each version."""
    forms = {cf}
    # a pair with a word under six letters may be one edit apart (_story_variants): one
    # deletion suffices there, and its shorter forms would be shared by most short words
    for _ in range(2 if len(cf) >= 6 else 1):
        forms |= {f[:k] + f[k + 1 :] for f in forms for k in range(len(f))}
    return tuple(sorted(forms))


def _close_pairs(names: list[str]) -> list[tuple[str, str]]:
    """The pairs (a < b) of ``names`` (sorted) with one first letter, lengths at most two apart and
    case-folded forms that can be within two edits (two strings within k insertions, deletions,
    substitutions or transpositions share a form with at most k letters deleted from each), in
    the order of a double loop over the sorted names: every pair within two edits, and others
    the caller measures and drops. Comparing every pair of a first letter was quadratic in the
    story's distinct capitalised words; a first letter of at most _FEW words is paired directly
    (one document's names: 1.7 -> 1.5 ms a feed document for the scorers)."""
    by_first: dict[str, list[str]] = defaultdict(list)
    for w in names:
        by_first[w[0]].append(w)
    pairs: set[tuple[str, str]] = set()
    for group in by_first.values():
        if len(group) < 2:
            continue
        if len(group) <= _FEW:
            # a few words: every pair (the caller measures each); keying them costs more
            pairs.update((a, b) for i, a in enumerate(group) for b in group[i + 1 :])
            continue
        keyed: dict[str, list[str]] = defaultdict(list)
        long = []
        for w in group:
            cf = w.casefold()
            if len(cf) > _LONG - 3:  # beside the longest, only each other can be two edits away
                long.append(w)
            if len(cf) > _LONG:
                continue
            for f in _deletions(cf):
                keyed[f].append(w)
        shared = (same for same in keyed.values() if len(same) > 1)
        pairs.update((a, b) for same in shared for i, a in enumerate(same) for b in same[i + 1 :])
        pairs.update((a, b) for i, a in enumerate(long) for b in long[i + 1 :])
    return sorted((a, b) for a, b in pairs if abs(len(a) - len(b)) <= 2)


def _story_variants(ctx: Context) -> list[Finding]:
    caps = Counter(t.base for t in ctx.tokens if t.capitalised and len(t.base) >= 4 and not t.text.isupper())
    own = set(caps)
    if ctx.story is not None:
        # the story's counts include this document's own
        caps = Counter({**caps, **{w: c for w, c in ctx.story.words.items() if len(w) >= 4 and not w.isupper()}})
    verdict: dict[str, tuple[str, str]] = {}  # variant -> (preferred spelling, code)
    for a, b in _close_pairs(sorted(caps)):
        limit = 2 if min(len(a), len(b)) >= 6 else 1
        if damerau(a.casefold(), b.casefold()) > limit:
            continue
        za, zb = zipf(a.casefold(), ctx.lang), zipf(b.casefold(), ctx.lang)
        if (za >= COMMON and zb >= COMMON) or a.startswith(b) or b.startswith(a):
            continue  # two words (Iran / Iraq) or one word's forms (Syria / Syrian / Syrians)
        if za >= RARE and zb >= RARE:
            # two established spellings of one name (Dmitri / Dmitry): the story should pick one
            good, bad = (a, b) if (za, caps[a]) > (zb, caps[b]) else (b, a)
            verdict.setdefault(bad, (good, "name.variant"))
            continue
        # the spelling the lists know wins; then the one the story uses more
        if abs(za - zb) >= 1.5:
            good, bad = (a, b) if za > zb else (b, a)
            if zipf(bad.casefold(), ctx.lang) >= RARE:
                continue  # both are established spellings (Dmitri / Dmitry)
            if caps[bad] > caps[good]:
                continue  # the story's usual spelling is no slip: a rarer name (Wayde beside Wade)
            verdict.setdefault(bad, (good, "name.misspelling"))
        elif caps[a] != caps[b]:
            good, bad = (a, b) if caps[a] > caps[b] else (b, a)
            verdict.setdefault(bad, (good, "name.inconsistent"))
        else:
            verdict.setdefault(a, (b, "name.inconsistent"))
            verdict.setdefault(b, (a, "name.inconsistent"))
    out = []
    for t in ctx.tokens:
        v = verdict.get(t.base)
        if v is None:
            continue
        good, code = v
        if code == "name.misspelling":
            out.append(ctx.finding(
                code, "Accuracy/Mistranslation", Severity.MAJOR, t.start, t.start + len(t.base),
                f"'{t.base}' looks like a misspelling of '{good}', written that way elsewhere in the story",
                good, variant_of=good, count=caps[good],
            ))  # fmt: skip
        elif code == "name.variant":
            # both spellings are established names: as often two people (Wayde / Wade, Kieran /
            # Kiernan) as one name spelt two ways, so a note for the editor, not an error
            out.append(ctx.finding(
                code, "Fluency/Inconsistency", Severity.NEUTRAL, t.start, t.start + len(t.base),
                f"'{t.base}' is written '{good}' in this story (and more often in English): pick one",
                good, variant_of=good,
            ))  # fmt: skip
        else:
            # a tie between two versions, each consistent with itself: nothing says which one
            # slipped, so a note on both (as between peers); inside one text it is a slip
            tie = caps[good] == caps[t.base] and good not in own
            out.append(ctx.finding(
                code, "Fluency/Inconsistency", Severity.NEUTRAL if tie else Severity.MINOR, t.start,
                t.start + len(t.base),
                f"'{t.base}' is also spelled '{good}' in this story: pick one spelling",
                good if caps[good] > caps[t.base] else None, variant_of=good,
            ))  # fmt: skip
    return out


def _best_swap(word: str, lang: str) -> tuple[str, float] | None:
    """The most frequent well-known name that is ``word`` with two neighbouring letters exchanged."""
    best: tuple[str, float] | None = None
    if len(word) > MAX_EDIT_LEN:
        return None
    for k in range(len(word) - 1):
        cand = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
        z = zipf(cand, lang)
        if cand != word and z >= 3.0 and _name_like(cand, lang) and (best is None or z > best[1]):
            best = (cand, z)
    return best


@lru_cache(maxsize=16)
def _famous_words(lang: str) -> frozenset[str]:
    """The words at or above FAMOUS in ``lang``'s list or a NAME_LANGS one: every famous name is one.

    Looking each of a word's ~400 one-edit neighbours up in seven lists cost 7 ms a never-seen
    capitalised word (a feed of new names, a hostile record); one set lookup each costs 1/100 of that.
    """
    return frozenset().union(*(top_words(x, FAMOUS) for x in (lang, *NAME_LANGS)))


@lru_cache(maxsize=4096)
def _famous_neighbour(word: str, lang: str) -> tuple[str, float] | None:
    """The name one edit from ``word``, first letter kept, that is famous: Zipf >= FAMOUS in some
    language's lists, listed in most languages, and rarer than WORD_TOO in ``lang``."""
    best: tuple[str, float] | None = None
    famous = _famous_words(lang)
    # a name keeps its first letter (Sarmada, a town, is no slip for Armada); one below FAMOUS in
    # every list cannot be famous, and looking it up in seven lists would change nothing
    for cand in sorted(c for c in edits1(word) if c[:1] == word[:1] and c in famous):
        zs = [zipf_peek(cand, x) for x in (lang, *NAME_LANGS)]
        # listed in most languages: a name (Macron), not a word of one language; and not so
        # frequent in the document's language that it is one of its words too (Latin, Marine)
        name = sum(z >= 2.5 for z in zs) >= 4 and zs[0] < WORD_TOO
        if max(zs) >= FAMOUS and name and (best is None or max(zs) > best[1]):
            best = (cand, max(zs))
    return best


def _lexicon_typos(ctx: Context) -> list[Finding]:
    out = []
    mid_caps = {t.text for t in ctx.tokens if t.capitalised and not t.initial}
    toks = ctx.tokens
    # the words worth a look, each asked of the word lists once (most of a text is common words)
    lowers = ctx.lowers
    rare: dict[str, float] = {}
    for w in set(lowers):
        if len(w) >= 4 and "-" not in w and "'" not in w:
            z = zipf(w, ctx.lang)
            if z < RARE and not _known_elsewhere(w, ctx):
                rare[w] = z
    for k in itertools.compress(range(len(toks)), map(rare.__contains__, lowers)):
        t = toks[k]
        w = t.lower
        if t.text.isupper():
            continue
        z = rare[w]
        famous = False
        followed_by_name = k + 1 < len(toks) and toks[k + 1].capitalised and toks[k + 1].start == t.end + 1
        repeated = ctx.word_counts[t.text] >= 2  # a word the text capitalises every time it writes it
        if t.capitalised and (not t.initial or z <= UNKNOWN or t.text in mid_caps or followed_by_name or repeated):
            # a capitalised word mid-sentence is a name. Rare real names sit one dropped,
            # added or changed letter from words and names (Akar/aka, Oktay/okay, Raed/read,
            # Dareen/Darren, Støre/store), so only a never-seen token that is a swap of two
            # neighbouring letters of a well-known name is corrected (Merekl -> Merkel)
            if z > UNKNOWN or len(w) < 5:
                continue
            cand = _best_swap(w, ctx.lang)
            if cand is None and len(w) >= FAMOUS_LEN and z == 0.0 and not repeated:
                # a longer never-seen token one edit of any kind from a name famous in some
                # language's news (Merkell, Macorn); rare real names this long seldom sit one
                # edit from one, and names common only as first names (Darren) do not count
                cand = _famous_neighbour(w, ctx.lang)
                famous = cand is not None
        else:
            cand = None if _inflected(w, ctx.lang) else best_neighbour(w, ctx.lang, COMMON)
        if cand is None or cand[1] < z + 2.0:
            continue
        good, gz = cand
        fix = match_case(t.text, good)
        name = t.capitalised and (famous or _name_like(good, ctx.lang))
        out.append(ctx.finding(
            "name.misspelling" if name else "spelling.misspelling",
            "Accuracy/Mistranslation" if name else "Fluency/Spelling",
            Severity.MAJOR if name else Severity.MINOR,
            t.start, t.end,
            f"'{t.text}' is not in the {ctx.lang} word lists; '{fix}' is one edit away and common",
            fix, zipf=z, suggestion_zipf=round(gz, 2),
        ))  # fmt: skip
    return out


def _forms(w: str, wanted: set[str]) -> list[str]:
    """``w`` and ``w`` without a plural s, those of them that are wanted (no set built per token)."""
    bare = w.removesuffix("s")
    return [f for f in ((w,) if bare == w else (w, bare)) if f in wanted]


def _compound_variants(ctx: Context) -> list[Finding]:
    """ceasefire / cease-fire / cease fire in one document: every form is listed, the minority ones get a fix."""
    toks = ctx.tokens
    hyph = {t.lower.removesuffix("s") for t in toks if t.text.count("-") == 1}
    if not hyph:
        return []
    firsts = {h.partition("-")[0] for h in hyph}
    wanted = hyph | {h.replace("-", "") for h in hyph} | {h.replace("-", " ") for h in hyph}
    # every written form of those words (plural folded) -> spans
    spans: dict[str, list[tuple[int, int]]] = {}
    # only tokens that are, or may open, a wanted form: picked out in C, in text order
    lowers = ctx.lowers
    useful = firsts | {w for w in set(lowers) if w in wanted or w.removesuffix("s") in wanted}
    for k in itertools.compress(range(len(toks)), map(useful.__contains__, lowers)):
        t = toks[k]
        w = t.lower
        for form in _forms(w, wanted):
            spans.setdefault(form, []).append((t.start, t.end))
        if w in firsts and k + 1 < len(toks) and toks[k + 1].start == t.end + 1 and ctx.text[t.end] == " ":
            for form in _forms(f"{w} {toks[k + 1].lower}", wanted):
                spans.setdefault(form, []).append((t.start, toks[k + 1].end))
    out = []
    for h in sorted(hyph):
        a, _, b = h.partition("-")
        if len(a) < 3 or len(b) < 3:
            continue
        # the spaced form is left out: English hyphenates a compound before a noun and not after
        # it ("an above-average year", "it was above average"), so those two are no inconsistency
        used = {f: sorted(set(spans[f])) for f in (h, a + b) if f in spans}
        if len(used) < 2:
            continue
        major = max(used, key=lambda f: (len(used[f]), f == a + b))
        counts = ", ".join(f"'{f}' x{len(v)}" for f, v in sorted(used.items()))
        for f, ss in sorted(used.items()):
            for s, e in ss:
                out.append(ctx.finding(
                    "spelling.inconsistent", "Fluency/Inconsistency", Severity.MINOR, s, e,
                    f"one word written {len(used)} ways in this document ({counts})",
                    None if f == major else match_case(ctx.text[s:e], major) + ctx.text[s:e][len(f):],
                    forms={k: len(v) for k, v in used.items()},
                ))  # fmt: skip
    return out


def story_words(text: str) -> Counter[str]:
    """Capitalised words of one version, for the story's evidence (a light regex pass: no tokens kept)."""

    out: Counter[str] = Counter()
    for m in WORD.finditer(text):
        w = m.group()
        if len(w) > 3 and w[-2] in "'’" and w[-1] in "sS":
            w = w[:-2]
        if w[0].isupper() and len(w) >= 4:
            out[w] += 1
    return out


def story_words_of(tokens: list[Token]) -> Iterator[str]:
    """The words :func:`story_words` counts, from a context's tokens when they exist anyway."""
    return (t.base for t in tokens if t.capitalised and len(t.base) >= 4)


__all__ = ["Token", "score", "story_words", "story_words_of"]
