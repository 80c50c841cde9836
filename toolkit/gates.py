"""Quality gates and routing: the decisions made from the scores (OpusFilter's accept step).

Steps compute scores; nothing here changes a record's annotation. A record is routed to
``keep``, ``duplicates`` or ``rejects``; the run fails its gate (exit 1) when any record
falls below ``min_quality``, any finding reaches ``fail_on``, or more than
``max_duplicate_rate`` of the checked records are duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from toolkit.document import Document, Severity

KEEP, DUPLICATES, REJECTS = "keep", "duplicates", "rejects"


@dataclass(slots=True)
class Gates:
    fail_on: Severity | None = None
    max_duplicate_rate: float | None = None
    min_quality: float | None = None

    def params(self) -> dict[str, Any]:
        return {
            "fail_on": self.fail_on.value if self.fail_on else None,
            "max_duplicate_rate": self.max_duplicate_rate,
            "min_quality": self.min_quality,
        }


def is_duplicate(doc: Document) -> bool:
    """A later version of a story: the index says so, or it is not its batch cluster's canonical member."""
    if doc.index is not None:
        # "known": processed by an earlier run, which decided what it is
        return doc.index.get("status") == "duplicate" or doc.index.get("of", doc.id) != doc.id
    return doc.cluster is not None and not doc.cluster.canonical


def route(doc: Document, gates: Gates) -> tuple[str, str | None]:
    """Where a record goes, and why when it is not kept."""
    if not doc.ok:
        assert doc.rejected is not None
        return REJECTS, doc.rejected.reason
    if gates.min_quality is not None and doc.quality is not None and doc.quality < gates.min_quality:
        return REJECTS, "below_min_quality"
    if is_duplicate(doc):
        return DUPLICATES, "duplicate"
    return KEEP, None


@dataclass(slots=True)
class GateTally:
    gates: Gates
    checked: int = 0
    duplicates: int = 0
    below_quality: int = 0
    at_severity: int = 0
    routed: dict[str, int] = field(default_factory=lambda: {KEEP: 0, DUPLICATES: 0, REJECTS: 0})

    def add(self, doc: Document, where: str) -> None:
        self.routed[where] += 1
        if not doc.ok:
            return
        self.checked += 1
        self.duplicates += is_duplicate(doc)
        g = self.gates
        if g.min_quality is not None and doc.quality is not None and doc.quality < g.min_quality:
            self.below_quality += 1
        if g.fail_on is not None and any(f.severity.rank >= g.fail_on.rank for f in doc.findings):
            self.at_severity += 1

    @property
    def duplicate_rate(self) -> float:
        return self.duplicates / self.checked if self.checked else 0.0

    def failures(self) -> list[str]:
        """One line per failed gate (empty: the run passes)."""
        g, out = self.gates, []
        if g.fail_on is not None and self.at_severity:
            out.append(
                f"fail-on {g.fail_on.value}: {self.at_severity} record(s) have a {g.fail_on.value} or worse finding"
            )
        if g.max_duplicate_rate is not None and self.duplicate_rate > g.max_duplicate_rate:
            out.append(f"max-duplicate-rate {g.max_duplicate_rate}: {self.duplicates}/{self.checked} = "
                       f"{self.duplicate_rate:.3f} are duplicates")  # fmt: skip
        if g.min_quality is not None and self.below_quality:
            out.append(f"min-quality {g.min_quality}: {self.below_quality} record(s) below it")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"gates": self.gates.params(), "routed": dict(self.routed), "duplicates": self.duplicates,
                "duplicate_rate": round(self.duplicate_rate, 4), "below_min_quality": self.below_quality,
                "with_fail_on_findings": self.at_severity, "failed": self.failures()}  # fmt: skip
