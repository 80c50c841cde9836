"""Number and date formats left in the source convention: "3,7 millions", "9 000", "12 h 00",
"Feb 13,2020"; and date styles that change inside one document (February 26th / February 26)."""

from __future__ import annotations

import regex

from toolkit.document import Finding, Severity
from toolkit.scorers.base import Context

# a comma before one or two digits: English groups thousands by three, so 5,6 and 2,53 are decimal
# commas (lists of numbers, 1,2,3 and 5, 6, are left alone)
_DECIMAL_COMMA = regex.compile(r"(?<![\d,.]|\d,\s?)(\d{1,3}),(\d{1,2})(?![\d,]|\s?,\s?\d|\s(?:and|or|&)\s\d)")
_SPACE_THOUSANDS = regex.compile(
    r"(?<![\d,.]|\d[ \u00a0\u202f])(\d{1,3})(?:[ \u00a0\u202f]\d{3})+(?![\d,.]|[ \u00a0\u202f]\d)"
)
_FRENCH_TIME = regex.compile(r"(?<!\d)([01]?\d|2[0-3]) ?h ?([0-5]\d)(?!\d)")
_DATE_NO_SPACE = regex.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2},(\d{4})\b")
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_ORD = regex.compile(rf"\b{_MONTH} \d{{1,2}}(st|nd|rd|th)\b")
_DATE_PLAIN = regex.compile(rf"\b{_MONTH} \d{{1,2}}\b(?!st|nd|rd|th|\d)")
_YEAR_RUN = regex.compile(r"^(19|20)\d\d$")
# a telephone number is grouped by spaces in English too ("call Samaritans free on 116 123")
_PHONE_CUE = regex.compile(
    r"\b(?:call|calls|calling|phone|telephone|tel|dial|ring|text|helpline|hotline|freephone|number|line)\b[^.\n]{0,30}$",
    regex.IGNORECASE,
)


def score(ctx: Context) -> list[Finding]:
    if ctx.lang not in ("en",):
        return []
    text = ctx.text
    out: list[Finding] = []
    for m in _DECIMAL_COMMA.finditer(text):
        out.append(ctx.finding(
            "number.decimal_comma", "Locale/Number format", Severity.MAJOR, m.start(), m.end(),
            f"decimal comma: '{m.group()}' reads as {m.group(1)}{m.group(2)} in English",
            f"{m.group(1)}.{m.group(2)}",
        ))  # fmt: skip
    for m in _SPACE_THOUSANDS.finditer(text):
        groups = regex.split(r"[ \u00a0\u202f]", m.group())
        if len(groups) == 2 and (_YEAR_RUN.match(groups[1]) or _YEAR_RUN.match(groups[0])):
            continue  # "in 2018 100 people": two numbers, not one
        if _PHONE_CUE.search(text, max(0, m.start() - 40), m.start()):
            continue
        out.append(ctx.finding(
            "number.space_thousands", "Locale/Number format", Severity.MINOR, m.start(), m.end(),
            "space as a thousands separator (French convention)", ",".join(groups),
        ))  # fmt: skip
    for m in _FRENCH_TIME.finditer(text):
        out.append(ctx.finding(
            "number.time_format", "Locale/Time format", Severity.MINOR, m.start(), m.end(),
            "French time notation", f"{int(m.group(1))}:{m.group(2)}",
        ))  # fmt: skip
    for m in _DATE_NO_SPACE.finditer(text):
        s = m.start(1) - 1
        out.append(ctx.finding(
            "number.date_format", "Locale/Date format", Severity.MINOR, s - 2, m.end(),
            "no space after the comma in a date", text[s - 2 : s + 1] + " " + m.group(1),
        ))  # fmt: skip
    ords = list(_DATE_ORD.finditer(text))
    plains = list(_DATE_PLAIN.finditer(text))
    if ords and plains:
        minority = ords if len(ords) <= len(plains) else plains
        style = "without" if minority is ords else "with"
        for m in minority:
            out.append(ctx.finding(
                "number.date_inconsistent", "Fluency/Inconsistency", Severity.NEUTRAL, m.start(), m.end(),
                f"dates are written {style} ordinal suffixes elsewhere in this document", None,
            ))  # fmt: skip
    return out
