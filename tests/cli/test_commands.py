from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT, SEEDS, run_cli, wirecheck_cmd

# end to end through the command, a browser, Redis or Dask: the slow tier (make test-fast skips it)
pytestmark = pytest.mark.slow

HEAVY = ("langdetect", "datasketch", "sacrebleu", "numpy", "sentence_splitter", "orjson", "rich.progress")


def test_help_imports_nothing_heavy() -> None:
    code = "import sys, toolkit.cli; print(','.join(m for m in " + repr(HEAVY) + " if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
    r = run_cli("--help")
    assert r.returncode == 0 and b"run" in r.stdout


def test_run_on_seeds_writes_out(tmp_path: Path) -> None:
    r = run_cli("run", cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout == b""  # logs go to stderr
    out = tmp_path / "out"
    records = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    assert sorted(r["id"] for r in records) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for rec in records:
        w = rec["wirecheck"]
        assert w["lang"] == "en" and w["lang_prob"] > 0.9
        assert set(w) >= {"lang", "lang_prob", "cluster", "findings", "quality", "rejected"}
        assert rec["text"] == (SEEDS / rec["id"]).read_text(encoding="utf-8")
        assert rec["source"] == "seeds"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["documents"] == 5 and summary["languages"] == {"en": 5}
    assert summary["clusters"] == {"total": 4, "multi_member": 1}
    assert summary["parameters"]["language"]["seed"] == 0 and summary["signature"].startswith("wirecheck:")
    assert (out / "findings.csv").read_text().startswith("doc_id,code,category,severity,start,end")


def make_messy_input(path: Path) -> list[bytes]:
    """1,000 lines: seed texts plus a malformed line, invalid UTF-8, an empty text and a 5 MB text."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    lines: list[bytes] = []
    for i in range(1000):
        rec = {"id": f"doc-{i}", "text": texts[i % len(texts)] + f"\n\nItem {i}.", "feed": "wire", "n": i}
        lines.append(json.dumps(rec, ensure_ascii=False).encode())
    lines[99] = b'{"id": "broken", "text": "no closing brace"'
    lines[199] = b'{"id": "latin1", "text": "caf\xe9 cr\xe8me"}'
    lines[299] = json.dumps({"id": "empty", "text": ""}).encode()
    lines[399] = json.dumps({"id": "huge", "text": "word " * 1_000_000}).encode()
    path.write_bytes(b"\n".join(lines) + b"\n")
    return lines


def test_stdin_keeps_every_line_and_rejects_bad_ones(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    lines = make_messy_input(inp)
    r = run_cli("run", "-", "--format", "jsonl", "-q", stdin=inp.read_bytes())
    assert r.returncode == 2, r.stderr.decode()
    out = r.stdout.splitlines()
    assert len(out) == len(lines) == 1000
    recs = [json.loads(x) for x in out]
    rejects = {i + 1: rec["wirecheck"]["rejected"] for i, rec in enumerate(recs) if rec["wirecheck"]["rejected"]}
    assert {n: rej["reason"] for n, rej in rejects.items()} == {
        100: "malformed_json",
        200: "invalid_utf8",
        300: "empty_text",
        400: "too_large",
    }
    assert all(rej["line"] == n for n, rej in rejects.items())
    for i, rec in enumerate(recs):
        if i + 1 in (100, 200):
            continue  # not JSON objects: kept as _raw / _raw_base64
        original = json.loads(lines[i])
        assert {k: rec[k] for k in original} == original
    assert recs[99]["_raw"] == lines[99].decode()

    head = b"".join(inp.read_bytes().splitlines(keepends=True)[:120])  # a malformed line among them
    ok = run_cli("run", "-", "--format", "jsonl", "-q", "--exit-zero", stdin=head)
    assert ok.returncode == 0 and len(ok.stdout.splitlines()) == 120
    again = run_cli("run", "-", "--format", "jsonl", "-q", "--exit-zero", stdin=head)
    assert again.stdout == ok.stdout  # byte-identical from one process to the next


def test_rejects_file_splits_the_stream(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    make_messy_input(inp)
    rej = tmp_path / "rejects.jsonl"
    r = run_cli("run", str(inp), "--format", "jsonl", "-o", str(tmp_path / "o.jsonl"), "--rejects", str(rej), "-q")
    assert r.returncode == 2
    kept = (tmp_path / "o.jsonl").read_text().splitlines()
    rejected = rej.read_text().splitlines()
    assert len(kept) == 996 and len(rejected) == 4
    assert all(json.loads(x)["wirecheck"]["rejected"] is None for x in kept)


def test_dir_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    for name in ("a", "b"):
        r = run_cli("run", str(FIXTURES / "folder"), "--out", str(tmp_path / name), "--exit-zero", "-q")
        assert r.returncode == 0
    for f in (
        "documents.jsonl",
        "findings.csv",
        "summary.json",
        "comparisons.jsonl",
        "report.html",
        "report.md",
        "cleaned.jsonl",
        "cleaned.patch",
    ):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()


def test_usage_and_input_errors_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("run", str(FIXTURES / "folder"), "--out", str(out), "--exit-zero", "-q").returncode == 0
    before = (out / "documents.jsonl").read_bytes()
    r = run_cli("run", str(tmp_path / "missing.jsonl"), "--out", str(out))
    assert r.returncode == 2 and b"input not found" in r.stderr
    assert (out / "documents.jsonl").read_bytes() == before  # a failed run leaves earlier results alone
    r = run_cli("run", "--format", "xml")
    assert r.returncode == 2


def test_an_output_path_the_system_refuses_exits_2_with_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("keep me")
    text = tmp_path / "a.txt"
    text.write_text("One sentence here. And another one.\n")
    for args in (
        ("align", str(text), str(text), "-o", str(blocker / "beads.txt")),
        ("run", str(FIXTURES / "folder"), "--format", "jsonl", "-o", str(blocker / "records.jsonl")),
        ("run", str(FIXTURES / "folder"), "--out", str(blocker / "out")),
        ("run", str(FIXTURES / "folder"), "--out", str(blocker)),
    ):
        r = run_cli(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert str(blocker).encode() in r.stderr and b"Not a directory" in r.stderr, r.stderr
        assert b"Traceback" not in r.stderr
    assert blocker.read_text() == "keep me"


def test_a_reader_that_stops_early_is_not_a_failed_gate(tmp_path: Path) -> None:
    # `wirecheck run --format jsonl | head -c 100`, with far more records than a pipe holds (64 KB)
    text = " ".join(f"The council met on day {k} and voted on the budget." for k in range(40))
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": f"d{k}", "text": f"Story {k}. {text}"}) + "\n" for k in range(200)))
    p = subprocess.Popen(
        [*wirecheck_cmd(), "run", str(feed), "--format", "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert p.stdout is not None and p.stderr is not None
    assert p.stdout.read(100)
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait(timeout=600) == 141, err  # as a shell reports a process that SIGPIPE ended, not the gate's 1
    assert b"Traceback" not in err and b"Exception ignored" not in err


def test_python_api_matches_cli() -> None:
    from toolkit import run

    docs = list(run())
    assert len(docs) == 5 and {d.lang for d in docs} == {"en"}
    assert str(ROOT) in str(SEEDS)


# the command layer's own defects (issue 21) -------------------------------------------------


def _options(command: str) -> set[str]:
    r = run_cli(command, "--help")
    assert r.returncode == 0, r.stderr.decode()
    return {w.rstrip(",") for w in r.stdout.decode().split() if w.startswith("--")}


def test_each_command_lists_only_the_options_it_uses() -> None:
    index_only = {"--index", "--no-index", "--window", "--as-of", "--dry-run", "--keep", "--duplicates",
                  "--max-duplicate-rate"}  # fmt: skip
    for command in ("run", "dedup", "score"):
        assert not _options(command) & index_only, command
    assert index_only <= _options("ingest")
    score = _options("score")
    assert not score & {"--compare", "--batch-size", "--workers", "--executor", "--scheduler", "--report"}
    dedup = _options("dedup")
    assert not dedup & {"--compare", "--glossary", "--rules", "--source-lang", "--fail-on", "--report"}
    assert "--score" in dedup


def test_brackets_in_paths_and_help_are_printed_as_written(tmp_path: Path) -> None:
    r = run_cli("run", "[/b]/missing.jsonl", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and b"Traceback" not in r.stderr
    assert b"[/b]/missing.jsonl" in r.stderr
    assert b"[prefer]" in run_cli("score", "--help").stdout


def test_no_input_document_is_a_usage_error(tmp_path: Path) -> None:
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    unreadable = tmp_path / "other"
    unreadable.mkdir()
    (unreadable / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "empty.jsonl").write_text("")
    for source in (empty_dir, unreadable, tmp_path / "empty.jsonl"):
        r = run_cli("run", str(source), "--out", str(tmp_path / "o"))
        assert r.returncode == 2, (source, r.stderr.decode())
        assert b"no input documents" in r.stderr and not (tmp_path / "o" / "report.html").exists()
    r = run_cli("ingest", "-", "--no-index", stdin=b"")
    assert r.returncode == 2 and b"no input documents" in r.stderr


def test_commands_do_not_write_over_each_others_results(tmp_path: Path) -> None:
    one = tmp_path / "one.txt"
    one.write_text("The minister spoke in Paris on Monday about the new budget and its cuts.\n")
    r = run_cli("run", str(one), "--out", str(tmp_path / "o"), "-q")
    assert r.returncode == 0, r.stderr.decode()
    before = (tmp_path / "o" / "documents.jsonl").read_bytes()
    r = run_cli("dedup", str(one), "--out", str(tmp_path / "o"), "-q")
    assert r.returncode == 2 and b"wirecheck run" in r.stderr and b"--force" in r.stderr
    assert (tmp_path / "o" / "documents.jsonl").read_bytes() == before
    assert run_cli("dedup", str(one), "--out", str(tmp_path / "o"), "-q", "--force").returncode == 0
    # by default each command has its own folder
    r = run_cli("score", str(one), "-q", cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path / "out-score" / "documents.jsonl").is_file()


def test_dedup_runs_no_scorer_and_score_prints_its_findings(tmp_path: Path) -> None:
    r = run_cli("dedup", str(SEEDS), "--format", "jsonl", "-o", str(tmp_path / "d.jsonl"), "-q")
    assert r.returncode == 0, r.stderr.decode()
    recs = [json.loads(x) for x in (tmp_path / "d.jsonl").read_text().splitlines()]
    assert all(rec["wirecheck"]["findings"] == [] for rec in recs) and recs[0]["wirecheck"]["cluster"]
    r = run_cli("score", str(SEEDS), "--out", str(tmp_path / "s"))
    assert r.returncode == 0, r.stderr.decode()
    assert b"Merekl" in r.stdout and b"untranslated.exonym" in r.stdout


def test_counts_read_in_the_singular_and_index_times_in_iso(tmp_path: Path) -> None:
    one = tmp_path / "one.txt"
    one.write_text("The minister spoke in Paris on Monday about the new budget and its cuts.\n")
    r = run_cli("run", str(one), "--out", str(tmp_path / "o"), "--no-report")
    assert r.returncode == 0, r.stderr.decode()
    assert b"1 document (" in r.stderr and b"1 story" in r.stderr and b"1 documents" not in r.stderr
    feed = json.dumps({"id": "a", "text": one.read_text()}) + "\n"
    db = str(tmp_path / "i.db")
    r = run_cli("ingest", "-", "--index", db, "--as-of", "2026-11-21T08:00:00Z", "-o", "/dev/null", stdin=feed.encode())
    assert r.returncode == 0, r.stderr.decode()
    stats = json.loads(run_cli("index", "stats", "--index", db).stdout)
    assert stats["oldest"] == stats["newest"] == "2026-11-21T08:00:00Z"


def test_trust_lang_takes_the_declared_language_instead_of_identifying_it(tmp_path: Path) -> None:
    text = "The government announced on Tuesday that the new bridge over the river would open next spring."
    src = tmp_path / "in.jsonl"
    rows = [{"id": "a", "text": text, "lang": "fr-FR"}, {"id": "b", "text": text + " Traffic will be light."}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))

    def langs(*args: str) -> dict[str, Any]:
        r = run_cli(*args, str(src), "--format", "jsonl", "-o", str(tmp_path / "o.jsonl"), "-q")
        assert r.returncode == 0, r.stderr.decode()
        return {rec["id"]: rec["wirecheck"] for rec in map(json.loads, (tmp_path / "o.jsonl").read_text().splitlines())}

    plain = langs("dedup")
    assert plain["a"]["lang"] == plain["b"]["lang"] == "en" and "lang_basis" not in plain["a"]
    told = langs("dedup", "--trust-lang")
    assert (told["a"]["lang"], told["a"]["lang_prob"], told["a"]["lang_basis"]) == ("fr", 1.0, "declared")
    assert told["b"]["lang"] == "en"  # nothing declared: identified
    run = langs("run", "--trust-lang", "--no-compare")
    assert run["a"]["lang"] == "fr" and [p["lang"] for p in run["a"]["paragraphs"]] == ["en"]  # paragraphs identified
