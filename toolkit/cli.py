"""The ``wirecheck`` command: a thin typer layer over the Python API.

Only typer is imported at start-up; every command imports what it needs when it runs,
so ``wirecheck --help`` answers at once. Records go to stdout or files; logs and
progress go to stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional, TextIO

import typer

app = typer.Typer(
    name="wirecheck",
    help="Translation-quality checks and story deduplication for news feeds.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_GATE, EXIT_INPUT = 0, 1, 2
EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a writer whose reader went away


class OutFormat(StrEnum):
    dir = "dir"
    jsonl = "jsonl"
    csv = "csv"


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _fail(message: str) -> typer.Exit:
    _stderr().print(f"[bold red]wirecheck:[/] {message}", markup=True)
    return typer.Exit(EXIT_INPUT)


InputsArg = Annotated[
    Optional[list[str]],  # noqa: UP045 - typer needs Optional here
    typer.Argument(help="Folders of .txt/.md, JSONL (- = stdin), CSV or RSS/Atom files. Default: the seeds."),
]
TextKey = Annotated[str, typer.Option("--text-key", help="JSONL/CSV field holding the text.")]
IdKey = Annotated[str, typer.Option("--id-key", help="JSONL/CSV field holding the id.")]
InputFormat = Annotated[
    str, typer.Option("--input-format", help="auto, folder, text, jsonl, csv or feed (auto: from the name).")
]
MaxChars = Annotated[int, typer.Option("--max-chars", help="Longer texts are rejected as too_large.")]


OutArg = Annotated[Path, typer.Option("--out", help="Folder for the outputs (with --format dir).")]
FormatArg = Annotated[
    OutFormat, typer.Option("--format", help="dir: a folder of outputs; jsonl: records; csv: findings.")
]
OutputArg = Annotated[str, typer.Option("--output", "-o", help="File for --format jsonl/csv (- = stdout).")]
RejectsArg = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--rejects", help="Write rejected records here instead of with the others."),
]
ExitZero = Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when records were rejected.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")]


SourceLangs = Annotated[
    str,
    typer.Option("--source-lang", help="Languages translations may come from, comma-separated (a record's "
                 "source_lang field overrides)."),
]  # fmt: skip
GlossaryArg = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--glossary", help="House-style glossary (TOML or JSON: [prefer] and [ban] tables)."),
]
RulesArg = Annotated[
    Optional[list[Path]],  # noqa: UP045
    typer.Option("--rules", help="Extra rule pack(s) in the format of toolkit/data/rules/fr-en.json."),
]


ReportFlag = Annotated[
    bool, typer.Option("--report/--no-report", help="With --format dir: also write report.html, report.md and "
                       "the cleaned-text export.")
]  # fmt: skip
IndexArg = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--index", help="The 'seen before' index: a file path (SQLite) or redis://HOST:PORT/DB (shared)."),
]
NoIndex = Annotated[bool, typer.Option("--no-index", help="Do not use an index (ingest uses one by default).")]
WindowArg = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--window", help="Forget index entries older than this (30d, 12h…), evicted before the run."),
]
AsOfArg = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--as-of", help="The time the batch is added at (ISO date/time or unix seconds; default: now)."),
]
FailOn = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--fail-on", help="Gate: exit 1 when a finding of this severity or worse is found (minor, major, "
                 "critical)."),
]  # fmt: skip
MaxDupRate = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option("--max-duplicate-rate", help="Gate: exit 1 when more than this share of records are duplicates."),
]
MinQuality = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option("--min-quality", help="Gate: exit 1 when a record's quality (0-100) is below this; such records "
                 "are routed to --rejects."),
]  # fmt: skip
KeepArg = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--keep", help="Write the records that pass (new stories, good enough) here."),
]
DupsArg = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--duplicates", help="Write duplicates (of this batch or of the index) here."),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check and report, write nothing (the index is not changed).")]
BatchArg = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--batch-size", help="Documents clustered together (memory is bounded by it). Default: run: all; "
                 "ingest: 1000."),
]  # fmt: skip
WorkersArg = Annotated[
    int, typer.Option("--workers", help="Processes for the per-document stages: 1 = this process only, 0 = one per "
                      "CPU. Needs --batch-size (ingest has one) and no --compare.")
]  # fmt: skip
ExecutorArg = Annotated[
    str, typer.Option("--executor", help="auto (one process for --workers 1, else a process pool), serial, local, "
                      "or dask (on --scheduler, or a local Dask cluster of --workers).")
]  # fmt: skip
SchedulerArg = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--scheduler", help="A Dask scheduler, tcp://HOST:PORT (with --executor dask)."),
]
CompareFlag = Annotated[
    bool, typer.Option("--compare/--no-compare", help="Align and compare the versions of multi-version stories.")
]


def _config_callback(ctx: typer.Context, param: Any, value: Optional[Path]) -> Optional[Path]:  # noqa: UP045
    """Load --config (or ./pyproject.toml's [tool.wirecheck]) into the command's defaults."""
    from toolkit.configfile import ConfigError, discover, read_table, to_default_map

    path = value or discover()
    if path is None:
        return value
    options = {}
    for p in ctx.command.params:
        for opt in getattr(p, "opts", []):
            if opt.startswith("--") and p.name not in ("config_file", "inputs"):
                options[opt[2:]] = str(p.name)
    command = ctx.info_name or ""
    try:
        defaults = to_default_map(read_table(path, command), options, str(path))
    except ConfigError as exc:
        _stderr().print(f"[bold red]wirecheck:[/] {exc}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    ctx.default_map = {**(ctx.default_map or {}), **defaults}
    return path


ConfigArg = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--config",
        help="TOML settings (keys: these option names); default: the tool.wirecheck table of ./pyproject.toml. "
        "Options given here override it.",
        is_eager=True,
        callback=_config_callback,
    ),
]


def _pipeline_command(
    show_clusters: bool,
    doc: str,
    dedup: bool = True,
    default_format: OutFormat = OutFormat.dir,
    default_index: str | None = None,
    default_batch: int | None = None,
    default_compare: bool = True,
    default_report: bool = True,
    default_workers: int = 1,
) -> Any:
    """A command over the pipeline; ``run``, ``ingest``, ``dedup`` and ``score`` differ in their
    stages, defaults and what they print."""

    def command(
        inputs: InputsArg = None,
        config_file: ConfigArg = None,
        out: OutArg = Path("out"),
        fmt: FormatArg = default_format,
        output: OutputArg = "-",
        rejects: RejectsArg = None,
        keep: KeepArg = None,
        duplicates: DupsArg = None,
        text_key: TextKey = "text",
        id_key: IdKey = "id",
        input_format: InputFormat = "auto",
        max_chars: MaxChars = 1_000_000,
        index: IndexArg = default_index,
        no_index: NoIndex = False,
        window: WindowArg = None,
        as_of: AsOfArg = None,
        batch_size: BatchArg = default_batch,
        workers: WorkersArg = default_workers,
        executor: ExecutorArg = "auto",
        scheduler: SchedulerArg = None,
        fail_on: FailOn = None,
        max_duplicate_rate: MaxDupRate = None,
        min_quality: MinQuality = None,
        dry_run: DryRun = False,
        exit_zero: ExitZero = False,
        quiet: Quiet = False,
        report: ReportFlag = default_report,
        compare: CompareFlag = default_compare,
        source_lang: SourceLangs = "fr,de,es,it,pt,nl",
        glossary: GlossaryArg = None,
        rules: RulesArg = None,
    ) -> None:
        from toolkit.config import RunConfig
        from toolkit.document import Severity
        from toolkit.gates import Gates
        from toolkit.io.readers import ReaderOptions
        from toolkit.scorers.run import ScorerConfig

        reader = ReaderOptions(text_key=text_key, id_key=id_key, max_chars=max_chars, input_format=input_format)
        langs = tuple(x.strip().lower() for x in source_lang.split(",") if x.strip())
        for path in [glossary, *(rules or [])]:
            if path is not None and not path.is_file():
                raise _fail(f"{path}: no such file")
        try:
            gates = Gates(Severity.parse(fail_on) if fail_on else None, max_duplicate_rate, min_quality)
        except ValueError as exc:
            raise _fail(f"--fail-on: {exc}") from None
        if max_duplicate_rate is not None and not 0 <= max_duplicate_rate <= 1:
            raise _fail("--max-duplicate-rate must be between 0 and 1")
        if batch_size is not None and batch_size < 1:
            raise _fail("--batch-size must be 1 or more")
        if workers < 0:
            raise _fail("--workers must be 0 (one per CPU) or more")
        if executor not in ("auto", "serial", "local", "dask"):
            raise _fail(f"--executor {executor!r}: auto, serial, local or dask")
        if scheduler and executor != "dask":
            raise _fail("--scheduler needs --executor dask")
        scorer = ScorerConfig(
            source_langs=langs,
            glossary=str(glossary) if glossary else None,
            rule_packs=tuple(str(r) for r in rules or []),
        )
        try:
            from toolkit.scorers.run import _family_funcs

            _family_funcs(scorer)  # a bad glossary or rule pack fails here, before any output
        except ValueError as exc:
            raise _fail(str(exc)) from None
        config = RunConfig(reader=reader, dedup=dedup, scorer_config=scorer, compare=compare, dedup_batch=batch_size)
        routes = _Routes(rejects, keep, duplicates)
        spec = None if no_index or not dedup else index
        _execute(inputs, config, fmt, out, output, routes, exit_zero, quiet, show_clusters, report, gates, spec,
                 window, as_of, dry_run, workers, executor, scheduler)  # fmt: skip

    command.__doc__ = doc
    return command


app.command("run")(
    _pipeline_command(
        False, "Check documents: language, story clusters, findings, quality; write records, a summary and the report."
    )
)
app.command("ingest")(
    _pipeline_command(
        False,
        "Pre-ingest step: stream JSONL in, annotated JSONL out, deduplicated against an index of earlier batches, "
        "with quality gates (exit 1) and routing.",
        default_format=OutFormat.jsonl,
        default_index=".wirecheck/index.db",
        default_batch=1000,
        default_compare=False,
        default_report=False,
        default_workers=0,
    )
)
app.command("dedup")(
    _pipeline_command(True, "Cluster versions of one story (copies, re-translations, other languages); print clusters.")
)
app.command("score")(
    _pipeline_command(
        False,
        "Run the artefact scorers alone (no clustering): findings with spans, severity, explanation and fix.",
        dedup=False,
    )
)


class _Routes:
    def __init__(self, rejects: Path | None, keep: Path | None, duplicates: Path | None) -> None:
        self.rejects, self.keep, self.duplicates = rejects, keep, duplicates

    def files(self) -> list[Path]:
        return [p for p in (self.rejects, self.keep, self.duplicates) if p is not None]


def _parse_time(text: str | None) -> float | None:
    if text is None:
        return None
    from datetime import UTC, datetime

    try:
        return float(text)
    except ValueError:
        pass
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _fail(f"--as-of {text!r}: write an ISO date (2026-11-21, 2026-11-21T08:00:00Z) or unix seconds") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.timestamp()


def _open_index(spec: str, config: Any, window: str | None, added: float | None, dry_run: bool, quiet: bool) -> Any:
    import time

    from toolkit.index import IndexParamsError, IndexUnavailable, open_index, parse_window

    try:
        seconds = parse_window(window) if window else None
    except ValueError as exc:
        raise _fail(f"--window: {exc}") from None
    try:
        idx = open_index(spec, config.index_params())
    except (IndexParamsError, IndexUnavailable) as exc:
        raise _fail(str(exc)) from None
    if seconds is not None and not dry_run:
        evicted = idx.evict((added if added is not None else time.time()) - seconds)
        if evicted and not quiet:
            _stderr().print(f"wirecheck: index: {evicted} entries older than {window} evicted", markup=False)
    return idx


def _execute(
    inputs: list[str] | None,
    config: Any,
    fmt: OutFormat,
    out: Path,
    output: str,
    routes: _Routes,
    exit_zero: bool,
    quiet: bool,
    show_clusters: bool,
    report: bool = False,
    gates: Any = None,
    index_spec: str | None = None,
    window: str | None = None,
    as_of: str | None = None,
    dry_run: bool = False,
    workers: int = 1,
    executor_name: str = "auto",
    scheduler: str | None = None,
) -> None:
    from toolkit.config import seeds_dir
    from toolkit.executor import SchedulerUnreachable, make_executor
    from toolkit.gates import Gates, GateTally, route
    from toolkit.io.readers import InputError, read_inputs, resolve_inputs
    from toolkit.io.writers import write_json
    from toolkit.pipeline import Summary

    gates = gates or Gates()
    tally = GateTally(gates)
    clusters: dict[str, list[Any]] = {}
    added = _parse_time(as_of)
    try:
        sources = inputs or [str(seeds_dir())]
        resolve_inputs(sources, config.reader)  # fail before the outputs are opened
    except InputError as exc:
        raise _fail(str(exc)) from None
    idx = _open_index(index_spec, config, window, added, dry_run, quiet) if index_spec else None
    try:
        docs = read_inputs(sources, config.reader)
        params = {**config.params(), "inputs": sources, "gates": gates.params()}
        if idx is not None:
            params["index"] = {"backend": idx.kind, **idx.stored}
        summary = Summary(params=params)
        executor = make_executor(executor_name, workers, scheduler, config.dedup_batch or 1000)
        with _Outputs(fmt, out, output, routes, dry_run) as outs, _progress(quiet) as tick:
            for doc in executor.run(config, docs, index=idx, added=added, dry_run=dry_run):
                where, _ = route(doc, gates)
                summary.add(doc)
                tally.add(doc, where)
                outs.write(doc, where)
                if show_clusters and doc.cluster is not None:
                    clusters.setdefault(doc.cluster.id, []).append(
                        (doc.id, doc.lang, doc.cluster.canonical, doc.cluster.evidence)
                    )
                tick()
            if fmt is OutFormat.dir and not dry_run:
                write_json(out / "summary.json", {**summary.to_dict(), "gates": tally.to_dict()})
    except (InputError, SchedulerUnreachable) as exc:
        raise _fail(str(exc)) from None
    finally:
        if idx is not None:
            idx.close()
    if report and fmt is OutFormat.dir and not dry_run:
        from toolkit.report import write_reports

        write_reports(out, rejects=routes.rejects)
    if show_clusters:
        _print_clusters(clusters, to_stderr=fmt is not OutFormat.dir and output == "-")
    failed = tally.failures()
    if not quiet:
        _report(summary, out if fmt is OutFormat.dir and not dry_run else None, tally, dry_run)
    if summary.rejected and not exit_zero:
        raise typer.Exit(EXIT_INPUT)
    if failed and not exit_zero:
        raise typer.Exit(EXIT_GATE)


def _print_clusters(clusters: dict[str, list[Any]], to_stderr: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=to_stderr, highlight=False, width=160)
    table = Table(title="story clusters (multi-member first)", show_lines=False)
    for col in ("cluster", "member", "lang", "role", "joined by"):
        table.add_column(col, overflow="fold")
    order = sorted(clusters.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for cid, members in order:
        for n, (doc_id, lang, canonical, evidence) in enumerate(members):
            why = "; ".join(f"{e['kind']} {e['score']:.2f} with {e['with']}" for e in evidence[:2]) or "-"
            table.add_row(cid if n == 0 else "", doc_id, lang, "canonical" if canonical else "member", why)
    console.print(table)


class _Outputs:
    """Where records, findings and routed records go for one run. Files are written under a
    temporary name and renamed when the run ends, so a killed run leaves no half-written output."""

    def __init__(self, fmt: OutFormat, out: Path, output: str, routes: _Routes, dry_run: bool = False) -> None:
        self.fmt, self.out, self.output, self.routes, self.dry_run = fmt, out, output, routes, dry_run
        self._stack: Any = None

    def __enter__(self) -> _Outputs:
        from contextlib import ExitStack

        from toolkit.io.writers import ComparisonsWriter, FindingsCsvWriter, JsonlWriter, make_dirs, open_output

        self._stack = ExitStack()
        st = self._stack
        self.records: JsonlWriter | None = None
        self.findings: FindingsCsvWriter | None = None
        self.comparisons: ComparisonsWriter | None = None
        self.routed: dict[str, JsonlWriter] = {}
        if self.dry_run:
            return self
        if self.fmt is OutFormat.dir:
            make_dirs(self.out)
            self.records = JsonlWriter(st.enter_context(open_output(self.out / "documents.jsonl")))
            self.findings = FindingsCsvWriter(st.enter_context(open_output(self.out / "findings.csv")))
            st.callback(self.findings.close)
            self.comparisons = ComparisonsWriter(st.enter_context(open_output(self.out / "comparisons.jsonl")))
        elif self.fmt is OutFormat.jsonl:
            self.records = JsonlWriter(st.enter_context(open_output(self.output)))
        else:
            self.findings = FindingsCsvWriter(st.enter_context(open_output(self.output)))
            st.callback(self.findings.close)
        for name, path in (("rejects", self.routes.rejects), ("keep", self.routes.keep),
                           ("duplicates", self.routes.duplicates)):  # fmt: skip
            if path is not None:
                self.routed[name] = JsonlWriter(st.enter_context(open_output(path)))
        return self

    def write(self, doc: Any, where: str) -> None:
        if self.dry_run:
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
        self.count = 0

    def __enter__(self) -> Any:
        if not self.enabled:
            return lambda: None
        from rich.progress import Progress, SpinnerColumn, TextColumn

        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.completed} documents"), console=_stderr(), transient=True
        )
        self.progress.start()
        task = self.progress.add_task("run", total=None)
        return lambda: self.progress.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.progress.stop()


def _report(summary: Any, out: Path | None, tally: Any = None, dry_run: bool = False) -> None:
    d = summary.to_dict()
    langs = ", ".join(f"{k} {v}" for k, v in d["languages"].items()) or "none"
    where = f" → {out}/" + (" (open report.html)" if (out / "report.html").is_file() else "") if out else ""
    line = (
        f"wirecheck: {d['documents']} documents ({d['accepted']} checked, {d['rejected']} rejected), "
        f"languages: {langs}; {d['findings']} findings{where}"
    )
    err = _stderr()
    err.print(line, markup=False, soft_wrap=True)
    if d["rejected"]:
        reasons = ", ".join(f"{k} {v}" for k, v in d["rejects_by_reason"].items())
        err.print(f"wirecheck: rejects: {reasons}", markup=False, soft_wrap=True)
    if tally is not None:
        r = tally.routed
        err.print(f"wirecheck: keep {r['keep']}, duplicates {r['duplicates']} (rate {tally.duplicate_rate:.3f}), "
                  f"rejects {r['rejects']}" + ("; dry run: nothing written" if dry_run else ""),
                  markup=False, soft_wrap=True)  # fmt: skip
        for line in tally.failures():
            err.print(f"wirecheck: gate failed: {line}", markup=False, soft_wrap=True)


SrcLang = Annotated[Optional[str], typer.Option("--src-lang", help="Language of SOURCE (default: detected).")]  # noqa: UP045
TgtLang = Annotated[Optional[str], typer.Option("--tgt-lang", help="Language of TARGET (default: detected).")]  # noqa: UP045


class AlignMode(StrEnum):
    translation = "translation"
    rewrite = "rewrite"


Presplit = Annotated[bool, typer.Option("--presplit", help="The files hold one sentence a line.")]


class AlignFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


def _read_text_file(path: Path) -> str:
    from toolkit.io.readers import decode_text

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {path}: {exc.strerror or exc}") from None
    text, _ = decode_text(data)
    if text is None:
        raise _fail(f"{path}: not text in UTF-8, UTF-16 or Windows-1252")
    return text


@contextmanager
def _text_output(output: str) -> Iterator[TextIO]:
    """A text stream for ``--output``: stdout for ``-``, else a file written as :func:`open_output` writes one."""
    if output == "-":
        yield sys.stdout
        return
    import io

    from toolkit.io.writers import open_output

    with open_output(output) as fh, io.TextIOWrapper(fh, encoding="utf-8", newline="") as text:
        yield text


@app.command()
def align(
    source: Annotated[Path, typer.Argument(help="Source version: a text file (UTF-8, UTF-16 or Windows-1252).")],
    target: Annotated[Path, typer.Argument(help="Target version.")],
    mode: Annotated[
        AlignMode,
        typer.Option("--mode", help="translation: monotone m-n beads; rewrite: reordered versions, chrome set aside."),
    ] = AlignMode.translation,
    src_lang: SrcLang = None,
    tgt_lang: TgtLang = None,
    presplit: Presplit = False,
    fmt: Annotated[AlignFormat, typer.Option("--format", help="table (side by side) or jsonl (one bead a line).")] = (
        AlignFormat.table
    ),
    output: OutputArg = "-",
) -> None:
    """Align the sentences of two versions of a story and print the beads."""
    import orjson

    from toolkit.align.aligner import align_texts
    from toolkit.align.model import AlignConfig

    texts = [_read_text_file(p) for p in (source, target)]
    src, tgt, res = align_texts(texts[0], texts[1], src_lang, tgt_lang, AlignConfig(mode=mode.value), presplit)
    with _text_output(output) as out:
        if fmt is AlignFormat.jsonl:
            for b in res.beads:
                rec = {
                    **b.to_dict(),
                    "src_text": " ".join(src[i] for i in b.src),
                    "tgt_text": " ".join(tgt[j] for j in b.tgt),
                }
                out.write(orjson.dumps(rec).decode() + "\n")
        else:
            _print_beads(src, tgt, res, out)
    for note in res.notes:
        _stderr().print(f"wirecheck: {note}", markup=False)


class CompareMode(StrEnum):
    auto = "auto"
    translation = "translation"
    rewrite = "rewrite"


@app.command("compare")
def compare_cmd(
    source: Annotated[Path, typer.Argument(help="One version (the reference: a source text or the wire copy).")],
    target: Annotated[Path, typer.Argument(help="The other version (a translation, an MT, a republished copy).")],
    mode: Annotated[
        CompareMode,
        typer.Option("--mode", help="auto: translation across languages, rewrite within one language."),
    ] = CompareMode.auto,
    src_lang: SrcLang = None,
    tgt_lang: TgtLang = None,
    presplit: Presplit = False,
    fmt: Annotated[AlignFormat, typer.Option("--format", help="table (pairs with chrF and flags) or jsonl.")] = (
        AlignFormat.table
    ),
    output: OutputArg = "-",
) -> None:
    """Compare two versions of a story: aligned pairs with sacrebleu scores, and where they disagree."""
    import orjson

    from toolkit.compare.core import compare

    texts = [_read_text_file(p) for p in (source, target)]
    res = compare(texts[0], texts[1], src_lang, tgt_lang, None if mode is CompareMode.auto else mode.value, presplit)
    with _text_output(output) as out:
        if fmt is AlignFormat.jsonl:
            for rec in [res.summary(), *res.bead_records(), *res.finding_records()]:
                out.write(orjson.dumps(rec).decode() + "\n")
        else:
            _print_comparison(res, out)


def _print_comparison(res: Any, out: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    flags: dict[tuple[str, int], list[str]] = {}
    for side, f in res.findings:
        spans = res.src.spans if side == "src" else res.tgt.spans
        for k, (s, e) in enumerate(spans):
            if s <= f.start < max(e, s + 1):
                flags.setdefault((side, k), []).append(f.code.removeprefix("compare."))
                break
    same = bool(res.corpus)
    table = Table(title=f"{res.src.lang} ↔ {res.tgt.lang}: {res.alignment.params['mode']} mode", show_lines=True)
    table.add_column(res.src.lang, ratio=1)
    table.add_column(res.tgt.lang, ratio=1)
    table.add_column("chrF" if same else "sim", justify="right", no_wrap=True)
    table.add_column("flags", no_wrap=False)
    for b, sc in zip(res.alignment.beads, res.pair_scores, strict=True):
        fl = sorted({x for i in b.src for x in flags.get(("src", i), [])} | {
            x for j in b.tgt for x in flags.get(("tgt", j), [])})  # fmt: skip
        if b.note == "boilerplate":
            fl = ["boilerplate", *fl]
        score = "—" if not sc else f"{sc['chrf']:.1f}" if "chrf" in sc else f"{sc['similarity']:.2f}"
        table.add_row(" ".join(res.src.sentences[i] for i in b.src), " ".join(res.tgt.sentences[j] for j in b.tgt),
                      score, ", ".join(fl))  # fmt: skip
    console = Console(file=out, highlight=False, markup=False, width=None if out.isatty() else 160)
    console.print(table)
    for name, value in res.corpus.items():
        console.print(f"{name} = {value:.2f}   ({res.signatures[name]})")


def _print_beads(src: list[str], tgt: list[str], res: Any, out: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    p = res.params
    table = Table(
        title=f"{p['src_lang']} → {p['tgt_lang']}, {p['mode']} mode ({len(res.beads)} beads)", show_lines=True
    )
    table.add_column("src", justify="right", no_wrap=True)
    table.add_column(p["src_lang"], ratio=1)
    table.add_column("tgt", justify="right", no_wrap=True)
    table.add_column(p["tgt_lang"], ratio=1)
    table.add_column("score", justify="right", no_wrap=True)
    for b in res.beads:
        score = "chrome" if b.note else (f"{b.score:.2f}" if b.src and b.tgt else "—")
        table.add_row(
            ",".join(map(str, b.src)),
            " ".join(src[i] for i in b.src),
            ",".join(map(str, b.tgt)),
            " ".join(tgt[j] for j in b.tgt),
            score,
        )
    Console(file=out, highlight=False, markup=False, width=None if out.isatty() else 160).print(table)


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
        raise _fail("--max-documents must be 0 or more")
    try:
        files = write_reports(results, out, ReportOptions(max_documents=max_documents), rejects)
    except ResultsError as exc:
        raise _fail(str(exc)) from None
    if not quiet:
        _stderr().print(
            f"wirecheck: {files.html}, {files.markdown.name}, {files.cleaned.name} ({files.applied} safe fixes "
            f"applied, {files.review} left to an editor), {files.patch.name}",
            markup=False, soft_wrap=True,
        )  # fmt: skip


index_app = typer.Typer(help="Manage the 'seen before' index: stats, evict, drop.", no_args_is_help=True)
app.add_typer(index_app, name="index")
IndexSpec = Annotated[
    str, typer.Option("--index", help="A file path (SQLite) or redis://HOST:PORT/DB[?basename=NAME].")
]


def _existing_index(spec: str) -> Any:
    from toolkit.index import IndexUnavailable, open_index

    try:
        return open_index(spec, {}, create=False)
    except IndexUnavailable as exc:
        raise _fail(str(exc)) from None


@index_app.command("stats")
def index_stats(index: IndexSpec = ".wirecheck/index.db") -> None:
    """Entries, stories, time range and parameters of an index (JSON on stdout)."""
    import json

    idx = _existing_index(index)
    try:
        print(json.dumps(idx.stats(), indent=2, sort_keys=True))
    finally:
        idx.close()


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
        raise _fail(f"--older-than: {exc}") from None
    now = _parse_time(as_of)
    idx = _existing_index(index)
    try:
        n = idx.evict((now if now is not None else time.time()) - seconds, batch=max(1, batch))
    finally:
        idx.close()
    _stderr().print(f"wirecheck: {n} entries evicted from {index}", markup=False)


@index_app.command("drop")
def index_drop(
    index: IndexSpec = ".wirecheck/index.db",
    yes: Annotated[bool, typer.Option("--yes", help="Really delete every entry and the parameters.")] = False,
) -> None:
    """Delete an index (the file, or every key under the Redis basename)."""
    if not yes:
        raise _fail("drop deletes the whole index: add --yes")
    idx = _existing_index(index)
    idx.drop()
    _stderr().print(f"wirecheck: {index} dropped", markup=False)


@app.command()
def version() -> None:
    """Print the version."""
    from toolkit.version import __version__

    typer.echo(__version__)


def main() -> None:
    try:
        app()
    except OSError as exc:
        # A path the system refused (an output under a file, a read-only folder, a full disk):
        # the user's to fix, so a usage/input error and not a traceback with exit 1, which
        # would read as a failed quality gate.
        where = f"{exc.filename}: " if exc.filename else ""
        _stderr().print(f"wirecheck: {where}{exc.strerror or exc}", markup=False, highlight=False)
        raise SystemExit(EXIT_INPUT) from None
    except SystemExit as exc:
        # click (typer's vendored copy) ends a broken pipe (`wirecheck run --format jsonl | head`)
        # quietly but with 1, the gate's code, after wrapping the standard streams in its
        # PacifyFlushWrapper so that exit flushes say nothing: that wrapper tells the two apart
        if exc.code == EXIT_GATE and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            raise SystemExit(EXIT_PIPE) from None
        raise


if __name__ == "__main__":
    main()
