"""Saved run results (the ``--out`` folder of ``wirecheck run``), read back for the reports."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson


class ResultsError(ValueError):
    """The folder does not hold the results of a run."""


@dataclass(slots=True)
class Doc:
    """One record of ``documents.jsonl`` as the report needs it."""

    id: str
    text: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    lang: str
    quality: float | None
    findings: list[dict[str, Any]]
    cluster: dict[str, Any] | None
    rejected: dict[str, Any] | None

    @property
    def label(self) -> str:
        """What the report calls the document: its title, unless that is page chrome ("You are
        here"), then its first line that is not, then its id."""
        chrome = [(f["start"], f["end"]) for f in self.findings if f["code"].startswith("boilerplate.")]

        def is_chrome(s: int, e: int) -> bool:
            return any(a <= s and e <= b for a, b in chrome)

        title = (self.title or "").strip()
        if title:
            at = self.text.find(title)
            if at < 0 or not is_chrome(at, at + len(title)):
                return title
        pos = 0
        for line in self.text.split("\n"):
            s = pos + len(line) - len(line.lstrip())
            e = pos + len(line.rstrip())
            pos += len(line) + 1
            if e > s and len(line.split()) >= 3 and not is_chrome(s, e):
                return line.strip()[:200]
        return title or self.id

    @property
    def cluster_id(self) -> str:
        return self.cluster["id"] if self.cluster else f"c:{self.id}"

    @property
    def canonical(self) -> bool:
        return bool(self.cluster["canonical"]) if self.cluster else True


@dataclass(slots=True)
class Results:
    summary: dict[str, Any]
    docs: list[Doc]
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    folder: Path | None = None


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def doc_from_record(rec: dict[str, Any], keys: dict[str, Any]) -> Doc:
    w = rec.get("wirecheck") or {}
    text = rec.get(keys.get("text_key", "text"))
    return Doc(
        id=str(w.get("id") or rec.get(keys.get("id_key", "id")) or ""),
        text=text if isinstance(text, str) else "",
        title=_str(rec.get(keys.get("title_key", "title"))),
        source=_str(rec.get(keys.get("source_key", "source"))),
        url=_str(rec.get(keys.get("url_key", "url"))),
        published=_str(rec.get(keys.get("published_key", "published"))),
        lang=str(w.get("lang") or "und"),
        quality=w.get("quality"),
        findings=list(w.get("findings") or []),
        cluster=w.get("cluster"),
        rejected=w.get("rejected"),
    )


def _jsonl(path: Path) -> list[dict[str, Any]]:
    out = []
    with path.open("rb") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise ResultsError(f"{path}:{n}: not JSON ({exc})") from None
            if isinstance(obj, dict):
                out.append(obj)
    return out


def load_results(folder: Path, rejects: Path | None = None) -> Results:
    """Read ``summary.json``, ``documents.jsonl`` and (when present) ``comparisons.jsonl``."""
    folder = Path(folder)
    summary_path, docs_path = folder / "summary.json", folder / "documents.jsonl"
    for p in (summary_path, docs_path):
        if not p.is_file():
            raise ResultsError(f"{folder}: no {p.name} here (write one with 'wirecheck run --out {folder}')")
    try:
        summary = json.loads(summary_path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{summary_path}: not JSON ({exc})") from None
    keys = (summary.get("parameters") or {}).get("reader") or {}
    records = _jsonl(docs_path)
    if rejects is not None and rejects.is_file():
        records += _jsonl(rejects)
    docs = [doc_from_record(r, keys) for r in records]
    comp_path = folder / "comparisons.jsonl"
    comparisons = _jsonl(comp_path) if comp_path.is_file() else []
    return Results(summary, docs, comparisons, folder)
