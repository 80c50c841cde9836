"""Writers: annotated JSONL, the findings CSV, the compared versions, the run summary.

Output is deterministic: records in input order, findings sorted by offset, JSON keys in
a fixed order, no timestamps.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from toolkit.document import Document

FINDING_COLUMNS = [
    "doc_id",
    "code",
    "category",
    "severity",
    "start",
    "end",
    "text",
    "message",
    "fix",
    "lang",
    "cluster",
    "title",
    "source",
]


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON; orjson when it can, the stdlib for what orjson refuses (huge ints)."""
    import orjson

    try:
        return orjson.dumps(obj)
    except TypeError:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def make_dirs(folder: Path) -> None:
    """Create ``folder`` and the folders above it; a file where one should be is NotADirectoryError."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # mkdir's own error would say "File exists" about the file in the way
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), exc.filename) from None


@contextmanager
def open_output(target: str | Path) -> Iterator[IO[bytes]]:
    """A binary stream for ``target`` (``-`` = stdout), parents created.

    A file is written as ``.NAME.partial`` beside it and renamed over ``target`` only when
    the block ends without an error: a killed or failed run never leaves a half-written file
    where a finished one is expected.
    """
    if str(target) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    if path.is_char_device() or path.is_fifo():  # /dev/null, a named pipe: write in place
        with path.open("wb") as fh:
            yield fh
        return
    make_dirs(path.parent)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        with tmp.open("wb") as fh:
            yield fh
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class JsonlWriter:
    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.count = 0

    def write(self, doc: Document) -> None:
        self.fh.write(dumps(doc.to_record()) + b"\n")
        self.count += 1


class FindingsCsvWriter:
    def __init__(self, fh: IO[bytes]) -> None:
        self.text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
        self.writer = csv.writer(self.text, lineterminator="\n")
        self.writer.writerow(FINDING_COLUMNS)
        self.count = 0

    def write(self, doc: Document) -> None:
        cluster = doc.cluster.id if doc.cluster else ""
        for f in doc.sorted_findings():
            row = [doc.id, f.code, f.category, f.severity.value, f.start, f.end, f.text, f.message, f.fix or "",
                   doc.lang, cluster, doc.title or "", doc.source or ""]  # fmt: skip
            # every text cell, ids and codes too: any of them can come from the input
            self.writer.writerow([_cell(v) if isinstance(v, str) else v for v in row])
            self.count += 1

    def close(self) -> None:
        self.text.flush()
        self.text.detach()


class ComparisonsWriter:
    """One line per compared pair of versions: languages, corpus metrics with signatures, beads."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.count = 0

    def write(self, doc: Document) -> None:
        for other_id, comp, role in doc.comparisons:
            rec = {"src": doc.id, "tgt": other_id, "relation": role, **comp.summary(), "beads": comp.bead_records(),
                   "src_spans": comp.src.spans, "tgt_spans": comp.tgt.spans}  # fmt: skip
            del rec["type"]
            self.fh.write(dumps(rec) + b"\n")
            self.count += 1


def _cell(value: str) -> str:
    # A cell that starts with = + - @ (or a full-width one, a tab or a line break) is run as a
    # formula by spreadsheets (CSV injection, OWASP).
    if value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20"):
        return "'" + value
    return value


def write_json(path: Path, obj: Any) -> None:
    make_dirs(path.parent)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")
