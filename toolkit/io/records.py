"""What every reader shares: the options, stable ids, the checks a text must pass, and the
rejected record that keeps what could not be read (nothing is lost)."""

from __future__ import annotations

import base64
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from toolkit.document import Document, Rejection
from toolkit.hashing import stable_hex


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
    follow_symlinks: bool = False  # read links in an input folder that point outside it


class Ids:
    """Makes ids unique within a run: a repeated id gets ``~2``, ``~3`` … in input order."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, base: str) -> str:
        n = self.seen.get(base, 0) + 1
        self.seen[base] = n
        return base if n == 1 else f"{base}~{n}"


def reject(
    ids: Ids,
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


# zero-width and other invisible format characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen,
# bidirectional marks and isolates): a text of only these shows nothing
_INVISIBLE = "\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
# the first character that shows: found at once in any real text (translating a whole text to
# drop the invisible ones cost a second per 10,000 news documents)
_VISIBLE = re.compile(f"[^\\s{_INVISIBLE}]")


def check_text(text: str, opts: ReaderOptions) -> tuple[str, str] | None:
    if not _VISIBLE.search(text):
        return "empty_text", "the text is empty or only white space and invisible characters"
    if len(text) > opts.max_chars:
        return "too_large", f"text has {len(text):,} characters, above --max-chars {opts.max_chars:,}"
    if "\x00" in text:
        return "binary", "the text contains NUL bytes"
    return None


def short(msg: str, limit: int = 200) -> str:
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


def from_record(obj: dict[str, Any], source: str, lineno: int | None, opts: ReaderOptions, ids: Ids) -> Document:
    raw_id = obj.get(opts.id_key)
    given = str(raw_id) if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else ""
    if opts.text_key not in obj:
        return reject(
            ids, "missing_text", f"no {opts.text_key!r} field", source, lineno, record=obj, base_id=given or None
        )
    text = obj[opts.text_key]
    if not isinstance(text, str):
        detail = f"{opts.text_key!r} is a {type(text).__name__}"
        return reject(ids, "text_not_string", detail, source, lineno, record=obj, base_id=given or None)
    bad = check_text(text, opts)
    if bad:
        return reject(ids, bad[0], bad[1], source, lineno, record=obj, base_id=given or None)
    base = given or "t:" + stable_hex(text)
    return Document(
        id=ids(base),
        text=text,
        record=obj,
        title=_str_or_none(obj.get(opts.title_key)),
        source=_str_or_none(obj.get(opts.source_key)),
        url=_str_or_none(obj.get(opts.url_key)),
        published=_str_or_none(obj.get(opts.published_key)),
        origin=f"{source}:{lineno}",
    )


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def has_surrogates(s: str) -> bool:
    return any("\udc80" <= c <= "\udcff" for c in s)


TEXT_SUFFIXES = (".txt", ".md")


def open_binary(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")
