"""Mistranslations, false friends and calques from rule packs (``toolkit/data/rules/SRC-TGT.json``).

A pack is data: regular expressions over the translation with the source-language form
they come from, an explanation and a fix. Other language pairs fill the same format; users
add their own packs (``load_pack``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from toolkit.document import Finding, Severity
from toolkit.scorers.base import Context

_MQM = {"false_friend": "Accuracy/Mistranslation", "calque": "Fluency/Style (calque)",
        "mistranslation": "Accuracy/Mistranslation", "grammar": "Fluency/Grammar",
        "untranslated_convention": "Locale/Convention"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    pattern: regex.Pattern[str]
    category: str
    severity: Severity
    source_form: str
    explain: str
    fix: str | None
    needs: tuple[str, ...] = ()  # words one of which every match contains: texts without any are not scanned


def _needs(rule: dict[str, Any]) -> tuple[str, ...]:
    given = rule.get("needs")
    if given:
        return tuple(str(w).casefold() for w in given)
    word = _required_word(rule["pattern"])
    return (word,) if word else ()


def _required_word(pattern: str) -> str:
    """The longest literal word outside any group of a pattern without top-level alternatives ('' if none)."""
    depth, top, k = 0, [], 0
    while k < len(pattern):
        c = pattern[k]
        if c == "\\":  # an escape (word boundary, class): not a literal letter
            top.append(" ")
            k += 2
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif depth == 0:
            if c == "|":
                return ""
            top.append(c if c.isalpha() else " ")
        k += 1
    text = "".join(top)
    # a letter followed by a quantifier is optional: drop such words
    words = [w for w in regex.findall(r"[^\W\d_]+", text) if len(w) >= 4]
    words = [w for w in words if regex.search(regex.escape(w) + r"[?*{]", pattern) is None]
    return max(words, key=len).casefold() if words else ""


def _compile(pack: dict[str, Any], origin: str) -> tuple[str, list[Rule]]:
    pair = pack.get("pair")
    if not isinstance(pair, str) or "-" not in pair:
        raise ValueError(f'{origin}: a rule pack needs "pair": "SRC-TGT"')
    rules = []
    for k, r in enumerate(pack.get("rules", [])):
        try:
            flags = 0 if r.get("case") else regex.IGNORECASE
            rules.append(Rule(
                r["id"], regex.compile(r["pattern"], flags), r.get("category", "mistranslation"),
                Severity.parse(r.get("severity", "minor")), r.get("french") or r.get("source", ""),
                r["explain"], r.get("fix"), _needs(r),
            ))  # fmt: skip
        except (KeyError, regex.error, ValueError) as e:
            raise ValueError(f"{origin}: rule {k} ({r.get('id', '?')}): {e}") from None
    return pair, rules


@lru_cache(maxsize=1)
def builtin_packs() -> dict[str, tuple[Rule, ...]]:
    out: dict[str, tuple[Rule, ...]] = {}
    folder = resources.files("toolkit.data").joinpath("rules")
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            pair, rules = _compile(json.loads(entry.read_text(encoding="utf-8")), entry.name)
            out[pair] = tuple(rules)
    return out


def load_pack(path: Path) -> tuple[str, tuple[Rule, ...]]:
    """A user's rule pack, in the built-in format."""
    pair, rules = _compile(json.loads(path.read_text(encoding="utf-8")), str(path))
    return pair, tuple(rules)


def score(ctx: Context, extra: dict[str, tuple[Rule, ...]] | None = None) -> list[Finding]:
    packs = dict(builtin_packs())
    for pair, rules in (extra or {}).items():
        packs[pair] = packs.get(pair, ()) + rules
    out = []
    low = ctx.text.casefold()
    for src in ctx.source_langs:
        for rule in packs.get(f"{src}-{ctx.lang}", ()):
            if rule.needs and not any(w in low for w in rule.needs):
                continue
            for m in rule.pattern.finditer(ctx.text):
                out.append(ctx.finding(
                    f"rule.{rule.category}", _MQM.get(rule.category, "Accuracy/Mistranslation"), rule.severity,
                    m.start(), m.end(), f"{rule.explain} ({src}: {rule.source_form})", rule.fix,
                    rule=rule.id, source_lang=src,
                ))  # fmt: skip
    return out
