"""Number reading helpers: fast paths that must answer as the patterns they stand for."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.text.numbers import _CENTURY, _century_word

# the pattern as first written, apart from the word list it is now built from
REFERENCE = re.compile(r"si[èe]cle|siglo|secolo|s[ée]culo|century|centuries|jahrhundert|eeuw", re.IGNORECASE)

_PIECES = ["SIÈCLE", "siecle", "Siglo", "SECOLO", "Século", "centurY", "Centuries", "JAHRHUNDERT", "eeuw", "ſiecle",
           "ıx", "K", "x", "e", "è", "È", " ", "cle", "si", "cen", "tury", "\u0300"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=8))
def test_century_word_answers_as_the_case_insensitive_pattern(parts: list[str]) -> None:
    text = "".join(parts)
    assert _century_word(text) == (_CENTURY.search(text) is not None) == (REFERENCE.search(text) is not None)


def test_the_odd_case_characters_are_all_there_are() -> None:
    # every code point the case-insensitive pattern takes for one of its letters, where lower()
    # gives another character: the substring test would miss those (and only those)
    from toolkit.text.numbers import _CASE_ODD, _CENTURY_WORDS

    letters = set("".join(_CENTURY_WORDS))
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    matched = {m.group() for m in re.finditer(f"[{''.join(sorted(letters))}]", every, re.IGNORECASE)}
    assert {c for c in matched if c.lower() not in letters} == set(_CASE_ODD)
