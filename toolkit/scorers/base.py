"""What a scorer sees: one document's text and tokens, its language, and its story."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from toolkit.document import Finding, Severity
from toolkit.text.words import WORD

_OPENERS = '.!?"“«‘(:•–—-*'
DEFAULT_SOURCE_LANGS = ("fr", "de", "es", "it", "pt", "nl")


class Token:
    """A word with its offsets; ``initial``: first of a line or sentence, so its capital says nothing."""

    __slots__ = ("base", "capitalised", "end", "initial", "lower", "start", "text")

    def __init__(self, text: str, start: int, end: int, initial: bool) -> None:
        self.text, self.start, self.end, self.initial = text, start, end, initial
        self.lower = text.casefold().replace("’", "'")
        self.capitalised = text[0].isupper()
        # without a possessive ending (Turkey’s -> Turkey)
        self.base = text[:-2] if len(text) > 3 and text[-2] in "'’" and text[-1] in "sS" else text

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end}, initial={self.initial})"


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
        out: list[Token] = []
        text = self.text
        for m in WORD.finditer(text):
            s, w = m.start(), m.group()
            initial = False
            if w[0].isupper():  # only a capital needs to know whether it starts a sentence
                k = s - 1
                while k >= 0 and text[k] in " \t\u00a0\u202f":
                    k -= 1
                initial = k < 0 or text[k] == "\n" or text[k] in _OPENERS
            out.append(Token(w, s, m.end(), initial))
        return out

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
