"""Facts that disagree: one quantity given twice with different values.

A quantity is a number with the two words after it ("3.6 million Syrian refugees" ->
syrian refugees). Two mentions disagree when they name the same thing and their values
are close enough to be the same fact (within 50 %); "14 Turks" and "13 soldiers" name
different things, so the explainable difference is left alone. Across the versions of a
story the same check runs with a lower severity: a later version may carry an update.
"""

from __future__ import annotations

from collections import defaultdict

import regex

from toolkit.document import Finding, Severity
from toolkit.scorers.base import Context
from toolkit.text.numbers import Number, find_numbers
from toolkit.text.words import zipf

_HEAD = regex.compile(r"\s+([\p{L}\-]+)\s+([\p{L}\-]+)")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "that",
        "this",
        "these",
        "those",
        "which",
        "who",
        "than",
        "more",
        "less",
        "per",
        "cent",
        "percent",
        "times",
        "years",
        "year",
        "days",
        "day",
        "months",
        "month",
        "weeks",
        "week",
        "hours",
        "hour",
        "people",
    ]
)

Fact = tuple[str, str]
# a word this frequent in the text's language (der, ans, plus, Prozent, Menschen) names no
# particular thing: "66 Prozent der" and "57 Prozent der" are two facts, not one given twice
GENERIC_ZIPF = 5.2


def quantities(text: str, lang: str) -> list[tuple[Fact, Number]]:
    out = []
    for n in find_numbers(text, lang):
        if n.kind != "number" or (1900 <= n.value <= 2100 and n.value == int(n.value) and "," not in n.text):
            continue
        m = _HEAD.match(text, n.end)
        if m is None:
            continue
        a, b = m.group(1).casefold(), m.group(2).casefold()
        if a in _STOP or b in _STOP or len(a) < 3 or len(b) < 3:
            continue
        if zipf(a, lang) >= GENERIC_ZIPF or zipf(b, lang) >= GENERIC_ZIPF:
            continue
        out.append(((a, b), n))
    return out


def _close(x: float, y: float) -> bool:
    lo, hi = min(x, y), max(x, y)
    return lo > 0 and hi / lo <= 1.5 and x != y


def score(ctx: Context) -> list[Finding]:
    found = quantities(ctx.text, ctx.lang)
    by_fact: dict[Fact, list[Number]] = defaultdict(list)
    for fact, n in found:
        by_fact[fact].append(n)
    out = []
    for fact, ns in by_fact.items():
        for n in ns:
            others = [o for o in ns if _close(o.value, n.value)]
            if others:
                other = others[0]
                out.append(ctx.finding(
                    "fact.inconsistent", "Accuracy/Inconsistency", Severity.MAJOR, n.start, n.end,
                    f"'{n.text} {' '.join(fact)}' here, '{other.text}' elsewhere in this document",
                    None, fact=" ".join(fact), values=sorted({o.value for o in ns}),
                ))  # fmt: skip
    if ctx.story is not None and ctx.story.facts:
        for fact, n in found:
            if fact in by_fact and any(_close(o.value, n.value) for o in by_fact[fact]):
                continue
            theirs = sorted({v for v, doc in ctx.story.facts.get(fact, ()) if doc != ctx.doc_id and _close(v, n.value)})
            if theirs:
                out.append(ctx.finding(
                    "fact.version_mismatch", "Accuracy/Inconsistency", Severity.MINOR, n.start, n.end,
                    f"another version of this story gives {theirs[0]:g} {' '.join(fact)} (an update, or an error)",
                    None, fact=" ".join(fact), other_values=theirs,
                ))  # fmt: skip
    return out
