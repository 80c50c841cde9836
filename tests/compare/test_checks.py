from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, run_cli

from toolkit.compare.checks import check_copy, check_names, check_numbers, check_quotes
from toolkit.compare.core import compare
from toolkit.document import Severity

SEEDS = ROOT / "seeds"


def codes(issues: list[tuple[str, str, str, str | None, int, int]]) -> list[tuple[str, str]]:
    return [(side, code) for side, code, *_ in issues]


def test_numbers_are_compared_after_normalising_formats() -> None:
    ok = [
        ("Ankara accueille 3,7 millions de réfugiés.", "Ankara hosts 3.7 million refugees."),
        ("Il y avait 9 000 soldats à 12 h 00.", "There were 9,000 soldiers at 12:00."),
        ("Le véhicule a été enlevé vers 12 h 00 GMT.", "The vehicle was removed around 1200 GMT."),
        ("Sept personnes sont mortes dans les années 70.", "Seven people died in the 1970s."),
        ("Il a gagné trois fois rien.", "He earned next to nothing."),  # an idiom, not a figure
        ("C'était le 2e jour.", "It was the 2nd day."),
    ]
    for fr, en in ok:
        assert check_numbers(fr, en, "fr", "en") == [], (fr, en)
    bad = check_numbers("Ankara accueille 3,7 millions de réfugiés.", "Ankara hosts 3.5 million refugees.", "fr", "en")
    assert codes(bad) == [("tgt", "compare.number_mismatch"), ("src", "compare.number_mismatch")]
    assert codes(check_numbers("Après sept jours.", "After six days.", "fr", "en"))[0] == (
        "tgt",
        "compare.number_mismatch",
    )


def test_names_need_a_counterpart_in_the_source() -> None:
    src = "Après sept jours de défaites, Bush a parlé du commerce en Asie avec l'ONU et l'Allemagne."
    assert check_names(src, "After seven days of defeats, Bush spoke about trade in Asia with the UN and Germany.",
                       "fr", "en") == []  # fmt: skip
    bad = check_names(src, "After seven days of defeats, Corona spoke about trade in Asia with the UN and Germany.",
                      "fr", "en")  # fmt: skip
    assert [(i[1], (i[2])) for i in bad] == [("compare.name_mismatch", "'Corona' has no counterpart in the source")]


def test_translated_names_made_of_words_are_not_mismatches() -> None:
    src = "Le Machu Picchu comprend le temple du soleil et la salle des trois fenêtres."
    tgt = "Machu Picchu includes the Temple of the Sun and the Hall of Three Windows."
    assert check_names(src, tgt, "fr", "en") == []
    tgt2 = "Newt Gingrich, former Speaker of the House, and Congresswoman Michele Bachmann finished."
    src2 = "Newt Gingrich, l'ancien président de la Chambre, et la sénatrice Michele Bachmann ont terminé."
    assert check_names(src2, tgt2, "fr", "en") == []


def test_spelling_variants_within_one_language_are_variants_not_mismatches() -> None:
    issues = check_names("Fighting in Idleb continued.", "Fighting in Idlib continued.", "en", "en")
    assert codes(issues) == [("tgt", "compare.name_variant"), ("src", "compare.name_variant")]
    assert check_names("Turkey said so.", "The Turkish side said so.", "en", "en") == []


def test_untranslated_copy_and_quotes() -> None:
    s = "Les combats ont repris dans le nord-ouest du pays."
    assert codes(check_copy(s, s, "fr", "en")) == [("tgt", "compare.untranslated_copy")]
    assert check_copy(s, "Fighting resumed in the north-west of the country.", "fr", "en") == []
    assert codes(check_quotes("Il a dit « non ».", "He said no.", "fr", "en")) == [("src", "compare.quote_missing")]
    assert check_quotes("Il a dit « non ».", 'He said "no".', "fr", "en") == []


def test_omissions_additions_and_length_ratio_in_translation_mode() -> None:
    fr = ("La Turquie a menacé jeudi de frapper les jihadistes. Le ministre a parlé aux journalistes à Ankara. "
          "Washington a apporté son soutien à la Turquie.")  # fmt: skip
    en = "Turkey threatened on Thursday to strike jihadists. Washington offered its support to Turkey."
    res = compare(fr, en, "fr", "en")
    om = [(side, f.code, f.severity) for side, f in res.findings if f.code == "compare.omission"]
    assert om == [("src", "compare.omission", Severity.MAJOR)]
    assert res.corpus == {}  # scores across languages would mean nothing: similarity only
    assert all(sc is None or "similarity" in sc for sc in res.pair_scores)


def test_seed_versions_compare_with_sacrebleu_scores_and_idleb_is_a_variant() -> None:
    a = (SEEDS / "000_25f7e6c52884490d.txt").read_text(encoding="utf-8")
    b = (SEEDS / "001_380e6ef03d52a1a3.txt").read_text(encoding="utf-8")
    res = compare(a, b)
    assert res.alignment.params["mode"] == "rewrite"
    assert set(res.corpus) == {"chrf", "chrf++", "bleu", "ter"} and all(res.signatures.values())
    pairs = [sc for sc in res.pair_scores if sc]
    assert len(pairs) >= 8 and all({"chrf", "chrf++", "bleu", "ter"} <= set(sc) for sc in pairs)
    only_one = [f for _, f in res.findings if f.code in ("compare.omission", "compare.addition")]
    assert len(only_one) >= 10 and all(f.severity is Severity.NEUTRAL for f in only_one)
    for _, f in res.findings:
        if f.text in ("Idleb", "Idlib"):
            assert f.code == "compare.name_variant", f
        # offsets point into the original texts
        assert f.text == (a if _ == "src" else b)[f.start : f.end]


def test_cli_compare_table_and_jsonl(tmp_path: Path) -> None:
    a, b = str(SEEDS / "000_25f7e6c52884490d.txt"), str(SEEDS / "001_380e6ef03d52a1a3.txt")
    res = run_cli("compare", a, b)
    assert res.returncode == 0, res.stderr
    assert b"chrF" in res.stdout and b"chrf = " in res.stdout and b"nrefs:1" in res.stdout
    out = tmp_path / "c.jsonl"
    res = run_cli("compare", a, b, "--format", "jsonl", "-o", str(out))
    assert res.returncode == 0, res.stderr
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert recs[0]["type"] == "summary" and "chrf" in recs[0]["corpus"]
    beads = [r for r in recs if r["type"] == "bead"]
    assert all({"src", "tgt", "src_text", "tgt_text", "score"} <= set(r) for r in beads)
    findings = [r for r in recs if r["type"] == "finding"]
    assert findings and all(r["side"] in ("src", "tgt") and {"code", "severity", "start", "end"} <= set(r)
                            for r in findings)  # fmt: skip
    assert run_cli("compare", a, str(tmp_path / "missing.txt")).returncode == 2


def test_numbers_across_languages_read_alike() -> None:
    from toolkit.compare.checks import check_numbers

    same = [
        ("Le véhicule a été enlevé vers 12 h GMT.", "The vehicle was removed around 12:00 GMT.", "fr"),
        ("Le château date du XIVe siècle.", "The castle dates from the 14th century.", "fr"),
        ("O PIB cresceu 11,2 mil milhões de euros.", "GDP grew by 11.2 billion euros.", "pt"),
        ("Um homem e uma mulher chegaram com 3 crianças.", "A man and a woman arrived with 3 children.", "pt"),
        ("Il est arrivé à midi.", "He arrived at noon.", "fr"),
        ("L'attaque a eu lieu peu avant 7 heures.", "The attack occurred just before 7 a.m.", "fr"),
        ("L'ouragan passa à 64 km, avec des vents de 137 km/h.", "It passed 40 miles away, with 85 mph winds.", "fr"),
        ("Il pleuvra de 5 à 10 cm.", "Rainfall of 2 to 4 inches is expected.", "fr"),
        ("Die Schulden stiegen um 2,5 Milliarden Euro.", "The debt rose by 2.5 billion euros.", "de"),
    ]
    for src, tgt, lang in same:
        assert check_numbers(src, tgt, lang, "en") == [], (src, tgt)
    # and what differs is still found
    assert check_numbers("Il a couru 40 km.", "He ran 60 miles.", "fr", "en")
    assert check_numbers("l'iPhone6", "the iPhone7", "fr", "en")
    assert check_numbers("à 12 h GMT", "at 13:00 GMT", "fr", "en")


def test_a_place_cldr_names_in_several_words_is_found_by_its_usual_short_form() -> None:
    # CLDR gives Malouines -> Falkland Islands; the news writes the Falklands
    src = "Il est presque impossible d’échanger de l’argent des Malouines en dehors des îles."
    tgt = "It is almost impossible to exchange Falklands money outside the islands."
    res = compare(src, tgt, "fr", "en", mode="translation", presplit=True)
    assert [f.code for _, f in res.findings if f.severity is not Severity.NEUTRAL] == []
    res = compare("Les Malouines ont voté en 2013.", "The islands voted in 2013.", "fr", "en")
    assert "compare.name_missing" in [f.code for _, f in res.findings]
