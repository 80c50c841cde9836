"""Page chrome left in the text: breadcrumbs, vote counters, app badges, related-story blocks,
tag lists, translation-widget labels (line level), and photo credits inside lines.

Evidence: the patterns of ``toolkit/data/boilerplate.json`` (several languages), position
(the short unpunctuated runs at the head and tail of a page), and, when a batch holds
several documents of one source, lines that recur across them (the site's template).
"""

from __future__ import annotations

import regex

from toolkit.document import Finding, Severity
from toolkit.scorers.base import Context
from toolkit.text.boilerplate import boilerplate_flags

_CREDIT = regex.compile(
    r"(?:^|(?<=[.!?]\s))TOPSHOT\s*-\s*"
    r"|/\s*(?:AFP|AP|EPA|ANP|DPA)\s+PHOTO\s*/\s*[\p{L} .'\-]{2,40}$"
    r"|(?<=[.!?]\s)(?:\p{Lu}[\p{L}'\-]+\s){1,3}\p{Lu}{2,}[\p{L}\-]*\s?/\s?"
    r"(?:AFP|AP|Reuters|EPA|Getty Images|ANP|DPA)\b",
    regex.MULTILINE,
)

_WHY = {
    "pattern": "a page-furniture phrase",
    "head": "navigation above the story",
    "tail": "links and tags below the story",
    "repeated": "a line this source repeats on other pages",
}


def score(ctx: Context) -> list[Finding]:
    lines = [ctx.text[s:e] for s, e in ctx.lines]
    flags = boilerplate_flags(lines)
    out: list[Finding] = []
    for (s, e), line, why in zip(ctx.lines, lines, flags, strict=True):
        if why is None and line.strip() in ctx.repeated_lines:
            why = "repeated"
        if why is None:
            continue
        # the line without its surrounding whitespace
        lead = len(line) - len(line.lstrip())
        trail = len(line) - len(line.rstrip())
        if e - trail <= s + lead:
            continue
        out.append(ctx.finding(
            "boilerplate.chrome", "Other/Boilerplate", Severity.MINOR, s + lead, e - trail,
            f"page chrome ({_WHY[why]}): remove it from the story text", "", reason=why,
        ))  # fmt: skip
    flagged = [(f.start, f.end) for f in out]
    for m in _CREDIT.finditer(ctx.text):
        if any(s <= m.start() < e for s, e in flagged):
            continue
        out.append(ctx.finding(
            "boilerplate.credit", "Other/Boilerplate", Severity.NEUTRAL, m.start(), m.end(),
            "photo caption code or credit inside the text", "",
        ))  # fmt: skip
    return out


def cleaned_text(text: str, findings: list[Finding]) -> str:
    """The text without the lines flagged as chrome (blank lines collapsed)."""
    cut = sorted((f.start, f.end) for f in findings if f.code == "boilerplate.chrome")
    parts = []
    pos = 0
    for s, e in cut:
        parts.append(text[pos:s])
        pos = e
    parts.append(text[pos:])
    kept = "".join(parts)
    return regex.sub(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)+", "\n\n", kept).strip() + "\n"
