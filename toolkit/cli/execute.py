"""Running the pipeline for a command: inputs checked, index opened, records routed and written,
gates tallied, the summary printed. The commands (:mod:`toolkit.cli.runs`) only say what to run.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from toolkit.cli.base import EXIT_GATE, EXIT_INPUT, OutFormat, fail, say
from toolkit.cli.render import print_clusters, print_findings, print_summary


@dataclass
class Job:
    """One command's run: what to read, the pipeline's settings, and where everything goes."""

    command: str
    inputs: list[str] | None
    config: Any  # RunConfig
    fmt: OutFormat
    out: Path
    output: str = "-"
    rejects: Path | None = None
    keep: Path | None = None
    duplicates: Path | None = None
    exit_zero: bool = False
    quiet: bool = False
    force: bool = False
    report: bool = False
    gates: Any = None  # Gates
    index_spec: str | None = None
    window: str | None = None
    added: float | None = None
    dry_run: bool = False
    workers: int = 1
    executor: str = "auto"
    scheduler: str | None = None
    show_clusters: bool = False
    show_findings: bool = False
    routes: dict[str, Path] = field(init=False)

    def __post_init__(self) -> None:
        self.routes = {k: p for k, p in (("rejects", self.rejects), ("keep", self.keep),
                                         ("duplicates", self.duplicates)) if p is not None}  # fmt: skip


def _distinct_outputs(job: Job) -> None:
    """Two outputs written to one file would overwrite each other's records: refused (exit 2)."""
    named = [(f"--{k}", p) for k, p in job.routes.items()]
    if job.fmt is not OutFormat.dir and job.output != "-":
        named.insert(0, ("-o/--output", Path(job.output)))
    seen: dict[Path, str] = {}
    for opt, path in named:
        key = Path(os.path.abspath(path))
        if key in seen:
            raise fail(f"{opt} and {seen[key]} name the same file ({path}): give each output its own file")
        seen[key] = opt


def execute(job: Job) -> None:
    """Run ``job`` and exit as the README says: 0 clean, 1 a failed gate, 2 rejected input."""
    from toolkit.config import seeds_dir
    from toolkit.executor import SchedulerUnreachable, make_executor
    from toolkit.gates import Gates, GateTally, route
    from toolkit.index import IndexUnavailable
    from toolkit.io.readers import InputError, read_inputs, resolve_inputs
    from toolkit.io.writers import write_json
    from toolkit.pipeline import Summary, default_steps

    gates = job.gates or Gates()
    tally = GateTally(gates)
    clusters: dict[str, list[Any]] = {}
    findings: list[Any] = []
    sources = job.inputs or [str(seeds_dir())]
    _distinct_outputs(job)
    try:
        resolve_inputs(sources, job.config.reader)  # fail before the outputs are opened
        docs = read_inputs(sources, job.config.reader)
        first = next(docs, None)  # no document at all is a usage error, not an empty success
    except InputError as exc:
        raise fail(str(exc)) from None
    if first is None:
        raise fail(f"no input documents in {', '.join(sources)} (no readable .txt/.md, JSONL, CSV or feed file, "
                   "or only empty ones)")  # fmt: skip
    if job.fmt is OutFormat.dir and not job.dry_run:
        _claim(job.out, job.command, job.force)
    idx = _open_index(job) if job.index_spec else None
    run_key = _run_key(sources)
    try:
        if idx is not None and not job.dry_run:
            idx.begin_run(run_key)
        params = {**job.config.params(), "command": job.command, "inputs": sources, "gates": gates.params()}
        if idx is not None:
            params["index"] = {"backend": idx.kind, **idx.stored}
        summary = Summary(params=params)
        executor = make_executor(job.executor, job.workers, job.scheduler, job.config.dedup_batch or 1000)
        steps = default_steps(job.config, index=idx, added=job.added, dry_run=job.dry_run)
        stream = executor.run(steps, _chain(first, docs))
        with _Outputs(job) as outs, _progress(job.quiet) as tick:
            for doc in stream:
                where, _ = route(doc, gates)
                summary.add(doc)
                tally.add(doc, where)
                outs.write(doc, where)
                if job.show_clusters and doc.cluster is not None:
                    clusters.setdefault(doc.cluster.id, []).append(
                        (doc.id, doc.lang, doc.cluster.canonical, doc.cluster.evidence)
                    )
                if job.show_findings and doc.ok and doc.findings:
                    findings.append((doc.id, doc.text, doc.findings))
                tick()
            if job.fmt is OutFormat.dir and not job.dry_run:
                write_json(job.out / "summary.json", {**summary.to_dict(), "gates": tally.to_dict()})
        if idx is not None and not job.dry_run:
            idx.end_run(run_key)  # finished: these inputs read again are re-deliveries ("known")
    except (InputError, SchedulerUnreachable, IndexUnavailable) as exc:
        # an index that fails mid-run (Redis gone, a damaged page) is an index error: exit 2
        raise fail(str(exc)) from None
    finally:
        if idx is not None:
            idx.close()
    if job.report and job.fmt is OutFormat.dir and not job.dry_run:
        from toolkit.report import write_reports

        write_reports(job.out, rejects=job.rejects)
    on_stdout = job.fmt is OutFormat.dir or job.output != "-"  # stdout is free for a table
    if job.show_clusters and not job.quiet:
        print_clusters(clusters, to_stderr=not on_stdout)
    if job.show_findings and not job.quiet:
        print_findings(findings, to_stderr=not on_stdout)
    if not job.quiet:
        print_summary(summary, job.out if job.fmt is OutFormat.dir and not job.dry_run else None, tally, job.dry_run,
                      bool(job.routes or job.index_spec))  # fmt: skip
    if summary.rejected and not job.exit_zero:
        raise typer.Exit(EXIT_INPUT)
    if tally.failures() and not job.exit_zero:
        raise typer.Exit(EXIT_GATE)


def _chain(first: Any, rest: Any) -> Any:
    yield first
    yield from rest


def _claim(out: Path, command: str, force: bool) -> None:
    """Refuse to write over another command's results in ``out`` unless ``force``."""
    summary = out / "summary.json"
    if force or not summary.is_file():
        return
    try:
        before = json.loads(summary.read_text(encoding="utf-8")).get("parameters", {}).get("command")
    except (OSError, ValueError, AttributeError):
        before = None
    # (results without the field come from a wirecheck that did not record it: replaced, as then)
    if before is not None and before != command:
        raise fail(f"{out}/ holds the results of 'wirecheck {before}': write elsewhere with --out DIR, or replace "
                   "them with --force")  # fmt: skip


def _run_key(sources: list[str]) -> str:
    """The inputs of a run, named as the index remembers them (absolute paths; ``-`` for stdin)."""
    names = [s if s == "-" else str(Path(s).resolve()) for s in sources]
    return hashlib.sha256("\0".join(names).encode("utf-8", "surrogatepass")).hexdigest()


def _open_index(job: Job) -> Any:
    import time

    from toolkit.index import IndexParamsError, IndexUnavailable, open_index, parse_window

    try:
        seconds = parse_window(job.window) if job.window else None
    except ValueError as exc:
        raise fail(f"--window: {exc}") from None
    assert job.index_spec is not None
    try:
        idx = open_index(job.index_spec, job.config.index_params())
    except (IndexParamsError, IndexUnavailable) as exc:
        raise fail(str(exc)) from None
    if seconds is not None and not job.dry_run:
        evicted = idx.evict((job.added if job.added is not None else time.time()) - seconds)
        if evicted and not job.quiet:
            say(f"wirecheck: index: {evicted} entries older than {job.window} evicted")
    return idx


class _Outputs:
    """Where records, findings and routed records go for one run. Files are written under a
    temporary name and renamed when the run ends, so a killed run leaves no half-written output."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._stack: Any = None

    def __enter__(self) -> _Outputs:
        from contextlib import ExitStack

        from toolkit.io.writers import ComparisonsWriter, FindingsCsvWriter, JsonlWriter, make_dirs, open_output

        job = self.job
        self._stack = st = ExitStack()
        self.records: JsonlWriter | None = None
        self.findings: FindingsCsvWriter | None = None
        self.comparisons: ComparisonsWriter | None = None
        self.routed: dict[str, JsonlWriter] = {}
        if job.dry_run:
            return self
        if job.fmt is OutFormat.dir:
            make_dirs(job.out)
            self.records = JsonlWriter(st.enter_context(open_output(job.out / "documents.jsonl")))
            if job.config.scorers:
                self.findings = FindingsCsvWriter(st.enter_context(open_output(job.out / "findings.csv")))
                st.callback(self.findings.close)
            if job.config.dedup and job.config.scorers:  # (empty without --compare, as the report expects)
                self.comparisons = ComparisonsWriter(st.enter_context(open_output(job.out / "comparisons.jsonl")))
        elif job.fmt is OutFormat.jsonl:
            self.records = JsonlWriter(st.enter_context(open_output(job.output)))
        else:
            self.findings = FindingsCsvWriter(st.enter_context(open_output(job.output)))
            st.callback(self.findings.close)
        for name, path in job.routes.items():
            self.routed[name] = JsonlWriter(st.enter_context(open_output(path)))
        return self

    def write(self, doc: Any, where: str) -> None:
        if self.job.dry_run:
            return
        target = self.routed.get(where)
        if target is not None:
            target.write(doc)
        elif self.records is not None:
            self.records.write(doc)
        if self.findings is not None and doc.ok:
            self.findings.write(doc)
        if self.comparisons is not None:
            self.comparisons.write(doc)

    def __exit__(self, *exc: object) -> None:
        self._stack.__exit__(*exc)


class _progress:
    """A document counter on stderr (only when stderr is a terminal)."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()

    def __enter__(self) -> Any:
        if not self.enabled:
            return lambda: None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn

        self.progress = Progress(SpinnerColumn(), TextColumn("{task.completed} documents"),
                                 console=Console(stderr=True, highlight=False), transient=True)  # fmt: skip
        self.progress.start()
        task = self.progress.add_task("run", total=None)
        return lambda: self.progress.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.progress.stop()
