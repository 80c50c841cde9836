"""The records that flow through every stage: ``Document`` and ``Finding``.

Stages annotate documents and never drop them: a document that cannot be processed is
marked ``rejected`` with a reason and still comes out at the end.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """MQM severities; ``neutral`` is a note that costs nothing."""

    NEUTRAL = "neutral"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (one of: {names})") from None


_RANK = {Severity.NEUTRAL: 0, Severity.MINOR: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}

# MQM-style penalty points per error (Lommel et al.; the weights used by WMT MQM studies).
SEVERITY_WEIGHTS = {Severity.NEUTRAL: 0.0, Severity.MINOR: 1.0, Severity.MAJOR: 5.0, Severity.CRITICAL: 25.0}


@dataclass(slots=True)
class Finding:
    """One flagged span: ``start``/``end`` are code-point offsets into the document's text."""

    code: str
    category: str
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    fix: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "category": self.category,
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "fix": self.fix,
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class Rejection:
    """Why a record was not processed, and where it came from."""

    reason: str
    detail: str
    input: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "detail": self.detail, "input": self.input, "line": self.line}


@dataclass(slots=True)
class ClusterInfo:
    id: str
    canonical: bool
    of: str
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "canonical": self.canonical, "of": self.of, "evidence": self.evidence}


@dataclass(slots=True)
class Document:
    """A news record.

    ``record`` is the input record exactly as read (every field kept, in order); the
    output is that record plus one ``wirecheck`` object.
    """

    id: str
    text: str
    record: dict[str, Any]
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    lang: str = "und"
    lang_prob: float = 0.0
    # why ``lang`` is what it is when the text was too short to tell: "declared", "feed", "default"
    lang_basis: str | None = None
    paragraphs: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    cluster: ClusterInfo | None = None
    quality: float | None = None
    rejected: Rejection | None = None
    index: dict[str, Any] | None = None  # what the "seen before" index said, when one is used
    # the other versions this one was compared with: its role in each pair and the evidence
    versions: list[dict[str, Any]] = field(default_factory=list)
    # What one step hands to a later one; never written out. The large ones (TRANSIENT) are
    # dropped by ``shed`` before a document crosses to another process that does not need them.
    norm: Any = field(default=None, repr=False)  # text.normalize.Normalized: the clean text
    features: Any = field(default=None, repr=False)  # dedup.features.Features: clustering's views
    copy_sig: Any = field(default=None, repr=False)  # np.ndarray: MinHash of the copy view (index)
    copy_size: int = field(default=0, repr=False)  # shingles behind copy_sig (0: too few to index)
    # where the record was read (input and line): the index replays its decision to a re-run of
    # the same input (a run killed after committing it), and calls it "known" anywhere else
    origin: str | None = field(default=None, repr=False)
    body_words: int | None = field(default=None, repr=False)  # words outside page chrome
    # (other version's id, compare.core.Comparison, relation): written to comparisons.jsonl
    comparisons: list[Any] = field(default_factory=list, repr=False)
    # scorers.run.Pooled: what the document's batch knows of its story and source, for its scoring
    story_evidence: Any = field(default=None, repr=False)

    def shed(self, keep: Collection[str] = ()) -> None:
        """Drop the TRANSIENT fields not named in ``keep`` (used up), and the REBUILT ones always."""
        for name in TRANSIENT:
            if name not in keep or name in REBUILT:
                setattr(self, name, None)

    @property
    def ok(self) -> bool:
        return self.rejected is None

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (f.start, f.end, f.code, f.message))

    def annotation(self) -> dict[str, Any]:
        """The ``wirecheck`` object of the output contract."""
        cluster = self.cluster.to_dict() if self.cluster else None
        if cluster is None and self.ok:
            cluster = {"id": f"c:{self.id}", "canonical": True, "of": self.id, "evidence": []}
        out = {
            "id": self.id,
            "lang": self.lang,
            "lang_prob": round(self.lang_prob, 4),
            "paragraphs": self.paragraphs,
            "cluster": cluster,
            "findings": [f.to_dict() for f in self.sorted_findings()],
            "quality": None if self.quality is None else round(self.quality, 2),
            "rejected": self.rejected.to_dict() if self.rejected else None,
        }
        if self.index is not None:
            out["index"] = self.index
        if self.versions:
            out["versions"] = self.versions
        if self.lang_basis is not None:
            out["lang_basis"] = self.lang_basis
        return out

    def to_record(self) -> dict[str, Any]:
        out = {k: v for k, v in self.record.items() if k != "wirecheck"}
        out["wirecheck"] = self.annotation()
        return out


def batches(docs: Iterable[Document], size: int | None) -> Iterator[list[Document]]:
    """``docs`` in lists of ``size`` (all of them for None), cut from the start of the stream:
    every step and runner cuts its batches here, so they fall in the same places everywhere."""
    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if size and len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


TRANSIENT = ("norm", "features", "copy_sig", "story_evidence")
# rebuilt where needed (text.normalize.norm_of): as large as the text, cheaper to redo than to send
REBUILT = ("norm",)


def quality_score(findings: list[Finding], n_words: int) -> float:
    """0–100: 100 minus MQM penalty points per 1,000 words (floored at 0)."""
    penalty = sum(SEVERITY_WEIGHTS[f.severity] for f in findings)
    per_k = penalty * 1000.0 / max(n_words, 100)
    return max(0.0, 100.0 - per_k)
