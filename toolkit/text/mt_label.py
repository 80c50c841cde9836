"""A publisher's machine-translation label ("This article was machine translated"), or the
record's own ``machine_translated`` flag: used by clustering (a translation beside its source)
and by the comparison's roles (the labelled version is the translation)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.document import Document


def _required_literal(pattern: str) -> str | None:
    """A run of letters every match of ``pattern`` contains (its longest top-level one), if any.

    Groups, character classes and escapes are blanked out first; a letter made optional by
    ``?``, ``*`` or ``{`` ends a run. Patterns with a top-level ``|`` have none.
    """
    flat = re.sub(r"\\.", "\x00", pattern)
    flat = re.sub(r"\[[^\]]*\][?*+]?", "\x00", flat)
    while True:
        stripped = re.sub(r"\([^()]*\)[?*+]?", "\x00", flat)
        if stripped == flat:
            break
        flat = stripped
    if "|" in flat:
        return None
    letter = r"[^\W\d_](?![?*{])"
    runs = [r.strip() for r in re.findall(rf"{letter}(?:{letter}| (?={letter}))*", flat)]
    best = max(runs, key=len, default="")
    return best if len(best) >= 4 else None


@lru_cache(maxsize=1)
def _mt_label() -> tuple[re.Pattern[str], tuple[str, ...] | None]:
    """The label pattern, and literals one of which every label contains (None: no such set)."""
    text = resources.files("toolkit.data").joinpath("mt_labels.txt").read_text(encoding="utf-8")
    pats = [line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    literals = [_required_literal(p) for p in pats]
    # matched against lower-cased text: three times faster than re.IGNORECASE
    pattern = re.compile("|".join(f"(?:{p})" for p in pats))
    return pattern, (None if None in literals else tuple(sorted({x for x in literals if x})))


def is_machine_translated(doc: Document) -> bool:
    """True when the text carries a publisher's machine-translation label (or the record says so)."""
    flag = doc.record.get("machine_translated")
    if isinstance(flag, bool):
        return flag
    # Publishers put the label near the top or the bottom of the page.
    text = doc.text
    head_tail = text if len(text) <= 2000 else text[:1000] + "\n" + text[-1000:]
    pattern, literals = _mt_label()
    low = head_tail.lower()
    # a substring test per literal is far cheaper than the regular expression's scan
    if literals is not None and not any(x in low for x in literals):
        return False
    return bool(pattern.search(low))
