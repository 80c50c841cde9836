"""Clustering features: the compiled tables give what computing gives."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SEEDS

from toolkit.dedup import features as F
from toolkit.dedup.tokens import Cache, word_facts
from toolkit.text.words import zipf_table


def _texts() -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    table = zipf_table("en").table
    # listed words of every frequency, capitalised, glued to digits and punctuation; numbers
    # and number words; words outside the list
    listed = [table.key(r) for r in range(0, F.LISTED_WORDS, 97)]
    made = " ".join(f"{w} {w.capitalize()} {w}s, l'{w} {w}3" for w in listed)
    return [*seeds, made, "twenty one thousand 1,500 fifteen millions zzqx blorvat", "Die Regierung hat 3,5 Millionen"]


def test_listed_word_facts_are_the_computed_ones_bit_for_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    langs = ["en"] * (len(texts) - 1) + ["de"]

    def fresh() -> None:
        monkeypatch.setattr(F, "_words", Cache(18, [np.float32, np.uint32]))
        monkeypatch.setattr(F, "_rest", Cache(16, [np.uint32, np.float32, np.float32]))
        monkeypatch.setattr(F, "_numbers", Cache(16, [np.uint32]))

    fresh()
    with_tables = F.features_batch(texts, langs)
    fresh()
    monkeypatch.setattr(F, "listed_facts", lambda base: None)
    computed = F.features_batch(texts, langs)
    fields = ("copy_items", "lex_items", "lex_item_w", "lex_sketch", "xling_items", "xling_item_w", "xling_seq")
    for a, b in zip(with_tables, computed, strict=True):
        for name in fields:
            assert np.array_equal(getattr(a, name), getattr(b, name)), name
        assert (a.words, a.exact, a.caseless) == (b.words, b.exact, b.caseless)


def test_the_listed_table_holds_each_words_facts() -> None:
    keys, weights, numwords = F.listed_facts("en")  # type: ignore[misc]
    assert len(keys) > 0.9 * F.LISTED_WORDS and np.all(keys[1:] > keys[:-1])
    table = zipf_table("en").table
    words = [table.key(r) for r in (0, 1, 500, 5_000, 40_000)] + ["thousand", "fifteen"]
    feats = F.features_batch([" ".join(words)], ["en"])[0]
    assert len(feats.lex_items)  # the rarer ones count
    for w in words:
        weight, numkey = word_facts(w, "en")
        orig, low = F.buffers([w])
        th = F.scan(orig, low, len(orig) - F.PAD, F.scan_tables())[2]
        key = th[0] ^ np.uint64(F.lang_salt("en"))
        at = int(np.searchsorted(keys, key))
        assert keys[at] == key, w
        assert weights[at] == np.float32(weight) and numwords[at] == numkey, w
    assert F.listed_facts("xx-none") is None


def test_features_cross_to_a_worker_unchanged() -> None:
    import dataclasses
    import pickle

    texts = [*_texts(), "", "one two"]  # with empty views
    for before in F.features_batch(texts, ["en"] * len(texts)):
        after = pickle.loads(pickle.dumps(before))
        for field in dataclasses.fields(before):
            if field.name.startswith("_"):
                continue  # caches, built again on use
            a, b = getattr(before, field.name), getattr(after, field.name)
            if isinstance(a, np.ndarray):
                assert a.dtype == b.dtype and np.array_equal(a, b), field.name
                assert b.flags.writeable and b.flags.aligned, field.name
            else:
                assert a == b, field.name
        assert np.array_equal(after.lex, before.lex) and np.array_equal(after.copy, before.copy)
