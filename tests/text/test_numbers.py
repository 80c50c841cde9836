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
