"""The ``wirecheck`` command: a thin typer layer over the Python API.

Only typer is imported at start-up; every command imports what it needs when it runs,
so ``wirecheck --help`` answers at once. Records go to stdout or files; logs and
progress go to stderr.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

app = typer.Typer(
    name="wirecheck",
    help="Translation-quality checks and story deduplication for news feeds.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_GATE, EXIT_INPUT = 0, 1, 2


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


def _pipeline_command(show_clusters: bool, doc: str, dedup: bool = True) -> Any:
    """A command over the pipeline; ``run``, ``dedup`` and ``score`` differ in their stages and what they print."""

    def command(
        inputs: InputsArg = None,
        out: OutArg = Path("out"),
        fmt: FormatArg = OutFormat.dir,
        output: OutputArg = "-",
        rejects: RejectsArg = None,
        text_key: TextKey = "text",
        id_key: IdKey = "id",
        input_format: InputFormat = "auto",
        max_chars: MaxChars = 1_000_000,
        exit_zero: ExitZero = False,
        quiet: Quiet = False,
        report: ReportFlag = True,
        source_lang: SourceLangs = "fr,de,es,it,pt,nl",
        glossary: GlossaryArg = None,
        rules: RulesArg = None,
    ) -> None:
        from toolkit.config import RunConfig
        from toolkit.io.readers import ReaderOptions
        from toolkit.scorers.run import ScorerConfig

        reader = ReaderOptions(text_key=text_key, id_key=id_key, max_chars=max_chars, input_format=input_format)
        langs = tuple(x.strip().lower() for x in source_lang.split(",") if x.strip())
        for path in [glossary, *(rules or [])]:
            if path is not None and not path.is_file():
                raise _fail(f"{path}: no such file")
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
        config = RunConfig(reader=reader, dedup=dedup, scorer_config=scorer)
        _execute(inputs, config, fmt, out, output, rejects, exit_zero, quiet, show_clusters, report)

    command.__doc__ = doc
    return command


app.command("run")(
    _pipeline_command(
        False, "Check documents: language, story clusters, findings, quality; write records and a summary."
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


def _execute(
    inputs: list[str] | None,
    config: Any,
    fmt: OutFormat,
    out: Path,
    output: str,
    rejects: Path | None,
    exit_zero: bool,
    quiet: bool,
    show_clusters: bool,
    report: bool = False,
) -> None:
    from toolkit.config import seeds_dir
    from toolkit.io.readers import InputError, read_inputs, resolve_inputs
    from toolkit.io.writers import write_json
    from toolkit.pipeline import Summary
    from toolkit.pipeline import run as run_pipeline

    clusters: dict[str, list[Any]] = {}
    try:
        sources = inputs or [str(seeds_dir())]
        resolve_inputs(sources, config.reader)  # fail before the outputs are opened
        docs = read_inputs(sources, config.reader)
        summary = Summary(params={**config.params(), "inputs": sources})
        with _Outputs(fmt, out, output, rejects) as outs, _progress(quiet) as tick:
            for doc in run_pipeline(config=config, docs=docs):
                summary.add(doc)
                outs.write(doc)
                if show_clusters and doc.cluster is not None:
                    clusters.setdefault(doc.cluster.id, []).append(
                        (doc.id, doc.lang, doc.cluster.canonical, doc.cluster.evidence)
                    )
                tick()
            if fmt is OutFormat.dir:
                write_json(out / "summary.json", summary.to_dict())
    except InputError as exc:
        raise _fail(str(exc)) from None
    if report and fmt is OutFormat.dir:
        from toolkit.report import write_reports

        write_reports(out, rejects=rejects)
    if show_clusters:
        _print_clusters(clusters, to_stderr=fmt is not OutFormat.dir and output == "-")
    if not quiet:
        _report(summary, out if fmt is OutFormat.dir else None)
    if summary.rejected and not exit_zero:
        raise typer.Exit(EXIT_INPUT)


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
    """Where records, findings and rejects go for one run."""

    def __init__(self, fmt: OutFormat, out: Path, output: str, rejects: Path | None) -> None:
        self.fmt, self.out, self.output, self.rejects_path = fmt, out, output, rejects
        self._stack: Any = None

    def __enter__(self) -> _Outputs:
        from contextlib import ExitStack

        from toolkit.io.writers import ComparisonsWriter, FindingsCsvWriter, JsonlWriter, open_output

        self._stack = ExitStack()
        st = self._stack
        self.records: JsonlWriter | None = None
        self.findings: FindingsCsvWriter | None = None
        self.comparisons: ComparisonsWriter | None = None
        if self.fmt is OutFormat.dir:
            self.out.mkdir(parents=True, exist_ok=True)
            self.records = JsonlWriter(st.enter_context(open_output(self.out / "documents.jsonl")))
            self.findings = FindingsCsvWriter(st.enter_context(open_output(self.out / "findings.csv")))
            st.callback(self.findings.close)
            self.comparisons = ComparisonsWriter(st.enter_context(open_output(self.out / "comparisons.jsonl")))
        elif self.fmt is OutFormat.jsonl:
            self.records = JsonlWriter(st.enter_context(open_output(self.output)))
        else:
            self.findings = FindingsCsvWriter(st.enter_context(open_output(self.output)))
            st.callback(self.findings.close)
        self.rejects = JsonlWriter(st.enter_context(open_output(self.rejects_path))) if self.rejects_path else None
        return self

    def write(self, doc: Any) -> None:
        if not doc.ok and self.rejects is not None:
            self.rejects.write(doc)
            return
        if self.records is not None:
            self.records.write(doc)
        if self.findings is not None:
            self.findings.write(doc)
        if self.comparisons is not None:
            self.comparisons.write(doc)

    def __exit__(self, *exc: object) -> None:
        self._stack.close()


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


def _report(summary: Any, out: Path | None) -> None:
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

    from toolkit.align.aligner import AlignConfig, align_texts

    texts = [_read_text_file(p) for p in (source, target)]
    src, tgt, res = align_texts(texts[0], texts[1], src_lang, tgt_lang, AlignConfig(mode=mode.value), presplit)
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
    try:
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
    finally:
        if out is not sys.stdout:
            out.close()
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
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
    try:
        if fmt is AlignFormat.jsonl:
            for rec in [res.summary(), *res.bead_records(), *res.finding_records()]:
                out.write(orjson.dumps(rec).decode() + "\n")
        else:
            _print_comparison(res, out)
    finally:
        if out is not sys.stdout:
            out.close()


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


@app.command()
def version() -> None:
    """Print the version."""
    from toolkit import __version__

    typer.echo(__version__)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
