"""Readers: a folder of text files, JSONL (``-`` = stdin), CSV, RSS/Atom.

Every input record comes out as exactly one :class:`Document`; one that cannot be read
(malformed JSON, invalid UTF-8, no text, too large, binary) is a document with
``rejected`` set, its line number and reason, and whatever could be kept of its content.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from toolkit.document import Document
from toolkit.io.files import read_csv, read_feed, read_folder, read_text_files
from toolkit.io.jsonl import read_jsonl
from toolkit.io.records import TEXT_SUFFIXES, Ids, InputError, ReaderOptions, open_binary

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")


CSV_SUFFIXES = (".csv", ".tsv")


FEED_SUFFIXES = (".rss", ".atom", ".xml")


FORMATS = ("auto", "folder", "text", "jsonl", "csv", "feed")


def resolve_inputs(inputs: Iterable[str | Path], options: ReaderOptions | None = None) -> list[tuple[str, str]]:
    """(input, format) for every input, or InputError before anything is read or written.

    Callers check their inputs with this before they open outputs, so that a mistyped path
    never truncates the results of an earlier run.
    """
    opts = options or ReaderOptions()
    if opts.input_format not in FORMATS:
        raise InputError(f"unknown input format {opts.input_format!r} (one of: {', '.join(FORMATS)})")
    out = []
    for raw in inputs:
        item = str(raw)
        if item == "-":
            out.append((item, "jsonl"))
            continue
        path = Path(item)
        if not path.exists():
            raise InputError(f"input not found: {item}")
        fmt = opts.input_format if opts.input_format != "auto" else _guess_format(path)
        if fmt == "folder" and not path.is_dir():
            raise InputError(f"not a folder: {item}")
        out.append((item, fmt))
    return out


def read_inputs(inputs: Iterable[str | Path], options: ReaderOptions | None = None) -> Iterator[Document]:
    """Documents from every input, in order. ``-`` reads JSONL from stdin."""
    opts = options or ReaderOptions()
    resolved = resolve_inputs(inputs, opts)
    ids = Ids()
    for item, fmt in resolved:
        yield from _read_one(item, fmt, opts, ids)


def _read_one(item: str, fmt: str, opts: ReaderOptions, ids: Ids) -> Iterator[Document]:
    if item == "-":
        yield from read_jsonl(sys.stdin.buffer, "<stdin>", opts, ids)
        return
    path = Path(item)
    if fmt == "folder":
        yield from read_folder(path, opts, ids)
    elif fmt == "text":
        yield from read_text_files([path], path.parent, opts, ids)
    elif fmt == "jsonl":
        with open_binary(path) as fh:
            yield from read_jsonl(fh, str(path), opts, ids)
    elif fmt == "csv":
        yield from read_csv(path, opts, ids)
    elif fmt == "feed":
        yield from read_feed(path, opts, ids)
    else:  # pragma: no cover - resolve_inputs returns a known format or raises
        raise InputError(f"cannot read {item}")


def _guess_format(path: Path) -> str:
    if path.is_dir():
        return "folder"
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    if name.endswith(FEED_SUFFIXES):
        return "feed"
    raise InputError(
        f"cannot tell the format of {path} from its name; say it with --input-format ({', '.join(FORMATS[1:])})"
    )


__all__ = [
    "InputError",
    "ReaderOptions",
    "read_csv",
    "read_feed",
    "read_folder",
    "read_inputs",
    "read_jsonl",
    "resolve_inputs",
]
