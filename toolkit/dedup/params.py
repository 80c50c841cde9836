"""Clustering parameters: the thresholds that decide, kept apart from the code that scores.

Light on purpose (no numpy, no datasketch at import): the run configuration and its
signature read these without loading the clustering.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import Any

from toolkit.text.tables import cached_file, package_key

FREQ_CUTOFF = 5.2  # zipf; more frequent words carry no identity (the, said, that …)
# The word view's MinHash sketch holds only the rarer words (weight >= 3, wordfreq zipf <= 4):
# half the items and fewer chance collisions; verification still weighs every content word.
LEX_SKETCH_WEIGHT = 3.0
COPY_SAMPLE = 4  # one word 3-gram in this many (by hash) enters the copy signature
SHORT_SAMPLED = 8  # ...unless it has fewer than this many times COPY_SAMPLE: a short document keeps all


def feature_params() -> dict[str, Any]:
    """What the feature extraction hashes, for the signature."""
    return {
        "copy": f"word 3-grams (1 in {COPY_SAMPLE} by hash, all below {SHORT_SAMPLED * COPY_SAMPLE}), "
        "64-bit FNV-1a token hash, lines of >= 5 words; identical bodies of >= 5 words",
        "lex": f"content words with wordfreq zipf < {FREQ_CUTOFF} (wordfreq {version('wordfreq')}) + numbers; "
        f"MinHash over those of weight >= {LEX_SKETCH_WEIGHT}",
        "xling": "name consonant skeletons + normalised numbers",
    }


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Clustering parameters; every result records them (see :meth:`params`)."""

    num_perm: int = 64
    seed: int = 7
    # LSH thresholds (recall-oriented: verification decides)
    lsh_copy: float = 0.3
    lsh_lex: float = 0.2
    lsh_xling: float = 0.15
    lsh_caseless: float = 0.05  # name keys of a script without capitals (candidates.story_candidates)
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
    # Across languages, where one side names fewer than ``sparse_keys`` names and numbers (a
    # brief, a report of few facts), ``sparse_shared`` shared keys make a candidate, decided by
    # its sentences alone (``coverage_sparse``), as is a pair scored by containment (a script
    # without capitals): their names cannot tell one story from another well enough
    sparse_keys: int = 16
    sparse_shared: int = 2
    coverage_sparse: float = 0.35
    sentence_tries: int = 3  # failed sentence checks of such pairs a document may take
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
    # the same across languages, where the matches must also come in order (verify.Sentences.coverage):
    # measured on the dev halves of NTREX (bench/quality/multilingual_eval.py) and bench/devset.py
    match_cross: float = 0.55
    max_sentences: int = 24
    semantic: bool = True
    chrome_min_families: int = 3
    min_shingles: int = 8
    min_keys: int = 3  # name and number keys (occurrences) a document needs to be searched by them

    def params(self) -> dict[str, Any]:
        return {
            "datasketch": version("datasketch"),
            "scheme": "affine32",
            **asdict(self),
            "shingles": feature_params(),
        }


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """datasketch MinHashLSH's (bands, rows) for a threshold: the banding every index uses.

    datasketch finds them by numerical integration (scipy, half a second to import), so the
    answer is kept in the cache under datasketch's version."""

    def compute() -> tuple[int, int]:
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        return lsh.b, lsh.r

    key = f"{package_key('datasketch', 'lsh.py')[1]}|{threshold!r}|{num_perm}"
    path = cached_file("datasketch-lsh", key, ".json", lambda fh: fh.write(json.dumps(compute()).encode()))
    if path is not None:
        try:
            bands, rows = json.loads(path.read_bytes())
            return int(bands), int(rows)
        except (OSError, ValueError):
            path.unlink(missing_ok=True)  # damaged: computed again below
    return compute()
