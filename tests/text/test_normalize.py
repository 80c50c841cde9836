from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from toolkit.text.normalize import normalize


def test_clean_text_is_identity() -> None:
    n = normalize("Plain text, nothing to do.")
    assert n.offsets is None
    assert n.to_original(6, 10) == (6, 10)


def test_spaces_controls_and_zero_width_map_back() -> None:
    original = "Le\u00a0prix\u200b est de 9\u202f000\u00a0€ ;\r\nfin\x07."
    n = normalize(original)
    assert n.text == "Le prix est de 9 000 € ;\nfin."
    start = n.text.index("9 000")
    s, e = n.to_original(start, start + len("9 000"))
    assert original[s:e] == "9\u202f000"
    s, e = n.to_original(n.text.index("fin"), n.text.index("fin") + 3)
    assert original[s:e] == "fin"


def test_nfc_composition_maps_to_the_whole_cluster() -> None:
    original = "Cafe\u0301 de Paris"  # e + combining acute
    n = normalize(original)
    assert n.text == "Café de Paris"
    s, e = n.to_original(0, 4)
    assert original[s:e] == "Cafe\u0301"
    s, e = n.to_original(5, 7)
    assert original[s:e] == "de"


@given(st.text(max_size=300))
def test_offsets_are_monotone_and_in_bounds(text: str) -> None:
    n = normalize(text)
    prev = 0
    for i in range(len(n.text)):
        s, e = n.to_original(i, i + 1)
        assert 0 <= s < e <= len(text)
        assert s >= prev
        prev = s
    assert n.to_original(0, len(n.text))[1] <= len(text)


def test_every_special_character_is_non_printable() -> None:
    # normalize() skips its clean-up for text whose lines are printable
    from toolkit.text.normalize import _DROP, _SPACE

    assert not any(c.isprintable() for c in _DROP + _SPACE + "\r\u2028\u2029")
    assert normalize("a\u00a0b\nc").text == "a b\nc"


def test_ascii_text_with_controls_is_cleaned() -> None:
    assert normalize("a\tb\r\nc\x07d").text == "a b\ncd"
    clean = "plain ASCII line\nand another"
    assert normalize(clean).text == clean and normalize(clean).offsets is None
