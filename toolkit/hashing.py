"""Stable hashes: the same bytes give the same value on every run and machine.

Python's built-in ``hash()`` is salted per process, so it is never used for ids or shingles.
"""

from __future__ import annotations

import hashlib


def stable_hex(*parts: str, length: int = 16) -> str:
    """Hex digest (BLAKE2b) of the parts, joined unambiguously."""
    h = hashlib.blake2b(digest_size=max(8, (length + 1) // 2))
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:length]


def text_key(text: str) -> str:
    """Cache key for a piece of text (e.g. a sentence embedding)."""
    return stable_hex(text, length=32)
