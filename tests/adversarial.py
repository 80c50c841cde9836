"""An adversarial feed: ordinary wire items with hostile lines among them, as bytes.

Used by tests/test_hostile.py; run alone to write one: ``python tests/adversarial.py OUT.jsonl``.
Every line of the result must come out of a run once (kept, duplicate or rejected with a reason).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SUBJECTS = ["The council", "Ankara", "The minister", "Police in Lyon", "The central bank", "Rescuers", "Voters"]
VERBS = ["approved", "rejected", "announced", "postponed", "criticised", "welcomed", "investigated"]
OBJECTS = ["a new budget", "the ceasefire plan", "rail strikes", "a flood warning", "the election result",
           "talks with unions", "a rise in rates"]  # fmt: skip


def hostile_lines() -> list[bytes]:
    """Forty hostile lines: each a way a feed goes wrong."""
    deep = b'{"id": "deep", "text": "x", "meta": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    lines = [
        b'{"id": "malformed", "text": "unterminated',
        b"{not json at all}",
        '{"id": "latin1", "text": "caf\xe9 cr\xe8me au lait ce matin"}'.encode("latin-1"),
        b"\xef\xbb\xbf" + json.dumps({"id": "bom", "text": "A line that starts with a byte order mark."}).encode(),
        json.dumps({"id": "nul", "text": "text with a \u0000 NUL inside"}).encode(),
        b'["an", "array"]',
        b"42",
        b"null",
        b'"just a string"',
        json.dumps({"id": "huge", "text": "word " * 2_400_000}).encode(),  # 12 MB
        json.dumps({"id": "emoji", "text": "\U0001f600" * 50_000}, ensure_ascii=False).encode(),
        deep,
        b'{"id": "dupkeys", "text": "first text of the record", "text": "second text wins in JSON"}',
        json.dumps({"id": "crlf", "text": "a line\r\nwith CRLF\r\ninside it"}).encode() + b"\r",
        json.dumps({"id": "zw", "text": "\u200b\u200c\u200d\ufeff"}, ensure_ascii=False).encode(),
        json.dumps(
            {"id": "rtl", "text": "\u202eevil.exe\u202c قالت الحكومة إن المحادثات ستستأنف الأسبوع المقبل"},
            ensure_ascii=False,
        ).encode(),
        json.dumps({"id": "word", "text": "a" * 1_000_000}).encode(),
        b"",  # a blank line
        b"   ",
        json.dumps({"id": "notext"}).encode(),
        json.dumps({"id": "numtext", "text": 12345}).encode(),
        json.dumps({"id": "listtext", "text": ["a", "b"]}).encode(),
        json.dumps({"id": 7, "text": "A numeric id is still an id, the text is fine."}).encode(),
        json.dumps({"text": "No id at all: one is made from the line."}).encode(),
        json.dumps({"id": "script", "text": "<script>alert(1)</script> said the minister on Monday."}).encode(),
        json.dumps({"id": '=HYPERLINK("x")', "text": "A formula as an id, and a text that is fine."}).encode(),
        json.dumps({"id": "../../etc/passwd", "text": "An id that looks like a path outside the folder."}).encode(),
        json.dumps({"id": "surrogate", "text": "lone \ud800 surrogate"}).encode(),
        b'{"id": "badescape", "text": "bad \\x escape"}',
        b'{"id": "trailing", "text": "a trailing comma",}',
        json.dumps({"id": "ctrl", "text": "control \u0007\u001b[31m characters \u0008 in a text"}).encode(),
        json.dumps({"id": "longid" * 2000, "text": "A very long id."}).encode(),
        json.dumps({"id": "spaces", "text": " \t \n \r\n "}).encode(),
        json.dumps(
            {"id": "combining", "text": "e" + "\u0301" * 5000 + " and the rest of the sentence."}, ensure_ascii=False
        ).encode(),
        json.dumps({"id": "bigint", "text": "fine", "n": 10**40}).encode(),
        b'{"id": "nan", "text": "a NaN value", "x": NaN}',
        json.dumps({"id": "nested_ok", "text": "Nested metadata is kept.", "meta": {"a": [1, {"b": 2}]}}).encode(),
        b"\xff\xfe\x00\x00 broken utf-8 \xc3\x28",
        json.dumps({"id": "guillemets", "text": "« » " * 100_000}, ensure_ascii=False).encode(),
        json.dumps({"id": "numbers", "text": "3,5 " * 100_000}).encode(),
    ]
    assert len(lines) == 40
    return lines


def feed(n_ordinary: int = 2960, seed: int = 11) -> bytes:
    """``n_ordinary`` wire items with the forty hostile lines spread among them; no final newline."""
    rng = random.Random(seed)
    ordinary = []
    for k in range(n_ordinary):
        words = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), "on", rng.choice(["Monday", "Friday"])]
        text = " ".join(words) + f", officials said in item {k}. " + " ".join(rng.choices(OBJECTS, k=4)) + "."
        ordinary.append(json.dumps({"id": f"item-{k:05d}", "text": text}).encode())
    hostile = hostile_lines()
    positions = sorted(rng.sample(range(n_ordinary + len(hostile)), len(hostile)))
    out: list[bytes] = []
    h = iter(hostile)
    o = iter(ordinary)
    for i in range(n_ordinary + len(hostile)):
        out.append(next(h) if positions and i == positions[0] else next(o))
        if positions and i == positions[0]:
            positions.pop(0)
    return b"\n".join(out)  # no final newline


if __name__ == "__main__":
    Path(sys.argv[1]).write_bytes(feed())
