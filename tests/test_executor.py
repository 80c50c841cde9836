"""The Dask executor on a real LocalCluster (127.0.0.1, 2 workers): the same records as one process."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEEDS, run_cli
from toolkit.config import RunConfig
from toolkit.document import Document

# end to end through the command, a browser, Redis or Dask: the slow tier (make test-fast skips it)
pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed", reason="the dask extra: pip install 'wirecheck[dask]'")


def corpus() -> list[Document]:
    """The seeds, republished copies and French-spaced variants, shuffled so that every story's
    versions land in different partitions of 6 documents."""
    rng = random.Random(4)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    recs = []
    for k, t in enumerate(texts):
        recs.append({"id": f"seed-{k}", "text": t})
        for c in range(4):
            paras = [p for p in t.split("\n\n") if p.strip()]
            keep = [p for p in paras if rng.random() > 0.15]
            recs.append({"id": f"seed-{k}-copy{c}", "text": "\n\n".join(["Advertisement", *keep, "Share this"])})
    recs += [{"id": f"short-{k}", "text": f"Market report {k}: wheat rose {k} cents in Chicago."} for k in range(6)]
    rng.shuffle(recs)
    return [Document(id=r["id"], text=r["text"], record=r) for r in recs]


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None, silence_logs=40
    )
    yield cluster
    cluster.close()


def records(docs: Iterator[Document]) -> list[dict[str, Any]]:
    return [d.to_record() for d in docs]


def test_dask_run_matches_one_process(local_cluster: Any) -> None:
    from toolkit.executor import DaskExecutor, SerialExecutor
    from toolkit.pipeline import default_steps

    config = RunConfig()
    serial = records(SerialExecutor().run(default_steps(config), corpus()))
    dask = records(DaskExecutor(local_cluster.scheduler_address, partition=6).run(default_steps(config), corpus()))
    assert [r["id"] for r in dask] == [r["id"] for r in serial]
    # the same clusters (ids, canonical members, evidence), findings and quality: the same records
    clusters = {r["wirecheck"]["cluster"]["id"] for r in serial}
    assert len(clusters) < len(serial) - 10  # the copies did cluster, across partitions
    assert json.dumps(dask, sort_keys=True) == json.dumps(serial, sort_keys=True)


@pytest.mark.parametrize("score_batch", [1000, 5])
def test_dask_ingest_against_an_index_matches_one_process(local_cluster: Any, tmp_path: Path, score_batch: int) -> None:
    from toolkit.executor import DaskExecutor, SerialExecutor, plan
    from toolkit.index import open_index
    from toolkit.pipeline import default_steps
    from toolkit.scorers.run import ScorerConfig

    # per-document steps go in the runner's small units; the pooling ones in theirs: scorer
    # batches of 5 fall inside clustering batches of 10 (one trip for both), batches of 1000 need
    # a trip of their own. The index check, moved after them all, runs here.
    config = RunConfig(dedup_batch=10, compare=False, scorer_config=ScorerConfig(batch=score_batch))
    out = []
    executors = (("serial", SerialExecutor()), ("dask", DaskExecutor(local_cluster.scheduler_address, partition=7)))
    for name, ex in executors:
        idx = open_index(str(tmp_path / f"{name}.db"), config.index_params())
        steps = default_steps(config, index=idx, added=1.0e9)
        shape = [(s.remote, [x.name for x in s.steps]) for s in plan(steps)]
        per_doc = (True, ["normalize", "language", "features"])
        together = [(True, ["cluster", "story evidence"])]
        pooled = together if score_batch == 5 else [(True, ["cluster"]), (True, ["story evidence"])]
        local = [(False, ["index"]), (False, ["quality"])]  # quality is too cheap to send away
        assert shape == [per_doc, *pooled, (True, ["scorers"]), *local]
        out.append(records(ex.run(steps, corpus())))
        idx.close()
    assert json.dumps(out[0], sort_keys=True) == json.dumps(out[1], sort_keys=True)
    assert any(r["wirecheck"]["index"]["status"] == "duplicate" for r in out[1])


def test_cli_dask_options(local_cluster: Any, tmp_path: Path) -> None:
    r = run_cli("run", "--executor", "dask", "--scheduler", local_cluster.scheduler_address, "--out",
                str(tmp_path / "d"), "-q", "--no-report")  # fmt: skip
    assert r.returncode == 0, r.stderr.decode()
    assert run_cli("run", "--out", str(tmp_path / "s"), "-q", "--no-report").returncode == 0
    for f in ("documents.jsonl", "findings.csv", "comparisons.jsonl"):
        assert (tmp_path / "d" / f).read_bytes() == (tmp_path / "s" / f).read_bytes()
    r = run_cli("run", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", "-q", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and b"cannot reach the Dask scheduler at tcp://127.0.0.1:9" in r.stderr
    assert run_cli("run", "--scheduler", "tcp://127.0.0.1:9").returncode == 2  # needs --executor dask


@pytest.mark.parametrize("score_batch", [1000, 5])
def test_local_process_pool_matches_one_process(score_batch: int) -> None:
    from toolkit.executor import LocalExecutor, SerialExecutor
    from toolkit.pipeline import default_steps
    from toolkit.scorers.run import ScorerConfig

    # versions compared too, in the scorers' batches; with 5, every stage of a batch in one task
    config = RunConfig(dedup_batch=10, scorer_config=ScorerConfig(batch=score_batch))
    serial = records(SerialExecutor().run(default_steps(config), corpus()))
    pooled = records(LocalExecutor(2).run(default_steps(config), corpus()))
    assert json.dumps(pooled, sort_keys=True) == json.dumps(serial, sort_keys=True)
