"""Reports for editors: the HTML page, the Markdown summary and the cleaned-text export.

``write_reports(folder)`` renders them from the saved results of a run (what
``wirecheck report`` and ``wirecheck run`` call).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.io.writers import dumps, make_dirs
from toolkit.report.fixes import clean, patch
from toolkit.report.html import ReportOptions, render_html
from toolkit.report.markdown import render_markdown
from toolkit.report.results import Results, ResultsError, load_results

__all__ = ["ReportFiles", "ReportOptions", "ResultsError", "load_results", "render_html", "write_reports"]


@dataclass(slots=True)
class ReportFiles:
    html: Path
    markdown: Path
    cleaned: Path
    patch: Path
    applied: int
    review: int


def write_reports(
    folder: Path, out: Path | None = None, options: ReportOptions | None = None, rejects: Path | None = None
) -> ReportFiles:
    """``report.html``, ``report.md``, ``cleaned.jsonl`` and ``cleaned.patch`` for the results in ``folder``."""

    results = load_results(folder, rejects)
    out = Path(out or folder)
    make_dirs(out)
    files = ReportFiles(out / "report.html", out / "report.md", out / "cleaned.jsonl", out / "cleaned.patch", 0, 0)
    files.html.write_text(render_html(results, options), encoding="utf-8")
    files.markdown.write_text(render_markdown(results), encoding="utf-8")
    _write_cleaned(results, files)
    return files


def _write_cleaned(results: Results, files: ReportFiles) -> None:
    with files.cleaned.open("wb") as rec, files.patch.open("w", encoding="utf-8", newline="\n") as diff:
        for d in results.docs:
            if d.rejected is not None:
                continue
            c = clean(d.id, d.text, d.findings)
            rec.write(dumps(c.record()) + b"\n")
            diff.write(patch(d.id, d.text, c.text))
            files.applied += len(c.applied)
            files.review += len(c.review)
