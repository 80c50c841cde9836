"""The "seen before" index: a new batch is deduplicated against every earlier batch.

``open_index("path/to/index.db", params)`` opens (or creates) the embedded SQLite index;
``open_index("redis://host:6379/0", params)`` the shared one. Both refuse to open when the
parameters they were built with differ from this run's (:class:`IndexParamsError`).
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from toolkit.index.core import (
    DUPLICATE,
    KNOWN,
    NEW,
    Entry,
    IndexParamsError,
    IndexUnavailable,
    Status,
    index_params,
    parse_window,
)

__all__ = ["DUPLICATE", "KNOWN", "NEW", "Entry", "IndexParamsError", "IndexUnavailable", "SeenIndex", "Status",
           "index_params", "open_index", "parse_window"]  # fmt: skip


class SeenIndex(Protocol):
    kind: str
    stored: dict[str, Any]

    def resolve(self, entries: list[Entry], keys: np.ndarray, dry_run: bool = False) -> dict[str, Status]: ...
    def stats(self) -> dict[str, Any]: ...
    def evict(self, before: float, batch: int = 10_000) -> int: ...
    def drop(self) -> None: ...
    def close(self) -> None: ...
    def begin_run(self, key: str) -> bool: ...  # marks a run of these inputs; True if the last one was killed
    def end_run(self, key: str) -> None: ...


def open_index(spec: str, params: dict[str, Any], create: bool = True) -> SeenIndex:
    """An index from a path (SQLite) or a ``redis://`` URL. ``params={}`` skips the check
    (for ``wirecheck index stats|evict|drop``, which work on any index)."""
    if spec.startswith(("redis://", "rediss://", "unix://")):
        try:
            from toolkit.index.redis_store import RedisIndex
        except ImportError:
            raise IndexUnavailable("a Redis index needs the redis package: pip install 'wirecheck[redis]'") from None
        return RedisIndex(spec, params, create)
    from toolkit.index.sqlite import SqliteIndex

    return SqliteIndex(spec, params, create)
