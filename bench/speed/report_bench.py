"""The editor's report on a 2,000-document run: file size, render speed, and time to open in Chromium.

The corpus is the clustering dev set (seeds, fixtures, DEMETR and NTREX pseudo-documents
with republished copies; without ../shared, copies of the seeds and fixtures) cut to
``--docs``. The baseline, measured in the same run, is the same texts as a plain HTML page
(escaped, no highlights, no script): the floor any report of these texts costs to open.

Run: .venv/bin/python -m bench.speed.report_bench [--docs 2000]
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
from bench.devset import versions  # noqa: E402

OUT = ROOT / "bench" / "out" / "report"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def corpus(n: int) -> list[dict[str, str]]:
    return versions(n, seed=11)


def open_time(browser: object, path: Path, ready: str | None, repeat: int = 3) -> float:
    """Median seconds from navigation to the load event (and, for the report, its script done)."""
    times = []
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=60_000)
        if ready:
            page.wait_for_selector(ready, timeout=60_000)
        page.evaluate("new Promise(r => requestAnimationFrame(() => r(0)))")  # first frame painted
        times.append(time.perf_counter() - t0)
        page.close()
    return sorted(times)[len(times) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2000)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    docs = corpus(args.docs)
    src = OUT / "input.jsonl"
    src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    exe = shutil.which("wirecheck", path=str(Path(sys.executable).parent)) or "wirecheck"
    t0 = time.perf_counter()
    subprocess.run([exe, "run", str(src), "--out", str(OUT / "run"), "--no-report", "-q", "--exit-zero"], check=True)
    t_run = time.perf_counter() - t0

    from toolkit.report import write_reports
    from toolkit.report.results import load_results

    t0 = time.perf_counter()
    files = write_reports(OUT / "run")
    t_report = time.perf_counter() - t0
    size = files.html.stat().st_size
    results = load_results(OUT / "run")
    n_findings = sum(len(d.findings) for d in results.docs)
    plain = OUT / "plain.html"
    body = "".join(
        f"<article><h3>{html.escape(d.id)}</h3><div style='white-space:pre-wrap'>{html.escape(d.text)}</div></article>"
        for d in results.docs
    )
    plain.write_text(f"<!doctype html><meta charset=utf-8><title>plain</title>{body}", encoding="utf-8")

    print(f"corpus: {len(docs)} documents, {sum(len(d['text']) for d in docs) / 1e6:.1f} M characters, "
          f"{n_findings} findings, {len(results.comparisons)} compared pairs")  # fmt: skip
    print(f"run (pipeline, no report): {t_run:.1f} s")
    print(f"report render: {t_report:.2f} s = {len(docs) / t_report:,.0f} documents/s "
          f"(report.html, report.md, cleaned.jsonl, cleaned.patch)")  # fmt: skip
    print(f"report.html: {size / 1e6:.2f} MB (limit 20 MB); plain texts page: {plain.stat().st_size / 1e6:.2f} MB")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        print("chromium not installed: open time not measured (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=ARGS)
        t_base = open_time(b, plain, None)
        t_page = open_time(b, files.html, "html[data-ready='1']")
        b.close()
    print(f"open in headless Chromium (median of 3, to script ready and first frame): report {t_page:.2f} s "
          f"(limit 5 s); plain texts {t_base:.2f} s; ratio {t_page / t_base:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
