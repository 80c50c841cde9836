"""A house-style glossary: preferred spellings (safe to apply) and banned forms (to review).

File format (JSON or TOML)::

    [prefer]            # variant = "preferred"
    "cease-fire" = "ceasefire"
    [ban]               # form = "why, or what to write instead"
    "Daesh" = "write 'Islamic State group' on first mention"
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import regex

from toolkit.document import Finding, Severity
from toolkit.scorers.base import Context, match_case


@dataclass(slots=True)
class Glossary:
    prefer: dict[str, str] = field(default_factory=dict)
    ban: dict[str, str] = field(default_factory=dict)
    _re: regex.Pattern[str] | None = None

    @classmethod
    def load(cls, path: Path) -> Glossary:
        raw = path.read_bytes()
        try:
            data = tomllib.loads(raw.decode("utf-8")) if path.suffix == ".toml" else json.loads(raw)
        except (ValueError, UnicodeDecodeError) as e:
            raise ValueError(f"{path}: not a glossary ({e})") from None
        prefer, ban = data.get("prefer", {}), data.get("ban", {})
        if not isinstance(prefer, dict) or not isinstance(ban, dict):
            raise ValueError(f"{path}: 'prefer' and 'ban' must be tables of strings")
        return cls({str(k): str(v) for k, v in prefer.items()}, {str(k): str(v) for k, v in ban.items()})

    def pattern(self) -> regex.Pattern[str] | None:
        if self._re is None and (self.prefer or self.ban):
            keys = sorted({*self.prefer, *self.ban}, key=lambda k: (-len(k), k))
            alts = "|".join(regex.escape(k) for k in keys)
            self._re = regex.compile(rf"(?<!\p{{L}})(?:{alts})(?!\p{{L}})", regex.IGNORECASE)
        return self._re

    def score(self, ctx: Context) -> list[Finding]:
        pat = self.pattern()
        if pat is None:
            return []
        lower_prefer = {k.casefold(): v for k, v in self.prefer.items()}
        lower_ban = {k.casefold(): v for k, v in self.ban.items()}
        out = []
        for m in pat.finditer(ctx.text):
            key = m.group().casefold()
            if key in lower_prefer:
                good = match_case(m.group(), lower_prefer[key])
                if good == m.group():
                    continue
                out.append(ctx.finding(
                    "style.glossary", "Style/Company style", Severity.MINOR, m.start(), m.end(),
                    f"house style writes '{good}'", good, safe=True,
                ))  # fmt: skip
            else:
                out.append(ctx.finding(
                    "style.banned", "Style/Company style", Severity.MAJOR, m.start(), m.end(),
                    f"banned by the house style: {lower_ban[key]}", None,
                ))  # fmt: skip
        return out
