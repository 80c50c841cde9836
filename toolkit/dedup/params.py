"""Clustering parameters: the thresholds that decide, kept apart from the code that scores.

Light on purpose (no numpy, no datasketch at import): the run configuration and its
signature read these without loading the clustering.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import Any

from toolkit.dedup.features import params as feature_params


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Clustering parameters; every result records them (see :meth:`params`)."""

    num_perm: int = 64
    seed: int = 7
    # LSH thresholds (recall-oriented: verification decides)
    lsh_copy: float = 0.3
    lsh_lex: float = 0.2
    lsh_xling: float = 0.15
    max_bucket: int = 500
    prefilter: float = 0.12
    prefilter_names_same: float = 0.2
    # verification thresholds, measured on the dev set (bench/quality/dedup_eval.py)
    copy_containment: float = 0.7
    # Same story in other words. Across languages: name/number overlap × order agreement;
    # in one language, the mean of that and the weighted overlap of rarer words.
    cross_language: float = 0.12
    same_language: float = 0.25
    min_shared_keys: int = 4
    # Below ``sure``, a pair must also be confirmed by its sentences: sentences with a
    # mutual-best multilingual-embedding match >= ``match``, over the geometric mean of the
    # two sentence counts
    # (bench/quality/dedup_sweep.py measured these on the dev set).
    sure: float = 0.4
    # a pair below ``sure`` joins two clusters only if this share of the pairs between their
    # most complete members (up to ``linkage_members`` a side) verify as well
    linkage: float = 0.5
    linkage_members: int = 4
    coverage_same: float = 0.2
    coverage_cross: float = 0.35
    min_words_same: float = 0.2
    match: float = 0.7
    max_sentences: int = 60
    semantic: bool = True
    chrome_min_families: int = 3
    min_shingles: int = 8

    def params(self) -> dict[str, Any]:
        return {
            "datasketch": version("datasketch"),
            "scheme": "affine32",
            **asdict(self),
            "shingles": feature_params(),
        }


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """datasketch MinHashLSH's (bands, rows) for a threshold: the banding every index uses."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r
