from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
import regex
from conftest import ROOT, SEEDS, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.document import Document, Finding, Severity
from toolkit.scorers.base import Context, Story
from toolkit.scorers.boilerplate import cleaned_text
from toolkit.scorers.run import ScorerConfig, score_text
from toolkit.scorers.untranslated import _exonyms as _exonyms_table


def codes(text: str, families: tuple[str, ...] | None = None, **kw: object) -> list[tuple[str, str]]:
    cfg = ScorerConfig(families=families) if families else ScorerConfig()
    return [(f.code, f.text) for f in score_text(text, "en", cfg, **kw)]  # type: ignore[arg-type]


def find(text: str, code: str, families: tuple[str, ...] | None = None) -> list[Finding]:
    cfg = ScorerConfig(families=families) if families else ScorerConfig()
    return [f for f in score_text(text, "en", cfg) if f.code == code]


# names ---------------------------------------------------------------------------------


def test_a_misspelled_name_beside_its_usual_spelling_is_flagged_with_the_fix() -> None:
    text = (
        "President Recep Tayyip Erdogan spoke on Monday. Erdogan said Turkey would act.\n\n"
        '"We will not step back," said Recep Tayyip Ergodan in Ankara. Erdogan later left.'
    )
    f = find(text, "name.misspelling", ("names",))
    assert [(x.text, x.fix, x.severity) for x in f] == [("Ergodan", "Erdogan", Severity.MAJOR)]


def test_a_swapped_well_known_name_is_corrected_from_the_word_lists_alone() -> None:
    f = find("The summit was called by Angela Merekl and Emmanuel Macron.", "name.misspelling", ("names",))
    assert [(x.text, x.fix) for x in f] == [("Merekl", "Merkel")]


def test_rare_real_names_are_not_corrected_into_words() -> None:
    text = (
        "Raed Saleh spoke in Kafranbel. Fuat Oktay met Hulusi Akar near Ariha, Khan Tuman and Tafeghaghte. "
        "Dareen Khalifa and Jonas Gahr Støre commented. Oktay said more talks were needed."
    )
    assert [c for c in codes(text, ("names",)) if c[0] != "name.variant"] == []


def test_two_unknown_spellings_of_one_name_are_an_inconsistency_not_a_verdict() -> None:
    text = "Shelling hit Latmaneh on Monday.\n\nResidents of Latamneh fled north."
    f = find(text, "name.inconsistent", ("names",))
    assert sorted(x.text for x in f) == ["Latamneh", "Latmaneh"]
    assert all(x.fix is None for x in f)  # a tie: the editor picks


def test_story_evidence_from_other_versions_decides_the_spelling() -> None:
    story = Story()
    story.words.update({"Erdogan": 6, "Ergodan": 1})
    f = score_text("Ergodan spoke in Ankara.", "en", ScorerConfig(families=("names",)), story=story)
    assert [(x.code, x.fix) for x in f] == [("name.misspelling", "Erdogan")]


def test_two_versions_each_consistent_with_itself_get_a_note_not_an_error() -> None:
    # one version writes Sutopo, another Sutopm, once each: nothing says which slipped
    story = Story()
    story.words.update({"Sutopo": 1, "Sutopm": 1})
    f = score_text("Sutopo said the toll would rise.", "en", ScorerConfig(families=("names",)), story=story)
    assert [(x.code, x.severity) for x in f] == [("name.inconsistent", Severity.NEUTRAL)]
    # inside one text the same tie is a slip to fix
    f = score_text("Sutopo said so. Later Sutopm said more.", "en", ScorerConfig(families=("names",)))
    assert [(x.code, x.severity) for x in f] == [("name.inconsistent", Severity.MINOR)] * 2


def test_regular_inflections_of_common_words_are_no_misspellings() -> None:
    text = "Bats left their roosts, fringing the significances of it, the smae day, anyhwere else."
    f = find(text, "spelling.misspelling", ("names",))
    # roosts, fringing, significances are forms of roost, fringe, significance; the two slips are not
    assert [x.text for x in f] == ["smae", "anyhwere"]


def test_compound_written_several_ways() -> None:
    text = "A ceasefire was agreed. The cease-fire held. Then the cease-fire broke."
    f = find(text, "spelling.inconsistent", ("names",))
    assert {x.text for x in f} == {"ceasefire", "cease-fire"}
    assert [x.fix for x in f if x.text == "ceasefire"] == ["cease-fire"]


def test_common_word_misspellings() -> None:
    f = find("The vehicle was removed around noon the smae day, anyhwere else.", "spelling.misspelling", ("names",))
    assert [(x.text, x.fix) for x in f] == [("smae", "same"), ("anyhwere", "anywhere")]


# untranslated --------------------------------------------------------------------------


def test_exonyms_and_source_words_left_in_the_translation() -> None:
    text = "Fighting continued in Idleb, said Vladimir Poutine, and the troops left mieux prepared."
    got = codes(text, ("untranslated",))
    assert ("untranslated.exonym", "Idleb") in got and ("untranslated.exonym", "Poutine") in got
    assert ("untranslated.word", "mieux") in got
    sev = {f.text: f.severity for f in score_text(text, "en", ScorerConfig(families=("untranslated",)))}
    assert sev["Poutine"] is Severity.MAJOR and sev["Idleb"] is Severity.MINOR


@lru_cache(maxsize=8)
def _exonym_re(pair: str) -> regex.Pattern[str] | None:
    table = _exonyms_table().get(pair)
    if not table:
        return None
    alts = "|".join(regex.escape(k) for k in sorted(table, key=lambda k: (-len(k), k)))
    return regex.compile(rf"(?<![\p{{L}}\p{{M}}\-])(?:{alts})(?![\p{{L}}\p{{M}}])")


_EXONYM_PIECES = ["Alep", "Le Caire", "Côte d'Ivoire", "Idleb", "Poutine", "Moscou", "le", "Caire", "d'", "l’",
                  "-", "'", " ", "  ", ", ", ".", "3", "x", "\u0301", "\n", "Côte", "Ivoire", "pro", "é"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_EXONYM_PIECES), max_size=30))
def test_exonyms_are_found_where_the_full_pattern_finds_them(pieces: list[str]) -> None:
    # forms are looked up by their leading letter run at word starts: the same matches as one
    # alternation of every form, longest first, that the scorer compiled before
    from toolkit.scorers.untranslated import _exonym_findings

    text = "".join(pieces)
    ctx = Context(text, "en")
    expected = [(m.start(), m.end()) for src in ctx.source_langs if (pat := _exonym_re(f"{src}-en")) is not None
                for m in pat.finditer(text)]  # fmt: skip
    assert [(f.start, f.end) for f in _exonym_findings(ctx)] == expected


def test_loanwords_names_and_english_function_words_stay_unflagged() -> None:
    text = (
        "The de facto ruler met Smith et al. in a café; Le Monde and François Hollande reported the coup. "
        "They pour money into the regime, a fait accompli."
    )
    assert codes(text, ("untranslated",)) == []


def test_an_untranslated_sentence_is_identified_with_names_masked() -> None:
    text = "The talks ended.\nLes deux pays avaient signé un accord prévoyant la fin des combats dans la région."
    assert any(c == "untranslated.segment" for c, _ in codes(text, ("untranslated",)))


def test_other_source_languages() -> None:
    f = score_text("The delegation flew to Moskau and then to Genf.", "en", ScorerConfig(families=("untranslated",)))
    assert [(x.text, x.fix) for x in f] == [("Moskau", "Moscow"), ("Genf", "Geneva")]


# rules ---------------------------------------------------------------------------------


def test_false_friends_and_calques_with_explanation_and_fix() -> None:
    text = (
        "In this tribune, 14 countries call for calm. It was a pass of arms. The deal provided for "
        "the election of Turkish observation posts. He has lived there since five years."
    )
    f = [x for x in score_text(text, "en", ScorerConfig(families=("rules",)))]
    assert [x.evidence["rule"] for x in f] == ["tribune", "pass-of-arms", "erection-election", "since-duration"]
    assert all(x.message and x.fix for x in f)
    assert next(x for x in f if x.evidence["rule"] == "erection-election").severity is Severity.CRITICAL


def test_rules_leave_ordinary_english_alone() -> None:
    text = (
        "The Chicago Tribune reported it. She has lived there since 2015. A dozen people attended the election "
        "of the new mayor. The actual figures were lower."
    )
    assert codes(text, ("rules",)) == []


def test_user_rule_pack_and_bad_pack(tmp_path: Path) -> None:
    pack = {"pair": "fr-en", "rules": [{"id": "x", "pattern": "\\bbig deal\\b", "explain": "house rule", "fix": "y"}]}
    p = tmp_path / "pack.json"
    p.write_text(json.dumps(pack), encoding="utf-8")
    f = score_text("It was a big deal.", "en", ScorerConfig(families=("rules",), rule_packs=(str(p),)))
    assert [x.evidence["rule"] for x in f] == ["x"]
    p.write_text(json.dumps({"pair": "fr-en", "rules": [{"id": "bad", "pattern": "(", "explain": "e"}]}))
    with pytest.raises(ValueError, match="rule 0"):
        score_text("x", "en", ScorerConfig(families=("rules",), rule_packs=(str(p),)))


# typography ----------------------------------------------------------------------------


def test_french_quote_spacing_and_punctuation() -> None:
    text = '" We will not step back, " said the minister. He spoke in Syria . Then: « Enough ».'
    got = [c for c, _ in codes(text, ("typography",))]
    assert got.count("typography.quote_spacing") >= 2
    assert "typography.space_before_punct" in got and "typography.guillemets" in got


def test_quote_parity_does_not_fire_on_correct_quotes() -> None:
    text = (
        'He said "we will go" and she said "no". The "regime" fell.\n\n'
        '"A long quotation continues into the next paragraph.\n\n'
        "\"And ends here,\" he said. It's the 1990s' style."
    )
    assert codes(text, ("typography",)) == []


def test_a_quotation_split_over_lines_nested_or_with_a_possessive_is_not_flagged() -> None:
    text = (
        'She said: "We went into the game believing we could win.\n'
        "We did not.\n"
        'Hopefully, we can push on now," she added.\n'
        '"When they say "oh, I did not do it.\nI did not do it." Then it is over," he said.\n'
        'Nell wrote "Sneaking Into the Hollywood Boys" Club," a memoir, in the Lakers" season.'
    )
    assert codes(text, ("typography",)) == []


def test_a_closer_with_french_spacing_and_no_opener_is_flagged() -> None:
    text = 'The deadline we have given is coming to an end, "said Erdogan.'
    got = sorted(c for c, _ in codes(text, ("typography",)))
    assert got == ["typography.quote_spacing", "typography.quote_unopened"]


def test_unclosed_and_mismatched_quotes() -> None:
    got = [c for c, _ in codes('He said "we will defend our interests.\n\nThen he left.', ("typography",))]
    assert got == ["typography.quote_unclosed"]
    got = [c for c, _ in codes('He said “the situation is dire" and left.', ("typography",))]
    assert "typography.quote_mismatch" in got


def test_a_quote_at_a_paragraph_edge_is_not_spaced_by_the_edge() -> None:
    # the paragraph's end (or start) is no space after (or before) the quote: no spacing
    # finding, and every span stays inside the text (one once ran past its end)
    for text in ("“", "”", "Nothing follows “", "” starts here.\n\n“"):
        found = score_text(text, "en", ScorerConfig(families=("typography",)))
        assert all(0 <= f.start <= f.end <= len(text) for f in found), found
        assert "typography.quote_spacing" not in [f.code for f in found], found


def test_no_break_spaces_are_neutral_notes() -> None:
    f = score_text("Line one\u00a0two.\n\u00a0\nEnd.", "en", ScorerConfig(families=("typography",)))
    assert [(x.code, x.severity) for x in f] == [("typography.nbsp", Severity.NEUTRAL)] * 2


# numbers, facts, boilerplate -----------------------------------------------------------


def test_number_formats_left_in_the_source_convention() -> None:
    text = "Turkey hosts 3,7 millions refugees; 9 000 fled at 12 h 00. By AFP - Feb 13,2020."
    got = {c: t for c, t in codes(text, ("numbers",))}
    assert got.keys() == {"number.decimal_comma", "number.space_thousands", "number.time_format", "number.date_format"}
    assert codes("In 2018 100 people and 3,700 others met at 12:00 on 3.7 million.", ("numbers",)) == []


def test_facts_keyed_on_common_words_of_other_languages_are_two_facts() -> None:
    text = "66 Prozent der Befragten sagen ja. Bei den Jungen sind es 57 Prozent der Stimmen."
    assert [f for f in score_text(text, "de", ScorerConfig(families=("facts",)))] == []
    text = "Il y a 45 ans plus tard. Puis 30 ans plus tard, rien."
    assert score_text(text, "fr", ScorerConfig(families=("facts",))) == []


def test_english_words_that_are_function_words_elsewhere_are_not_left_untranslated() -> None:
    text = "Two police vans stood inside the cordon with another van just outside. He hit the par-3 hole."
    assert codes(text, ("untranslated",)) == []
    text = "Risa Kusuma, a mother of two, spoke at the centre. Um, it was late."
    assert codes(text, ("untranslated",)) == []
    # the likeliest source language's function words still are
    assert codes("The president et the minister met in Paris on Monday.", ("untranslated",)) == [
        ("untranslated.word", "et")
    ]


def test_country_and_city_names_from_cldr_are_source_forms_with_the_english_fix() -> None:
    text = "Talks in Varsovie and Erevan ended; delegates from Liban, Tunisie and Kiew came."
    found = [(f.code, f.text, f.fix) for f in score_text(text, "en", ScorerConfig(families=("untranslated",)))]
    assert found == [
        ("untranslated.exonym", "Varsovie", "Warsaw"),
        ("untranslated.exonym", "Erevan", "Yerevan"),
        ("untranslated.exonym", "Liban", "Lebanon"),
        ("untranslated.exonym", "Tunisie", "Tunisia"),
        ("untranslated.exonym", "Kiew", "Kyiv"),
    ]
    # the hand list's news style wins over CLDR's (Turkey, not Türkiye)
    assert [f.fix for f in score_text("He flew to Türkei.", "en", ScorerConfig(families=("untranslated",)))] == [
        "Turkey"
    ]


def test_a_telephone_number_grouped_by_spaces_is_no_french_number() -> None:
    assert codes("Call Samaritans free on 116 123 (UK and Ireland).", ("numbers",)) == []
    assert codes("The toll rose to 9 000 people.", ("numbers",)) == [("number.space_thousands", "9 000")]


def test_facts_that_disagree_and_explainable_differences() -> None:
    text = (
        "Turkey hosts more than 3.6 million Syrian refugees. Later: Turkey hosts 3.5 million Syrian refugees. "
        "14 Turks were killed, among them 13 soldiers."
    )
    f = find(text, "fact.inconsistent", ("facts",))
    assert sorted(x.text for x in f) == ["3.5 million", "3.6 million"]


def test_boilerplate_lines_and_cleaned_text() -> None:
    text = (
        "You are here\n\nTurkey threatened on Thursday to strike jihadists in Idlib, the minister said.\n\n"
        "13 users have voted.\n\nDownload the app\n\n• Syria\n• Turkey\n"
    )
    f = score_text(text, "en", ScorerConfig(families=("boilerplate",)))
    assert [x.text for x in f] == ["You are here", "13 users have voted.", "Download the app", "• Syria", "• Turkey"]
    assert cleaned_text(text, f) == "Turkey threatened on Thursday to strike jihadists in Idlib, the minister said.\n"


def test_lines_a_source_repeats_on_many_pages_are_chrome() -> None:
    ctx_text = "A real paragraph about the talks in Geneva ends here.\n\nSubscribe to our daily briefing today\n"
    from toolkit.scorers import boilerplate

    ctx = Context(ctx_text, "en", repeated_lines=frozenset({"A real paragraph about the talks in Geneva ends here."}))
    assert [f.evidence["reason"] for f in boilerplate.score(ctx)] == ["repeated", "pattern"]


# house style, pipeline, CLI ------------------------------------------------------------


def test_glossary_prefers_and_bans(tmp_path: Path) -> None:
    g = tmp_path / "house.toml"
    g.write_text('[prefer]\n"cease-fire" = "ceasefire"\n[ban]\n"Daesh" = "write Islamic State"\n', encoding="utf-8")
    f = score_text("A cease-fire with Daesh.", "en", ScorerConfig(families=(), glossary=str(g)))
    assert [(x.code, x.fix) for x in f] == [("style.glossary", "ceasefire"), ("style.banned", None)]


def test_seeds_run_flags_the_known_artefacts_and_quality_drops() -> None:
    from toolkit.pipeline import run

    docs = {d.id[:3]: d for d in run()}
    f002 = {(f.code, f.text) for f in docs["002"].findings}
    assert ("name.misspelling", "Ergodan") in f002 and ("name.misspelling", "Merekl") in f002
    assert ("untranslated.exonym", "Poutine") in f002
    assert docs["002"].quality is not None and docs["001"].quality is not None
    assert docs["002"].quality < docs["001"].quality  # the machine translation scores lower than the wire copy


def test_scoring_is_deterministic() -> None:
    text = (ROOT / "seeds").glob("002_*.txt").__next__().read_text(encoding="utf-8")
    a = [f.to_dict() for f in score_text(text)]
    b = [f.to_dict() for f in score_text(text)]
    assert a == b and len(a) > 20


def test_cli_score_writes_findings_and_rejects_a_bad_glossary(tmp_path: Path) -> None:
    res = run_cli("score", str(ROOT / "seeds"), "--format", "csv", "-o", "-", "-q")
    assert res.returncode == 0, res.stderr
    assert b"name.misspelling" in res.stdout and b"Ergodan" in res.stdout
    bad = tmp_path / "g.toml"
    bad.write_text("[prefer\n", encoding="utf-8")
    res = run_cli("score", str(ROOT / "seeds"), "--glossary", str(bad), "-q")
    assert res.returncode == 2 and b"glossary" in res.stderr


def test_decimal_commas_anywhere_but_not_in_lists_or_thousands() -> None:
    flagged = {
        t: [f.text for f in score_text(t, "en", ScorerConfig(families=("numbers",)))]
        for t in ("He averaged 5,6 points.", "a 2,53 ERA", "pages 1,2,3 and 4", "9,000 people", "scores 5,6 and 7")
    }
    assert flagged == {
        "He averaged 5,6 points.": ["5,6"], "a 2,53 ERA": ["2,53"], "pages 1,2,3 and 4": [],
        "9,000 people": [], "scores 5,6 and 7": [],
    }  # fmt: skip


def test_the_storys_usual_spelling_is_not_called_a_slip() -> None:
    # a rare name written four times beside a common one written once is a second person
    text = "Wayde van Niekerk won the final. Wayde ran 43 seconds. Wayde said so. Dwyane Wade watched."
    assert find(text, "name.misspelling", ("names",)) == []
    text = "Encinitas beach was closed. Encinitas police said so. The Ecinitas mayor agreed."
    assert [x.text for x in find(text, "name.misspelling", ("names",))] == ["Ecinitas"]


def test_any_edit_of_a_famous_name_is_caught_but_rare_real_names_are_left_alone() -> None:
    found = {
        t: [(x.text, x.fix) for x in find(t, "name.misspelling", ("names",))]
        for t in (
            "Chancellor Angela Merkell arrived.", "President Emmanuel Macorn said.", "Mr Erdogen said so.",
            "Sarmada was hit.", "Masrine was hit.", "Lartin said so.", "Dareen Tatour was arrested.",
        )
    }  # fmt: skip
    assert found == {
        "Chancellor Angela Merkell arrived.": [("Merkell", "Merkel")],
        "President Emmanuel Macorn said.": [("Macorn", "Macron")],
        "Mr Erdogen said so.": [("Erdogen", "Erdogan")],
        "Sarmada was hit.": [], "Masrine was hit.": [], "Lartin said so.": [], "Dareen Tatour was arrested.": [],
    }  # fmt: skip


def test_close_name_pairs_are_every_pair_within_two_edits() -> None:
    # the deletion-key candidates of the story's capitalised words miss no pair the full double
    # loop would accept (within two edits, one under six letters), and come in its order
    # (verdicts depend on it)
    import random

    from toolkit.scorers.lexicon import damerau
    from toolkit.scorers.names import _close_pairs

    rng = random.Random(4)
    words = sorted({w.strip(".,;:«»()\"'") for p in sorted(SEEDS.glob("*.txt")) for w in p.read_text().split()})
    names = [w for w in words if len(w) >= 4 and w[:1].isupper()]
    mutated = []
    for w in names[:300]:
        k = rng.randrange(1, len(w))
        mutated += [w[:k] + w[k + 1 :], w[:k] + "e" + w[k:], w[: k - 1] + w[k] + w[k - 1] + w[k + 1 :]]
    names = sorted(set(names + mutated + ["Straße", "Strasse", "İstanbul", "Istanbul", "A" * 39, "A" * 41 + "b",
                                          "A" * 40, "B" * 45, "B" * 46 + "x"]))  # fmt: skip
    want = [
        (a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if a[0] == b[0]
        and abs(len(a) - len(b)) <= 2
        and damerau(a.casefold(), b.casefold()) <= (2 if min(len(a), len(b)) >= 6 else 1)
    ]
    got = _close_pairs(names)
    assert len(want) > 300
    assert [p for p in got if p in set(want)] == want


def _reference_tokens(text: str) -> list[tuple[object, ...]]:
    """The scorers' tokens one at a time, as first written (Context.tokens builds them per text)."""
    from toolkit.text.words import WORD

    out: list[tuple[object, ...]] = []
    for m in WORD.finditer(text):
        s, w = m.start(), m.group()
        initial = False
        if w[0].isupper():
            k = s - 1
            while k >= 0 and text[k] in " \t\u00a0\u202f":
                k -= 1
            initial = k < 0 or text[k] == "\n" or text[k] in '.!?"“«‘(:•–—-*'
        base = w[:-2] if len(w) > 3 and w[-2] in "'’" and w[-1] in "sS" else w
        out.append((w, s, m.end(), initial, w.casefold().replace("’", "'"), w[0].isupper(), base))
    return out


def test_tokens_of_a_text_are_the_tokens_one_at_a_time() -> None:
    import random

    from toolkit.scorers.base import Context

    rng = random.Random(5)
    pieces = [*"aBcÉéßİıſ’'sS -\n.«(\t\u00a0\u202f\u0301", "Straße", "Turkey’s", "it's", "NATO'S", "x's's", "Ünal"]
    texts = ["".join(rng.choices(pieces, k=rng.randint(0, 30))) for _ in range(20_000)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for text in texts:
        assert [tuple(t) for t in Context(text).tokens] == _reference_tokens(text), text


def test_the_scorers_step_alone_scores_each_text_as_score_text() -> None:
    # without the pooling step before it (a step list of one's own), a document is scored on
    # its own: no story, no source template
    from toolkit.scorers.run import Scorers, score_text

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    docs = [Document(id=f"d{k}", text=t, record={}, lang="en") for k, t in enumerate(texts)]
    found = [d.findings for d in Scorers()(docs)]
    assert found == [score_text(t, "en") for t in texts]
    assert any(found)
