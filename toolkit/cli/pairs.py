"""``align`` and ``compare``: two versions of one story, side by side."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional, TextIO

import typer

from toolkit.cli.base import OutputArg, app, fail, say
from toolkit.cli.render import print_beads, print_comparison

SrcLang = Annotated[Optional[str], typer.Option("--src-lang", help="Language of SOURCE (default: detected).")]  # noqa: UP045
TgtLang = Annotated[Optional[str], typer.Option("--tgt-lang", help="Language of TARGET (default: detected).")]  # noqa: UP045
Presplit = Annotated[bool, typer.Option("--presplit", help="The files hold one sentence a line.")]


class AlignMode(StrEnum):
    translation = "translation"
    rewrite = "rewrite"


class CompareMode(StrEnum):
    auto = "auto"
    translation = "translation"
    rewrite = "rewrite"


class PairFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


def read_text_file(path: Path) -> str:
    """A text file in UTF-8, UTF-16 or Windows-1252; unreadable or binary is a usage error."""
    from toolkit.io.files import decode_text

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror or exc}") from None
    text, _ = decode_text(data)
    if text is None:
        raise fail(f"{path}: not text in UTF-8, UTF-16 or Windows-1252")
    return text


@contextmanager
def text_output(output: str) -> Iterator[TextIO]:
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
    fmt: Annotated[PairFormat, typer.Option("--format", help="table (side by side) or jsonl (one bead a line).")] = (
        PairFormat.table
    ),
    output: OutputArg = "-",
) -> None:
    """Align the sentences of two versions of a story and print the beads."""
    from toolkit.align.aligner import align_texts
    from toolkit.align.model import AlignConfig

    texts = [read_text_file(p) for p in (source, target)]
    src, tgt, res = align_texts(texts[0], texts[1], src_lang, tgt_lang, AlignConfig(mode=mode.value), presplit)
    records = ({**b.to_dict(), "src_text": " ".join(src[i] for i in b.src), "tgt_text": " ".join(tgt[j] for j in b.tgt)}
               for b in res.beads)  # fmt: skip
    _emit(output, fmt, records, lambda out: print_beads(src, tgt, res, out))
    for note in res.notes:
        say(f"wirecheck: {note}")


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
    fmt: Annotated[PairFormat, typer.Option("--format", help="table (pairs with chrF and flags) or jsonl.")] = (
        PairFormat.table
    ),
    output: OutputArg = "-",
) -> None:
    """Compare two versions of a story: aligned pairs with sacrebleu scores, and where they disagree."""
    from toolkit.compare.core import compare

    texts = [read_text_file(p) for p in (source, target)]
    res = compare(texts[0], texts[1], src_lang, tgt_lang, None if mode is CompareMode.auto else mode.value, presplit)
    records = [res.summary(), *res.bead_records(), *res.finding_records()]
    _emit(output, fmt, records, lambda out: print_comparison(res, out))


def _emit(output: str, fmt: PairFormat, records: Iterable[dict[str, Any]], table: Callable[[TextIO], None]) -> None:
    """JSON lines, or the table, to ``--output``."""
    import orjson

    with text_output(output) as out:
        if fmt is PairFormat.jsonl:
            for rec in records:
                out.write(orjson.dumps(rec).decode() + "\n")
        else:
            table(out)
