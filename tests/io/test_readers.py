from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.io.files import first_line_title
from toolkit.io.readers import InputError, ReaderOptions, read_inputs, read_jsonl

FIX = FIXTURES


def jsonl(data: bytes, **kw: object) -> list:  # type: ignore[type-arg]
    return list(read_jsonl(io.BytesIO(data), "t.jsonl", ReaderOptions(**kw)))  # type: ignore[arg-type]


def test_folder_reader_ids_titles_sources_and_rejects() -> None:
    docs = {d.id: d for d in read_inputs([FIX / "folder"])}
    assert sorted(docs) == ["junk.md", "story.txt", "sub/empty.txt", "sub/latin1.txt"]
    story = docs["story.txt"]
    assert story.ok and story.title == "A headline about a ceasefire" and story.source == "folder"
    assert story.record["text"].startswith("A headline about a ceasefire\n")
    latin = docs["sub/latin1.txt"]
    assert latin.ok and latin.text.startswith("Café owners") and latin.record["encoding"] == "cp1252"
    assert docs["junk.md"].rejected is not None and docs["junk.md"].rejected.reason == "binary"
    assert docs["sub/empty.txt"].rejected is not None and docs["sub/empty.txt"].rejected.reason == "empty_text"


def test_jsonl_keeps_every_field_and_order() -> None:
    rec = {"z": 1, "text": "Some text here.", "id": "a1", "nested": {"k": [1, 2]}, "title": "T"}
    (doc,) = jsonl(json.dumps(rec).encode())
    assert doc.ok and doc.id == "a1" and doc.title == "T"
    assert list(doc.to_record())[:-1] == list(rec) and doc.to_record()["nested"] == {"k": [1, 2]}


@pytest.mark.parametrize(
    "line,reason",
    [
        (b'{"text": "unterminated', "malformed_json"),
        (b'{"text": "caf\xe9"}', "invalid_utf8"),
        (b'{"text": "   "}', "empty_text"),
        (b'{"id": 3}', "missing_text"),
        (b'{"text": 42}', "text_not_string"),
        (b"[1, 2, 3]", "not_an_object"),
        (b"", "blank_line"),
        (b"[" * 5000 + b"]" * 5000, "too_deep"),
        (b"\x89PNG\x1a\x00\x00\x00\xff\xfe", "invalid_utf8"),
    ],
)
def test_bad_lines_become_rejects_with_reason_and_line(line: bytes, reason: str) -> None:
    good = b'{"id": "ok", "text": "A good line."}'
    docs = jsonl(good + b"\n" + line + b"\n" + good + b"\n")
    assert len(docs) == 3
    assert docs[0].ok and docs[2].ok
    assert docs[2].id == "ok~2"  # a repeated id is made unique, in input order
    bad = docs[1]
    assert bad.rejected is not None and bad.rejected.reason == reason and bad.rejected.line == 2


def test_reject_keeps_the_raw_line_losslessly() -> None:
    raw = b'{"text": "caf\xe9"}'
    (doc,) = jsonl(raw)
    import base64

    assert base64.b64decode(doc.to_record()["_raw_base64"]) == raw


def test_too_large_text_is_rejected_with_its_fields() -> None:
    (doc,) = jsonl(json.dumps({"id": "big", "text": "x" * 101}).encode(), max_chars=100)
    assert doc.rejected is not None and doc.rejected.reason == "too_large"
    assert doc.id == "big" and doc.to_record()["text"] == "x" * 101


def test_huge_integer_is_valid_json() -> None:
    (doc,) = jsonl(b'{"text": "Numbers.", "n": 123456789012345678901234567890}')
    assert doc.ok and doc.record["n"] == 123456789012345678901234567890
    (doc,) = jsonl(b'{"text": "Numbers.", "n": 18446744073709551616, "m": -9223372036854775809, "f": 1.5}')
    assert doc.record == {"text": "Numbers.", "n": 2**64, "m": -(2**63) - 1, "f": 1.5}


def test_ids_without_id_field_are_content_hashes() -> None:
    a = jsonl(b'{"text": "Same text."}\n{"text": "Other text."}')
    b = jsonl(b'{"text": "Same text."}')
    assert a[0].id == b[0].id and a[0].id.startswith("t:") and a[0].id != a[1].id


def test_csv_reader(tmp_path: Path) -> None:
    p = tmp_path / "in.csv"
    p.write_bytes(b'id,title,body\n1,First,"A text, with a comma."\n2,Second\n3,Third,caf\xe9 text\n4,Fourth,Fine.\n')
    docs = list(read_inputs([p], ReaderOptions(text_key="body")))
    assert [d.ok for d in docs] == [True, False, False, True]
    assert docs[0].text == "A text, with a comma." and docs[0].record["title"] == "First"
    assert docs[1].rejected and docs[1].rejected.reason == "malformed_csv" and docs[1].rejected.line == 3
    assert docs[2].rejected and docs[2].rejected.reason == "invalid_utf8"


def test_unknown_inputs_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        list(read_inputs([tmp_path / "nope.jsonl"]))
    odd = tmp_path / "data.bin"
    odd.write_bytes(b"x")
    with pytest.raises(InputError, match="--input-format"):
        list(read_inputs([odd]))


def test_feed_reader(tmp_path: Path) -> None:
    p = tmp_path / "f.rss"
    p.write_text(
        """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
        <item><guid>g1</guid><title>Story</title><link>http://x/1</link>
        <description>&lt;p&gt;First para.&lt;/p&gt;&lt;p&gt;Second &amp;amp; last.&lt;/p&gt;</description></item>
        </channel></rss>""",
        encoding="utf-8",
    )
    (doc,) = list(read_inputs([p]))
    assert doc.ok and doc.id == "g1" and doc.url == "http://x/1" and doc.source == "Wire"
    assert doc.text == "First para.\n\nSecond & last."


def test_title_heuristic() -> None:
    assert first_line_title("Turkey threatens force\n\nBody text.") == "Turkey threatens force"
    assert first_line_title("A full sentence that ends.\nMore.") is None
    assert first_line_title("Only one line") is None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_one_document_per_line(data: bytes) -> None:
    docs = jsonl(data)
    assert len(docs) == len(io.BytesIO(data).readlines())
