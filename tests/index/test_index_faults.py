"""The index under damage and upgrades: a damaged file is noticed (exit 2, a clear message, no
traceback), and an index opens whatever the software version as long as its scheme matches."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEEDS, run_cli

pytestmark = pytest.mark.slow


def _build(tmp_path: Path, n: int = 400) -> tuple[Path, Path]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    rng = random.Random(7)
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        for k in range(n):
            words = texts[k % len(texts)].split()
            rng.shuffle(words)  # different stories, so the index grows over many pages
            fh.write(json.dumps({"id": f"d{k:04d}", "text": " ".join(words)}) + "\n")
    index = tmp_path / "index.db"
    r = run_cli("ingest", str(feed), "--index", str(index), "-o", str(tmp_path / "o.jsonl"), "-q")
    assert r.returncode == 0, r.stderr.decode()
    return feed, index


def test_a_damaged_sqlite_index_is_noticed_and_can_be_dropped(tmp_path: Path) -> None:
    feed, index = _build(tmp_path)
    data = bytearray(index.read_bytes())
    assert len(data) > 64 * 1024
    rng = random.Random(1)
    for off in (len(data) // 3, len(data) // 2, 2 * len(data) // 3):
        data[off : off + 512] = bytes(rng.randrange(256) for _ in range(512))
    index.write_bytes(bytes(data))
    r = run_cli("ingest", str(feed), "--index", str(index), "-o", str(tmp_path / "o2.jsonl"), "-q")
    assert r.returncode == 2, r.stderr.decode()
    assert b"damaged" in r.stderr and b"Traceback" not in r.stderr
    r = run_cli("index", "check", "--index", str(index))
    assert r.returncode == 2 and b"damaged" in r.stderr and b"Traceback" not in r.stderr
    r = run_cli("index", "drop", "--index", str(index), "--yes")
    assert r.returncode == 0 and not index.exists()


def test_a_sound_index_passes_its_check(tmp_path: Path) -> None:
    _, index = _build(tmp_path, 30)
    r = run_cli("index", "check", "--index", str(index))
    assert r.returncode == 0 and b"no problem" in r.stderr


def test_an_index_opens_after_an_upgrade_that_keeps_its_scheme(tmp_path: Path) -> None:
    import sqlite3

    feed, index = _build(tmp_path, 30)
    db = sqlite3.connect(index)
    stored = json.loads(db.execute("SELECT value FROM meta WHERE key = 'params'").fetchone()[0])
    stored["wirecheck"], stored["datasketch"] = "0.0.1", "1.5.0"  # written by older software, same scheme
    db.execute("UPDATE meta SET value = ? WHERE key = 'params'", (json.dumps(stored, sort_keys=True),))
    db.commit()
    r = run_cli("ingest", str(feed), "--index", str(index), "-o", str(tmp_path / "again.jsonl"), "-q")
    assert r.returncode == 0, r.stderr.decode()
    recs = [json.loads(x)["wirecheck"]["index"] for x in (tmp_path / "again.jsonl").read_text().splitlines()]
    assert all(s["status"] == "known" for s in recs)  # its history is kept: every record was seen before
    stored["num_perm"] = 128  # another scheme: its signatures mean nothing to this run
    db.execute("UPDATE meta SET value = ? WHERE key = 'params'", (json.dumps(stored, sort_keys=True),))
    db.commit()
    db.close()
    r = run_cli("ingest", str(feed), "--index", str(index), "-o", str(tmp_path / "no.jsonl"), "-q")
    assert r.returncode == 2 and b"num_perm" in r.stderr


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_reused_id_with_another_text_is_decided_on_its_text(tmp_path: Path, backend: str, request: Any) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    index = request.getfixturevalue("redis_url") if backend == "redis" else str(tmp_path / "index.db")
    first = tmp_path / "b1.jsonl"
    rows = (("a", texts[2]), ("b", texts[3]))
    first.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    r = run_cli("ingest", str(first), "--index", index, "-o", str(tmp_path / "o1.jsonl"), "-q")
    assert r.returncode == 0, r.stderr.decode()
    # "b" again with its own text: a re-delivery (known); "a" now carrying a copy of story "b" under
    # its old id: not known, a duplicate of b; "c": new
    second = tmp_path / "b2.jsonl"
    rows = (("b", texts[3]), ("a", "Breaking:\n\n" + texts[3]), ("c", texts[4]))
    second.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    r = run_cli("ingest", str(second), "--index", index, "-o", str(tmp_path / "o2.jsonl"), "-q")
    assert r.returncode == 0, r.stderr.decode()
    lines = (tmp_path / "o2.jsonl").read_text().splitlines()
    out = {json.loads(x)["id"]: json.loads(x)["wirecheck"]["index"] for x in lines}
    assert out["b"]["status"] == "known"
    assert out["a"]["status"] == "duplicate" and out["a"]["of"] == "b" and out["a"]["id_reused"] is True
    assert out["c"]["status"] == "new" and "id_reused" not in out["c"]
    # the index still holds a's first text: a re-delivery of it is known
    third = tmp_path / "b3.jsonl"
    third.write_text(json.dumps({"id": "a", "text": texts[2]}) + "\n", encoding="utf-8")
    r = run_cli("ingest", str(third), "--index", index, "-o", str(tmp_path / "o3.jsonl"), "-q")
    assert json.loads((tmp_path / "o3.jsonl").read_text())["wirecheck"]["index"]["status"] == "known"


def stall_script(module: str, owner: str, method: str) -> str:
    """A ``wirecheck ingest`` that sleeps ``argv[1]`` seconds after ``module.owner.method``: a
    writer stalled between two steps (arguments after the first go to ingest)."""
    return f"""
import sys, time
import {module}
slow = float(sys.argv[1])
step = {module}.{owner}.{method}
def stalled(self, *a, **k):
    out = step(self, *a, **k)
    time.sleep(slow)
    return out
{module}.{owner}.{method} = stalled
from toolkit.cli import main
sys.argv = ["wirecheck", "ingest", *sys.argv[2:]]
main()
"""


# between taking its sequence numbers and inserting (Redis); between its look-up and its insertion (SQLite)
STALL = stall_script("redis", "Redis", "incrby")
STALL_SQLITE = stall_script("toolkit.index.sqlite", "SqliteIndex", "_matches")


def _two_writers(tmp_path: Path, stall: str, index: str) -> dict[int, int]:
    """Two ``ingest`` processes over the same eighteen stories (under other ids), the first stalled
    for 2 s at the point ``stall`` patches: how many times each story was kept as new."""
    import subprocess
    import sys
    import time

    rng = random.Random(3)
    syllables = ["ka", "ro", "mi", "tan", "el", "su", "dar", "vi", "no", "lek", "ha", "zu", "pe", "or", "bi", "gun"]
    vocab = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(6000)})
    stories = [" ".join(rng.choices(vocab, k=150)) + "." for _ in range(18)]  # eighteen different stories
    script = tmp_path / "stall.py"
    script.write_text(stall, encoding="utf-8")
    procs = []
    for n, slow in enumerate((2.0, 0.0)):
        feed = tmp_path / f"w{n}.jsonl"
        feed.write_text("".join(json.dumps({"id": f"w{n}-{k}", "text": t}) + "\n" for k, t in enumerate(stories)),
                        encoding="utf-8")  # fmt: skip
        out = str(tmp_path / f"o{n}.jsonl")
        cmd = [sys.executable, str(script), str(slow), str(feed), "--index", index, "-o", out, "-q"]
        procs.append(subprocess.Popen(cmd, stderr=subprocess.PIPE))
        time.sleep(0.8 if n == 0 else 0)  # the first reaches its stall; the second runs meanwhile
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    kept: dict[int, int] = {}
    for n in (0, 1):
        for line in (tmp_path / f"o{n}.jsonl").read_text().splitlines():
            rec = json.loads(line)
            if rec["wirecheck"]["index"]["status"] == "new":
                k = int(rec["id"].split("-")[1])
                kept[k] = kept.get(k, 0) + 1
    return kept


def test_two_writers_one_stalled_between_its_steps_keep_each_story_once_on_redis(
    tmp_path: Path, redis_url: str
) -> None:
    # stalled between taking its sequence numbers and inserting: without the lock, both kept all
    assert _two_writers(tmp_path, STALL, redis_url) == {k: 1 for k in range(18)}


def test_two_writers_one_stalled_between_its_steps_keep_each_story_once_on_sqlite(tmp_path: Path) -> None:
    assert _two_writers(tmp_path, STALL_SQLITE, str(tmp_path / "index.db")) == {k: 1 for k in range(18)}


def test_redis_going_away_mid_run_exits_2_with_a_message(tmp_path: Path, redis_url: str) -> None:
    import contextlib
    import subprocess
    import sys
    import time

    import redis

    feed = tmp_path / "feed.jsonl"
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    feed.write_text("".join(json.dumps({"id": f"d{k}", "text": t}) + "\n" for k, t in enumerate(texts)),
                    encoding="utf-8")  # fmt: skip
    script = tmp_path / "stall.py"
    script.write_text(STALL, encoding="utf-8")
    cmd = [sys.executable, str(script), "3", str(feed), "--index", redis_url, "-o", str(tmp_path / "o.jsonl"), "-q"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    time.sleep(2.0)  # the writer has taken its sequence numbers and stalls: the server goes away
    with contextlib.suppress(redis.exceptions.ConnectionError):
        redis.Redis.from_url(redis_url).shutdown(nosave=True)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err.decode()
    assert b"Redis" in err and b"Traceback" not in err


# a `wirecheck ingest` killed with SIGKILL right after its index committed ``argv[1]`` batches
# (the worst moment: decisions stored, records not yet written)
KILL_AFTER = """
import os, signal, sys
import toolkit.index.redis_store, toolkit.index.sqlite
after = int(sys.argv[1])
done = [0]
for cls in (toolkit.index.sqlite.SqliteIndex, toolkit.index.redis_store.RedisIndex):
    def resolve(self, *a, _step=cls.resolve, **k):
        out = _step(self, *a, **k)
        done[0] += 1
        if done[0] == after:
            os.kill(os.getpid(), signal.SIGKILL)
        return out
    cls.resolve = resolve
from toolkit.cli import main
sys.argv = ["wirecheck", "ingest", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_rerun_after_a_kill_gives_the_records_of_an_uninterrupted_run(
    tmp_path: Path, backend: str, request: Any
) -> None:
    import subprocess
    import sys

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    rng = random.Random(11)
    rows = []
    for k in range(48):
        words = texts[k % len(texts)].split()
        if k % 4 == 3:  # a copy of an earlier record, so that duplicates with scores and matches occur
            rows.append({"id": f"r{k:02d}", "text": "Republished:\n\n" + rows[k - 3]["text"]})
            continue
        rng.shuffle(words)
        rows.append({"id": f"r{k:02d}", "text": " ".join(words)})
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    url = request.getfixturevalue("redis_url") if backend == "redis" else ""

    def index(name: str) -> str:
        return f"{url}?basename={name}" if backend == "redis" else str(tmp_path / f"{name}.db")

    args = ["--batch-size", "8", "--workers", "1", "-q", "--exit-zero"]
    whole = run_cli("ingest", str(feed), "--index", index("whole"), "-o", str(tmp_path / "whole.jsonl"), *args)
    assert whole.returncode == 0, whole.stderr.decode()
    expected = (tmp_path / "whole.jsonl").read_bytes()
    statuses = {json.loads(x)["wirecheck"]["index"]["status"] for x in expected.splitlines()}
    assert statuses == {"new", "duplicate"}
    script = tmp_path / "kill.py"
    script.write_text(KILL_AFTER, encoding="utf-8")
    for after in (1, 3, 5):
        name = f"killed{after}"
        out = tmp_path / f"{name}.jsonl"
        killed = subprocess.run([sys.executable, str(script), str(after), str(feed), "--index", index(name),
                                 "-o", str(out), *args], capture_output=True, check=False)  # fmt: skip
        assert killed.returncode == -9, killed.stderr.decode()
        again = run_cli("ingest", str(feed), "--index", index(name), "-o", str(out), *args)
        assert again.returncode == 0, again.stderr.decode()
        assert out.read_bytes() == expected, after
    if backend == "sqlite":
        # ten kills in a row on one index, each after a random number of the six batches (a
        # re-run replays the batches committed before, then goes further or is killed again)
        out = tmp_path / "ten.jsonl"
        for after in [rng.randint(1, 6) for _ in range(10)]:
            killed = subprocess.run([sys.executable, str(script), str(after), str(feed), "--index", index("ten"),
                                     "-o", str(out), *args], capture_output=True, check=False)  # fmt: skip
            assert killed.returncode == -9, killed.stderr.decode()
        again = run_cli("ingest", str(feed), "--index", index("ten"), "-o", str(out), *args)
        assert again.returncode == 0, again.stderr.decode()
        assert out.read_bytes() == expected
    # the same records from another input are re-deliveries: known
    other = tmp_path / "other.jsonl"
    other.write_text("\n" + feed.read_text(encoding="utf-8"), encoding="utf-8")  # every line one further
    r = run_cli("ingest", str(other), "--index", index("whole"), "-o", str(tmp_path / "o.jsonl"), *args)
    assert r.returncode == 0, r.stderr.decode()
    lines = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert {x["wirecheck"]["index"]["status"] for x in lines if x["wirecheck"].get("index")} == {"known"}
    if backend == "redis":
        # a killed run leaves its inputs marked under way; dropping the index removes that too
        import redis

        client = redis.Redis.from_url(url)
        killed = tmp_path / "killed-again.jsonl"
        r = subprocess.run([sys.executable, str(script), "1", str(feed), "--index", index("gone"), "-o", str(killed),
                            *args], capture_output=True, check=False)  # fmt: skip
        assert r.returncode == -9 and client.exists("gone:runs")
        assert run_cli("index", "drop", "--index", index("gone"), "--yes").returncode == 0
        assert not list(client.scan_iter(match="gone*"))
