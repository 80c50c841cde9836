"""Folders of text files, CSV and RSS/Atom feeds; text decoding (UTF-8, UTF-16, Windows-1252)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from toolkit.document import Document
from toolkit.io.records import (
    TEXT_SUFFIXES,
    Ids,
    InputError,
    ReaderOptions,
    check_text,
    from_record,
    has_surrogates,
    open_binary,
    reject,
    short,
)


def read_csv(path: Path, opts: ReaderOptions, ids: Ids | None = None) -> Iterator[Document]:
    """Rows of a CSV/TSV file with a header; each row is a record."""
    ids = ids or Ids()
    csv.field_size_limit(2**31 - 1)
    with open_binary(path) as fh:
        data = fh.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8", "surrogateescape")
    delimiter = "\t" if path.name.lower().removesuffix(".gz").endswith(".tsv") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise InputError(f"{path}: cannot read the CSV header: {exc}") from None
    if opts.text_key not in header:
        raise InputError(f"{path}: no {opts.text_key!r} column (columns: {', '.join(header)}); use --text-key")
    while True:
        lineno = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield reject(ids, "malformed_csv", short(str(exc)), str(path), lineno, record={})
            continue
        if any(has_surrogates(c) for c in row):
            raw = ",".join(row).encode("utf-8", "surrogateescape")
            yield reject(ids, "invalid_utf8", "the row is not UTF-8", str(path), lineno, raw=raw)
            continue
        if len(row) != len(header):
            record = {f"col{i}": v for i, v in enumerate(row)}
            detail = f"{len(row)} fields, the header has {len(header)}"
            yield reject(ids, "malformed_csv", detail, str(path), lineno, record=record)
            continue
        yield from_record(dict(zip(header, row, strict=True)), str(path), lineno, opts, ids)


def read_folder(root: Path, opts: ReaderOptions, ids: Ids | None = None) -> Iterator[Document]:
    """Every ``.txt``/``.md`` file below ``root``, in sorted path order."""
    files = sorted(
        (p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES),
        key=lambda p: p.relative_to(root).as_posix(),
    )
    yield from read_text_files(files, root, opts, ids or Ids())


def read_text_files(files: list[Path], root: Path, opts: ReaderOptions, ids: Ids) -> Iterator[Document]:
    source = root.resolve().name or str(root)
    inside = root.resolve()
    for path in files:
        rel = path.relative_to(root).as_posix()
        if not opts.follow_symlinks and not path.resolve().is_relative_to(inside):
            # a link in the folder to a file elsewhere (/etc/passwd): nothing outside the inputs is read
            detail = "a link to a file outside the input folder (--follow-symlinks reads it)"
            yield reject(ids, "outside_input", detail, str(path), None, {"id": rel}, base_id=rel)
            continue
        data = path.read_bytes()
        if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            yield reject(ids, "binary", "the file contains NUL bytes", str(path), None, {"id": rel}, base_id=rel)
            continue
        text, encoding = decode_text(data)
        if text is None:
            detail = "not UTF-8, UTF-16 or Windows-1252"
            yield reject(ids, "invalid_encoding", detail, str(path), None, {"id": rel}, base_id=rel)
            continue
        record: dict[str, Any] = {"id": rel, "title": first_line_title(text), "text": text, "source": source}
        if encoding != "utf-8":
            record["encoding"] = encoding
        bad = check_text(text, opts)
        if bad:
            yield reject(ids, bad[0], bad[1], str(path), None, record=record, base_id=rel)
            continue
        yield Document(id=ids(rel), text=text, record=record, title=record["title"], source=source, origin=str(path))


def decode_text(data: bytes) -> tuple[str | None, str]:
    """Decode a text file: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, ""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return None, ""


_TITLE_END = (".", ",", ";", "!", "…")


def first_line_title(text: str) -> str | None:
    """The first line, when it reads as a headline: short, no closing full stop, more text after."""
    lines = text.strip().splitlines()
    if len(lines) < 2:
        return None
    first = lines[0].strip()
    if not first or len(first) > 200 or len(first.split()) > 30 or first.endswith(_TITLE_END):
        return None
    return first


def read_feed(path: Path, opts: ReaderOptions, ids: Ids | None = None) -> Iterator[Document]:
    """Entries of an RSS or Atom file (needs the ``feeds`` extra: feedparser)."""
    ids = ids or Ids()
    try:
        import feedparser
    except ImportError:
        raise InputError("reading RSS/Atom needs the feeds extra: pip install 'wirecheck[feeds]'") from None
    parsed = feedparser.parse(path.read_bytes())
    if parsed.get("bozo") and not parsed.entries:
        raise InputError(f"{path}: not a readable feed ({parsed.get('bozo_exception')})")
    for n, entry in enumerate(parsed.entries, start=1):
        content = entry.get("content") or []
        html = content[0].get("value", "") if content else entry.get("summary", "")
        record = {
            "id": entry.get("id") or entry.get("link") or "",
            "title": entry.get("title"),
            "text": html_to_text(html),
            "url": entry.get("link"),
            "published": entry.get("published"),
            "source": parsed.feed.get("title") or path.name,
        }
        yield from_record(record, str(path), n, opts, ids)


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, one paragraph a line."""

    blocks = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}

    class _P(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in ("script", "style"):
                self.skip += 1
            elif tag in blocks:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style") and self.skip:
                self.skip -= 1
            elif tag in blocks:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    p = _P()
    p.feed(html)
    p.close()
    lines = (" ".join(line.split()) for line in "".join(p.parts).splitlines())
    return "\n\n".join(line for line in lines if line)
