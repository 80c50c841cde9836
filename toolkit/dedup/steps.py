"""Clustering as pipeline steps: each document's features, the clusters of each batch, and the
check of each batch against the "seen before" index (the one step that stays in the process
that owns the index, and sees the batches in order)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from toolkit.dedup.cluster import check_index, cluster_documents
from toolkit.dedup.features import features_batch
from toolkit.dedup.params import DedupConfig
from toolkit.document import Document, batches
from toolkit.text.normalize import norm_of

FEATURE_CHUNK = 256  # documents whose features are computed in one vectorised call


class Features:
    """Each accepted document's three views of its text (:mod:`toolkit.dedup.features`).

    A function of the document alone, so it may run anywhere and in any grouping: a runner
    can compute it where the document is prepared and send only the features on."""

    name = "features"
    needs = ("norm", "lang")
    adds = ("features",)
    batch: int | None = 1
    shared = False

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        for chunk in batches(docs, FEATURE_CHUNK):
            live = [d for d in chunk if d.ok]
            for d, f in zip(live, features_batch([norm_of(d).text for d in live], [d.lang for d in live]), strict=True):
                d.features = f
            yield from chunk


class Cluster:
    """The story clusters of each batch (all documents at once by default): ``doc.cluster``."""

    name = "cluster"
    needs = ("norm", "lang", "features")
    adds = ("cluster", "copy_sig", "body_words")
    shared = False

    def __init__(self, config: DedupConfig | None = None, batch: int | None = None) -> None:
        self.config = config or DedupConfig()
        self.batch = batch

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        for batch in batches(docs, self.batch):
            cluster_documents(batch, self.config)
            yield from batch


class CheckIndex:
    """Each clustered batch checked against the index and added to it: ``doc.index`` says new,
    duplicate (of) or known. Shared: the index is this process's, and batches come in order."""

    name = "index"
    needs = ("cluster", "copy_sig")
    adds = ("index",)
    shared = True

    def __init__(
        self, index: Any, config: DedupConfig, batch: int | None, added: float | None = None, dry_run: bool = False
    ) -> None:
        self.index, self.config, self.batch = index, config, batch
        self.added, self.dry_run = added, dry_run

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        for batch in batches(docs, self.batch):
            check_index(batch, self.index, self.config, self.added, self.dry_run)
            for d in batch:
                d.copy_sig = None  # used up
            yield from batch
