"""Property and fuzz tests over the parts that take user input: the JSONL reader, the scorers
and the report. A fixed seed (derandomize) and a bounded number of examples keep CI repeatable."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.io.readers import ReaderOptions, read_jsonl
from toolkit.scorers.run import score_text

FUZZ = settings(derandomize=True, max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# lines a feed might hold: arbitrary bytes, and JSON objects with odd texts
_texts = st.text(st.characters(codec="utf-8"), max_size=300)
_json_lines = st.builds(
    lambda i, t, extra: json.dumps({"id": i, "text": t, **extra}, ensure_ascii=False).encode("utf-8", "surrogatepass"),
    st.one_of(st.text(max_size=20), st.integers(), st.none()),
    st.one_of(_texts, st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=3)),
    st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=10)), max_size=3),
)
_lines = st.lists(st.one_of(st.binary(max_size=200), _json_lines), min_size=1, max_size=25)


@FUZZ
@given(_lines)
def test_every_line_of_any_feed_comes_out_once(tmp_path_factory: object, lines: list[bytes]) -> None:
    lines = [ln.replace(b"\n", b" ") for ln in lines]
    path = Path(tmp_path_factory.mktemp("fuzz")) / "feed.jsonl"  # type: ignore[attr-defined]
    path.write_bytes(b"\n".join(lines) + b"\n")
    with path.open("rb") as fh:
        docs = list(read_jsonl(fh, str(path), ReaderOptions()))
    assert len(docs) == len(lines)
    assert len({d.id for d in docs}) == len(docs)
    for d in docs:
        assert d.rejected is not None or (isinstance(d.text, str) and d.text.strip())


@FUZZ
@given(_texts, st.sampled_from(["en", "fr", "de"]))
def test_scorers_take_any_text_and_give_spans_inside_it(text: str, lang: str) -> None:
    for f in score_text(text, lang):
        assert 0 <= f.start <= f.end <= len(text)
        assert f.text == text[f.start : f.end] or f.code.startswith(("boilerplate.", "summary."))


@FUZZ
@given(_texts, st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=8))
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
