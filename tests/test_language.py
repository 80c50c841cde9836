from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.text.language import UNDETERMINED, detect, detect_fast

SAMPLES = [
    json.loads(line)
    for line in (Path(__file__).resolve().parent.parent / "fixtures" / "lang_samples.jsonl").read_text().splitlines()
]


@pytest.mark.parametrize("method", [detect, detect_fast], ids=["sampled", "exhaustive"])
@pytest.mark.parametrize("sample", SAMPLES, ids=[s["id"] for s in SAMPLES])
def test_language_of_samples(sample: dict[str, str], method: object) -> None:
    res = method(sample["text"])  # type: ignore[operator]
    assert res.lang == sample["lang"]
    if sample["lang"] == UNDETERMINED:
        assert res.prob == 0.0
    else:
        assert res.prob > 0.9


def test_short_text_is_never_confident() -> None:
    for method in (detect, detect_fast):
        res = method("EU calls for de-escalation in the north")
        assert res.prob < 0.7


def test_same_answer_in_fresh_processes() -> None:
    # langdetect samples at random: only the seed makes a borderline text stable.
    text = "Le texte est court mais il est bien en français, pas en anglais."
    code = f"from toolkit.text.language import detect; r = detect({text!r}); print(r.lang, repr(r.prob))"
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout for _ in range(3)}
    assert len(outs) == 1
    assert outs.pop().startswith("fr ")
