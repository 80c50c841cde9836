"""What an alignment is: beads of sentence indices, the parameters that made them, and notes.

Shared by both modes (:mod:`toolkit.align.aligner`'s translation mode and
:mod:`toolkit.align.rewrite`) and by everything that reads an alignment.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Bead:
    """Source and target sentence indices (0-based; one side empty for 1-0 / 0-1) and a score."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float
    kind: str  # "1-1", "2-1", "1-0", ... (source count - target count)
    note: str | None = None  # "boilerplate": set aside as page chrome before matching

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"src": list(self.src), "tgt": list(self.tgt), "score": self.score, "kind": self.kind}
        if self.note:
            d["note"] = self.note
        return d


@dataclass(slots=True)
class AlignConfig:
    mode: str = "translation"  # or "rewrite"
    max_bead: int = 4  # sentences a side in one bead
    max_total: int = 5  # sentences in one bead, both sides
    knn: int = 3
    skip: float = -0.1
    margin: float = 0.0
    w_len: float = 0.25
    w_anchor: float = 0.1
    w_chars: float = 0.2
    w_many: float = 0.0
    size: float = 0.0
    center: bool = True  # subtract each side's mean sentence vector before comparing
    # pass 1: candidate pairs and the band around the anchor chain
    topk: int = 3
    window: int = 8
    full_grid: int = 250_000  # grids up to this many cells skip pass 1 (the band is the whole grid)
    # rewrite mode
    rewrite_threshold: float = 0.6
    rewrite_anchor: float = 0.1

    def params(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Alignment:
    beads: list[Bead]
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Sides:
    """What a mode aligns: each side's sentences and language."""

    src: list[str]
    tgt: list[str]
    src_lang: str
    tgt_lang: str
