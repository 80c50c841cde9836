"""Numbers in running text, read in the writer's convention and compared across languages.

"3,7 millions" (fr) and "3.7 million" (en) both read as 3,700,000; "9 000" and "9,000" as
9,000; "12 h 00" and "12:00" as the time 12:00. Used by clustering (language-independent
keys), the number-format scorer and the bilingual number check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# digits with optional group separators (space, no-break spaces, comma, period, apostrophe)
# No look-behind: the scan jumps from digit to digit; the preceding character is checked in code.
_NUMBER = re.compile(
    r"(?P<num>\d{1,2}(?:,\d{2})+,\d{3}(?!\d)"  # Indian grouping: 3,80,000
    r"|\d{1,3}(?:(?:[ \u00a0\u202f]|[,.’'](?=\d{3}(?!\d)))\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?P<pct>\s?%)?"
    r"(?:[ \u00a0\u202f]?(?P<scale>[^\W\d_]+))?",
)
_DIGIT = re.compile(r"\d")
_TIME_HINT = re.compile(r"\d\s?h|\d:\d|\d\sUhr|\d\s?[ap]\.?m\b", re.IGNORECASE)  # a cheap scan first
# 12:30, 12 h 30, and a whole hour: 12 h (fr), 12 Uhr (de)
_TIME = re.compile(
    r"(?<!\d)(?P<h>[01]?\d|2[0-3])(?:\s?h\s?(?P<m>[0-5]\d)|:(?P<m2>[0-5]\d)|\s?h(?![\w\d])|\s(?:Uhr|heures?)\b)(?![\d:])"
)
# a Roman numeral that counts centuries or rulers: XIVe siècle, siglo XIV, the XIV century
_ROMAN = re.compile(r"\b(?P<r>[IVXLC]{1,7})(?P<suf>e|er|ème|eme|o|º)?\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_CENTURY_WORDS = ("siècle", "siecle", "siglo", "secolo", "século", "seculo", "century", "centuries", "jahrhundert",
                  "eeuw")  # fmt: skip
_CENTURY = re.compile("|".join(_CENTURY_WORDS), re.IGNORECASE)
# characters that IGNORECASE matches to the pattern's letters but lower() does not map to them
# (tests/text/test_numbers.py finds them among every code point)
_CASE_ODD = ("ſ", "ı", "İ")
_COMPOUND_SCALE = re.compile(r"\s+(milhões|millones|milhoes)\b", re.IGNORECASE)  # mil milhões = 10^9


@dataclass(frozen=True, slots=True)
class Number:
    start: int
    end: int
    text: str
    value: float
    kind: str  # "number", "percent" or "time"

    @property
    def key(self) -> str:
        if self.kind == "time":
            return f"t:{int(self.value) // 60:02d}:{int(self.value) % 60:02d}"
        v = round(self.value, 6)
        s = str(int(v)) if v == int(v) else repr(v)
        return ("p:" if self.kind == "percent" else "n:") + s


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    path = resources.files("toolkit.data").joinpath("number_words.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _decimal_comma(lang: str) -> bool:
    return lang.split("-")[0] in _data()["decimal_comma"]


def parse_number(raw: str, lang: str) -> float | None:
    """Value of a digit string written in ``lang``'s convention."""
    s = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    s = s.replace(" ", "").replace("'", "")
    comma, dot = "," in s, "." in s
    if comma and dot:
        # The later separator is the decimal one: 1,234.5 or 1.234,5.
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif comma:
        groups = s.split(",")
        thousands = len(groups) > 2 or (len(groups[-1]) == 3 and not _decimal_comma(lang))
        s = s.replace(",", "") if thousands else s.replace(",", ".")
    elif dot:
        groups = s.split(".")
        thousands = len(groups) > 2 or (len(groups[-1]) == 3 and _decimal_comma(lang))
        s = s.replace(".", "") if thousands else s
    try:
        return float(s)
    except ValueError:
        return None


_AMPM = re.compile(r"(?<![\d:.])(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<m>[0-5]\d))?\s?(?P<x>[ap])\.?m\.?(?!\w)", re.IGNORECASE)


def _times(text: str) -> Iterator[Number]:
    if not _TIME_HINT.search(text):
        return
    taken = []
    for a in _AMPM.finditer(text):  # 7 a.m., 3:30 pm
        hour = int(a.group("h")) % 12 + (12 if a.group("x").lower() == "p" else 0)
        taken.append((a.start(), a.end()))
        yield Number(a.start(), a.end(), a.group(), float(hour * 60 + int(a.group("m") or 0)), "time")
    for t in _TIME.finditer(text):
        if any(s <= t.start() < e for s, e in taken):
            continue
        minutes = int(t.group("h")) * 60 + int(t.group("m") or t.group("m2") or 0)
        yield Number(t.start(), t.end(), t.group(), float(minutes), "time")


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral of I, V, X, L and C (None otherwise)."""
    total = 0
    values = [_ROMAN_VALUES[c] for c in numeral]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return total if total and _to_roman(total) == numeral else None


def _to_roman(n: int) -> str:
    out = []
    for v, r in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(r)
            n -= v
    return "".join(out)


def _century_word(text: str) -> bool:
    """Whether ``_CENTURY`` matches anywhere: substring tests on the lower-cased text (a twentieth
    of the case-insensitive search), the search itself where odd case mappings could differ."""
    if any(c in text for c in _CASE_ODD):
        return _CENTURY.search(text) is not None
    low = text.lower()
    return any(w in low for w in _CENTURY_WORDS)


def _romans(text: str) -> Iterator[Number]:
    """Roman numerals next to a century word (XIVe siècle, siglo XIV): ordinary numbers elsewhere
    would be read in pronouns and initials (I, V)."""
    if not _century_word(text):
        return
    for m in _ROMAN.finditer(text):
        value = roman_value(m.group("r"))
        near = text[max(0, m.start() - 12) : m.end() + 14]
        if value is not None and (m.group("suf") or len(m.group("r")) > 1) and _CENTURY.search(near):
            yield Number(m.start(), m.end(), m.group(), float(value), "number")


def _digit_runs(text: str, taken: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """Number matches that start a token and lie outside ``taken`` (clock times)."""
    pos = 0
    while (d := _DIGIT.search(text, pos)) is not None:
        m = _NUMBER.match(text, d.start())
        if m is None:  # pragma: no cover - a digit always starts a number
            pos = d.start() + 1
            continue
        pos = m.end("num")
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue
        if taken and any(s <= start < e for s, e in taken):
            continue
        yield m


def find_numbers(text: str, lang: str = "en") -> list[Number]:
    """Numbers (with scale words such as million/milliard), percentages and clock times."""
    scales = scale_words(lang)
    out: list[Number] = [*_times(text), *_romans(text)]
    taken = [(n.start, n.end) for n in out]
    for m in _digit_runs(text, taken):
        value = parse_number(m.group("num"), lang)
        if value is None:
            continue
        end = m.end("num")
        kind = "number"
        if m.group("pct"):
            kind, end = "percent", m.end("pct")
        scale = (m.group("scale") or "").lower()
        if kind == "number" and scale in scales:
            value *= scales[scale]
            end = m.end("scale")
            if scale == "mil" and (more := _COMPOUND_SCALE.match(text, end)):
                value *= 1e6  # mil milhões, mil millones: a thousand millions
                end = more.end()
        out.append(Number(m.start(), end, text[m.start() : end], value, kind))
    out.sort(key=lambda n: n.start)
    return out


def number_words(lang: str) -> dict[str, int]:
    units: dict[str, int] = _data()["units"].get(lang.split("-")[0], {})
    return units


def scale_words(lang: str) -> dict[str, float]:
    """Scale words of ``lang`` (million, milliard …) and their values; English when unknown."""
    scales: dict[str, dict[str, float]] = _data()["scales"]
    return scales.get(lang.split("-")[0], scales["en"])


def number_key(
    written: str, lang: str, scale: float = 1.0, percent: bool = False, min_value: float = 10.0
) -> str | None:
    """The key :func:`find_numbers` gives a number written in digits (``n:3700000``, ``p:2.5``).

    ``scale`` is the value of a following scale word. None when ``written`` does not read
    as a number, or for a whole number below ``min_value`` (small counts are as often
    spelt out as written in digits, so they do not identify a story).
    """
    value = parse_number(written, lang)
    if value is None:
        return None
    if percent:
        return Number(0, 0, written, value, "percent").key
    value *= scale
    if value < min_value and value.is_integer():
        return None
    return Number(0, 0, written, value, "number").key
