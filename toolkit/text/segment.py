"""Paragraph and sentence segmentation with code-point offsets.

Sentences come from the Moses splitting algorithm (``sentence-splitter``), which measured
best on English and French news of the candidates tried (``bench/quality/segmenters.py``), with
the project's extra non-breaking prefixes from ``toolkit/data/nonbreaking_prefixes/``.
Spans are recovered by matching the splitter's output back to the text, so offsets are
exact even though the splitter itself returns strings.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import regex

Span = tuple[int, int]

_BLANK = re.compile(r"\n[ \t]*\n")
_LINE = re.compile(r"[^\n]+")
_END_PUNCT = re.compile(r"[.!?:;»\"'”’)\]…]\s*$")


def paragraph_spans(text: str) -> list[Span]:
    """Spans of paragraphs (leading and trailing spaces excluded).

    A paragraph is a non-blank line; lines of a block that look hard-wrapped (no end
    punctuation, next line starting in lower case) are joined into one paragraph.
    """
    spans: list[Span] = []
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s == e:
            continue
        if spans:
            ps, pe = spans[-1]
            between = text[pe:s]
            if between.count("\n") == 1 and not _END_PUNCT.search(text[ps:pe]) and text[s].islower():
                spans[-1] = (ps, e)
                continue
        spans.append((s, e))
    return spans


class _CompiledRegex:
    """The ``regex`` module as sentence_splitter calls it (``regex.sub(pattern=..., string=...,
    flags=...)`` with pattern strings), each pattern compiled once: the module's own cache look-up
    costs more than the match (nine microseconds a call, three calls a word), and splitting ran
    at 2.1 ms a news document against 0.9 ms with this (the same patterns, so the same spans)."""

    def __init__(self, module: Any) -> None:
        self._module = module
        self._compiled: dict[tuple[str, int], Any] = {}

    def _c(self, pattern: str, flags: int) -> Any:
        key = (pattern, int(flags))
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = self._module.compile(pattern, flags)
        return found

    def sub(self, pattern: str, repl: str, string: str, count: int = 0, flags: int = 0) -> str:
        return self._c(pattern, flags).sub(repl, string, count)  # type: ignore[no-any-return]

    def search(self, pattern: str, string: str, flags: int = 0) -> Any:
        return self._c(pattern, flags).search(string)

    def match(self, pattern: str, string: str, flags: int = 0) -> Any:
        return self._c(pattern, flags).match(string)

    def split(self, pattern: str, string: str, maxsplit: int = 0, flags: int = 0) -> list[str]:
        return self._c(pattern, flags).split(string, maxsplit)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:  # flags and anything else: the module's own
        return getattr(self._module, name)


@lru_cache(maxsize=32)
def _splitter(lang: str) -> Any:
    import sentence_splitter
    from sentence_splitter import SentenceSplitter, SentenceSplitterException

    if sentence_splitter.regex is regex:  # once; a later version that imports otherwise is left as it is
        sentence_splitter.regex = _CompiledRegex(regex)

    try:
        splitter = SentenceSplitter(language=lang)
    except SentenceSplitterException:
        splitter = SentenceSplitter(language="en")
    extra = _extra_prefixes(lang)
    if extra:
        # The library reads one prefix file; ours adds to it rather than replacing it.
        prefixes = splitter._SentenceSplitter__non_breaking_prefixes
        default = splitter.PrefixType.DEFAULT
        numeric = splitter.PrefixType.NUMERIC_ONLY
        for prefix, numeric_only in extra:
            prefixes[prefix] = numeric if numeric_only else default
    return splitter


def _extra_prefixes(lang: str) -> list[tuple[str, bool]]:
    path = resources.files("toolkit.data").joinpath("nonbreaking_prefixes", f"{lang}.txt")
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        body = line.split("#", 1)[0].strip()
        if body:
            out.append((body, "#NUMERIC_ONLY#" in line))
    return out


def _locate(text: str, pieces: list[str]) -> list[Span]:
    """Find each piece in ``text`` in order, ignoring whitespace differences."""
    spans: list[Span] = []
    pos, n = 0, len(text)
    for piece in pieces:
        chars = [c for c in piece if not c.isspace()]
        if not chars:
            continue
        while pos < n and text[pos].isspace():
            pos += 1
        start, k = pos, 0
        while pos < n and k < len(chars):
            c = text[pos]
            if c.isspace():
                pos += 1
                continue
            if c != chars[k]:
                return []  # the splitter changed the text: caller falls back
            k += 1
            pos += 1
        spans.append((start, pos))
    return spans


def split_sentences(text: str, lang: str = "en") -> list[Span]:
    """Sentence spans inside one paragraph (or any short text)."""
    if not text.strip():
        return []
    if _one_sentence(text):
        s = len(text) - len(text.lstrip())
        return [(s, len(text.rstrip()))]
    pieces = _splitter(_base_lang(lang)).split(text)
    spans = _locate(text, pieces)
    if not spans:
        s = len(text) - len(text.lstrip())
        return [(s, len(text.rstrip()))]
    return spans


def _one_sentence(text: str) -> bool:
    """Whether the splitter cannot cut ``text``: it cuts only after a . ? or ! that a space
    follows (and at a line break), so a text with none of them before its last word is one
    sentence. Most lines of news are; the splitter's two dozen regular expressions are not run
    on them (a third of the clustering's sentence work on fifteen-language news)."""
    if "\n" in text:
        return False
    body = text.rstrip()
    head = body[: body.rfind(" ") + 1]
    return "." not in head and "?" not in head and "!" not in head


def sentence_spans(text: str, lang: str = "en") -> list[Span]:
    """Sentence spans over a whole document; sentences never cross paragraphs."""
    out: list[Span] = []
    for ps, pe in paragraph_spans(text):
        out.extend((ps + s, ps + e) for s, e in split_sentences(text[ps:pe], lang))
    return out


def _base_lang(lang: str) -> str:
    base = (lang or "en").split("-")[0].lower()
    return base if len(base) == 2 and base.isalpha() else "en"
