"""The cleaned-text export: boilerplate removed and the safe fixes applied, the rest listed.

A fix is *safe* when its code is listed in ``toolkit/data/fixes.json`` (mechanical edits that
cannot change what the story says) or when its scorer marked it so (``evidence.safe``, a
house-style glossary spelling). Everything else is an editor's call: listed, never applied.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import regex

_BLANK_RUNS = regex.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_UNSAFE_PATH = regex.compile(r"[^\p{L}\p{N}\-_.~/]")


@cache
def safe_codes() -> dict[str, str]:
    """Safe finding codes and why each is safe."""
    data = json.loads(resources.files("toolkit.data").joinpath("fixes.json").read_text("utf-8"))
    return dict(data["safe"])


def is_safe(finding: dict[str, Any]) -> bool:
    if finding.get("fix") is None:
        return False
    return finding["code"] in safe_codes() or (finding.get("evidence") or {}).get("safe") is True


@dataclass(slots=True)
class Cleaned:
    id: str
    text: str
    applied: list[dict[str, Any]] = field(default_factory=list)  # findings whose fix was applied
    review: list[dict[str, Any]] = field(default_factory=list)  # fixes an editor must decide on
    skipped: list[dict[str, Any]] = field(default_factory=list)  # safe, but overlapping an applied edit

    def record(self) -> dict[str, Any]:
        def brief(f: dict[str, Any]) -> dict[str, Any]:
            return {k: f.get(k) for k in ("code", "start", "end", "text", "fix", "message")}

        return {
            "id": self.id,
            "text": self.text,
            "applied": [brief(f) for f in self.applied],
            "review": [brief(f) for f in self.review],
            "skipped": [brief(f) for f in self.skipped],
        }


def clean(doc_id: str, text: str, findings: list[dict[str, Any]]) -> Cleaned:
    """Apply the safe fixes of ``findings`` (code-point offsets into ``text``) from left to right.

    Overlapping safe edits: the earlier (then the longer) wins and the other is reported as
    skipped. Blank-line runs left by removed lines collapse to one paragraph break.
    """
    out = Cleaned(doc_id, text)
    safe = [f for f in findings if is_safe(f)]
    out.review = [f for f in findings if f.get("fix") is not None and not is_safe(f)]
    edits = [(int(f["start"]), int(f["end"]), str(f["code"]), str(f["fix"])) for f in safe]
    cleaned, applied = splice(text, edits)
    order = edit_order(edits)
    out.applied = [safe[k] for k in order if k in applied]
    out.skipped = [safe[k] for k in order if k not in applied]
    if out.applied:
        cleaned = collapse_blank_lines(cleaned)
    out.text = cleaned
    return out


def splice(text: str, edits: list[tuple[int, int, str, str]]) -> tuple[str, set[int]]:
    """``text`` with edits (start, end, code, replacement) made from left to right, by start then
    the longer first; an edit overlapping one already made is skipped. Returns the text and the
    indices of the edits made (the report's page does the same in report.js)."""
    parts: list[str] = []
    pos = 0
    made: set[int] = set()
    for k in edit_order(edits):
        s, e, _, new = edits[k]
        if s < pos or e > len(text) or s > e:
            continue
        parts.append(text[pos:s])
        parts.append(new)
        pos = e
        made.add(k)
    parts.append(text[pos:])
    return "".join(parts), made


def edit_order(edits: list[tuple[int, int, str, str]]) -> list[int]:
    """The order :func:`splice` makes edits in: by start, the longer first, then by code."""
    return sorted(range(len(edits)), key=lambda k: (edits[k][0], -edits[k][1], edits[k][2]))


def collapse_blank_lines(text: str) -> str:
    """Runs of blank lines left by removed lines as one paragraph break; one final newline."""
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"


def patch(doc_id: str, before: str, after: str) -> str:
    """A unified diff of one document (``a/ID`` → ``b/ID``), empty when nothing changed."""
    if before == after:
        return ""
    # the id as a relative path without .. or control characters: `patch -p1` never writes outside the folder
    name = "/".join(p for p in _UNSAFE_PATH.sub("_", doc_id).split("/") if p not in ("", ".", "..")) or "document"
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}", n=1
    )
    body = "".join(x if x.endswith("\n") else x + "\n\\ No newline at end of file\n" for x in lines)
    return body
