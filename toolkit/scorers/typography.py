"""Typography carried over from the source: spaces inside quotes and before punctuation,
« », quote pairs that do not match or never close, no-break-space noise.

Quotes are paired over the whole text with a small stack: a straight quote is an opener or
a closer by its surroundings, and by parity only when the surroundings cannot tell (a naive
regex would fire on every straight quote). A quotation may nest one inside another and run
over several lines (one-sentence-per-line feeds, English's reopened paragraphs); a straight
quote between letters or after a plural -s before a word is an apostrophe typed as a quote.
"""

from __future__ import annotations

import re

import regex

from toolkit.document import Finding, Severity
from toolkit.scorers.base import Context

_SPACE = " \u00a0\u202f\t"
_OPEN = {"“": "”", "«": "»", "„": "“"}
_CLOSE = {"”", "»"}
# French-spaced punctuation ("Syria .", "Le Monde ,"); numbers and ellipses aside
_SPACE_BEFORE = regex.compile(r"(?<=[\p{L}\p{N}\)\]])[ \u00a0\u202f]+([.,;:!?])(?=[\s\"”»]|$)")
_SINGLE_SPACED = regex.compile(r"(?<=^|[\s(])'[ \u00a0]+[^'\n]{1,60}?[ \u00a0]+'(?=[\s.,;:!?)]|$)")
_NBSP = regex.compile(r"[\u00a0\u202f\u2007]+")


def score(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    french = ctx.lang == "fr"
    if not french:
        out += _space_before(ctx)
        out += _guillemets(ctx)
        out += _nbsp(ctx)
    out += _quotes(ctx, french)
    for m in _SINGLE_SPACED.finditer(ctx.text):
        out.append(ctx.finding(
            "typography.quote_spacing", "Fluency/Punctuation", Severity.MINOR, m.start(), m.end(),
            "spaces inside single quotes (French spacing)",
            regex.sub(r"'[ \u00a0]+(.*?)[ \u00a0]+'", r"'\1'", m.group()),
        ))  # fmt: skip
    return out


def _space_before(ctx: Context) -> list[Finding]:
    out = []
    for m in _SPACE_BEFORE.finditer(ctx.text):
        p = m.group(1)
        prev = ctx.text[max(0, m.start() - 12) : m.start()].split()
        out.append(ctx.finding(
            "typography.space_before_punct", "Fluency/Punctuation", Severity.MINOR, m.start(), m.end(),
            f"space before '{p}' (French typography)", p, context=prev[-1] if prev else "",
        ))  # fmt: skip
    return out


def _guillemets(ctx: Context) -> list[Finding]:
    out = []
    for m in regex.finditer(r"«[ \u00a0\u202f]*|[ \u00a0\u202f]*»", ctx.text):
        fix = "“" if "«" in m.group() else "”"
        out.append(ctx.finding(
            "typography.guillemets", "Fluency/Punctuation", Severity.MINOR, m.start(), m.end(),
            "French guillemets in English text", fix,
        ))  # fmt: skip
    return out


def _nbsp(ctx: Context) -> list[Finding]:
    out = []
    for m in _NBSP.finditer(ctx.text):
        s, e = m.span()
        line_s = ctx.text.rfind("\n", 0, s) + 1
        line_e = ctx.text.find("\n", e)
        line_e = len(ctx.text) if line_e < 0 else line_e
        line = ctx.text[line_s:line_e]
        if not line.strip(_SPACE + "\u2007"):
            msg, fix = "line holding only a no-break space", ""
        elif line[e - line_s :].strip() == "":
            msg, fix = "trailing no-break space", ""
        else:
            msg, fix = "no-break space inside running text", " "
        out.append(ctx.finding("typography.nbsp", "Fluency/Whitespace", Severity.NEUTRAL, s, e, msg, fix))
    return out


def _role(text: str, k: int, s: int, e: int) -> str:
    """'open', 'close' or '?' for a straight quote at ``k`` in the line ``text[s:e]``."""
    before = text[k - 1] if k > s else " "
    after = text[k + 1] if k + 1 < e else " "
    b_space = before in _SPACE or before in "([{—–-"
    a_space = after in _SPACE or after in ".,;:!?)]}—–"
    if b_space and not a_space:
        return "open"
    if a_space and not b_space:
        return "close"
    return "?"


_QUOTE = re.compile('["“”«»„]')
# words that open an attribution after a quotation ('..., "said Erdogan')
_ATTRIBUTION = frozenset(["said", "says", "added", "adds", "told", "asked", "explained", "noted", "continued"])
# quotations nest at most this deep (a quote inside a quote inside a quote); deeper is a slip
MAX_DEPTH = 3


def _quotes(ctx: Context, french: bool) -> list[Finding]:
    """Quote pairing over the whole text, paragraph by paragraph.

    A quotation may run over several lines: feeds that give one sentence per line split a
    multi-sentence quote, and English reopens a quote at each new paragraph. So an open quote
    is carried to the next paragraph (a paragraph that starts with a quote continues it) and is
    called unclosed only when the text ends, or a new quotation opens at depth MAX_DEPTH.
    """
    text = ctx.text
    out: list[Finding] = []
    stack: list[tuple[int, str]] = []
    for s, e in ctx.lines:
        first = True
        for m in _QUOTE.finditer(text, s, e):  # only the quotes: no Python step per character
            k, ch = m.start(), m.group()
            at_start = first and not text[s:k].strip()
            first = False
            if ch == '"':
                role = _role(text, k, s, e)
                if role == "?" and k > s and k + 1 < e and text[k - 1].isalpha() and text[k + 1].isalpha():
                    continue  # d"état: an apostrophe typed as a quote, not a quotation
                if role == "close" and _possessive(text, k, e, bool(stack)):
                    continue  # the Lakers" season: an apostrophe typed as a quote
                if role == "?":
                    role = "close" if stack else "open"
                elif role == "open" and _spaced_closer(text, s, k, e, bool(stack)):
                    role = "close"  # 'means, "he said': a closer with French spacing
            else:
                role = "open" if ch in _OPEN else "close"
            if role == "open":
                if stack and at_start:
                    stack.pop()  # the English reopening of a quotation in a new paragraph
                elif len(stack) >= MAX_DEPTH:
                    out.append(_unclosed(ctx, *stack.pop()))
                stack.append((k, ch))
                out += _open_spacing(ctx, k, e, ch, french)
                continue
            if not stack:
                out.append(ctx.finding(
                    "typography.quote_unopened", "Fluency/Punctuation", Severity.MINOR, k, k + 1,
                    "closing quote with no opening quote before it",
                ))  # fmt: skip
            else:
                open_at, open_ch = stack.pop()
                # „ closes with “ (German) or ” (Polish); a straight quote only with a straight one
                want = _OPEN.get(open_ch, '"')
                if ch != want and not (open_ch == "„" and ch == "”"):
                    out.append(ctx.finding(
                        "typography.quote_mismatch", "Fluency/Punctuation", Severity.MINOR, open_at, k + 1,
                        f"opened with {open_ch} and closed with {ch}", None,
                    ))  # fmt: skip
            out += _close_spacing(ctx, k, s, e, ch, french)
    # the outermost quotation left open is the slip; the ones inside it follow from it
    if stack:
        out.append(_unclosed(ctx, *stack[0]))
    return out


def _possessive(text: str, k: int, e: int, inside: bool) -> bool:
    """A straight quote after a plural -s and before a word is an apostrophe when no quotation
    is open, or when the next quote of the paragraph closes one (so it cannot be this one)."""
    if text[k - 1] not in "sS" or not text[k + 1 : k + 3].startswith(" ") or not text[k + 2 : k + 3].isalpha():
        return False
    if not inside:
        return True
    nxt = text.find('"', k + 1, e)
    s = text.rfind("\n", 0, k) + 1
    return nxt > 0 and _role(text, nxt, s, e) == "close"


def _spaced_closer(text: str, s: int, k: int, e: int, inside: bool) -> bool:
    """A quote after ', ' and before a lower-case word closes a quote ('means, "he said'): inside
    a quotation any lower-case word, outside one only the words of an attribution."""
    if text[s:k].rstrip()[-1:] not in (",", ".", ";", ":", "!", "?"):
        return False
    word = text[k + 1 : e].split(maxsplit=1)[:1]
    if not word or not word[0][:1].islower():
        return False
    return inside or word[0].strip(".,;:") in _ATTRIBUTION


def _open_spacing(ctx: Context, k: int, e: int, ch: str, french: bool) -> list[Finding]:
    text = ctx.text
    after = text[k + 1] if k + 1 < e else ""
    if not after or after not in _SPACE or french or ch == "«":  # ("" is in every string)
        return []
    end = k + 2
    while end < e and text[end] in _SPACE:
        end += 1
    return [ctx.finding(
        "typography.quote_spacing", "Fluency/Punctuation", Severity.MINOR, k, end,
        "space after an opening quote (French spacing)", ch,
    )]  # fmt: skip


def _close_spacing(ctx: Context, k: int, s: int, e: int, ch: str, french: bool) -> list[Finding]:
    text = ctx.text
    out = []
    before = text[k - 1] if k > s else ""
    if before and before in _SPACE and not french and ch != "»":
        st = k - 1
        while st > s and text[st - 1] in _SPACE:
            st -= 1
        out.append(ctx.finding(
            "typography.quote_spacing", "Fluency/Punctuation", Severity.MINOR, st, k + 1,
            "space before a closing quote (French spacing)", ch,
        ))  # fmt: skip
    after = text[k + 1] if k + 1 < e else " "
    if after.isalpha():
        out.append(ctx.finding(
            "typography.quote_spacing", "Fluency/Punctuation", Severity.MINOR, k, k + 1,
            "no space after a closing quote", ch + " ",
        ))  # fmt: skip
    return out


def _unclosed(ctx: Context, k: int, ch: str) -> Finding:
    end = ctx.text.find("\n", k)
    end = len(ctx.text) if end < 0 else end
    return ctx.finding(
        "typography.quote_unclosed",
        "Fluency/Punctuation",
        Severity.MINOR,
        k,
        min(end, k + 40),
        f"quotation opened with {ch} is never closed",
        None,
    )
