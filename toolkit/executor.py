"""Runners: where a list of steps executes. They know no step by name.

``SerialExecutor`` chains the steps in this process. ``LocalExecutor`` (a process pool) and
``DaskExecutor`` (a Dask cluster) first make a plan from what each step declares
(:class:`toolkit.pipeline.Step`): consecutive steps that hold no shared state run together
on a worker, one task per unit of documents (per-document steps in the runner's small units,
pooling steps in a unit that is a multiple of their batches); a step that must see everything at once
(``batch=None``) or that holds this process's state (``shared``: the index) runs here, over
the stream in order. A shared step is moved after the worker steps that neither need what
it adds nor change what it reads, so one trip to a worker can carry a document through
every other step. Units are cut from the stream where the steps cut their own batches in
one process, so every runner gives the same records in the same order. A bounded number of
tasks is in flight, so memory stays bounded by the unit.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from toolkit.document import Document, batches
from toolkit.pipeline import Pipeline, Step

T = TypeVar("T")


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


def chain(steps: Sequence[Step], docs: Iterable[Document]) -> Iterator[Document]:
    """The documents through every step, in this process."""
    yield from Pipeline(steps)(docs)


@dataclass
class Segment:
    """Steps that run together: on a worker (``remote``), ``unit`` documents a task, or here."""

    steps: list[Step]
    remote: bool
    unit: int | None = None
    keep: frozenset[str] = frozenset()  # fields the later segments need: not shed on the way back


def _commutes(shared: Step, other: Step) -> bool:
    return not (set(shared.adds) & set(other.needs)) and not (set(other.adds) & set(shared.needs))


def plan(steps: Sequence[Step]) -> list[Segment]:
    """Segments from the steps' declarations (see the module's docstring)."""
    order = list(steps)
    moved = True
    while moved:
        moved = False
        for k in range(len(order) - 1):
            a, b = order[k], order[k + 1]
            if a.shared and not b.shared and b.batch is not None and _commutes(a, b):
                order[k], order[k + 1] = b, a
                moved = True
    segments: list[Segment] = []
    for step in order:
        if step.shared or step.batch is None:
            segments.append(Segment([step], remote=False, unit=step.batch))
            continue
        size = step.batch if step.batch > 1 else None
        last = segments[-1] if segments and segments[-1].remote else None
        # per-document steps ride together in the runner's small units, pooling steps together in
        # theirs (a unit that is a multiple of each step's batch): per-document work carried in a
        # pool's unit of 1,000 makes a few large tasks that leave workers idle at the end
        unit = last.unit if last is not None else None
        if last is not None and (unit is None if size is None else unit is not None and unit % size == 0):
            last.steps.append(step)
        else:
            segments.append(Segment([step], remote=True, unit=size))
    needed: set[str] = set()
    for seg in reversed(segments):
        seg.keep = frozenset(needed)
        for step in seg.steps:
            needed |= set(step.needs)
    return segments


def run_segment(args: tuple[list[Step], list[Document], frozenset[str]]) -> list[Document]:
    """Worker task: a unit of documents through a segment's steps, shed of what no later step needs."""
    steps, docs, keep = args
    out = list(chain(steps, docs))
    for d in out:
        d.shed(keep)
    return out


def _watch_parent(pid: int) -> None:
    """Worker initialiser: exit when the process that started the pool is gone (killed with
    SIGKILL, its pool cannot say goodbye; a worker holding a model must not outlive it)."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="wirecheck-parent-watch").start()


def _distributed(
    segments: list[Segment], docs: Iterable[Document], submit: Callable[[Any], Any], window: int, chunk: int
) -> Iterator[Document]:
    """The documents through every segment: remote ones as tasks (``submit``), the rest here."""
    stream: Iterable[Document] = docs
    for seg in segments:
        stream = _remote(seg, stream, submit, window, chunk) if seg.remote else chain(seg.steps, stream)
    yield from stream


def _remote(
    seg: Segment, docs: Iterable[Document], submit: Callable[[Any], Any], window: int, chunk: int
) -> Iterator[Document]:
    """One remote segment over a stream (a function of its own: each segment's tasks bind
    their own steps, not the loop variable's last value)."""
    tasks = ((seg.steps, _shed(c, seg), seg.keep) for c in batches(docs, seg.unit or chunk))
    for part in bounded_map(submit, tasks, window):
        yield from part


def _shed(docs: list[Document], seg: Segment) -> list[Document]:
    """Before documents cross to a worker: drop what neither this segment nor a later one needs."""
    keep = seg.keep | {n for step in seg.steps for n in step.needs}
    for d in docs:
        d.shed(keep)
    return docs


def _one_thread_blas() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        # one BLAS thread per worker: the workers already fill the CPUs (inherited by the forkserver)
        os.environ.setdefault(var, "1")


class SerialExecutor:
    name = "serial"

    def run(self, steps: Sequence[Step], docs: Iterable[Document]) -> Iterator[Document]:
        yield from chain(steps, docs)


class LocalExecutor:
    """A process pool: ``workers`` processes (default: the CPUs this process may use), ``batch``
    documents a task where no step sets the unit."""

    name = "local"

    def __init__(self, workers: int | None = None, batch: int = 250) -> None:
        self.workers = workers or len(os.sched_getaffinity(0))
        self.batch = batch

    def run(self, steps: Sequence[Step], docs: Iterable[Document]) -> Iterator[Document]:
        segments = plan(steps)
        remote = [s for s in segments if s.remote]
        stream = iter(docs)
        # the smallest task of any remote segment: under two of them, one process does it all
        first = min((s.unit or self.batch) for s in remote) if remote else 0
        head = list(itertools.islice(stream, 2 * first))
        if not remote or len(head) < 2 * first:
            # under two tasks: starting worker processes (and their models) costs more than it saves
            yield from chain(steps, itertools.chain(head, stream))
            return
        _one_thread_blas()
        ctx = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_watch_parent,
                                 initargs=(os.getpid(),)) as pool:  # fmt: skip

            def submit(task: Any) -> Any:
                return pool.submit(run_segment, task)

            yield from _distributed(segments, itertools.chain(head, stream), submit, 2 * self.workers, self.batch)


class SchedulerUnreachable(RuntimeError):
    pass


class DaskExecutor:
    """The steps on a Dask cluster (``scheduler``, or a LocalCluster of ``workers``), planned as
    the process pool plans them; ``partition`` documents a task where no step sets the unit."""

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
        _one_thread_blas()
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=self.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None, silence_logs=40,
        )  # fmt: skip
        self.info = f"local Dask cluster on 127.0.0.1, {self.workers} workers"
        return Client(cluster, set_as_default=False), cluster  # type: ignore[no-untyped-call]

    def run(self, steps: Sequence[Step], docs: Iterable[Document]) -> Iterator[Document]:
        client, cluster = self._client()
        try:
            # tasks are sent as the documents are read, a few per worker ahead, so neither the
            # client nor the scheduler holds the whole input
            window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
            submit = partial(client.submit, run_segment, pure=False)
            yield from _distributed(plan(steps), docs, submit, window, self.partition)
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
