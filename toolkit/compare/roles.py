"""Which version of a pair is the source and which the translation.

Translation findings belong on the translation only: an original never loses quality for
what its translation added or dropped, and two versions in one language (two outlets, or a
machine translation beside the native wire) are peers whose differences are notes, not
errors. The decision is made from evidence, each item recorded with the comparison:

- the record's own word: ``translated_from`` / ``source_lang`` naming the other's language,
  ``machine_translated``, or a publisher's machine-translation label in the text;
- the languages translations come from (``ScorerConfig.source_langs``): a version in one
  of them beside a version in another language is the likelier original;
- the earlier ``published`` time;
- the pair's own evidence: the side whose text carries the other language's forms
  (untranslated names, calques: the scorers' findings) is the translation.

After alignment, a cross-language pair whose sentences mostly have no counterpart is two
independent reports of one event (a foreign wire and the English wire), not a translation:
its differences are notes on both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from toolkit.document import Document
from toolkit.text.mt_label import is_machine_translated

SOURCE = "source"
TRANSLATION = "translation"
PEER = "peer"  # same language: another outlet's or another translation's version
INDEPENDENT = "independent"  # other language, but not a translation of this version
MIN_COVERAGE = 0.7  # share of each side's sentences aligned for a pair to be a translation
MIN_SIMILARITY = 0.45  # a bead's embedding similarity to count as aligned (translations: 0.6-0.9)


def base_lang(lang: str) -> str:
    return lang.split("-")[0].lower()


def _declared_source(doc: Document) -> str | None:
    for key in ("translated_from", "source_lang"):
        v = doc.record.get(key)
        if isinstance(v, str) and v.strip():
            return base_lang(v.strip())
    return None


def _artefacts(doc: Document) -> int:
    return sum(1 for f in doc.findings if f.code.startswith(("untranslated.", "rule.")))


@dataclass(slots=True)
class Roles:
    """The outcome for one pair: ``source`` and ``other`` (the translation, or a peer)."""

    source: Document
    other: Document
    kind: str  # TRANSLATION, PEER or INDEPENDENT (set after alignment)
    evidence: list[str] = field(default_factory=list)
    weight: float = 0.0  # how strongly the evidence names the source

    def record(self, doc: Document) -> dict[str, Any]:
        """What ``doc`` was in this pair, for its output record."""
        me = doc is self.source
        role = self.kind if self.kind != TRANSLATION else (SOURCE if me else TRANSLATION)
        return {"with": (self.other if me else self.source).id, "role": role, "evidence": list(self.evidence)}


def decide(a: Document, b: Document, source_langs: tuple[str, ...] = ()) -> Roles:
    """Roles of two versions before alignment: peers in one language, else source -> translation."""
    la, lb = base_lang(a.lang), base_lang(b.lang)
    if la == lb:
        return Roles(a, b, PEER, [f"both in {la}"])  # the first is the one the other is compared with

    votes = 0.0  # > 0: a is the source
    why: list[str] = []

    def vote(weight: float, for_a: bool, reason: str) -> None:
        nonlocal votes
        votes += weight if for_a else -weight
        why.append(reason)

    for me, other, is_a in ((a, b, True), (b, a, False)):
        declared = _declared_source(me)
        if declared == base_lang(other.lang):
            vote(4, not is_a, f"{me.id} says it was translated from {declared}")
        if is_machine_translated(me):
            vote(3, not is_a, f"{me.id} is labelled machine-translated")
    if la in source_langs and lb not in source_langs:
        vote(1, True, f"{la} is a language translations come from")
    elif lb in source_langs and la not in source_langs:
        vote(1, False, f"{lb} is a language translations come from")
    if a.published and b.published and a.published != b.published:
        vote(0.5, a.published < b.published, "published earlier")
    na, nb = _artefacts(a), _artefacts(b)
    if na != nb:
        marked = b if nb > na else a
        vote(0.5, nb > na, f"{marked.id} carries source-language forms or calques ({max(na, nb)} findings)")
    if abs(votes) < 1:
        # two versions in languages translations come from (a German and a French report), or
        # in two others, and nothing in the records says which came first: neither is blamed
        first, second = sorted((a, b), key=lambda d: d.id)
        return Roles(first, second, INDEPENDENT, [*why, "nothing says which version is the original"])
    src, tgt = (a, b) if votes > 0 else (b, a)
    return Roles(src, tgt, TRANSLATION, why, abs(votes))


def coverage(n_src: int, n_tgt: int, beads: list[Any]) -> float:
    """The smaller share of either side's sentences that the alignment paired, closely, with the other.

    The aligner pairs every sentence it can in order; two reports of one event pair up too, at
    low similarity, so only beads of a translation's similarity count.
    """
    close = [b for b in beads if b.src and b.tgt and b.score >= MIN_SIMILARITY]
    src = sum(len(b.src) for b in close)
    tgt = sum(len(b.tgt) for b in close)
    return min(src / max(n_src, 1), tgt / max(n_tgt, 1))
