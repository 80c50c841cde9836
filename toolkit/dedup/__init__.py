"""Story clustering: MinHash near-duplicates, re-translations and cross-language versions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.dedup.params import DedupConfig

if TYPE_CHECKING:
    from toolkit.dedup.cluster import cluster_documents

__all__ = ["DedupConfig", "cluster_documents"]


def __getattr__(name: str) -> Any:
    # the clustering kernels load numba (a third of a second): only a command that clusters pays it
    if name == "cluster_documents":
        from toolkit.dedup.cluster import cluster_documents

        return cluster_documents
    raise AttributeError(name)
