"""Story clustering: MinHash near-duplicates, re-translations and cross-language versions."""

from toolkit.dedup.cluster import cluster_documents
from toolkit.dedup.params import DedupConfig

__all__ = ["DedupConfig", "cluster_documents"]
