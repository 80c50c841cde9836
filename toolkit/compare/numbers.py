"""Numbers across a sentence pair: values in any convention (3,5 = 3.5; 12 h = 12:00 = noon; XIVe siècle =
14th century; mil milhões), spelled numbers, model numbers, unit conversions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import regex

from toolkit.compare.words import Issue
from toolkit.text.numbers import find_numbers, number_words
from toolkit.text.words import WORD

_MILITARY = regex.compile(r"^([01]\d|2[0-3])([0-5]\d)$")


_CLOCK_AFTER = regex.compile(r"\s*(?:GMT|UTC|hrs|hours|h\b|Uhr|heures)", regex.IGNORECASE)


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
