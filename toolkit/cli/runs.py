"""The commands over the pipeline: ``run``, ``ingest``, ``dedup`` and ``score``.

Each declares only the options it uses; what they share is built by :func:`_settings` and
run by :func:`toolkit.cli.execute.execute`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from toolkit.cli.base import (
    AsOfArg,
    BatchArg,
    ConfigArg,
    ExecutorArg,
    ExitZero,
    FailOn,
    FollowSymlinks,
    ForceArg,
    FormatArg,
    GlossaryArg,
    IdKey,
    InputFormat,
    InputsArg,
    MaxChars,
    MinQuality,
    OutFormat,
    OutputArg,
    Quiet,
    RejectsArg,
    RulesArg,
    SchedulerArg,
    SourceLangs,
    TextKey,
    TrustLang,
    WorkersArg,
    app,
    fail,
    parse_time,
)
from toolkit.cli.execute import Job, execute

DEFAULT_SOURCE_LANGS = "fr,de,es,it,pt,nl"
# each command writes to its own folder by default: one never replaces another's results
RunOut = Annotated[Path, typer.Option("--out", help="Folder for the outputs with --format dir.")]
DedupOut = Annotated[Path, typer.Option("--out", help="Folder for the outputs with --format dir.")]
ScoreOut = Annotated[Path, typer.Option("--out", help="Folder for the outputs with --format dir.")]
IngestOut = Annotated[Path, typer.Option("--out", help="Folder for the outputs with --format dir.")]

ReportFlag = Annotated[
    bool, typer.Option("--report/--no-report", help="With --format dir: also write report.html, report.md and "
                       "the cleaned-text export.")
]  # fmt: skip
CompareFlag = Annotated[
    bool, typer.Option("--compare/--no-compare", help="Align and compare the versions of multi-version stories.")
]
IndexArg = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--index", help="The 'seen before' index: a file path (SQLite) or redis://HOST:PORT/DB (shared)."),
]
NoIndex = Annotated[bool, typer.Option("--no-index", help="Do not use an index (ingest uses one by default).")]
WindowArg = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--window", help="Forget index entries older than this (30d, 12h…), evicted before the run."),
]
MaxDupRate = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option("--max-duplicate-rate", help="Gate: exit 1 when more than this share of records are duplicates."),
]
KeepArg = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--keep", help="Write the records that pass (new stories, good enough) here."),
]
DupsArg = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--duplicates", help="Write duplicates (of this batch or of the index) here."),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check and report, write nothing (the index is not changed).")]
ScoreFlag = Annotated[bool, typer.Option("--score", help="Also run the artefact scorers on every document.")]


def _settings(
    *,
    text_key: str,
    id_key: str,
    input_format: str,
    follow_symlinks: bool = False,
    trust_lang: bool = False,
    max_chars: int,
    dedup: bool,
    scorers: bool = True,
    compare: bool = False,
    batch_size: int | None = None,
    source_lang: str = DEFAULT_SOURCE_LANGS,
    glossary: Path | None = None,
    rules: list[Path] | None = None,
    workers: int = 1,
    executor: str = "auto",
    scheduler: str | None = None,
) -> Any:
    """The RunConfig for a command's options; a bad value is a usage error (exit 2) here,
    before any output is opened."""
    from toolkit.config import RunConfig
    from toolkit.io.readers import ReaderOptions
    from toolkit.scorers.run import ScorerConfig, check_config

    for path in [glossary, *(rules or [])]:
        if path is not None and not path.is_file():
            raise fail(f"{path}: no such file")
    if batch_size is not None and batch_size < 1:
        raise fail("--batch-size must be 1 or more")
    if workers < 0:
        raise fail("--workers must be 0 (one per CPU) or more")
    if executor not in ("auto", "serial", "local", "dask"):
        raise fail(f"--executor {executor!r}: auto, serial, local or dask")
    if scheduler and executor != "dask":
        raise fail("--scheduler needs --executor dask")
    reader = ReaderOptions(text_key=text_key, id_key=id_key, max_chars=max_chars, input_format=input_format,
                           follow_symlinks=follow_symlinks)  # fmt: skip
    scorer = ScorerConfig(
        source_langs=tuple(x.strip().lower() for x in source_lang.split(",") if x.strip()),
        glossary=str(glossary) if glossary else None,
        rule_packs=tuple(str(r) for r in rules or []),
    )
    if scorers:
        try:
            check_config(scorer)  # a bad glossary or rule pack fails here, before any output
        except ValueError as exc:
            raise fail(str(exc)) from None
    # paragraph languages serve the scorers and the comparison; clustering reads the document's
    return RunConfig(reader=reader, dedup=dedup, scorers=scorers, scorer_config=scorer, compare=compare,
                     dedup_batch=batch_size, paragraph_lang=scorers or compare, trust_lang=trust_lang)  # fmt: skip


def _gates(
    fail_on: str | None = None, max_duplicate_rate: float | None = None, min_quality: float | None = None
) -> Any:
    from toolkit.document import Severity
    from toolkit.gates import Gates

    if max_duplicate_rate is not None and not 0 <= max_duplicate_rate <= 1:
        raise fail("--max-duplicate-rate must be between 0 and 1")
    try:
        return Gates(Severity.parse(fail_on) if fail_on else None, max_duplicate_rate, min_quality)
    except ValueError as exc:
        raise fail(f"--fail-on: {exc}") from None


@app.command("run")
def run_cmd(
    inputs: InputsArg = None,
    config_file: ConfigArg = None,
    out: RunOut = Path("out"),
    fmt: FormatArg = OutFormat.dir,
    output: OutputArg = "-",
    force: ForceArg = False,
    rejects: RejectsArg = None,
    text_key: TextKey = "text",
    id_key: IdKey = "id",
    trust_lang: TrustLang = False,
    input_format: InputFormat = "auto",
    follow_symlinks: FollowSymlinks = False,
    max_chars: MaxChars = 1_000_000,
    source_lang: SourceLangs = DEFAULT_SOURCE_LANGS,
    glossary: GlossaryArg = None,
    rules: RulesArg = None,
    compare: CompareFlag = True,
    report: ReportFlag = True,
    fail_on: FailOn = None,
    min_quality: MinQuality = None,
    batch_size: BatchArg = None,
    workers: WorkersArg = 1,
    executor: ExecutorArg = "auto",
    scheduler: SchedulerArg = None,
    exit_zero: ExitZero = False,
    quiet: Quiet = False,
) -> None:
    """Check documents: language, story clusters, findings, quality; write records, a summary and the report."""
    config = _settings(text_key=text_key, id_key=id_key, trust_lang=trust_lang, input_format=input_format,
                       follow_symlinks=follow_symlinks,
                       max_chars=max_chars, dedup=True,
                       compare=compare, batch_size=batch_size, source_lang=source_lang, glossary=glossary,
                       rules=rules, workers=workers, executor=executor, scheduler=scheduler)  # fmt: skip
    execute(Job("run", inputs, config, fmt, out, output, rejects=rejects, exit_zero=exit_zero, quiet=quiet,
                force=force, report=report, gates=_gates(fail_on, None, min_quality), workers=workers,
                executor=executor, scheduler=scheduler))  # fmt: skip


@app.command("ingest")
def ingest_cmd(
    inputs: InputsArg = None,
    config_file: ConfigArg = None,
    fmt: FormatArg = OutFormat.jsonl,
    output: OutputArg = "-",
    out: IngestOut = Path("out-ingest"),
    force: ForceArg = False,
    rejects: RejectsArg = None,
    keep: KeepArg = None,
    duplicates: DupsArg = None,
    text_key: TextKey = "text",
    id_key: IdKey = "id",
    trust_lang: TrustLang = False,
    input_format: InputFormat = "auto",
    follow_symlinks: FollowSymlinks = False,
    max_chars: MaxChars = 1_000_000,
    index: IndexArg = ".wirecheck/index.db",
    no_index: NoIndex = False,
    window: WindowArg = None,
    as_of: AsOfArg = None,
    dry_run: DryRun = False,
    source_lang: SourceLangs = DEFAULT_SOURCE_LANGS,
    glossary: GlossaryArg = None,
    rules: RulesArg = None,
    compare: CompareFlag = False,
    report: ReportFlag = False,
    fail_on: FailOn = None,
    max_duplicate_rate: MaxDupRate = None,
    min_quality: MinQuality = None,
    batch_size: BatchArg = 1000,
    workers: WorkersArg = 0,
    executor: ExecutorArg = "auto",
    scheduler: SchedulerArg = None,
    exit_zero: ExitZero = False,
    quiet: Quiet = False,
) -> None:
    """Pre-ingest step: stream JSONL in, annotated JSONL out, deduplicated against an index of earlier batches,
    with quality gates (exit 1) and routing."""
    config = _settings(text_key=text_key, id_key=id_key, trust_lang=trust_lang, input_format=input_format,
                       follow_symlinks=follow_symlinks,
                       max_chars=max_chars, dedup=True,
                       compare=compare, batch_size=batch_size, source_lang=source_lang, glossary=glossary,
                       rules=rules, workers=workers, executor=executor, scheduler=scheduler)  # fmt: skip
    execute(Job("ingest", inputs, config, fmt, out, output, rejects=rejects, keep=keep, duplicates=duplicates,
                exit_zero=exit_zero, quiet=quiet, force=force, report=report,
                gates=_gates(fail_on, max_duplicate_rate, min_quality), index_spec=None if no_index else index,
                window=window, added=parse_time(as_of), dry_run=dry_run, workers=workers, executor=executor,
                scheduler=scheduler))  # fmt: skip


@app.command("dedup")
def dedup_cmd(
    inputs: InputsArg = None,
    config_file: ConfigArg = None,
    out: DedupOut = Path("out-dedup"),
    fmt: FormatArg = OutFormat.dir,
    output: OutputArg = "-",
    force: ForceArg = False,
    rejects: RejectsArg = None,
    text_key: TextKey = "text",
    id_key: IdKey = "id",
    trust_lang: TrustLang = False,
    input_format: InputFormat = "auto",
    follow_symlinks: FollowSymlinks = False,
    max_chars: MaxChars = 1_000_000,
    score: ScoreFlag = False,
    batch_size: BatchArg = None,
    workers: WorkersArg = 1,
    executor: ExecutorArg = "auto",
    scheduler: SchedulerArg = None,
    exit_zero: ExitZero = False,
    quiet: Quiet = False,
) -> None:
    """Cluster versions of one story (copies, re-translations, other languages); print the clusters and write
    the records with their cluster. No scorers unless --score."""
    config = _settings(text_key=text_key, id_key=id_key, trust_lang=trust_lang, input_format=input_format,
                       follow_symlinks=follow_symlinks,
                       max_chars=max_chars, dedup=True,
                       scorers=score, batch_size=batch_size, workers=workers, executor=executor,
                       scheduler=scheduler)  # fmt: skip
    execute(Job("dedup", inputs, config, fmt, out, output, rejects=rejects, exit_zero=exit_zero, quiet=quiet,
                force=force, workers=workers, executor=executor, scheduler=scheduler, show_clusters=True))  # fmt: skip


@app.command("score")
def score_cmd(
    inputs: InputsArg = None,
    config_file: ConfigArg = None,
    out: ScoreOut = Path("out-score"),
    fmt: FormatArg = OutFormat.dir,
    output: OutputArg = "-",
    force: ForceArg = False,
    rejects: RejectsArg = None,
    text_key: TextKey = "text",
    id_key: IdKey = "id",
    trust_lang: TrustLang = False,
    input_format: InputFormat = "auto",
    follow_symlinks: FollowSymlinks = False,
    max_chars: MaxChars = 1_000_000,
    source_lang: SourceLangs = DEFAULT_SOURCE_LANGS,
    glossary: GlossaryArg = None,
    rules: RulesArg = None,
    fail_on: FailOn = None,
    min_quality: MinQuality = None,
    exit_zero: ExitZero = False,
    quiet: Quiet = False,
) -> None:
    """Run the artefact scorers alone (no clustering) and print the findings: span, severity, explanation, fix."""
    config = _settings(text_key=text_key, id_key=id_key, trust_lang=trust_lang, input_format=input_format,
                       follow_symlinks=follow_symlinks,
                       max_chars=max_chars, dedup=False,
                       source_lang=source_lang, glossary=glossary, rules=rules)  # fmt: skip
    execute(Job("score", inputs, config, fmt, out, output, rejects=rejects, exit_zero=exit_zero, quiet=quiet,
                force=force, gates=_gates(fail_on, None, min_quality), show_findings=True))  # fmt: skip
