"""The pre-ingest step: an index across runs (SQLite and a real Redis), gates, routing, nothing lost."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEEDS, run_cli, wirecheck_cmd

# end to end through the command, a browser, Redis or Dask: the slow tier (make test-fast skips it)
pytestmark = pytest.mark.slow

TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def republish(text: str) -> str:
    """Another site's copy: other chrome around it, a place name respelled."""
    return "Advertisement\n\nWorld | Middle East\n\n" + text.replace("Idleb", "Idlib") + "\n\nShare this story\n"


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def three_batches(tmp_path: Path) -> list[Path]:
    return [
        write_jsonl(tmp_path / "b1.jsonl", [{"id": "b1-afp", "text": TEXTS[0]}, {"id": "b1-rfi", "text": TEXTS[2]}]),
        write_jsonl(tmp_path / "b2.jsonl", [{"id": "b2-national", "text": TEXTS[3]}]),
        write_jsonl(
            tmp_path / "b3.jsonl",
            [{"id": "b3-afp-copy", "text": republish(TEXTS[0])}, {"id": "b3-oktay", "text": TEXTS[4]}],
        ),
    ]


def ingest_batches(tmp_path: Path, index: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for n, batch in enumerate(three_batches(tmp_path), 1):
        r = run_cli("ingest", str(batch), "--index", index, "-o", str(tmp_path / f"out{n}.jsonl"), "-q")
        assert r.returncode == 0, r.stderr.decode()
        out.update({rec["id"]: rec["wirecheck"]["index"] for rec in read_jsonl(tmp_path / f"out{n}.jsonl")})
    return out


def test_three_batches_against_one_embedded_index(tmp_path: Path) -> None:
    index = str(tmp_path / "seen.db")
    status = ingest_batches(tmp_path, index)
    assert status["b3-afp-copy"]["status"] == "duplicate" and status["b3-afp-copy"]["of"] == "b1-afp"
    assert status["b3-afp-copy"]["score"] >= 0.7
    for new in ("b1-afp", "b1-rfi", "b2-national", "b3-oktay"):
        assert status[new] == {"status": "new", "of": new}
    db = sqlite3.connect(index)
    assert db.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM docs").fetchone() == (5, 5)
    # the same batch again: its records are known, and the copy is still routed as a duplicate
    r = run_cli("ingest", str(tmp_path / "b3.jsonl"), "--index", index, "--keep", str(tmp_path / "k.jsonl"),
                "--duplicates", str(tmp_path / "d.jsonl"), "-q")  # fmt: skip
    assert r.returncode == 0 and r.stdout == b""
    assert [x["id"] for x in read_jsonl(tmp_path / "d.jsonl")] == ["b3-afp-copy"]
    assert [x["wirecheck"]["index"]["status"] for x in read_jsonl(tmp_path / "k.jsonl")] == ["known"]
    assert db.execute("SELECT COUNT(*) FROM docs").fetchone() == (5,)


def test_three_batches_against_a_real_redis(tmp_path: Path, redis_url: str) -> None:
    status = ingest_batches(tmp_path, redis_url)
    assert status["b3-afp-copy"]["status"] == "duplicate" and status["b3-afp-copy"]["of"] == "b1-afp"
    assert [k for k, v in status.items() if v["status"] == "new"] == ["b1-afp", "b1-rfi", "b2-national", "b3-oktay"]
    r = run_cli("index", "stats", "--index", redis_url)
    assert r.returncode == 0 and json.loads(r.stdout)["documents"] == 5


def test_two_workers_sharing_redis_keep_a_story_once(tmp_path: Path, redis_url: str) -> None:
    """Both workers get a copy of each of three stories at the same time: each story is kept once."""
    a = write_jsonl(tmp_path / "a.jsonl", [{"id": f"a-{k}", "text": TEXTS[k]} for k in (0, 2, 3)])
    b = write_jsonl(tmp_path / "b.jsonl", [{"id": f"b-{k}", "text": republish(TEXTS[k])} for k in (0, 2, 3)])
    procs = [
        subprocess.Popen(
            [
                *wirecheck_cmd(),
                "ingest",
                str(p),
                "--index",
                redis_url,
                "-o",
                str(tmp_path / f"{p.stem}.out"),
                "-q",
                "--batch-size",
                "1",
            ],
            stderr=subprocess.PIPE,
        )
        for p in (a, b)
    ]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read().decode() if p.stderr else ""
    recs = read_jsonl(tmp_path / "a.out") + read_jsonl(tmp_path / "b.out")
    for k in (0, 2, 3):
        pair = {r["id"]: r["wirecheck"]["index"] for r in recs if r["id"] in (f"a-{k}", f"b-{k}")}
        assert sorted(v["status"] for v in pair.values()) == ["duplicate", "new"], pair
        new = next(i for i, v in pair.items() if v["status"] == "new")
        assert all(v["of"] == new for v in pair.values())


def test_sigkill_halfway_then_rerun_leaves_one_entry_and_one_record_each(tmp_path: Path) -> None:
    records = [{"id": f"doc-{i}", "text": TEXTS[i % 5] + f"\n\nUpdate {i}: officials in Ankara spoke again."}
               for i in range(400)]  # fmt: skip
    src = write_jsonl(tmp_path / "in.jsonl", records)
    index, out = tmp_path / "seen.db", tmp_path / "out.jsonl"
    cmd = [*wirecheck_cmd(), "ingest", str(src), "--index", str(index), "-o", str(out), "-q", "--batch-size", "20"]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    committed = 0
    while time.time() < deadline and proc.poll() is None:
        if index.exists():
            try:
                with sqlite3.connect(index, timeout=1) as db:
                    committed = db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
            except sqlite3.OperationalError:
                committed = 0
            if committed >= 60:
                break
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before it could be killed"
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < committed < 400 and not out.exists()  # killed halfway: no half-written output
    r = subprocess.run(cmd, capture_output=True, timeout=600, check=False)
    assert r.returncode == 0, r.stderr.decode()
    ids = [rec["id"] for rec in read_jsonl(out)]
    assert ids == [rec["id"] for rec in records]  # every record once, in input order
    with sqlite3.connect(index) as db:
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM docs").fetchone() == (400, 400)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # the records the killed run committed get the decisions made then, not "known"
    statuses = {rec["wirecheck"]["index"]["status"] for rec in read_jsonl(out)}
    assert "known" not in statuses and not list(tmp_path.glob(".*.partial"))
    # the killed run's worker processes did not outlive it
    assert workers and not [p for p in workers if Path(f"/proc/{p}").exists()], workers


def _children(pid: int) -> list[int]:
    """Processes started (directly or through the forkserver) by ``pid``'s pool: its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            kids = (task / "children").read_text().split() if (task / "children").exists() else []
            out += [int(k) for k in kids]
            todo += [int(k) for k in kids]
    return out


def test_an_index_with_other_parameters_is_refused(tmp_path: Path) -> None:
    from toolkit.config import RunConfig
    from toolkit.index import open_index

    index = tmp_path / "seen.db"
    params = RunConfig().index_params()
    open_index(str(index), {**params, "num_perm": 128}).close()
    src = write_jsonl(tmp_path / "b.jsonl", [{"id": "x", "text": TEXTS[0]}])
    r = run_cli("ingest", str(src), "--index", str(index), "-o", str(tmp_path / "o.jsonl"))
    assert r.returncode == 2
    msg = r.stderr.decode()
    assert "num_perm" in msg and "128" in msg and "64" in msg
    assert not (tmp_path / "o.jsonl").exists()


def test_the_lookup_probes_the_band_index_instead_of_scanning_the_table(tmp_path: Path) -> None:
    # a scan of every band key once per batch made the check grow with the index (1.5 ms a
    # document at 100,000 entries): the batch's keys must drive the join
    from toolkit.config import RunConfig
    from toolkit.index import open_index
    from toolkit.index.sqlite import LOOKUP

    index = open_index(str(tmp_path / "seen.db"), RunConfig().index_params())
    db = index.db  # type: ignore[attr-defined]
    db.execute("CREATE TEMP TABLE IF NOT EXISTS q (key INTEGER NOT NULL, k INTEGER NOT NULL)")
    plan = " | ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + LOOKUP))
    index.close()
    # both levels (the main tree and the recent keys) are probed by key
    assert "SCAN q" in plan and plan.count("SEARCH b USING PRIMARY KEY (key=?)") == 2, plan
    assert "SCAN b" not in plan, plan


@pytest.mark.parametrize("merge_rows", [1, 10**9])
def test_recent_band_keys_are_found_before_and_after_their_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, merge_rows: int
) -> None:
    # merge_rows 1: every batch's keys are folded into the main tree; 10**9: they all stay recent
    import numpy as np

    from toolkit.index import sqlite as store
    from toolkit.index.core import DUPLICATE, NEW, Entry, band_keys

    monkeypatch.setattr(store, "MERGE_ROWS", merge_rows)
    index = store.SqliteIndex(tmp_path / "seen.db", {"copy_containment": 0.7, "bands": 21, "rows": 3})
    sigs = np.random.default_rng(5).integers(0, 2**32, (3, 63), dtype=np.uint64).astype(np.uint32)
    keys = np.stack(band_keys(sigs, 21, 3), axis=1).view(np.int64)  # as the pipeline computes them

    def entry(name: str, story: int) -> Entry:
        return Entry(name, name, True, sigs[story], 100, 1.0)

    for batch, story in ((0, 0), (1, 1)):
        status = index.resolve([entry(f"b{batch}", story)], keys[story : story + 1])
        assert status[f"b{batch}"].status == NEW
    # a third batch republishes both stories and brings a new one
    status = index.resolve([entry("c0", 0), entry("c1", 1), entry("c2", 2)], keys[[0, 1, 2]])
    assert (status["c0"].status, status["c0"].of) == (DUPLICATE, "b0")
    assert (status["c1"].status, status["c1"].of) == (DUPLICATE, "b1")
    assert status["c2"].status == NEW
    main, recent = (index.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("bands", "recent"))
    assert (main, recent) == ((5 * 21, 0) if merge_rows == 1 else (0, 5 * 21))
    assert index.stats()["band_keys"] == 5 * 21
    # eviction takes an entry's keys from whichever level holds them
    assert index.evict(before=2.0) == 5
    assert index.stats()["band_keys"] == 0
    index.close()


def test_window_evicts_old_entries(tmp_path: Path) -> None:
    index = str(tmp_path / "seen.db")
    b1 = write_jsonl(tmp_path / "b1.jsonl", [{"id": "old", "text": TEXTS[0]}])
    b2 = write_jsonl(tmp_path / "b2.jsonl", [{"id": "later-copy", "text": republish(TEXTS[0])}])
    assert run_cli("ingest", str(b1), "--index", index, "--as-of", "2026-01-01", "-o", "-", "-q").returncode == 0
    # within the window the copy is a duplicate; 40 days later, with a 30-day window, it is new
    r = run_cli("ingest", str(b2), "--index", index, "--as-of", "2026-01-20", "--window", "30d", "--dry-run", "-q")
    assert r.returncode == 0 and r.stdout == b""  # a dry run writes nothing
    r = run_cli("ingest", str(b2), "--index", index, "--as-of", "2026-02-10", "--window", "30d", "-o", "-")
    assert r.returncode == 0
    assert json.loads(r.stdout)["wirecheck"]["index"]["status"] == "new"
    assert b"1 entries older than 30d evicted" in r.stderr
    # the evicted entry's band keys went with it: only the new entry's remain
    from toolkit.config import RunConfig
    from toolkit.index import open_index

    idx = open_index(index, RunConfig().index_params())
    db = idx.db  # type: ignore[attr-defined]
    assert db.execute("SELECT COUNT(*) FROM docs").fetchone()[0] == 1
    for table in ("bands", "recent"):
        assert db.execute(f"SELECT COUNT(*) FROM {table} WHERE seq NOT IN (SELECT seq FROM docs)").fetchone()[0] == 0
    assert idx.stats()["band_keys"] > 0  # type: ignore[attr-defined]
    idx.close()


def test_gates_exit_codes_and_config_file(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": TEXTS[2]}, {"id": "b", "text": republish(TEXTS[2])}])
    base = ["ingest", str(src), "--no-index", "-o", str(tmp_path / "o.jsonl")]
    assert run_cli(*base).returncode == 0
    r = run_cli(*base, "--fail-on", "critical")
    assert r.returncode == 1 and b"gate failed: fail-on critical" in r.stderr
    assert run_cli(*base, "--max-duplicate-rate", "0.4").returncode == 1  # 1 of 2 is a duplicate
    assert run_cli(*base, "--max-duplicate-rate", "0.5").returncode == 0
    r = run_cli(*base, "--min-quality", "99", "--rejects", str(tmp_path / "rej.jsonl"))
    assert r.returncode == 1
    assert {x["id"] for x in read_jsonl(tmp_path / "rej.jsonl")} == {"a", "b"}
    assert run_cli(*base, "--fail-on", "critical", "--exit-zero").returncode == 0
    assert run_cli(*base, "--fail-on", "fatal").returncode == 2
    (tmp_path / "gate.toml").write_text('fail-on = "critical"\n[ingest]\nmax_duplicate_rate = 0.9\n')
    r = run_cli(*base, "--config", str(tmp_path / "gate.toml"))
    assert r.returncode == 1 and b"fail-on critical" in r.stderr
    assert (
        run_cli(*base, "--config", str(tmp_path / "gate.toml"), "--fail-on", "critical", "--exit-zero").returncode == 0
    )
    # [tool.wirecheck] in the working directory's pyproject.toml, overridden by an option
    (tmp_path / "pyproject.toml").write_text('[tool.wirecheck]\nfail_on = "critical"\n')
    assert run_cli(*base, cwd=tmp_path).returncode == 1
    (tmp_path / "bad.toml").write_text("fail_on_typo = 1\n")
    r = run_cli(*base, "--config", str(tmp_path / "bad.toml"))
    assert r.returncode == 2 and b"unknown setting 'fail_on_typo'" in r.stderr


def test_ten_thousand_lines_each_come_out_exactly_once(tmp_path: Path) -> None:
    words = "minister talks ceasefire province rebels army council report village road harvest market".split()  # noqa: SIM905
    lines: list[bytes] = []
    for i in range(10_000):
        if i % 97 == 13:
            lines.append(b'{"id": "broken-%d", "text": "unterminated' % i)
        elif i % 89 == 7:
            lines.append(b'{"id": "latin-%d", "text": "caf\xe9 cr\xe8me br\xfbl\xe9e"}' % i)
        elif i % 83 == 5:
            lines.append(json.dumps({"id": f"empty-{i}", "text": "  "}).encode())
        elif i % 79 == 3:
            lines.append(b"")
        elif i % 71 == 1:
            lines.append(b"\x00\x01\x02\xff binary junk")
        else:
            story = i % 3000  # each story comes about three times: copies
            body = " ".join(words[(story * 7 + k * 3) % len(words)] for k in range(30))
            lines.append(json.dumps({"id": f"L{i}", "title": f"Story {story}",
                                     "text": f"Report {story}: the {body} in district {story}."}).encode())  # fmt: skip
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    k, d, j = tmp_path / "keep.jsonl", tmp_path / "dups.jsonl", tmp_path / "rejects.jsonl"
    r = run_cli("ingest", str(src), "--no-index", "--keep", str(k), "--duplicates", str(d), "--rejects", str(j),
                "--exit-zero", "-q", "--batch-size", "2000")  # fmt: skip
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout == b""  # everything was routed
    kept, dups, rejects = read_jsonl(k), read_jsonl(d), read_jsonl(j)
    assert len(kept) + len(dups) + len(rejects) == 10_000
    seen_lines = sorted(x["wirecheck"]["rejected"]["line"] for x in rejects)
    seen_lines += sorted(int(x["id"][1:]) + 1 for x in kept + dups)
    assert sorted(seen_lines) == list(range(1, 10_001))
    reasons = {x["wirecheck"]["rejected"]["reason"] for x in rejects}
    assert {"malformed_json", "invalid_utf8", "empty_text", "blank_line"} <= reasons
    assert dups and all(x["wirecheck"]["cluster"]["canonical"] is False for x in dups)
