"""What every "seen before" index shares: entries, parameters, matching and the decision.

An entry is one document: its id, the id of the story's first document (``of``), when it
was added, and a MinHash signature of its copy shingles with the shingle count. A new
document matches an indexed one when their estimated containment reaches the clustering's
copy threshold: the estimate comes from the signatures alone (Jaccard from equal
min-hashes, then ``|A∩B| = J (|A| + |B|) / (1 + J)``), so the index never stores texts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from toolkit.version import __version__

NEW, DUPLICATE, KNOWN = "new", "duplicate", "known"


class IndexParamsError(ValueError):
    """The index was built with other parameters than this run's."""


class IndexUnavailable(RuntimeError):
    """The index cannot be opened or reached."""


@dataclass(slots=True)
class Entry:
    id: str
    group: str  # the document's story cluster in this batch
    canonical: bool  # the batch cluster's canonical member
    sig: np.ndarray  # uint32[num_perm]
    size: int  # copy shingles (0: too short to match anything)
    added: float = 0.0
    of: str = ""  # decided: the story's first document (itself when new)
    origin: str = ""  # where the record was read (Document.origin); "" when unknown


@dataclass(slots=True)
class Match:
    seq: int
    id: str
    of: str
    score: float


@dataclass(slots=True)
class Status:
    status: str  # new | duplicate | known
    of: str
    score: float | None = None
    matched: str | None = None  # the indexed document it matched
    reused: bool = False  # its id is in the index for another text: decided on its text, not stored

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Status:
        return cls(d["status"], d["of"], d.get("score"), d.get("matched", d["of"]), bool(d.get("id_reused")))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"status": self.status, "of": self.of}
        if self.score is not None:
            d["score"] = self.score
        if self.matched is not None and self.matched != self.of:
            d["matched"] = self.matched
        if self.reused:
            d["id_reused"] = True
        return d


def index_params(dedup_params: dict[str, Any], threshold: float, bands: int, rows: int) -> dict[str, Any]:
    """The parameters an index is bound to: a signature made under others means nothing to it."""

    return {
        "wirecheck": __version__,
        "datasketch": dedup_params["datasketch"],
        "scheme": dedup_params["scheme"],
        "num_perm": dedup_params["num_perm"],
        "seed": dedup_params["seed"],
        "lsh_threshold": threshold,
        "bands": bands,
        "rows": rows,
        "copy_containment": dedup_params["copy_containment"],
        "min_shingles": dedup_params["min_shingles"],
        "shingles": dedup_params["shingles"],
    }


# the versions of the software that wrote an index: recorded, not compared. What decides whether
# its signatures mean anything to this run is the scheme (hash, seed, permutations, banding,
# shingling), so an upgrade that keeps the scheme keeps the index and its history.
VERSION_KEYS = frozenset({"wirecheck", "datasketch"})


def check_params(stored: dict[str, Any], wanted: dict[str, Any], where: str) -> None:
    keys = sorted((set(stored) | set(wanted)) - VERSION_KEYS)
    diff = [k for k in keys if stored.get(k) != wanted.get(k)]
    if diff:
        parts = "; ".join(f"{k}: index has {json.dumps(stored.get(k))}, this run {json.dumps(wanted.get(k))}"
                          for k in diff)  # fmt: skip
        raise IndexParamsError(
            f"{where} was built with other parameters ({parts}). Use another index, or 'wirecheck index drop' it."
        )


def containment(sig_a: np.ndarray, size_a: int, sigs: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Estimated containment of the smaller shingle set in the larger, for one signature against many."""
    j = (sigs == sig_a[None, :]).mean(axis=1)
    inter = j * (size_a + sizes) / (1.0 + j)
    out: np.ndarray = np.minimum(1.0, inter / np.maximum(np.minimum(size_a, sizes), 1))
    return out


def same_text(e: Entry, sig: np.ndarray, size: int, threshold: float) -> bool:
    """Whether the indexed entry under ``e``'s id holds ``e``'s text (or a copy of it): a
    re-delivery, and not another story sent under a reused id."""
    if not e.size or not size:
        return e.size == size and bool(np.array_equal(e.sig, sig))
    return bool(containment(e.sig, e.size, sig[None, :], np.array([size], dtype=np.float64))[0] >= threshold)


def decide(
    entries: list[Entry],
    matches: dict[str, list[Match]],
    known: dict[str, str],
    reused: frozenset[str] = frozenset(),
    replay: dict[str, Status] | None = None,
) -> dict[str, Status]:
    """Each entry's status from its earlier matches in the index, story cluster by story cluster.

    A cluster with any member matching an earlier document is a republication of that
    document's story (the earliest match wins); otherwise its canonical member is new and
    the others are its duplicates. Ids already in the index are ``known`` (an earlier run,
    or a run that was killed, processed them) and keep what was decided then; an id in
    ``reused`` is in the index for another text, so it is decided on its text like a new one
    (and flagged). A known id read from the same place as when it was stored (``replay``: a
    re-run of the input of a run killed after committing it) gets the decision made then, so
    the re-run's records are those of a run that was never interrupted.
    """
    out: dict[str, Status] = {}
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        if e.id in known:
            of = known[e.id]
            out[e.id] = (replay or {}).get(e.id) or Status(KNOWN, of)
            continue
        groups.setdefault(e.group, []).append(e)
    for members in groups.values():
        _decide_group(members, matches, out)
    for e in entries:
        if e.id in reused:
            out[e.id].reused = True
    return out


def _decide_group(members: list[Entry], matches: dict[str, list[Match]], out: dict[str, Status]) -> None:
    """One story cluster of the batch: a republication of its earliest match, else new."""
    found = [m for e in members for m in matches.get(e.id, [])]
    if found:
        first = min(found, key=lambda m: (m.seq, -m.score))
        for e in members:
            own = [m for m in matches.get(e.id, []) if m.of == first.of]
            best = max(own, key=lambda m: m.score) if own else None
            e.of = first.of
            out[e.id] = Status(DUPLICATE, first.of, best.score if best else None, best.id if best else first.id)
        return
    canon = next((e for e in members if e.canonical), members[0])
    for e in members:
        e.of = canon.id
        out[e.id] = Status(NEW if e is canon else DUPLICATE, canon.id)


def parse_window(text: str) -> float:
    """Seconds in ``30d``, ``12h``, ``90m``, ``2w`` or a plain number of seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
    t = text.strip().lower()
    try:
        value = float(t[:-1]) * units[t[-1]] if t and t[-1] in units else float(t)
    except ValueError:
        raise ValueError(f"window {text!r}: write a number and a unit, e.g. 30d, 12h, 90m") from None
    if value <= 0:
        raise ValueError(f"window {text!r} must be positive")
    return value


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> list[np.ndarray]:
    """Per band, a 64-bit key of each document's band values (equal keys = same LSH bucket).

    The rows of a band are folded with a multiply-xor hash; a 64-bit collision between
    different band values would only add a candidate pair, which verification then rejects.
    """
    out = []
    with np.errstate(over="ignore"):
        for k in range(bands):
            h = np.full(len(sigs), np.uint64(k + 1) * np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
            for r in range(k * rows, (k + 1) * rows):
                h = (h ^ sigs[:, r].astype(np.uint64)) * np.uint64(0x100000001B3)
            out.append(h)
    return out
