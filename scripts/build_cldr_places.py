"""Build ``toolkit/data/cldr_places.json``: country and city names that a source language writes
otherwise than English, from the Unicode CLDR as Babel ships it.

Countries and world regions come from CLDR's territory names; cities from its time-zone
exemplar cities (Londres, Moskau, Bruselas). A form is kept when it differs from the English
one, has four letters or more, and is not itself common in English (wordfreq Zipf < 3: "Chile"
and "Mali" are English too). The hand list ``exonyms.json`` is read first by the scorers, so
its entries (news style: Turkey, not CLDR's Türkiye) win over these.

Usage: python scripts/build_cldr_places.py   (needs ``pip install babel``; the package does
not import Babel: the table is built once and kept in the repository, so results do not move
with the installed CLDR version)
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import babel
from babel import Locale
from wordfreq import zipf_frequency

OUT = Path(__file__).resolve().parent.parent / "toolkit" / "data" / "cldr_places.json"
SOURCES = ("fr", "de", "es", "it", "pt", "nl")
CONTINENTS = ("002", "009", "019", "142", "150", "003", "005", "013", "021", "419")
ENGLISH_TOO = 3.0
SKIP = frozenset({"ZZ"})  # "Unknown Region"
# CLDR's English where news English writes otherwise (AP, Reuters style)
NEWS_ENGLISH = {"Türkiye": "Turkey"}


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s.casefold()) if not unicodedata.combining(c))


def english_city(en: Locale, tz: str) -> str:
    data = en.time_zones.get(tz)
    city = data.get("city") if data is not None else None
    return city or tz.rsplit("/", 1)[-1].replace("_", " ")


def table(lang: str) -> dict[str, dict[str, str]]:
    src, en = Locale(lang), Locale("en")
    pairs: list[tuple[str, str, str]] = []
    for code, name in src.territories.items():
        if ((len(code) == 2 and code.isalpha()) or code in CONTINENTS) and code not in SKIP:
            eng = en.territories.get(code)
            if eng:
                pairs.append(("country" if len(code) == 2 else "region", name, eng))
    for tz, data in src.time_zones.items():
        city = data.get("city")
        if city and not tz.startswith("Etc/"):
            pairs.append(("city", city, english_city(en, tz)))
    out: dict[str, dict[str, str]] = {"place": {}}
    for _, form, eng in sorted(pairs, key=lambda p: (p[1], p[2])):
        eng = NEWS_ENGLISH.get(eng, eng)
        if fold(form) == fold(eng) or len(form) < 4 or "(" in form or not form[0].isupper():
            continue
        if max(zipf_frequency(w, "en") for w in form.split()) >= ENGLISH_TOO and " " not in form:
            continue
        if zipf_frequency(form, "en") >= ENGLISH_TOO:
            continue
        out["place"].setdefault(form, eng)
    return out


def main() -> None:
    data: dict[str, object] = {
        "_source": (
            f"Unicode CLDR territory names and time-zone exemplar cities, as shipped in Babel {babel.__version__} "
            "(Unicode License v3). Built by scripts/build_cldr_places.py: forms that differ from the English "
            "one, four letters or more, not common English words themselves. exonyms.json (hand-checked news "
            "style) takes precedence."
        )
    }
    for lang in SOURCES:
        data[f"{lang}-en"] = table(lang)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(OUT, {k: len(v["place"]) for k, v in data.items() if isinstance(v, dict)})


if __name__ == "__main__":
    main()
