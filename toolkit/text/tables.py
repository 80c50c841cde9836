"""Compiled tables: large per-process lookups built once, then memory-mapped by every process.

wordfreq's frequency lists and langdetect's n-gram profiles are stored compressed and decoded
into Python dictionaries by every process that uses them (seconds and hundreds of megabytes for
a command that checks one sentence). Here they are built once into flat binary files in a
per-user cache directory, under a name that carries the library version they came from, and
mapped read-only: a process touches only the pages it reads, and processes share them.

A file is a header, a JSON description of its sections, and the sections: an open-addressing
hash table over UTF-8 keys (``StringTable``) and typed arrays beside it. A file that fails its
checks is rebuilt; a cache directory that cannot be written to is not an error (the table is
built in memory, as before caches existed).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import mmap
import os
import struct
import tempfile
import zlib
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

MAGIC = b"WCTB"
FORMAT = 1  # bump when the layout changes: old files are then simply not found
_HEAD = struct.Struct("<4sIQ")  # magic, format, length of the JSON description
_ALIGN = 8
ENV = "WIRECHECK_CACHE"


def cache_dir() -> Path:
    """``$WIRECHECK_CACHE``, else ``$XDG_CACHE_HOME/wirecheck``, else ``~/.cache/wirecheck``."""
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wirecheck"


def package_key(package: str, *paths: str) -> tuple[Path, str]:
    """An installed package's folder and a key naming the files at ``paths`` in it (name, size,
    modification time; a folder stands for the files in it): new data or code gives new
    tables, without importing the package to ask its version."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"{package} is not installed")
    folder = Path(spec.origin).parent
    files = []
    for rel in paths:
        path = folder / rel
        entries = list(os.scandir(path)) if path.is_dir() else [path]
        for e in entries:
            st = os.stat(e)
            files.append((rel, os.path.basename(e), st.st_size, st.st_mtime_ns))
    return folder, repr(sorted(files))


def pack(sections: dict[str, bytes], meta: dict[str, Any]) -> bytes:
    """One file: header, description (section offsets + ``meta``), aligned sections."""
    layout: dict[str, list[int]] = {}
    pos = 0
    for name, data in sections.items():
        layout[name] = [pos, len(data)]
        pos += len(data) + (-len(data)) % _ALIGN
    desc = json.dumps({"sections": layout, "meta": meta, "size": pos}, sort_keys=True).encode()
    desc += b" " * ((-(_HEAD.size + len(desc))) % _ALIGN)
    parts = [_HEAD.pack(MAGIC, FORMAT, len(desc)), desc]
    for data in sections.values():
        parts += [data, b"\0" * ((-len(data)) % _ALIGN)]
    return b"".join(parts)


class Packed:
    """A packed file's sections as read-only memoryviews over one buffer (a map or bytes)."""

    def __init__(self, buf: Any) -> None:
        view = memoryview(buf)
        magic, fmt, n = _HEAD.unpack_from(view)
        if magic != MAGIC or fmt != FORMAT:
            raise ValueError("not a wirecheck table of this format")
        desc = json.loads(bytes(view[_HEAD.size : _HEAD.size + n]))
        start = _HEAD.size + n
        if len(view) != start + desc["size"]:
            raise ValueError("truncated table")
        self.buf = buf
        self.meta: dict[str, Any] = desc["meta"]
        self.sections = {k: view[start + o : start + o + ln] for k, (o, ln) in desc["sections"].items()}


def _path(name: str, key: str, suffix: str = ".bin") -> Path:
    digest = hashlib.sha256(f"{FORMAT}|{key}".encode()).hexdigest()[:16]
    return cache_dir() / f"{name}-{digest}{suffix}"


def _store(path: Path, write: Callable[[BinaryIO], object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # a private name, then an atomic rename: processes building at once never see half a file
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o644)  # readable like any cache file, not private like a temporary one
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(name: str, key: str, build: Callable[[], bytes]) -> Packed:
    """The table ``name`` for ``key`` (library versions and the like): mapped from the cache,
    built and stored there first when missing or damaged, built in memory when the cache is not
    writable."""
    path = _path(name, key)
    try:
        return _map(path)
    except (OSError, ValueError):
        pass
    data = build()
    try:
        _store(path, lambda fh: fh.write(data))
        return _map(path)
    except (OSError, ValueError):
        return Packed(data)


def cached_file(name: str, key: str, suffix: str, write: Callable[[BinaryIO], object]) -> Path | None:
    """A file that ``write`` produces once for ``key`` (say, model weights stored uncompressed),
    or None when the cache cannot be written."""
    path = _path(name, key, suffix)
    if path.is_file():
        return path
    try:
        _store(path, write)
    except OSError:
        return None
    return path


def _map(path: Path) -> Packed:
    with path.open("rb") as fh:
        mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        return Packed(mm)
    except (ValueError, struct.error) as exc:  # the map is released with its last view
        raise ValueError(str(exc)) from exc


def pack_strings(keys: Sequence[str]) -> dict[str, bytes]:
    """Sections of a hash table over ``keys`` (row i is keys[i]): blob, offsets, slots."""
    encoded = [k.encode("utf-8") for k in keys]
    offsets = array("I", [0])
    total = 0
    for b in encoded:
        total += len(b)
        offsets.append(total)
    nslots = 1 << max(4, (2 * len(keys) - 1).bit_length())  # load factor at most one half
    mask = nslots - 1
    slots = array("I", bytes(4 * nslots))
    for row, b in enumerate(encoded):
        h = zlib.crc32(b) & mask
        while slots[h]:
            h = (h + 1) & mask
        slots[h] = row + 1  # 0 marks an empty slot
    return {"blob": b"".join(encoded), "offsets": offsets.tobytes(), "slots": slots.tobytes()}


class StringTable:
    """Look-up of a key's row in a packed hash table (about half a microsecond)."""

    def __init__(self, packed: Packed) -> None:
        s = packed.sections
        self.blob = s["blob"]
        self.offsets = s["offsets"].cast("I")
        self.slots = s["slots"].cast("I")
        self.mask = len(self.slots) - 1

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def row(self, key: str) -> int:
        """The row of ``key``, or -1."""
        b = key.encode("utf-8", "surrogatepass")
        slots, offsets, blob, mask = self.slots, self.offsets, self.blob, self.mask
        h = zlib.crc32(b) & mask
        while True:
            r = slots[h]
            if not r:
                return -1
            r -= 1
            start = offsets[r]
            if offsets[r + 1] - start == len(b) and blob[start : start + len(b)] == b:
                return r
            h = (h + 1) & mask

    def key(self, row: int) -> str:
        return bytes(self.blob[self.offsets[row] : self.offsets[row + 1]]).decode("utf-8")
