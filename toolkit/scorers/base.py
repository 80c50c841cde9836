"""What a scorer sees: one document's text and tokens, its language, and its story."""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import regex

from toolkit.document import Finding, Severity
from toolkit.text.words import WORD

_OPENERS = '.!?"“«‘(:•–—-*'
DEFAULT_SOURCE_LANGS = ("fr", "de", "es", "it", "pt", "nl")


class Token(NamedTuple):
    """A word with its offsets; ``initial``: first of a line or sentence, so its capital says nothing.

    A named tuple, built for a whole text at once without a Python call per token (the
    tokens of a news story are most of what scoring it costs otherwise)."""

    text: str
    start: int
    end: int
    initial: bool
    lower: str  # case-folded, ’ as '
    capitalised: bool
    base: str  # without a possessive ending (Turkey’s -> Turkey)

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end}, initial={self.initial})"


def _base(word: str) -> str:
    return word[:-2] if len(word) > 3 and word[-2] in "'’" and word[-1] in "sS" else word


_POSSESSIVE = regex.compile(r"['’][sS]")
_SPLIT = regex.compile(f"({WORD.pattern})")


@dataclass(slots=True)
class Story:
    """Evidence shared by the versions of one story (a cluster): how often each word is written how."""

    words: Counter[str] = field(default_factory=Counter)
    facts: dict[tuple[str, str], set[tuple[float, str]]] = field(default_factory=dict)  # fact -> (value, doc id)


@dataclass
class Context:
    text: str
    lang: str = "en"
    source_langs: tuple[str, ...] = DEFAULT_SOURCE_LANGS
    story: Story | None = None
    doc_id: str = ""
    repeated_lines: frozenset[str] = frozenset()  # lines other pages of this source also carry

    @cached_property
    def tokens(self) -> list[Token]:
        text = self.text
        # the text cut at every word, the words at odd places: offsets are running sums of lengths
        parts = _SPLIT.split(text)
        words = parts[1::2]
        at = list(itertools.accumulate(map(len, parts), initial=0))
        starts, ends = at[1:-1:2], at[2::2]
        capitalised = [w[0].isupper() for w in words]
        initial = [False] * len(words)
        for k in itertools.compress(range(len(words)), capitalised):
            # only a capital needs to know whether it starts a sentence
            j = starts[k] - 1
            while j >= 0 and text[j] in " \t\u00a0\u202f":
                j -= 1
            initial[k] = j < 0 or text[j] == "\n" or text[j] in _OPENERS
        # (casefold is lower in ASCII)
        ascii_ = text.isascii()
        lower = list(map(str.lower, words)) if ascii_ else [w.casefold().replace("’", "'") for w in words]
        base = words
        if "'" in text or "’" in text:
            base = list(words)
            for m in _POSSESSIVE.finditer(text):  # the words that end there
                k = bisect.bisect_left(ends, m.end())
                if k < len(words) and ends[k] == m.end():
                    base[k] = _base(words[k])
        fields = zip(words, starts, ends, initial, lower, capitalised, base, strict=True)
        return list(map(tuple.__new__, itertools.repeat(Token), fields))

    @cached_property
    def lines(self) -> list[tuple[int, int]]:
        """(start, end) of every non-empty line, end excluding the newline."""
        out = []
        pos = 0
        for line in self.text.split("\n"):
            if line.strip():
                out.append((pos, pos + len(line)))
            pos += len(line) + 1
        return out

    @cached_property
    def lowers(self) -> list[str]:
        """Each token's ``lower``, in text order: for picking tokens out in C (itertools.compress)."""
        return [t.lower for t in self.tokens]

    @cached_property
    def word_counts(self) -> Counter[str]:
        return Counter(t.text for t in self.tokens)

    def finding(
        self,
        code: str,
        category: str,
        severity: Severity,
        start: int,
        end: int,
        message: str,
        fix: str | None = None,
        **evidence: object,
    ) -> Finding:
        return Finding(code, category, severity, start, end, self.text[start:end], message, fix, dict(evidence))


Scorer = Callable[[Context], list[Finding]]


def match_case(template: str, word: str) -> str:
    """``word`` written with ``template``'s capitalisation (Merekl -> Merkel)."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
