"""What every command shares: the app, exit codes, plain messages and the common options.

Messages are printed verbatim, never as rich markup: a path or a record id with brackets in
it ('[/b]/in.jsonl', 'wirecheck[feeds]') must come out as written, not vanish or crash.
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
    rich_markup_mode=None,  # help text as written: '[prefer]' and 'wirecheck[dask]' are not markup
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_GATE, EXIT_INPUT = 0, 1, 2
EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a writer whose reader went away


def say(message: str) -> None:
    """A line on stderr, verbatim."""
    print(message, file=sys.stderr, flush=True)


def fail(message: str) -> typer.Exit:
    """A usage or input error: the message on stderr, exit 2. Raise what it returns."""
    say(f"wirecheck: {message}")
    return typer.Exit(EXIT_INPUT)


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 document', '2 documents', '1 story', '3 stories'."""
    if n == 1:
        return f"{n} {word}"
    return f"{n:,} {words or (word[:-1] + 'ies' if word.endswith('y') else word + 's')}"


class OutFormat(StrEnum):
    dir = "dir"
    jsonl = "jsonl"
    csv = "csv"


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
    try:
        defaults = to_default_map(read_table(path, ctx.info_name or ""), options, str(path))
    except ConfigError as exc:
        raise fail(str(exc)) from None
    ctx.default_map = {**(ctx.default_map or {}), **defaults}
    return path


# options shared by the commands that read documents -----------------------------------------
InputsArg = Annotated[
    Optional[list[str]],  # noqa: UP045 - typer needs Optional here
    typer.Argument(help="Folders of .txt/.md, JSONL (- = stdin), CSV or RSS/Atom files. Default: the seeds."),
]
ConfigArg = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--config", is_eager=True, callback=_config_callback,
                 help="TOML settings (keys: these option names); default: the tool.wirecheck table of "
                 "./pyproject.toml. Options given here override it."),
]  # fmt: skip
TextKey = Annotated[str, typer.Option("--text-key", help="JSONL/CSV field holding the text.")]
IdKey = Annotated[str, typer.Option("--id-key", help="JSONL/CSV field holding the id.")]
TrustLang = Annotated[
    bool,
    typer.Option("--trust-lang", help="Take a record's lang/language field as its language instead of identifying it."),
]
InputFormat = Annotated[
    str, typer.Option("--input-format", help="auto, folder, text, jsonl, csv or feed (auto: from the name).")
]
MaxChars = Annotated[int, typer.Option("--max-chars", help="Longer texts are rejected as too_large.")]
FollowSymlinks = Annotated[
    bool,
    typer.Option("--follow-symlinks", help="Read links in an input folder that point outside it (refused by default)."),
]

# where the records go
FormatArg = Annotated[
    OutFormat, typer.Option("--format", help="dir: a folder of outputs; jsonl: records; csv: findings.")
]
OutputArg = Annotated[str, typer.Option("--output", "-o", help="File for --format jsonl/csv (- = stdout).")]
ForceArg = Annotated[
    bool, typer.Option("--force", help="Replace the --out folder even when another command's results are in it.")
]
RejectsArg = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--rejects", help="Write rejected records here instead of with the others."),
]
ExitZero = Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when records were rejected.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress, tables or summary.")]


# the scorers' settings
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
FailOn = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--fail-on", help="Gate: exit 1 when a finding of this severity or worse is found (minor, major, "
                 "critical)."),
]  # fmt: skip
MinQuality = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option("--min-quality", help="Gate: exit 1 when a record's quality (0-100) is below this; such records "
                 "are routed to --rejects."),
]  # fmt: skip

# how the work is spread
BatchArg = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--batch-size", help="Documents clustered together (memory is bounded by it). Default: run: all; "
                 "ingest: 1000."),
]  # fmt: skip
WorkersArg = Annotated[
    int, typer.Option("--workers", help="Processes for the per-document stages: 1 = this process only, 0 = one per "
                      "CPU. Needs --batch-size (ingest has one).")
]  # fmt: skip
ExecutorArg = Annotated[
    str, typer.Option("--executor", help="auto (one process for --workers 1, else a process pool), serial, local, "
                      "or dask (on --scheduler, or a local Dask cluster of --workers).")
]  # fmt: skip
SchedulerArg = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--scheduler", help="A Dask scheduler, tcp://HOST:PORT (with --executor dask)."),
]
AsOfArg = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--as-of", help="The time the batch is added at (ISO date/time or unix seconds; default: now)."),
]


def parse_time(text: str | None) -> float | None:
    """--as-of: ISO 8601 (UTC when no zone is given) or unix seconds."""
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
        raise fail(f"--as-of {text!r}: write an ISO date (2026-11-21, 2026-11-21T08:00:00Z) or unix seconds") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.timestamp()


def iso(seconds: float | None) -> str | None:
    """Unix seconds as ISO 8601 in UTC (2026-11-21T08:00:00Z)."""
    if seconds is None:
        return None
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")
