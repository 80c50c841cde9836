from __future__ import annotations

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.text.segment import paragraph_spans, sentence_spans, split_sentences

FIX = FIXTURES / "segmentation"


def gold(lang: str) -> list[list[str]]:
    paras, cur = [], []
    for line in (FIX / f"{lang}_gold.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.strip():
            cur.append(line.strip())
        elif cur:
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    return paras


@pytest.mark.parametrize("lang,min_correct", [("en", 1.0), ("fr", 0.83)])
def test_gold_paragraphs_split_as_annotated(lang: str, min_correct: float) -> None:
    paras = gold(lang)
    correct = 0
    for para in paras:
        text = " ".join(para)
        got = [text[s:e] for s, e in split_sentences(text, lang)]
        correct += got == para
    assert correct / len(paras) >= min_correct


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("fr", "M. Akar a parlé. Mme Merkel aussi.", ["M. Akar a parlé.", "Mme Merkel aussi."]),
        ("fr", "La Turquie accueille 3,7 millions de réfugiés. Le HCR le dit.", 2),
        ("fr", "« Nous ne reculerons pas », a-t-il dit. Puis il est parti.", 2),
        ("fr", "J.-M. Dupont n'a pas commenté. Le Kremlin a répondu.", 2),
        ("fr", "Qui protégera les civils ? Personne.", 2),
        ("en", "The U.S. envoy met Dr. Smith at 3 p.m. on Friday. He left.", 2),
        ("en", "Turkey hosts 3.7 million Syrians. James F. Jeffrey said so.", 2),
    ],
)
def test_hard_cases(lang: str, text: str, expected: list[str] | int) -> None:
    got = [text[s:e] for s, e in split_sentences(text, lang)]
    if isinstance(expected, int):
        assert len(got) == expected, got
    else:
        assert got == expected


def test_offsets_point_into_the_document() -> None:
    text = "Title line\n\n  First sentence here.  Second one!\nThird?\n"
    spans = sentence_spans(text, "en")
    assert [text[s:e] for s, e in spans] == ["Title line", "First sentence here.", "Second one!", "Third?"]


def test_paragraphs_are_lines_and_hard_wraps_are_joined() -> None:
    text = "One paragraph.\nAnother one.\n\nA wrapped line that goes on\nand on until it ends.\n"
    spans = paragraph_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "One paragraph.",
        "Another one.",
        "A wrapped line that goes on\nand on until it ends.",
    ]


def test_empty_and_blank() -> None:
    assert split_sentences("", "en") == []
    assert sentence_spans("   \n\n  ", "fr") == []


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Mr.", "Dr", "a", "Paris", "«", "»", '"', "(", ")", ".", "...", "?", "!", "¿", "3", "U.S."]),
        max_size=12,
    ),
    st.lists(st.sampled_from([" ", "  ", "", "\t", "\u00a0", "\n"]), min_size=12, max_size=12),
    st.sampled_from(["en", "fr", "de"]),
)
def test_a_text_the_splitter_cannot_cut_is_one_sentence(words: list[str], gaps: list[str], lang: str) -> None:
    # the shortcut for lines without . ? ! before their last word gives the splitter's own spans
    import toolkit.text.segment as seg

    text = "".join(w + g for w, g in zip(words, gaps, strict=False))
    if not seg._one_sentence(text):
        return
    real = seg._one_sentence
    try:
        seg._one_sentence = lambda t: False  # type: ignore[assignment]
        expected = split_sentences(text, lang)
    finally:
        seg._one_sentence = real
    assert split_sentences(text, lang) == expected


def test_the_splitter_with_patterns_compiled_once_splits_as_the_library() -> None:
    # sentence_splitter is handed the regex module with each pattern compiled once: the same
    # patterns and flags, so the same sentences, on every text and language the tests hold
    import random

    import regex
    import sentence_splitter

    import toolkit.text.segment as seg

    seg._splitter("en")
    assert isinstance(sentence_splitter.regex, seg._CompiledRegex)
    rng = random.Random(7)
    texts = [p.read_bytes().decode("utf-8", "replace") for p in sorted(FIXTURES.rglob("*.txt"))]
    marks = ["Mr.", "U.S.", "No. 3", "!", "?", "...", "« Oui. »", "(a.) B", "e.g. c", "3.5", "\u00bfQu\u00e9?"]
    texts += [" ".join(rng.choice([*marks, "word", "Word", "x"]) for _ in range(30)) for _ in range(300)]
    for lang in ("en", "fr", "de"):
        fast = [seg._splitter(lang).split(t) for t in texts]
        sentence_splitter.regex = regex
        try:
            slow = [seg._splitter(lang).split(t) for t in texts]
        finally:
            sentence_splitter.regex = seg._CompiledRegex(regex)
        assert fast == slow
    assert sum(map(len, fast)) > len(texts)  # the texts were cut
