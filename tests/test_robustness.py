"""Hostile input: random Unicode, binary, deep nesting, huge lines and documents. No crash,
one output per input line, nothing unescaped in the report, and time that grows linearly with
the input. The property tests use a fixed seed (derandomize), so CI runs the same examples."""

from __future__ import annotations

import io
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.io.readers import ReaderOptions, read_jsonl
from toolkit.io.writers import dumps
from toolkit.scorers.run import score_text

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


def nested(depth: int) -> bytes:
    """A record whose ``meta`` is ``depth`` arrays deep (written by hand: json.dumps would recurse)."""
    return b'{"text": "deep", "meta": ' + b"[" * depth + b'"x"' + b"]" * depth + b"}"


line_strategy = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.builds(lambda t, m: json.dumps({"id": "x", "text": t, "meta": m}).encode(), st.text(max_size=500), json_values),
    st.builds(nested, st.integers(1, 5000)),
    st.builds(lambda n: json.dumps({"text": "word " * n}).encode(), st.integers(0, 60_000)),
)


@settings(derandomize=True, max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line_strategy, max_size=12))
def test_readers_give_one_document_per_line_and_writers_take_it(lines: list[bytes]) -> None:
    data = b"".join(x.replace(b"\n", b" ").replace(b"\r", b" ") + b"\n" for x in lines)
    opts = ReaderOptions(max_chars=100_000)
    docs = list(read_jsonl(io.BytesIO(data), "fuzz", opts))
    assert len(docs) == len(lines)
    assert len({d.id for d in docs}) == len(docs)
    for d in docs:
        assert d.ok or d.rejected is not None
        out = json.loads(dumps(d.to_record()))  # every record can be written back
        assert out["wirecheck"]["id"] == d.id


@settings(derandomize=True, max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000), st.sampled_from(["en", "fr", "de", "und"]))
def test_scorers_never_crash_and_spans_hold(text: str, lang: str) -> None:
    for f in score_text(text, lang):
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.text


@settings(derandomize=True, max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=8))
def test_the_report_renders_any_text_and_spans_escaped(text: str, spans: list[tuple[int, int]]) -> None:
    from toolkit.report.html import render_html
    from toolkit.report.results import Doc, Results

    text = "<script>x</script> " + text
    findings = [
        {"code": "name.misspelling", "category": "Accuracy", "severity": "major", "start": min(a, b),
         "end": max(a, b), "text": text[min(a, b) : max(a, b)], "message": "<b>m</b>", "fix": "<i>f</i>"}
        for a, b in spans
    ]  # fmt: skip
    doc = Doc("<id>", text, "<title>", None, None, None, "en", 50.0, findings, None, None)
    summary = {"documents": 1, "accepted": 1, "rejected": 0, "findings": len(findings), "mean_quality": 50.0,
               "languages": {"en": 1}, "clusters": {"total": 1, "multi_member": 0}, "signature": "s",
               "rejects_by_reason": {}}  # fmt: skip
    page = render_html(Results(summary, [doc]))
    assert "<script>x</script>" not in page and "<b>m</b>" not in page and "<title>" not in page.split("</title>", 1)[1]


# news-like sentences with names, numbers, quotes and French typography, mixed with random text:
# pure random text rarely aligns, and the pair checks run only on aligned sentences
_news_bits = st.sampled_from([
    "Recep Tayyip Erdogan a dit mercredi que « le régime » de Bachar al-Assad paiera.",
    "Turkish President Recep Tayyip Ergodan said on Wednesday that the regime will pay.",
    "3,6 millions de personnes vivent à Idleb, selon l'ONU.", "3.6 million people live in Idlib, the UN said.",
    "Angela Merkel et Vladimir Poutine se sont parlé le 12 mars 2020.", "Merekl and Putin spoke on 12 March.",
])  # fmt: skip
_side = st.lists(st.one_of(_news_bits, st.text(max_size=120)), max_size=8).map(lambda parts: "\n\n".join(parts))


@settings(derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_side, _side, st.sampled_from([("fr", "en"), ("en", "en"), ("de", "fr"), ("und", "en")]))
def test_compare_never_crashes_and_spans_hold(src: str, tgt: str, langs: tuple[str, str]) -> None:
    from toolkit.compare.core import compare

    res = compare(src, tgt, langs[0], langs[1])
    texts = {"src": src, "tgt": tgt}
    for side, f in res.findings:
        text = texts[side]
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.text
    aligned = res.alignment.beads
    n_src = len(res.src.sentences)
    n_tgt = len(res.tgt.sentences)
    # every sentence of each side is in exactly one bead
    assert sorted(i for b in aligned for i in b.src) == list(range(n_src))
    assert sorted(j for b in aligned for j in b.tgt) == list(range(n_tgt))


def _timed(text: str) -> float:
    t0 = time.perf_counter()
    score_text(text, "en")
    return time.perf_counter() - t0


def test_scorer_time_grows_linearly() -> None:
    unit = ("Turkish President Recep Tayyip Ergodan said on Wednesday , that \u201c the regime \u201d of "
            "Bashar al-Assad will pay . Idleb, 3,6 millions people; Poutine et Merekl.\n\n")  # fmt: skip
    _timed(unit * 50)  # warm the word caches
    small, large = _timed(unit * 500), _timed(unit * 4000)
    assert large / small < 8 * 2, (small, large)  # 8x the text: linear, with room for a noisy machine


@pytest.mark.slow
def test_a_ten_megabyte_document_is_processed_in_bounded_time() -> None:
    from toolkit.config import RunConfig
    from toolkit.document import Document
    from toolkit.pipeline import Pipeline, default_steps

    para = ("Turkey threatened on Thursday to strike jihadists in Idleb if they fail to comply with a ceasefire . "
            "Hulusi Akar said 3,5 millions people fled.\n\n")  # fmt: skip
    text = para * (10_000_000 // len(para))
    doc = Document(id="huge", text=text, record={"text": text})
    t0 = time.perf_counter()
    out = list(Pipeline(default_steps(RunConfig(compare=False)))([doc]))
    elapsed = time.perf_counter() - t0
    assert out == [doc] and doc.ok and doc.quality is not None and doc.findings
    assert elapsed < 240, elapsed  # measured ~40-65 s on 2 cores; the bound catches superlinear time
