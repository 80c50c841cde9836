"""An editor's review decisions, applied to the stories: what the report's "Download corrected
text" does in the page, and ``wirecheck apply`` does for a whole run.

The page exports its decisions as JSON (``FORMAT``)::

    {"format": "wirecheck-decisions/1", "signature": "...", "remove_chrome": false,
     "documents": {"<doc id>": [{"finding": "name.misspelling@812-819", "action": "accept",
                                 "text": "Erdogan"}, ...]}}

``action`` is ``accept`` (``text`` is the suggested fix), ``edit`` (``text`` is the editor's
own) or ``reject``. Both sides apply the accepted edits in the same way, so they give the same
bytes: edits sorted by start (then the longer first), an edit overlapping one already applied
is skipped, offsets count code points; with ``remove_chrome``, the page-chrome findings whose
fix removes the line are accepted too, and the blank lines their removal leaves collapse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.report.fixes import collapse_blank_lines, splice

FORMAT = "wirecheck-decisions/1"


class DecisionsError(ValueError):
    """The decisions file is not one the report wrote."""


def finding_key(f: dict[str, Any]) -> str:
    """A finding's name in decisions: its code and span (unique within a document)."""
    return f"{f['code']}@{int(f['start'])}-{int(f['end'])}"


@dataclass(slots=True)
class Decisions:
    signature: str
    remove_chrome: bool
    documents: dict[str, dict[str, tuple[str, str | None]]] = field(default_factory=dict)


def load_decisions(path: Path) -> Decisions:
    """Read and check a decisions file exported from the report."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DecisionsError(f"{path}: cannot read it as JSON ({exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or not isinstance(raw.get("documents"), dict):
        raise DecisionsError(f"{path}: not a decisions file exported from a wirecheck report ({FORMAT})")
    out = Decisions(str(raw.get("signature") or ""), bool(raw.get("remove_chrome")))
    for doc_id, items in raw["documents"].items():
        if not isinstance(items, list):
            raise DecisionsError(f"{path}: decisions of {doc_id!r} are not a list")
        table: dict[str, tuple[str, str | None]] = {}
        for it in items:
            if not isinstance(it, dict) or it.get("action") not in ("accept", "edit", "reject"):
                raise DecisionsError(f"{path}: a decision of {doc_id!r} has no valid action: {it!r}")
            text = it.get("text")
            if it["action"] != "reject" and not isinstance(text, str):
                raise DecisionsError(f"{path}: an accepted decision of {doc_id!r} has no text: {it!r}")
            table[str(it.get("finding"))] = (it["action"], text if isinstance(text, str) else None)
        out.documents[str(doc_id)] = table
    return out


def _chrome(f: dict[str, Any]) -> bool:
    return str(f["code"]).startswith("boilerplate.") and f.get("fix") == ""


def corrected(
    text: str, findings: list[dict[str, Any]], decided: dict[str, tuple[str, str | None]], remove_chrome: bool
) -> str:
    """``text`` with the accepted and edited fixes applied (see the module docstring)."""
    edits: list[tuple[int, int, str, str]] = []
    for f in findings:
        action = decided.get(finding_key(f))
        if action is not None and action[0] in ("accept", "edit") and action[1] is not None:
            edits.append((int(f["start"]), int(f["end"]), str(f["code"]), action[1]))
        elif action is None and remove_chrome and _chrome(f):
            edits.append((int(f["start"]), int(f["end"]), str(f["code"]), ""))
    out, made = splice(text, edits)
    if remove_chrome and any(edits[k][3] == "" and edits[k][1] > edits[k][0] for k in made):
        out = collapse_blank_lines(out)
    return out


def safe_name(doc_id: str) -> str:
    """A file name for a document id (the page's download uses the same)."""
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in doc_id).strip(".") or "document"
    return name if name.endswith(".txt") else name + ".txt"
