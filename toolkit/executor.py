"""Executors: where a run's stages execute.

``SerialExecutor`` runs the pipeline in this process. ``LocalExecutor`` keeps the stages
that need every document of a batch together in this process (clustering, the index) and
sends the per-document stages to a pool of worker processes, a batch at a time, with a
bounded number of batches in flight (memory stays bounded by the batch size). Both give
the same records in the same order: the batches are the same and each stage sees the same
documents together.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from toolkit.config import RunConfig
from toolkit.document import Document

T = TypeVar("T")
R = TypeVar("R")


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    buf: list[T] = []
    for x in items:
        buf.append(x)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def bounded_map(pool: Any, fn: Callable[[T], R], items: Iterable[T], window: int) -> Iterator[R]:
    """``pool.map`` in input order with at most ``window`` items submitted and not yet consumed."""
    pending: deque[Future[R]] = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _light(docs: list[Document]) -> list[Document]:
    # the normalised text is cheap to rebuild and as large as the text: not worth pickling
    for d in docs:
        d.cache.pop("norm", None)
    return docs


def _prepare(args: tuple[RunConfig, list[Document]]) -> list[Document]:
    """Worker: normalise and identify languages."""
    from toolkit.pipeline import Language, Normalize

    config, docs = args
    out = list(Language(per_paragraph=config.paragraph_lang, method=config.lang_method)(Normalize()(docs)))
    return _light(out)


def _finish(args: tuple[RunConfig, list[Document]]) -> list[Document]:
    """Worker: the scorers (a scorer batch at a time, as in one process) and the quality score."""
    from toolkit.pipeline import Quality

    config, docs = args
    stream: Iterable[Document] = docs
    if config.scorers:
        from toolkit.scorers.run import Scorers

        stream = Scorers(config.scorer_config)(stream)
    return _light(list(Quality()(stream)))


class SerialExecutor:
    name = "serial"

    def run(self, config: RunConfig, docs: Iterable[Document], **dedup: Any) -> Iterator[Document]:
        from toolkit.pipeline import Pipeline, default_steps

        yield from Pipeline(default_steps(config, **dedup))(docs)


class LocalExecutor:
    """A process pool over batches: ``workers`` processes (default: the CPUs this process may use)."""

    name = "local"

    def __init__(self, workers: int | None = None, batch: int = 250) -> None:
        self.workers = workers or len(os.sched_getaffinity(0))
        self.batch = batch  # documents per task sent to a worker

    def run(self, config: RunConfig, docs: Iterable[Document], **dedup: Any) -> Iterator[Document]:
        import multiprocessing

        from toolkit.dedup.cluster import Dedup

        if config.compare or (config.dedup and config.dedup_batch is None):
            # comparison needs whole clusters after scoring, clustering without a batch size the
            # whole input at once: neither streams through a pool
            yield from SerialExecutor().run(config, docs, **dedup)
            return
        ctx = multiprocessing.get_context("forkserver")
        window = 2 * self.workers
        with ProcessPoolExecutor(self.workers, mp_context=ctx) as pool:
            prepared = (
                d
                for part in bounded_map(pool, _prepare, ((config, c) for c in _chunks(docs, self.batch)), window)
                for d in part
            )
            clustered: Iterable[Document] = prepared
            if config.dedup:
                clustered = Dedup(config.dedup_config, batch_size=config.dedup_batch, **dedup)(prepared)
            score_batch = config.scorer_config.batch if config.scorers else self.batch
            # the scorers' batches are cut from the stream exactly where one process cuts them
            tasks = ((config, c) for c in _chunks(_light_stream(clustered), score_batch))
            for part in bounded_map(pool, _finish, tasks, window):
                yield from part


def _light_stream(docs: Iterable[Document]) -> Iterator[Document]:
    for d in docs:
        d.cache.pop("norm", None)
        d.cache.pop("copy_sig", None)
        yield d


def make_executor(name: str, workers: int | None = None) -> SerialExecutor | LocalExecutor:
    if name == "serial":
        return SerialExecutor()
    if name == "local":
        return LocalExecutor(workers)
    raise ValueError(f"unknown executor {name!r} (serial or local)")
