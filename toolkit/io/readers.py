"""Readers: a folder of text files, JSONL (``-`` = stdin), CSV, RSS/Atom.

Every input record comes out as exactly one :class:`Document`; one that cannot be read
(malformed JSON, invalid UTF-8, no text, too large, binary) is a document with
``rejected`` set, its line number and reason, and whatever could be kept of its content.
"""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from toolkit.document import Document, Rejection
from toolkit.hashing import stable_hex

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv", ".tsv")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
FORMATS = ("auto", "folder", "text", "jsonl", "csv", "feed")


class InputError(Exception):
    """An input that cannot be read at all (missing file, unknown format): exit 2."""


@dataclass(frozen=True, slots=True)
class ReaderOptions:
    text_key: str = "text"
    id_key: str = "id"
    title_key: str = "title"
    source_key: str = "source"
    url_key: str = "url"
    published_key: str = "published"
    max_chars: int = 1_000_000
    max_depth: int = 64
    input_format: str = "auto"


class _Ids:
    """Makes ids unique within a run: a repeated id gets ``~2``, ``~3`` … in input order."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, base: str) -> str:
        n = self.seen.get(base, 0) + 1
        self.seen[base] = n
        return base if n == 1 else f"{base}~{n}"


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
    ids = _Ids()
    for item, fmt in resolved:
        yield from _read_one(item, fmt, opts, ids)


def _read_one(item: str, fmt: str, opts: ReaderOptions, ids: _Ids) -> Iterator[Document]:
    if item == "-":
        yield from read_jsonl(sys.stdin.buffer, "<stdin>", opts, ids)
        return
    path = Path(item)
    if fmt == "folder":
        yield from read_folder(path, opts, ids)
    elif fmt == "text":
        yield from read_text_files([path], path.parent, opts, ids)
    elif fmt == "jsonl":
        with _open_binary(path) as fh:
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


def _open_binary(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


# ---------------------------------------------------------------- rejects


def _reject(
    ids: _Ids,
    reason: str,
    detail: str,
    source: str,
    line: int | None,
    record: dict[str, Any] | None = None,
    raw: bytes | None = None,
    base_id: str | None = None,
) -> Document:
    rec: dict[str, Any] = dict(record) if record is not None else {}
    if record is None and raw is not None:
        text = raw.decode("utf-8", "replace")
        rec["_raw"] = text
        if "\ufffd" in text and b"\xef\xbf\xbd" not in raw:
            rec["_raw_base64"] = base64.b64encode(raw).decode("ascii")
    if base_id is None:
        key = raw if raw is not None else json.dumps(rec, sort_keys=True, default=str).encode("utf-8", "replace")
        base_id = "x:" + stable_hex(source, str(line), key.decode("latin-1"))
    doc_id = ids(base_id)
    return Document(id=doc_id, text="", record=rec, rejected=Rejection(reason, detail, source, line))


def _check_text(text: str, opts: ReaderOptions) -> tuple[str, str] | None:
    if not text.strip():
        return "empty_text", "the text is empty or only white space"
    if len(text) > opts.max_chars:
        return "too_large", f"text has {len(text):,} characters, above --max-chars {opts.max_chars:,}"
    if "\x00" in text:
        return "binary", "the text contains NUL bytes"
    return None


# ---------------------------------------------------------------- JSONL


_LONG_NUMBER = re.compile(rb"\d{19}")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(rb"[\[\]{}]")


def too_deep(line: bytes, limit: int) -> bool:
    """Whether the arrays and objects of one JSON line nest deeper than ``limit``.

    Such records are refused before they are parsed: the parser accepts 1,024 levels, but
    pickling them for a worker, writing them back or hashing them recurses once per level
    and ended the whole run with a RecursionError.
    """
    if line.count(b"[") + line.count(b"{") <= limit:
        return False  # a C-speed bound that clears nearly every line without the scan below
    depth = 0
    for m in _BRACKET.finditer(_JSON_STRING.sub(b"", line)):
        if m.group() in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _loads(line: bytes) -> Any:
    import orjson

    # orjson turns integers beyond 64 bits into floats; the stdlib keeps them exact.
    if _LONG_NUMBER.search(line):
        return json.loads(line)
    return orjson.loads(line)


def read_jsonl(fh: IO[bytes], source: str, opts: ReaderOptions, ids: _Ids | None = None) -> Iterator[Document]:
    """One document per line; every line yields exactly one document (maybe a reject)."""
    ids = ids or _Ids()
    for lineno, raw in enumerate(fh, start=1):
        line = raw.rstrip(b"\r\n")
        if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            yield _reject(ids, "blank_line", "the line is empty", source, lineno, raw=line)
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield _reject(ids, "invalid_utf8", f"not UTF-8 at byte {exc.start}", source, lineno, raw=line)
            continue
        if too_deep(line, opts.max_depth):
            detail = f"arrays and objects nest deeper than {opts.max_depth} levels"
            yield _reject(ids, "too_deep", detail, source, lineno, raw=line)
            continue
        try:
            obj = _loads(line)
        except (ValueError, RecursionError) as exc:
            yield _reject(ids, "malformed_json", _short(str(exc)), source, lineno, raw=line)
            continue
        if not isinstance(obj, dict):
            yield _reject(ids, "not_an_object", f"a JSON {type(obj).__name__}, not an object", source, lineno, raw=line)
            continue
        yield _from_record(obj, source, lineno, opts, ids)


def _short(msg: str, limit: int = 200) -> str:
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


def _from_record(obj: dict[str, Any], source: str, lineno: int | None, opts: ReaderOptions, ids: _Ids) -> Document:
    raw_id = obj.get(opts.id_key)
    given = str(raw_id) if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else ""
    if opts.text_key not in obj:
        return _reject(
            ids, "missing_text", f"no {opts.text_key!r} field", source, lineno, record=obj, base_id=given or None
        )
    text = obj[opts.text_key]
    if not isinstance(text, str):
        detail = f"{opts.text_key!r} is a {type(text).__name__}"
        return _reject(ids, "text_not_string", detail, source, lineno, record=obj, base_id=given or None)
    bad = _check_text(text, opts)
    if bad:
        return _reject(ids, bad[0], bad[1], source, lineno, record=obj, base_id=given or None)
    base = given or "t:" + stable_hex(text)
    return Document(
        id=ids(base),
        text=text,
        record=obj,
        title=_str_or_none(obj.get(opts.title_key)),
        source=_str_or_none(obj.get(opts.source_key)),
        url=_str_or_none(obj.get(opts.url_key)),
        published=_str_or_none(obj.get(opts.published_key)),
    )


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


# ---------------------------------------------------------------- CSV


def read_csv(path: Path, opts: ReaderOptions, ids: _Ids | None = None) -> Iterator[Document]:
    """Rows of a CSV/TSV file with a header; each row is a record."""
    ids = ids or _Ids()
    csv.field_size_limit(2**31 - 1)
    with _open_binary(path) as fh:
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
            yield _reject(ids, "malformed_csv", _short(str(exc)), str(path), lineno, record={})
            continue
        if any(_has_surrogates(c) for c in row):
            raw = ",".join(row).encode("utf-8", "surrogateescape")
            yield _reject(ids, "invalid_utf8", "the row is not UTF-8", str(path), lineno, raw=raw)
            continue
        if len(row) != len(header):
            record = {f"col{i}": v for i, v in enumerate(row)}
            detail = f"{len(row)} fields, the header has {len(header)}"
            yield _reject(ids, "malformed_csv", detail, str(path), lineno, record=record)
            continue
        yield _from_record(dict(zip(header, row, strict=True)), str(path), lineno, opts, ids)


def _has_surrogates(s: str) -> bool:
    return any("\udc80" <= c <= "\udcff" for c in s)


# ---------------------------------------------------------------- text files


def read_folder(root: Path, opts: ReaderOptions, ids: _Ids | None = None) -> Iterator[Document]:
    """Every ``.txt``/``.md`` file below ``root``, in sorted path order."""
    files = sorted(
        (p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES),
        key=lambda p: p.relative_to(root).as_posix(),
    )
    yield from read_text_files(files, root, opts, ids or _Ids())


def read_text_files(files: list[Path], root: Path, opts: ReaderOptions, ids: _Ids) -> Iterator[Document]:
    source = root.resolve().name or str(root)
    for path in files:
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            yield _reject(ids, "binary", "the file contains NUL bytes", str(path), None, {"id": rel}, base_id=rel)
            continue
        text, encoding = decode_text(data)
        if text is None:
            detail = "not UTF-8, UTF-16 or Windows-1252"
            yield _reject(ids, "invalid_encoding", detail, str(path), None, {"id": rel}, base_id=rel)
            continue
        record: dict[str, Any] = {"id": rel, "title": first_line_title(text), "text": text, "source": source}
        if encoding != "utf-8":
            record["encoding"] = encoding
        bad = _check_text(text, opts)
        if bad:
            yield _reject(ids, bad[0], bad[1], str(path), None, record=record, base_id=rel)
            continue
        yield Document(id=ids(rel), text=text, record=record, title=record["title"], source=source)


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


# ---------------------------------------------------------------- feeds


def read_feed(path: Path, opts: ReaderOptions, ids: _Ids | None = None) -> Iterator[Document]:
    """Entries of an RSS or Atom file (needs the ``feeds`` extra: feedparser)."""
    ids = ids or _Ids()
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
        yield _from_record(record, str(path), n, opts, ids)


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, one paragraph a line."""
    from html.parser import HTMLParser

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
