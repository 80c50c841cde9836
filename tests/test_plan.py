"""How the runners plan a step list from the steps' declarations alone (no stage names)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from toolkit.document import Document
from toolkit.executor import plan


@dataclass
class Fake:
    """A step that declares and does nothing."""

    name: str
    batch: int | None = 1
    shared: bool = False
    needs: tuple[str, ...] = ()
    adds: tuple[str, ...] = ()

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        yield from docs


def shape(*steps: Fake) -> list[tuple[bool, int | None, list[str]]]:
    return [(s.remote, s.unit, [x.name for x in s.steps]) for s in plan(steps)]


def test_per_document_steps_and_pooling_steps_travel_apart() -> None:
    # per-document work after a pool of 1,000 goes back out in the runner's small units: carried
    # in the pool's unit, it made a few large tasks that left a worker idle
    steps = (Fake("a"), Fake("b"), Fake("pool", 1000), Fake("pool2", 500), Fake("c"), Fake("pool3", 300))
    assert shape(*steps) == [
        (True, None, ["a", "b"]),
        (True, 1000, ["pool", "pool2"]),  # 500 divides 1,000: the same batches, one trip
        (True, None, ["c"]),
        (True, 300, ["pool3"]),
    ]
    assert shape(Fake("pool", 500), Fake("pool2", 1000)) == [(True, 500, ["pool"]), (True, 1000, ["pool2"])]


def test_a_shared_step_runs_here_after_the_steps_it_commutes_with() -> None:
    steps = (
        Fake("a"),
        Fake("index", 1000, shared=True, needs=("sig",), adds=("index",)),
        Fake("b", adds=("findings",)),
        Fake("c", needs=("index",)),
        Fake("all", None),
    )
    assert shape(*steps) == [
        (True, None, ["a", "b"]),
        (False, 1000, ["index"]),  # moved past b, not past c, which reads what it adds
        (True, None, ["c"]),
        (False, None, ["all"]),
    ]
