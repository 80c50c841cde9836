"""Executors: where a run's stages execute.

``SerialExecutor`` runs the pipeline in this process. ``LocalExecutor`` sends each
clustering batch to a pool of worker processes, where it goes through every stage (or,
when the scorers' batches do not fall inside it, through clustering and then scoring as two
tasks), and keeps here only what is shared and ordered: the index, checked batch by batch.
A bounded number of batches is in flight, so memory stays bounded by the batch size.
``DaskExecutor`` does the same over a Dask cluster. All give the same records in the same
order: the batches are the same and each stage sees the same documents together.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, TypeVar

from toolkit.config import RunConfig
from toolkit.document import Document

T = TypeVar("T")


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    buf: list[T] = []
    for x in items:
        buf.append(x)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def bounded_map(submit: Callable[[T], Any], items: Iterable[T], window: int) -> Iterator[Any]:
    """Results in input order with at most ``window`` items submitted and not yet consumed;
    ``submit`` returns a future (a process pool's or a Dask client's)."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _watch_parent(pid: int) -> None:
    """Worker initialiser: exit when the process that started the pool is gone (killed with
    SIGKILL, its pool cannot say goodbye; a worker holding a model must not outlive it)."""
    import threading

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="wirecheck-parent-watch").start()


def _light(docs: list[Document]) -> list[Document]:
    # the normalised text is cheap to rebuild and as large as the text: not worth pickling
    for d in docs:
        d.cache.pop("norm", None)
    return docs


def _languages(config: RunConfig, docs: list[Document]) -> list[Document]:
    """The stages before clustering: normalisation and language identification."""
    from toolkit.pipeline import Language, Normalize

    return list(Language(per_paragraph=config.paragraph_lang, method=config.lang_method)(Normalize()(docs)))


def _clustered(config: RunConfig, docs: list[Document]) -> list[Document]:
    out = _languages(config, docs)
    if config.dedup:
        from toolkit.dedup.cluster import cluster_documents

        cluster_documents(out, config.dedup_config)
    return out


def _prepare(args: tuple[RunConfig, list[Document]]) -> list[Document]:
    """Worker: normalise, identify languages and, when the task is a clustering batch, cluster it."""
    return _light(_clustered(*args))


def _finish(args: tuple[RunConfig, list[Document]]) -> list[Document]:
    """Worker: scorers, version comparison and quality over one scorer batch (cut where one
    process cuts it, so the evidence pooled per batch is the same)."""
    from toolkit.pipeline import Quality

    config, docs = args
    stream: Iterable[Document] = docs
    if config.scorers:
        from toolkit.scorers.run import Scorers

        stream = Scorers(config.scorer_config)(stream)
    if config.dedup and config.compare:
        from toolkit.compare.step import CompareVersions

        stream = CompareVersions(batch=len(docs) or 1, source_langs=config.scorer_config.source_langs)(stream)
    return _light(list(Quality()(stream)))


def _whole(args: tuple[RunConfig, list[Document], bool]) -> list[Document]:
    """Worker: every stage of one clustering batch, the scorers in their own batches (cut where
    one process cuts them: they divide the clustering batch). ``keep_sig``: leave the
    signatures for the index check that follows in the client."""
    config, docs, keep_sig = args
    out = _clustered(config, docs)
    size = config.scorer_config.batch if config.scorers else len(out) or 1
    done = [d for c in _chunks(out, size) for d in _finish((config, c))]
    if not keep_sig:
        for d in done:
            d.cache.pop("copy_sig", None)
    return done


def _fused(config: RunConfig) -> bool:
    """Whether a clustering batch can go through every stage on one worker: the scorers'
    batches (and the comparison's) must then fall inside it, as they do in one process."""
    if not (config.dedup and config.dedup_batch):
        return False
    return not config.scorers or config.dedup_batch % config.scorer_config.batch == 0


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

        if config.dedup and config.dedup_batch is None:
            # clustering without a batch size takes the whole input at once: nothing to stream
            yield from SerialExecutor().run(config, docs, **dedup)
            return
        size = config.dedup_batch if config.dedup and config.dedup_batch else self.batch
        stream = iter(docs)
        head = list(itertools.islice(stream, 2 * size))
        if len(head) < 2 * size:
            # under two batches: starting worker processes (and their models) costs more than it saves
            yield from SerialExecutor().run(config, head, **dedup)
            return
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            # one BLAS thread per worker: the workers already fill the CPUs (inherited by the forkserver)
            os.environ.setdefault(var, "1")
        ctx = multiprocessing.get_context("forkserver")
        window = 2 * self.workers
        # a clustering batch goes to one worker whole; the index (shared state, in batch order) stays here
        index = dedup.get("index")
        with ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_watch_parent,
                                 initargs=(os.getpid(),)) as pool:  # fmt: skip
            if _fused(config):
                # one task per clustering batch: each document crosses to a worker and back once
                jobs = ((config, c, index is not None) for c in _chunks(itertools.chain(head, stream), size))
                parts = _checked(bounded_map(lambda job: pool.submit(_whole, job), jobs, window), config, **dedup)
                yield from _light_stream(d for part in parts for d in part)
                return
            tasks = ((config, c) for c in _chunks(itertools.chain(head, stream), size))
            batches = _checked(bounded_map(lambda job: pool.submit(_prepare, job), tasks, window), config, **dedup)
            clustered = (d for part in batches for d in part)
            score_batch = config.scorer_config.batch if config.scorers else self.batch
            # the scorers' batches are cut from the stream exactly where one process cuts them
            tasks = ((config, c) for c in _chunks(_light_stream(clustered), score_batch))
            for part in bounded_map(lambda job: pool.submit(_finish, job), tasks, window):
                yield from part


def _checked(batches: Iterable[list[Document]], config: RunConfig, **dedup: Any) -> Iterator[list[Document]]:
    """The batches in order, each checked against the index first when there is one."""
    from toolkit.dedup.cluster import check_index

    index = dedup.get("index")
    for batch in batches:
        if index is not None:
            check_index(batch, index, config.dedup_config, dedup.get("added"), dedup.get("dry_run", False))
        yield batch


def _light_stream(docs: Iterable[Document]) -> Iterator[Document]:
    for d in docs:
        d.cache.pop("norm", None)
        d.cache.pop("copy_sig", None)
        yield d


def _prepare_partition(args: tuple[RunConfig, list[Document]]) -> list[Document]:
    """Dask task: normalise, identify languages and compute each document's clustering features."""
    from toolkit.text.normalize import norm_of

    config, docs = args
    out = _languages(config, docs)
    if config.dedup:
        from toolkit.dedup.features import features_batch

        live = [d for d in out if d.ok]
        feats = features_batch([norm_of(d).text for d in live], [d.lang for d in live])
        for d, f in zip(live, feats, strict=True):
            d.cache["features"] = f
    return _light(out)


class SchedulerUnreachable(RuntimeError):
    pass


class DaskExecutor:
    """The pipeline on a Dask cluster: per-document stages map over partitions on the workers.
    Without a batch size, clustering joins every partition's signatures and features on the
    client, so a story split across partitions ends in one cluster, with the id a run in one
    process gives it; with one, each clustering batch is clustered whole on a worker."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None, partition: int = 1000) -> None:
        self.scheduler = scheduler
        self.workers = workers or len(os.sched_getaffinity(0))
        self.partition = partition
        self.info = ""

    def _client(self) -> tuple[Any, Any]:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise SchedulerUnreachable("the Dask executor needs the extra: pip install 'wirecheck[dask]'") from None
        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout="10s", set_as_default=False)  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError) as exc:
                raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None
            self.info = f"scheduler {self.scheduler}, {len(client.scheduler_info()['workers'])} workers"
            return client, None
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=self.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None, silence_logs=40,
        )  # fmt: skip
        self.info = f"local Dask cluster on 127.0.0.1, {self.workers} workers"
        return Client(cluster, set_as_default=False), cluster  # type: ignore[no-untyped-call]

    def run(self, config: RunConfig, docs: Iterable[Document], **dedup: Any) -> Iterator[Document]:
        client, cluster = self._client()
        try:
            # every partition is submitted at once; clustering (here) takes them in order as they
            # finish, and each scorer batch is submitted as soon as it is clustered, so the
            # workers score batch k while this process clusters batch k + 1
            window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
            stream: Iterable[Document]

            # partitions are sent as they are read, a few per worker ahead, so neither the client
            # nor the scheduler holds the whole input
            def submit(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
                return partial(client.submit, fn, pure=False)

            if _fused(config):
                index = dedup.get("index")
                jobs = ((config, p, index is not None) for p in _chunks(docs, config.dedup_batch or 1))
                parts = _checked(bounded_map(submit(_whole), jobs, window), config, **dedup)
                yield from _light_stream(d for part in parts for d in part)
                return
            if config.dedup and config.dedup_batch:
                # clustering batches are independent: each is prepared and clustered on one worker;
                # only the index, shared and in batch order, is checked here
                tasks = ((config, p) for p in _chunks(docs, config.dedup_batch))
                parts = _checked(bounded_map(submit(_prepare), tasks, window), config, **dedup)
                stream = (d for part in parts for d in part)
            else:
                parts = bounded_map(
                    submit(_prepare_partition), ((config, p) for p in _chunks(docs, self.partition)), window
                )
                stream = (d for part in parts for d in part)
                if config.dedup:
                    from toolkit.dedup.cluster import Dedup

                    # the whole input is one clustering batch: joined here from every partition
                    stream = Dedup(config.dedup_config, batch_size=None, **dedup)(stream)
            size = config.scorer_config.batch if config.scorers else self.partition
            pending: deque[Any] = deque()
            for chunk in _chunks(_light_stream(stream), size):
                pending.append(client.submit(_finish, (config, chunk), pure=False))
                while pending and pending[0].done():
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def make_executor(
    name: str, workers: int | None = None, scheduler: str | None = None, partition: int = 1000
) -> SerialExecutor | LocalExecutor | DaskExecutor:
    """``serial``, ``local`` (a process pool; ``workers`` processes) or ``dask`` (``scheduler``, or a
    LocalCluster of ``workers``); ``auto``: serial for one worker, else local."""
    if name == "auto":
        name = "serial" if workers == 1 else "local"
    if name == "serial":
        return SerialExecutor()
    if name == "local":
        return LocalExecutor(workers or None)
    if name == "dask":
        return DaskExecutor(scheduler, workers or None, partition)
    raise ValueError(f"unknown executor {name!r} (auto, serial, local or dask)")
