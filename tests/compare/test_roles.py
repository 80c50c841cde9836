"""Roles between versions: translation findings land on the translation, never on its original;
versions in one language, and independent reports in two, are peers whose differences are notes."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES, SEEDS, run_cli

from toolkit.compare.roles import INDEPENDENT, PEER, TRANSLATION, decide
from toolkit.compare.step import CompareVersions
from toolkit.document import ClusterInfo, Document, Severity
from toolkit.pipeline import run

PAIR = FIXTURES / "mt_pair"
ORIGINAL = (PAIR / "fr_original.txt").read_text(encoding="utf-8")
MT = (PAIR / "en_mt.txt").read_text(encoding="utf-8")

INDEPENDENT_EN = """Merkel heads to China as trade tensions simmer

BERLIN — Angela Merkel flies to Beijing this week with a delegation of German business leaders,
her twelfth trip to the country as chancellor.

German carmakers sell more vehicles in China than at home, and their chief executives want
Berlin to press for fewer joint-venture rules.

Human rights groups have urged the chancellor to raise the detention of Uighurs in Xinjiang
and the protests in Hong Kong in her talks.

Merkel will also travel to London for a meeting of European leaders later in the week.
"""


def serious(doc: Document, compared: bool = True) -> list[tuple[str, str]]:
    """(code, text) of the findings that cost quality (of the pair comparison only, by default)."""
    return [
        (f.code, f.text)
        for f in doc.findings
        if f.severity is not Severity.NEUTRAL and (not compared or "compared_with" in f.evidence)
    ]


def doc(doc_id: str, text: str, lang: str, cluster: str = "c1", canonical: bool = False, **record: object) -> Document:
    d = Document(id=doc_id, text=text, record={"id": doc_id, "text": text, **record}, lang=lang, lang_prob=1.0)
    d.cluster = ClusterInfo(cluster, canonical, doc_id)
    return d


def test_seed_001_the_clean_wire_gets_no_major_finding_in_a_multi_version_run() -> None:
    docs = {d.id[:3]: d for d in run([str(SEEDS)])}
    wire, mt = docs["001"], docs["000"]
    assert wire.cluster is not None and mt.cluster is not None and wire.cluster.id == mt.cluster.id
    assert [f.code for f in wire.findings if f.severity.rank >= Severity.MAJOR.rank] == []
    # two English versions are peers: what one has and the other lacks is a note on both
    for d in (wire, mt):
        assert [v["role"] for v in d.versions] == [PEER]
        assert serious(d) == []


def test_the_french_original_and_its_machine_translation() -> None:
    docs = {d.id: d for d in run([str(PAIR)])}
    original, mt = docs["fr_original.txt"], docs["en_mt.txt"]
    assert original.versions[0]["role"] == "source" and mt.versions[0]["role"] == "translation"
    assert mt.versions[0]["evidence"]  # why: recorded with the pair
    found = {(f.code, f.text, f.fix) for f in mt.findings if "compared_with" in f.evidence}
    assert ("compare.name_misspelling", "Merkell", "Merkel") in found
    assert ("compare.untranslated", "Pekin", "Beijing") in found
    assert ("compare.untranslated", "Londres", "London") in found
    assert any(c.startswith("compare.false_friend") and t == "Actually" and x == "currently" for c, t, x in found)
    assert serious(original, compared=False) == []
    # one finding a span: the source-anchored one replaces the word lists' guess
    spans = [(f.start, f.end) for f in mt.findings]
    assert len(spans) == len(set(spans))


def test_compare_finds_the_artefacts_the_source_shows(tmp_path: Path) -> None:
    out = tmp_path / "cmp.jsonl"
    r = run_cli("compare", str(PAIR / "fr_original.txt"), str(PAIR / "en_mt.txt"), "--format", "jsonl", "-o", str(out))
    assert r.returncode == 0, r.stderr.decode()
    recs = [json.loads(x) for x in out.read_text().splitlines()]
    found = {(x["code"], x["text"], x["fix"]) for x in recs if x.get("type") == "finding"}
    assert {("compare.name_misspelling", "Merkell", "Merkel"), ("compare.untranslated", "Pekin", "Beijing")} <= found
    assert any(c.startswith("compare.false_friend") and t == "Actually" for c, t, _ in found)


def test_an_original_never_pays_for_what_its_translation_dropped_or_added() -> None:
    paras = MT.split("\n\n")
    # the translation drops the paragraph with Xi Jinping and London, and adds one of its own
    shortened = "\n\n".join([*paras[:3], *paras[4:], "Observers expect no agreement to be signed."])
    src, tgt = doc("orig", ORIGINAL, "fr", canonical=True), doc("mt", shortened, "en")
    alone = doc("orig", ORIGINAL, "fr", canonical=True)
    list(CompareVersions(source_langs=("fr",))([src, tgt]))
    assert serious(src) == [] and alone.findings == []
    codes = {c for c, _ in serious(tgt)}
    assert "compare.omission" in codes  # the dropped sentence, on the translation
    for f in tgt.findings:
        assert tgt.text[f.start : f.end] == f.text  # every span is the translation's own text


def test_an_independent_english_report_is_not_treated_as_a_translation() -> None:
    src, other = doc("afp-fr", ORIGINAL, "fr", canonical=True), doc("wire-en", INDEPENDENT_EN, "en")
    list(CompareVersions(source_langs=("fr",))([src, other]))
    assert other.versions[0]["role"] == INDEPENDENT, other.versions
    assert serious(src) == [] and serious(other) == []


def test_of_two_english_versions_only_the_likelier_translation_is_checked_against_the_source() -> None:
    # the clean English (the wire's own, or another translator's) aligns with the French as
    # closely as the machine translation; only the version carrying the source's forms is its
    # translation, the other is independent of it and gets no finding for being worded otherwise
    clean = (MT.replace("Merkell", "Merkel").replace("Pekin", "Beijing").replace("Londres", "London")
             .replace("Actually,", "Currently,").replace("two-day visit", "visit of two days"))  # fmt: skip
    src = doc("afp-fr", ORIGINAL, "fr", canonical=True)
    mt, wire = doc("b-mt", MT, "en"), doc("a-wire", clean, "en")
    list(CompareVersions(source_langs=("fr",))([src, wire, mt]))
    roles = {(v["with"], v["role"]) for v in wire.versions}
    assert ("afp-fr", INDEPENDENT) in roles and ("b-mt", PEER) in roles, wire.versions
    assert any("likelier translation" in e for v in wire.versions for e in v["evidence"])
    assert serious(wire) == [] and serious(src) == []
    assert ("compare.name_misspelling", "Merkell") in serious(mt)


def test_roles_follow_the_records_own_word_before_the_language_prior() -> None:
    en = doc("en-orig", INDEPENDENT_EN, "en")
    fr = doc("fr-trad", ORIGINAL, "fr", translated_from="en")
    roles = decide(en, fr, ("fr", "de"))
    assert roles.kind == TRANSLATION and roles.source is en and roles.other is fr
    assert any("translated from en" in e for e in roles.evidence)
    # without it, French is the likelier original beside English
    roles = decide(doc("a", INDEPENDENT_EN, "en"), doc("b", ORIGINAL, "fr"), ("fr", "de"))
    assert roles.source.id == "b"
    # a publisher's machine-translation label marks the translation
    labelled = doc("mt", MT + "\n\nThis article was machine translated.", "en")
    assert decide(labelled, doc("o", ORIGINAL, "fr"), ()).other is labelled
    assert decide(doc("x", MT, "en"), doc("y", MT, "en")).kind == PEER


def test_the_compared_records_carry_roles_and_evidence(tmp_path: Path) -> None:
    out = tmp_path / "docs.jsonl"
    r = run_cli("run", str(PAIR), "--format", "jsonl", "-o", str(out), "--exit-zero", "-q")
    assert r.returncode == 0, r.stderr.decode()
    recs = {x["id"]: x["wirecheck"] for x in map(json.loads, out.read_text().splitlines())}
    assert recs["en_mt.txt"]["versions"][0]["role"] == "translation"
    assert recs["fr_original.txt"]["versions"][0] == {**recs["fr_original.txt"]["versions"][0], "role": "source"}
    assert recs["fr_original.txt"]["quality"] == 100.0


SHORT = FIXTURES / "short_lines" / "en.txt"


def test_short_clean_lines_are_checked_as_english_and_not_flagged(tmp_path: Path) -> None:
    lines = SHORT.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 300 and all(3 <= len(x.split()) <= 12 for x in lines)
    inp, out = tmp_path / "short.jsonl", tmp_path / "out.jsonl"
    inp.write_text("".join(json.dumps({"id": f"s{i}", "text": x}) + "\n" for i, x in enumerate(lines)))
    r = run_cli("run", str(inp), "--format", "jsonl", "-o", str(out), "-q")
    assert r.returncode == 0, r.stderr.decode()
    recs = [json.loads(x)["wirecheck"] for x in out.read_text().splitlines()]
    assert {w["lang"] for w in recs} == {"en"}  # never und, though too short to identify
    flags = sum(f["severity"] != "neutral" for w in recs for f in w["findings"])
    assert 1000 * flags / sum(len(x.split()) for x in lines) <= 1.0


def test_a_short_text_takes_its_declared_language_else_the_feeds() -> None:
    from toolkit.scorers.run import settle_languages

    article = doc("a", MT, "en")
    brief = doc("b", "Storm forces hundreds from homes", "und")
    declared = doc("c", "Tempête sur la côte", "und", language="fr")
    mislabelled = doc("d", "the gap is narrowing fast", "pt")
    mislabelled.lang_prob = 0.6
    settle_languages([article, brief, declared, mislabelled])
    assert (brief.lang, brief.lang_basis) == ("en", "feed")
    assert (declared.lang, declared.lang_basis) == ("fr", "declared")
    assert (mislabelled.lang, mislabelled.lang_basis) == ("en", "feed")
    assert (article.lang, article.lang_basis) == ("en", None)
    alone = doc("e", "Markets rally as inflation eases", "und")
    settle_languages([alone], "en")
    assert (alone.lang, alone.lang_basis) == ("en", "default")
