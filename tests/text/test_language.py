from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

from toolkit.text.language import UNDETERMINED, detect, detect_fast

SAMPLES = [json.loads(line) for line in (FIXTURES / "lang_samples.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("method", [detect, detect_fast], ids=["sampled", "exhaustive"])
@pytest.mark.parametrize("sample", SAMPLES, ids=[s["id"] for s in SAMPLES])
def test_language_of_samples(sample: dict[str, str], method: object) -> None:
    res = method(sample["text"])  # type: ignore[operator]
    assert res.lang == sample["lang"]
    if sample["lang"] == UNDETERMINED:
        assert res.prob == 0.0
    else:
        assert res.prob > 0.9


def test_short_text_is_never_confident() -> None:
    for method in (detect, detect_fast):
        res = method("EU calls for de-escalation in the north")
        assert res.prob < 0.7


def test_same_answer_in_fresh_processes() -> None:
    # langdetect samples at random: only the seed makes a borderline text stable.
    text = "Le texte est court mais il est bien en français, pas en anglais."
    code = f"from toolkit.text.language import detect; r = detect({text!r}); print(r.lang, repr(r.prob))"
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout for _ in range(3)}
    assert len(outs) == 1
    assert outs.pop().startswith("fr ")


def test_a_full_word_cache_starts_again_with_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    # the word-vector cache fills, clears and refills mid-run; answers must not change
    from toolkit.text import language

    texts = [p.read_text(encoding="utf-8") for p in sorted(Path("seeds").glob("*.txt"))]
    paragraphs = [p for t in texts for p in t.split("\n\n") if p.strip()]
    before = [language.evidence(p).decide() for p in paragraphs]
    monkeypatch.setattr(language, "_WORD_CACHE", 300)
    prof = language._get_profiles()
    prof.rows.clear()
    prof.matrix = prof.matrix[:16].copy()  # it must grow as well
    after = [language.evidence(p).decide() for p in paragraphs]
    assert len(prof.rows) <= 300 and len(prof.matrix) <= 4096
    assert after == before


def test_addresses_are_masked_only_where_they_can_occur() -> None:
    from toolkit.text.language import mask_names

    # the fast path (no "@", "://" or "www.") and the full pattern agree on the rest
    assert mask_names("Le Président Macron a dit 3,5 millions.") == "Le a dit millions."
    assert mask_names("Voir https://ex.com/a et www.ex.fr ou moi@ex.fr. Macron a dit") == "Voir et ou . Macron a dit"


# characters where the pattern's reading of a token could part from _mask_one's: capitals of
# every kind (Lu, title case ǅ, Other_Uppercase Ⅰ Ⓐ), lower case outside Ll (ª ʰ ⅰ ͅ), marks,
# digits of other scripts, caseless letters, every sentence end and every skipped character
MASK_ALPHABET = list("AZÉΣĲǄǅǆⅠⒶaéßªʰⅰ\u0345\u0301\u0308٣३7.,:;!?…\"«»“” \t\n'‘’(-)中اд@/_")


def test_masking_without_a_callback_is_masking_with_one() -> None:
    import random

    from toolkit.text import language

    rng = random.Random(7)
    texts = ["".join(rng.choices(MASK_ALPHABET, k=rng.randint(1, 40))) for _ in range(40_000)]
    texts += [p.read_text(encoding="utf-8")[:2000] for p in sorted(Path("seeds").glob("*.txt"))]
    for text in texts:
        assert language._MASK_FAST.sub(" ", text) == language._MASK_PLAIN.sub(language._mask_one, text), text


TRICKY_WORDS = ["a", "x" * 40, "ÉTÉ", "Été", "ABCdEF", "дом", "МОСКВА", "मोदी", "مرحبا", "日本語", "ǅemal"]
TRICKY_WORDS += ["\U0001f600x"]


def _gram_rows(prof: object, word: str) -> list[int]:
    """The profile rows of a normalised word's 1–3-grams, by langdetect's NGram rules, one
    character at a time: the definition the vectorised n-grams must match."""
    out = []
    padded = " " + word + " "
    for k in range(1, len(padded)):
        if padded[k].isupper() and padded[k - 1].isupper():
            continue  # langdetect skips n-grams inside all-capital words
        for n in (1, 2, 3):
            if k - n + 1 < 0:
                break
            gram = padded[k - n + 1 : k + 1]
            if gram == " ":
                continue
            row = prof.index.row(gram)  # type: ignore[attr-defined]
            if row >= 0:
                out.append(row)
    return out


def _reference_vectors(prof: object, words: list[str]) -> object:
    """Each word's n-gram rows (the per-character definition) summed one after another from zero."""
    import numpy as np

    out = np.zeros((len(words), len(prof.langs)), dtype=np.float32)  # type: ignore[attr-defined]
    for k, word in enumerate(words):
        for r in _gram_rows(prof, word):
            out[k] += prof.logp[r]  # type: ignore[attr-defined]
    return out


@pytest.mark.parametrize("count", [1, 7, 5000], ids=["one", "few", "many"])
def test_word_vectors_of_a_batch_are_the_per_word_sums_bit_for_bit(count: int) -> None:
    # the vectorised n-grams (and, for many rows, the summing by position) give the same floats
    import numpy as np

    from toolkit.text import language

    prof = language._get_profiles()
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path("seeds").glob("*.txt"))]
    vocab = sorted({w for t in texts for w in prof.vi(language.mask_names(t)).translate(prof.table).split()})
    words = (TRICKY_WORDS + vocab)[:count]
    got = prof._vectors(words)
    want = _reference_vectors(prof, words)
    assert got.shape == want.shape  # type: ignore[attr-defined]
    assert np.array_equal(got.view(np.uint32), want.view(np.uint32))  # type: ignore[attr-defined]


def test_evidence_from_a_masked_prefix_equals_masking_the_whole_window() -> None:
    # a long text is masked from a prefix: the n-grams read must be those of the whole window
    from collections import Counter

    import numpy as np

    from toolkit.text import language

    prof = language._get_profiles()
    names = " ".join(f"Nom{i} Ville{i}, le {i} mars" for i in range(60))
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path("seeds").glob("*.txt"))]
    texts += [names, "les mots " * 400, "Mots " * 400, "a" * 3000, "Voir www.ex.fr ou moi@ex.fr " * 80]
    for text in texts:
        for window in (200, 1000, 3000):
            got = language.evidence(text, window)
            masked = language.mask_names(text[: window * 2])
            counts = Counter(prof.vi(masked[:window]).translate(prof.table).split())
            if not counts:
                assert got.loglik is None
                continue
            want = np.asarray(list(counts.values()), dtype=np.float32) @ prof.gather(list(counts))
            assert np.array_equal(got.loglik, want), (text[:40], window)
            assert got.words == min(masked.count(" ") + 1, language.MIN_WORDS)
            letters = sum(map(str.isalpha, masked))
            assert got.letters == min(letters, language.CONFIDENT_LETTERS)


def test_a_documents_language_is_read_past_its_opening_when_that_is_not_decisive() -> None:
    from toolkit.document import Document
    from toolkit.pipeline import Language, Normalize
    from toolkit.text import language

    samples = [s["text"] for s in SAMPLES]
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path("seeds").glob("*.txt"))] + samples
    # an opening of acronyms and figures that decides nothing, then plain French: read further
    undecided = "AFP, 12:30 - UE/ONU: 14,5 % - 2,3 M - " * 17  # more than twice the opening
    undecided += "Le gouvernement a annoncé mardi une réforme des retraites. " * 8
    # English page chrome over a French report: the opening alone is sure it is English
    chrome = "This article was first published on our partner site.\n\nShare on Facebook Share on Twitter\n\n" * 3
    chrome += "Le gouvernement a annoncé mardi une réforme des retraites très contestée par les syndicats. " * 4
    assert language.evidence(chrome, language.OPENING_CHARS).decide().lang == "en"
    texts.append(chrome)
    docs = [Document(id=f"d{k}", text=t, record={}) for k, t in enumerate([*texts, undecided])]
    out = list(Language(per_paragraph=False)(Normalize()(docs)))
    read_further = 0
    for doc, text in zip(out, [*texts, undecided], strict=True):
        norm = doc.norm.text  # type: ignore[union-attr]
        opening = language.evidence(norm, language.OPENING_CHARS)
        full = language.evidence(norm, language.DOC_CHARS).decide()
        # the result is always the full window's, to four places
        assert (doc.lang, round(doc.lang_prob, 4)) == (full.lang, round(full.prob, 4)), text[:40]
        if not opening.converged() or opening.decide().lang != full.lang:
            read_further += 1
            assert (doc.lang, doc.lang_prob) == (full.lang, full.prob)
    assert not language.evidence(undecided, language.OPENING_CHARS).converged()
    assert out[-1].lang == "fr" and out[-2].lang == "fr" and read_further >= 2
