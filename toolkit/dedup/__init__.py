"""Story clustering: MinHash near-duplicates, re-translations and cross-language versions."""

from toolkit.dedup.cluster import Dedup, DedupConfig, cluster_documents

__all__ = ["Dedup", "DedupConfig", "cluster_documents"]
