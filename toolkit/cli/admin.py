"""``report`` (re-render saved results), ``index`` (stats, evict, drop) and ``version``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from toolkit.cli.base import AsOfArg, Quiet, RejectsArg, app, fail, iso, parse_time, plural, say


@app.command("report")
def report_cmd(
    results: Annotated[Path, typer.Argument(help="The --out folder of an earlier 'wirecheck run'.")] = Path("out"),
    out: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--out", help="Where to write the reports (default: the results folder)."),
    ] = None,
    rejects: RejectsArg = None,
    max_documents: Annotated[
        int, typer.Option("--max-documents", help="Documents shown with their text; the rest are counted.")
    ] = 5000,
    quiet: Quiet = False,
) -> None:
    """Render report.html, report.md, cleaned.jsonl and cleaned.patch from saved results."""
    from toolkit.report import ReportOptions, ResultsError, write_reports

    if max_documents < 0:
        raise fail("--max-documents must be 0 or more")
    try:
        files = write_reports(results, out, ReportOptions(max_documents=max_documents), rejects)
    except ResultsError as exc:
        raise fail(str(exc)) from None
    if not quiet:
        say(f"wirecheck: {files.html}, {files.markdown.name}, {files.cleaned.name} ({files.applied} safe fixes "
            f"applied, {files.review} left to an editor), {files.patch.name}")  # fmt: skip


@app.command("apply")
def apply_cmd(
    decisions: Annotated[Path, typer.Argument(help="Decisions exported from the report (Export decisions).")],
    results: Annotated[Path, typer.Option("--results", help="The --out folder of the run the report shows.")] = Path(
        "out"
    ),
    out: Annotated[Path, typer.Option("--out", help="Folder for the corrected texts, one ID.txt each.")] = Path(
        "corrected"
    ),
    quiet: Quiet = False,
) -> None:
    """Write each reviewed story with the editor's accepted fixes applied (as the report's
    "Download corrected text" does, byte for byte)."""
    from toolkit.report import ResultsError
    from toolkit.report.results import load_results
    from toolkit.report.review import DecisionsError, corrected, load_decisions, safe_name

    try:
        dec = load_decisions(decisions)
        res = load_results(results)
    except (DecisionsError, ResultsError) as exc:
        raise fail(str(exc)) from None
    sig = str(res.summary.get("signature", ""))
    if dec.signature and sig and dec.signature != sig:
        raise fail(f"{decisions} was made on another run's report (its signature differs from {results}'s)")
    docs = {d.id: d for d in res.docs if d.rejected is None}
    missing = sorted(set(dec.documents) - set(docs))
    if missing:
        raise fail(f"{decisions} names documents that {results} does not hold: {', '.join(missing[:5])}")
    out.mkdir(parents=True, exist_ok=True)
    for doc_id in sorted(dec.documents):
        d = docs[doc_id]
        text = corrected(d.text, d.findings, dec.documents[doc_id], dec.remove_chrome)
        (out / safe_name(doc_id)).write_bytes(text.encode("utf-8", "surrogatepass"))
    if not quiet:
        say(f"wirecheck: {plural(len(dec.documents), 'corrected story', 'corrected stories')} in {out}/")


index_app = typer.Typer(help="Manage the 'seen before' index: stats, evict, drop.", no_args_is_help=True,
                        rich_markup_mode=None)  # fmt: skip
app.add_typer(index_app, name="index")
IndexSpec = Annotated[
    str, typer.Option("--index", help="A file path (SQLite) or redis://HOST:PORT/DB[?basename=NAME].")
]


def _existing_index(spec: str) -> Any:
    from toolkit.index import IndexUnavailable, open_index

    try:
        return open_index(spec, {}, create=False)
    except IndexUnavailable as exc:
        raise fail(str(exc)) from None


@index_app.command("stats")
def index_stats(index: IndexSpec = ".wirecheck/index.db") -> None:
    """Entries, stories, time range (ISO 8601, UTC) and parameters of an index (JSON on stdout)."""
    import json

    idx = _existing_index(index)
    try:
        stats = idx.stats()
    finally:
        idx.close()
    for key in ("oldest", "newest"):
        if key in stats:
            stats[key] = iso(stats[key])
    print(json.dumps(stats, indent=2, sort_keys=True))


@index_app.command("evict")
def index_evict(
    older_than: Annotated[str, typer.Option("--older-than", help="Age limit: 30d, 12h, 90m, 2w.")],
    index: IndexSpec = ".wirecheck/index.db",
    as_of: AsOfArg = None,
    batch: Annotated[int, typer.Option("--batch", help="Entries removed per transaction.")] = 10_000,
) -> None:
    """Remove the entries added before now (or --as-of) minus --older-than, in batches."""
    import time

    from toolkit.index import parse_window

    try:
        seconds = parse_window(older_than)
    except ValueError as exc:
        raise fail(f"--older-than: {exc}") from None
    now = parse_time(as_of)
    idx = _existing_index(index)
    try:
        n = idx.evict((now if now is not None else time.time()) - seconds, batch=max(1, batch))
    finally:
        idx.close()
    say(f"wirecheck: {plural(n, 'entry')} evicted from {index}")


@index_app.command("drop")
def index_drop(
    index: IndexSpec = ".wirecheck/index.db",
    yes: Annotated[bool, typer.Option("--yes", help="Really delete every entry and the parameters.")] = False,
) -> None:
    """Delete an index (the file, or every key under the Redis basename)."""
    if not yes:
        raise fail("drop deletes the whole index: add --yes")
    from toolkit.index import IndexUnavailable, open_index

    try:
        idx = open_index(index, {}, create=False)
    except IndexUnavailable as exc:
        file = Path(index)
        if index.startswith(("redis://", "rediss://", "unix://")) or not file.is_file():
            raise fail(str(exc)) from None
        # a damaged SQLite file cannot be opened, but can be deleted
        for suffix in ("", "-wal", "-shm"):
            Path(str(file) + suffix).unlink(missing_ok=True)
    else:
        idx.drop()
    say(f"wirecheck: {index} dropped")


@index_app.command("check")
def index_check(index: IndexSpec = ".wirecheck/index.db") -> None:
    """Check an index in full (SQLite's integrity check); exit 2 and the problems when it is damaged."""
    idx = _existing_index(index)
    try:
        problems = idx.check(full=True) if hasattr(idx, "check") else []
    finally:
        idx.close()
    if problems:
        raise fail(f"{index} is damaged: " + "; ".join(problems[:5]))
    say(f"wirecheck: {index}: no problem found")


@app.command()
def version() -> None:
    """Print the version."""
    from toolkit.version import __version__

    typer.echo(__version__)
