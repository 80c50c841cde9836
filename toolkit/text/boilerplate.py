"""Page chrome at the line or sentence level: "You are here", "13 users have voted.", tag lists.

Two kinds of evidence, no corpus needed: phrase patterns (``toolkit/data/boilerplate.json``)
anywhere, and position: the runs of short lines without end punctuation at the head and the
tail of a document (breadcrumbs, section labels, related-story headlines, tags), stopping at
the first line that reads like prose.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

_END = re.compile(r"[.!?…:;»\"'”’)]\s*$")
HEAD_MAX_WORDS = 5  # breadcrumbs and section labels; a headline above the story is content
TAIL_MAX_WORDS = 16  # related-story headlines and tags below it


@lru_cache(maxsize=1)
def _patterns() -> re.Pattern[str]:
    data = json.loads(resources.files("toolkit.data").joinpath("boilerplate.json").read_text(encoding="utf-8"))
    return re.compile("|".join(f"(?:{p})" for p in data["patterns"]), re.IGNORECASE)


def matches_pattern(line: str) -> bool:
    return _patterns().search(line.strip()) is not None


def _edge_like(line: str, max_words: int) -> bool:
    s = line.strip()
    return not _END.search(s) and len(s.split()) < max_words


CHROME_MAX_WORDS = 25  # page furniture is short; a long paragraph is the story


def boilerplate_flags(lines: list[str]) -> list[str | None]:
    """For each line (or sentence): why it is page chrome ("pattern", "head", "tail"), or None."""
    out: list[str | None] = [
        "pattern" if len(x.split()) <= CHROME_MAX_WORDS and matches_pattern(x) else None for x in lines
    ]
    if all(_edge_like(line, TAIL_MAX_WORDS) for line in lines):
        # no line reads like prose: a headline, a caption, a brief; there is no story for the
        # lines around it to be the page's furniture of
        return out
    for k, line in enumerate(lines):
        if out[k] is None and not _edge_like(line, HEAD_MAX_WORDS):
            break
        out[k] = out[k] or "head"
    for k in range(len(lines) - 1, -1, -1):
        if out[k] is None and not _edge_like(lines[k], TAIL_MAX_WORDS):
            break
        out[k] = out[k] or "tail"
    return out
