"""Generality: artefacts injected into real parallel news the detectors have never seen, measured
through the CLI as a user runs it.

NTREX (../shared/align_gold/ntrex_raw/) gives 123 news stories line-aligned in English and 14
translations. Each story becomes versions: the French text as the original, the English as its
translation with artefacts injected (at most one of each kind a story, each in its own line),
the Indian-English localisation as a clean independent English version and the German text as
another language's version. Kinds:

- name: a name the French line also has, misspelt with a random edit (insert, delete,
  substitute, swap; never the first letter);
- source_form: a name of the English line replaced by the French line's form where the two
  differ (Londres for London, Allemagne for Germany);
- number_format: an English number rewritten in French convention (3.5 -> 3,5; 9,000 -> 9 000);
- typography: French spacing before ? ! : ; or French quotes around a quotation;
- false_friend: a sentence pair added from this file's own list (the detectors never read it),
  the English carrying the false friend or calque of the French;
- chrome: a page-furniture line from this file's own list, as its own paragraph;
- dropped: a name or a number deleted from an English line (found only with the original).

Stories and the injected vocabulary (false friends, chrome lines) are split in two by a hash:
``dev`` and ``heldout``. No threshold or lexicon entry was chosen on ``heldout``.

Printed: recall per kind, for the English version alone (single) and with its other versions
(multi), and false flags (findings that are not neutral) per 1,000 words on the clean side: the
uninjected English alone, and the French, Indian-English and German versions in the multi runs.

Usage: python -m bench.quality.generality [--split dev|heldout|both] [--show KIND]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NTREX = ROOT.parent / "shared" / "align_gold" / "ntrex_raw"
KINDS = ("name", "source_form", "number_format", "typography", "false_friend", "chrome", "dropped")

# (French sentence, English sentence carrying the false friend or calque, the wrong words, the right ones)
FALSE_FRIENDS = [
    ("Actuellement, aucune décision n'a été prise.", "Actually, no decision has been taken.", "Actually", "Currently"),
    ("Il a assisté à la réunion de mardi.", "He assisted at Tuesday's meeting.", "assisted", "attended"),
    ("Le procès doit s'ouvrir en mars.", "The process is due to open in March.", "process", "trial"),
    ("Les manifestants ont été dispersés.", "The manifestants were dispersed.", "manifestants", "protesters"),
    ("Le scrutin aura lieu dimanche.", "The scrutiny will take place on Sunday.", "scrutiny", "vote"),
    ("Une tentative de coup d'État a échoué.", "A tentative coup d'état failed.", "tentative", "attempted"),
    ("Le parquet a ouvert une enquête.", "The parquet opened an investigation.", "parquet", "prosecutor's office"),
    (
        "Le sommet a été reporté à la semaine prochaine.",
        "The summit was reported to next week.",
        "reported",
        "postponed",
    ),
    ("La librairie du quartier a fermé.", "The neighbourhood library has closed.", "library", "bookshop"),
    ("Il a été blessé à la jambe.", "He was blessed in the leg.", "blessed", "injured"),
    ("Les syndicats appellent à la grève.", "The syndicates are calling for a strike.", "syndicates", "unions"),
    ("Le délai a expiré vendredi.", "The delay expired on Friday.", "delay", "deadline"),
    (
        "Éventuellement, le texte pourrait être modifié.",
        "Eventually, the text could be amended.",
        "Eventually",
        "Possibly",
    ),
    ("Il prétend ne rien savoir.", "He pretends to know nothing.", "pretends", "claims"),
    (
        "La formation des policiers sera renforcée.",
        "The formation of police officers will be stepped up.",
        "formation",
        "training",
    ),
    ("Le prix du pétrole a augmenté.", "The price of petrol has risen.", "petrol", "oil"),
    ("Le procureur a requis dix ans de prison.", "The procurer sought ten years in prison.", "procurer", "prosecutor"),
    ("La publicité en ligne rapporte gros.", "Online publicity is very lucrative.", "publicity", "advertising"),
    ("Les recettes fiscales ont baissé.", "Tax receipts have fallen.", "receipts", "revenues"),
    ("Le conducteur a pris la fuite.", "The conductor fled.", "conductor", "driver"),
    ("Il a été interpellé par la police.", "He was interpellated by the police.", "interpellated", "questioned"),
    (
        "L'île était inhabitée depuis des siècles.",
        "The island had been inhabited for centuries.",
        "inhabited",
        "uninhabited",
    ),
    ("Le syndicat a salué une avancée.", "The syndicate welcomed a step forward.", "syndicate", "union"),
    ("Le médecin a été appelé en urgence.", "The medicine was called urgently.", "medicine", "doctor"),
    ("La journée a été longue pour les secours.", "The journey was long for the rescuers.", "journey", "day"),
    ("Le gouvernement a réalisé des économies.", "The government has realised savings.", "realised", "made"),
    ("Les prévisions de croissance ont été revues.", "The growth previsions were revised.", "previsions", "forecasts"),
    ("Il a été libéré sous caution.", "He was released under caution.", "caution", "bail"),
    ("La conjoncture reste difficile.", "The conjuncture remains difficult.", "conjuncture", "economic situation"),
    ("Une perquisition a eu lieu à son domicile.", "A perquisition took place at his home.", "perquisition", "search"),
    ("Le prévenu a nié les faits.", "The prevented denied the facts.", "prevented", "defendant"),
    ("Les engins de chantier sont arrivés.", "The building engines have arrived.", "engines", "machines"),
]
CHROME = [
    "Subscribe to our newsletter",
    "Read more: latest news",
    "Share this article",
    "Advertisement",
    "Click here to comment",
    "Sign up for breaking news alerts",
    "Follow us on Twitter",
    "Related articles",
    "All rights reserved",
    "Continue reading below",
    "Most popular stories",
    "Download our app",
    "Skip to main content",
    "Sponsored content",
    "Back to top",
    "Cookie settings",
    "Photo: AFP",
    "Image copyright Getty Images",
    "Listen to this article",
    "Print this page",
]


def heldout(key: str) -> bool:
    return zlib.crc32(key.encode()) % 3 == 0


@dataclass
class Injection:
    kind: str
    start: int  # in the English text
    end: int
    detail: str


def stories() -> list[dict[str, Any]]:
    ids = (NTREX / "DOCUMENT_IDS.tsv").read_text().splitlines()
    files = {"en": "src.eng", "fr": "ref.fra", "in": "ref.eng-IN", "de": "ref.deu"}
    lines = {k: (NTREX / f"newstest2019-{v}.txt").read_text(encoding="utf-8").splitlines() for k, v in files.items()}
    out: dict[str, dict[str, Any]] = {}
    for i, doc in enumerate(ids):
        s = out.setdefault(doc, {"id": doc, **{k: [] for k in files}})
        for k in files:
            s[k].append(lines[k][i])
    return list(out.values())


_CAP = re.compile(r"(?<![\w'’-])([A-Z][a-z]{4,})(?![\w'’-])")
_RUN = re.compile(r"(?<![\w'’-])((?:[A-Z][a-z]+ )*[A-Z][a-z]{4,}(?: [A-Z][a-z]+)*)(?![\w'’-])")
_NUM_EN = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+\.\d+)(?![\d.,])")
_NUM_ANY = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)(?![\w.,]|\d)")


def fold(w: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", w.casefold()) if not unicodedata.combining(c))


def misspell(word: str, rng: random.Random) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    while True:
        k = rng.randrange(1, len(word))
        op = rng.choice(("insert", "delete", "substitute", "swap"))
        if op == "insert":
            out = word[:k] + rng.choice(letters) + word[k:]
        elif op == "delete":
            out = word[:k] + word[k + 1 :]
        elif op == "substitute":
            out = word[:k] + rng.choice(letters) + word[k + 1 :]
        else:
            out = word[:k] + word[k + 1 : k + 2] + word[k] + word[k + 2 :] if k + 1 < len(word) else word
        if out != word and out.casefold() != word.casefold():
            return out


def join(lines: list[str], alone: int = -1) -> tuple[str, list[int]]:
    """Sentences joined into paragraphs of two or more, news style, a quotation never split
    across two paragraphs (line ``alone`` is a paragraph of its own); and where each sentence starts."""
    text, starts, open_quote, in_para = "", [], False, 0
    for k, line in enumerate(lines):
        if k:
            together = (open_quote or 0 < in_para < 2) and alone not in (k, k - 1)
            sep = " " if together else "\n\n"
            in_para = in_para + 1 if sep == " " else 0
            text += sep
        starts.append(len(text))
        text += line
        open_quote ^= sum(line.count(q) for q in '"“”«»') % 2 == 1
        if k == 0:
            in_para = 2  # the headline stands alone
    return text, starts


def inject(
    story: dict[str, Any], rng: random.Random, split: str
) -> tuple[list[str], list[str], list[str], list[Injection], int]:
    """The English and French lines with artefacts injected (one of each kind at most, each in its
    own line), the clean English lines (the added sentence pair rightly translated), and where
    each artefact went (offsets fixed up when the text is joined), and the chrome line's index."""
    en, fr, clean_en = list(story["en"]), list(story["fr"]), list(story["in"])
    marks: list[tuple[int, str, int, int, str]] = []  # line, kind, start, end, detail
    used: set[int] = set()
    order = list(range(1, len(en)))  # the headline is left alone
    rng.shuffle(order)

    def free(cond: Any) -> int | None:
        for i in order:
            if i not in used and cond(i):
                used.add(i)
                return i
        return None

    # name: a name both sides carry, misspelt
    def shared_name(i: int) -> list[re.Match[str]]:
        return [m for m in _CAP.finditer(en[i]) if m.start() > 0 and m.group(1) in fr[i]]

    i = free(lambda i: bool(shared_name(i)))
    if i is not None:
        m = rng.choice(shared_name(i))
        bad = misspell(m.group(1), rng)
        en[i] = en[i][: m.start()] + bad + en[i][m.end() :]
        marks.append((i, "name", m.start(), m.start() + len(bad), f"{m.group(1)} -> {bad}"))

    # source_form: the French line's form of a name the English writes otherwise
    def forms(i: int) -> list[tuple[re.Match[str], str]]:
        fr_caps = [w for w in re.findall(r"(?<![\w'’-])([A-ZÉÈÀÂ][\w'’-]{3,})", fr[i]) if w not in en[i]]
        out = []
        for m in _CAP.finditer(en[i]):
            for w in fr_caps:
                fw, fe = fold(w), fold(m.group(1))
                if m.start() > 0 and fw != fe and fw[:3] == fe[:3] and abs(len(fw) - len(fe)) <= 3:
                    out.append((m, w))
        return out

    i = free(lambda i: bool(forms(i)))
    if i is not None:
        m, w = rng.choice(forms(i))
        en[i] = en[i][: m.start()] + w + en[i][m.end() :]
        marks.append((i, "source_form", m.start(), m.start() + len(w), f"{m.group(1)} -> {w}"))

    # number_format: French convention for an English number
    i = free(lambda i: bool(_NUM_EN.search(en[i])))
    if i is not None:
        m = _NUM_EN.search(en[i])
        assert m is not None
        num = m.group(1)
        bad = num.replace(",", "\u00a0") if "," in num else num.replace(".", ",")
        en[i] = en[i][: m.start()] + bad + en[i][m.end() :]
        marks.append((i, "number_format", m.start(), m.start() + len(bad), f"{num} -> {bad}"))

    # typography: a space before ? ! : ; or French quotes
    i = free(lambda i: bool(re.search(r"\w[?!:;]", en[i])) or en[i].count('"') == 2)
    if i is not None:
        if en[i].count('"') == 2:
            a = en[i].index('"')
            b = en[i].index('"', a + 1)
            en[i] = en[i][:a] + "« " + en[i][a + 1 : b] + " »" + en[i][b + 1 :]
            marks.append((i, "typography", a, b + 4, "French quotes"))
        else:
            m = re.search(r"\w([?!:;])", en[i])
            assert m is not None
            p = m.start(1)
            en[i] = en[i][:p] + "\u00a0" + en[i][p:]
            marks.append((i, "typography", p, p + 2, f"space before {m.group(1)}"))

    # false_friend: a sentence pair from the list of this split
    pool = [x for x in FALSE_FRIENDS if heldout(x[1]) == (split == "heldout")]
    i = free(lambda i: True)
    if i is not None and pool:
        f_fr, f_en, wrong, right = rng.choice(pool)
        start = len(en[i]) + 1 + f_en.index(wrong)
        en[i] = f"{en[i]} {f_en}"
        fr[i] = f"{fr[i]} {f_fr}"
        clean_en[i] = f"{clean_en[i]} {f_en.replace(wrong, right)}"  # the clean versions say it rightly
        marks.append((i, "false_friend", start, start + len(wrong), wrong))

    # dropped: a name (all its words: Boris Johnson) or a number of the French line removed from the English
    def droppable(i: int) -> list[re.Match[str]]:
        whole = [m for m in _RUN.finditer(en[i]) if m.start() > 0 and all(w in fr[i] for w in m.group(1).split())]
        return whole + [
            m for m in _NUM_ANY.finditer(en[i]) if m.group(1) in fr[i].replace("\u202f", "").replace(" ", "")
        ]

    i = free(lambda i: bool(droppable(i)))
    if i is not None:
        m = rng.choice(droppable(i))
        en[i] = (en[i][: m.start()].rstrip() + " " + en[i][m.end() :].lstrip()).strip()
        marks.append((i, "dropped", 0, len(en[i]), m.group(1)))

    chrome_pool = [c for c in CHROME if heldout(c) == (split == "heldout")]
    lines = list(en)
    chrome_at = rng.randrange(1, len(lines) + 1)
    chrome = rng.choice(chrome_pool)
    lines.insert(chrome_at, chrome)
    _, starts = join(lines, chrome_at)  # offsets in the joined English text
    out: list[Injection] = []
    for line_no, kind, s, e, detail in marks:
        k = line_no + (1 if line_no >= chrome_at else 0)
        out.append(Injection(kind, starts[k] + s, starts[k] + e, detail))
    out.append(Injection("chrome", starts[chrome_at], starts[chrome_at] + len(chrome), chrome))

    return lines, fr, clean_en, out, chrome_at


def run_cli(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        exe = Path(sys.executable).parent / "wirecheck"
        cmd = [str(exe), "run", str(inp), "--format", "jsonl", "-o", str(out), "--exit-zero", "-q"]
        subprocess.run(cmd, check=True)
        return {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def serious(rec: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in rec["wirecheck"]["findings"] if f["severity"] != "neutral"]


def evaluate(split: str, show: str | None) -> None:
    all_stories = [s for s in stories() if heldout(s["id"]) == (split == "heldout")]
    injected = {}
    for s in all_stories:
        rng = random.Random(zlib.crc32(s["id"].encode()))
        injected[s["id"]] = inject(s, rng, split)
    single = [{"id": f"{sid}/en", "text": join(en, at)[0]} for sid, (en, _, _, _, at) in injected.items()]
    clean_en = [{"id": f"{s['id']}/clean", "text": join(s["en"])[0]} for s in all_stories]
    multi: list[dict[str, Any]] = []
    for s in all_stories:
        en, fr, clean_in, _, at = injected[s["id"]]
        multi += [
            {"id": f"{s['id']}/fr", "text": join(fr)[0]},
            {"id": f"{s['id']}/en", "text": join(en, at)[0]},
            {"id": f"{s['id']}/in", "text": join(clean_in)[0]},
            {"id": f"{s['id']}/de", "text": join(s["de"])[0]},
        ]
    results = {"single": run_cli(single), "multi": run_cli(multi)}
    clean = run_cli(clean_en)
    print(f"\n== {split}: {len(all_stories)} stories ==")
    print(f"{'kind':15} {'single':>14} {'multi':>14}")
    for kind in KINDS:
        row = []
        for setting in ("single", "multi"):
            hits = total = 0
            for sid, (_, _, _, marks, _) in injected.items():
                rec = results[setting][f"{sid}/en"]
                for m in marks:
                    if m.kind != kind:
                        continue
                    total += 1
                    ok = any(f["start"] < m.end and f["end"] > m.start for f in serious(rec))
                    hits += ok
                    if show == kind and not ok and setting == "multi":
                        text = rec["text"]
                        print(f"  MISS {sid} {m.detail!r}: {text[max(0, m.start - 60) : m.end + 40]!r}")
            row.append(f"{hits / total:.3f} ({hits}/{total})" if total else "-")
        print(f"{kind:15} {row[0]:>14} {row[1]:>14}")

    def per_k(recs: list[dict[str, Any]]) -> str:
        words = sum(len(r["text"].split()) for r in recs)
        n = sum(len(serious(r)) for r in recs)
        return f"{1000 * n / max(words, 1):.2f} ({n} in {words:,} words)"

    print("false flags per 1,000 words on the clean side:")
    print(f"  single, clean English alone:      {per_k(list(clean.values()))}")
    for role, name in (("fr", "French original"), ("in", "Indian-English version"), ("de", "German version")):
        recs = [r for k, r in results["multi"].items() if k.endswith("/" + role)]
        print(f"  multi, {name + ':':26} {per_k(recs)}")
    if show == "false":
        codes: Counter[tuple[str, str]] = Counter()
        for recs in (clean.values(), results["multi"].values()):
            for r in recs:
                if r["id"].endswith("/en"):
                    continue
                for f in serious(r):
                    codes[(r["id"].rsplit("/", 1)[1], f["code"])] += 1
                    print(f"  FALSE {r['id']} {f['code']} {f['text'][:50]!r} | {f['message'][:90]}")
        for (role, code), n in codes.most_common():
            print(f"  {role:6} {code:32} {n}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("dev", "heldout", "both"), default="both")
    ap.add_argument("--show", help="a kind whose misses to list (multi runs), or 'false' for the false flags")
    args = ap.parse_args()
    if not NTREX.is_dir():
        print(f"generality: {NTREX} is missing (the development data beside this checkout); skipped")
        return
    for split in ("dev", "heldout") if args.split == "both" else (args.split,):
        evaluate(split, args.show)


if __name__ == "__main__":
    main()
