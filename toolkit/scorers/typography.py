"""Typography carried over from the source: spaces inside quotes and before punctuation,
« », quote pairs that do not match or never close, no-break-space noise.

Quotes are read per paragraph with a small state machine: a straight quote is an opener
or a closer by its surroundings, and by parity only when the surroundings cannot tell
(a naive regex would fire on every straight quote).
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
    for s, e in ctx.lines:
        out += _quotes(ctx, s, e, french)
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


def _quotes(ctx: Context, s: int, e: int, french: bool) -> list[Finding]:
    text = ctx.text
    out: list[Finding] = []
    open_at: int | None = None
    open_ch = ""
    for m in _QUOTE.finditer(text, s, e):  # only the quotes: no Python step per character
        k, ch = m.start(), m.group()
        if ch == '"':
            role = _role(text, k, s, e)
            if role == "?":
                role = "close" if open_at is not None else "open"
            elif role == "open" and open_at is not None and text[s:k].rstrip()[-1:] in ",.;:!?":
                role = "close"  # 'means, "he said': a closer with French spacing
        else:
            role = "open" if ch in _OPEN else "close"
        if role == "open":
            if open_at is not None:
                out.append(_unclosed(ctx, open_at, open_ch))
            open_at, open_ch = k, ch
            after = text[k + 1] if k + 1 < e else ""
            if after and after in _SPACE and not french and ch != "«":  # ("" is in every string)
                end = k + 2
                while end < e and text[end] in _SPACE:
                    end += 1
                out.append(ctx.finding(
                    "typography.quote_spacing", "Fluency/Punctuation", Severity.MINOR, k, end,
                    "space after an opening quote (French spacing)", ch,
                ))  # fmt: skip
            continue
        # a closing quote
        if open_at is None:
            out.append(ctx.finding(
                "typography.quote_unopened", "Fluency/Punctuation", Severity.MINOR, k, k + 1,
                "closing quote with no opening quote in this paragraph",
            ))  # fmt: skip
        else:
            want = _OPEN.get(open_ch, '"')
            if ch != want and not (open_ch == '"' and ch == '"'):
                out.append(ctx.finding(
                    "typography.quote_mismatch", "Fluency/Punctuation", Severity.MINOR, open_at, k + 1,
                    f"opened with {open_ch} and closed with {ch}", None,
                ))  # fmt: skip
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
        open_at = None
    if open_at is not None:
        nxt = _next_line_start(ctx, e)
        # English continues a quotation across paragraphs by reopening it: not an error
        if nxt not in ('"', "“", "«"):
            out.append(_unclosed(ctx, open_at, open_ch))
    return out


def _next_line_start(ctx: Context, e: int) -> str:
    rest = ctx.text[e:].lstrip()
    return rest[:1]


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
