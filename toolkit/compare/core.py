"""``compare``: align two versions, score every pair, and turn disagreements into findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from toolkit.align.aligner import align, split_with_offsets
from toolkit.align.model import AlignConfig, Alignment, Bead
from toolkit.compare.checks import PAIR_CHECKS, Issue
from toolkit.compare.names import counterpart, is_variant, name_tables
from toolkit.compare.numbers import number_keys
from toolkit.compare.sources import check_dropped_names, document_names
from toolkit.compare.words import bare
from toolkit.document import Finding, Severity
from toolkit.text.words import WORD

_SEVERITY = {
    "compare.number_mismatch": Severity.MAJOR,
    "compare.name_mismatch": Severity.MAJOR,
    "compare.name_variant": Severity.NEUTRAL,
    "compare.untranslated_copy": Severity.CRITICAL,
    "compare.omission": Severity.MAJOR,
    "compare.addition": Severity.MINOR,
    "compare.length_ratio": Severity.MINOR,
    "compare.quote_missing": Severity.MINOR,
    "compare.quote_added": Severity.MINOR,
    "compare.untranslated": Severity.MAJOR,
    "compare.name_misspelling": Severity.MAJOR,
    "compare.name_missing": Severity.MAJOR,
    "compare.false_friend": Severity.MINOR,
    "compare.false_friend_major": Severity.MAJOR,
}
_CATEGORY = {
    "compare.number_mismatch": "Accuracy/Mistranslation",
    "compare.name_mismatch": "Accuracy/Mistranslation",
    "compare.name_variant": "Fluency/Inconsistency",
    "compare.untranslated_copy": "Accuracy/Untranslated",
    "compare.omission": "Accuracy/Omission",
    "compare.addition": "Accuracy/Addition",
    "compare.length_ratio": "Accuracy/Omission",
    "compare.quote_missing": "Accuracy/Omission",
    "compare.quote_added": "Accuracy/Addition",
    "compare.untranslated": "Accuracy/Untranslated",
    "compare.name_misspelling": "Accuracy/Mistranslation",
    "compare.name_missing": "Accuracy/Omission",
    "compare.false_friend": "Accuracy/Mistranslation",
    "compare.false_friend_major": "Accuracy/Mistranslation",
}


@dataclass(slots=True)
class Side:
    text: str
    lang: str
    sentences: list[str]
    spans: list[tuple[int, int]]  # of each sentence in ``text``


@dataclass(slots=True)
class Comparison:
    src: Side
    tgt: Side
    alignment: Alignment
    pair_scores: list[dict[str, float] | None]
    findings: list[tuple[str, Finding]]  # (side, finding); offsets into that side's text
    corpus: dict[str, float] = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)

    def bead_records(self) -> list[dict[str, Any]]:
        out = []
        for b, sc in zip(self.alignment.beads, self.pair_scores, strict=True):
            rec = {"type": "bead", **b.to_dict()}
            rec["src_text"] = " ".join(self.src.sentences[i] for i in b.src)
            rec["tgt_text"] = " ".join(self.tgt.sentences[j] for j in b.tgt)
            if sc:
                rec["scores"] = sc
            out.append(rec)
        return out

    def finding_records(self) -> list[dict[str, Any]]:
        return [{"type": "finding", "side": side, **f.to_dict()} for side, f in self.findings]

    def summary(self) -> dict[str, Any]:
        kinds: dict[str, int] = {}
        for b in self.alignment.beads:
            kinds[b.kind] = kinds.get(b.kind, 0) + 1
        return {"type": "summary", "src_lang": self.src.lang, "tgt_lang": self.tgt.lang, "beads": kinds,
                "corpus": self.corpus, "signatures": self.signatures, "alignment": self.alignment.params,
                "notes": self.alignment.notes}  # fmt: skip


def split_side(text: str, lang: str | None, presplit: bool) -> Side:
    """Sentences of a text with their offsets in the original text, and its language."""
    sentences, spans, lang = split_with_offsets(text, lang, presplit)
    return Side(text, lang, sentences, spans)


def _metrics(same_lang: bool, tgt_lang: str) -> dict[str, Any]:
    if not same_lang:
        return {}
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    tok = "zh" if tgt_lang.startswith("zh") else "ja-mecab" if tgt_lang.startswith("ja") else "13a"
    try:
        bleu = BLEU(effective_order=True, tokenize=tok)
    except Exception:  # a tokenizer whose extra is not installed
        bleu = BLEU(effective_order=True)
    return {"chrf": CHRF(), "chrf++": CHRF(word_order=2), "bleu": bleu, "ter": TER()}


def compare(
    src_text: str,
    tgt_text: str,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    mode: str | None = None,
    presplit: bool = False,
    config: AlignConfig | None = None,
    ratio_bounds: tuple[float, float] = (0.5, 2.0),
) -> Comparison:
    """Align two versions of a story, score every aligned pair and report where they disagree.

    ``mode``: "translation" (monotone) or "rewrite" (reordered versions); by default
    translation across languages and rewrite within one language.
    """
    src, tgt = split_side(src_text, src_lang, presplit), split_side(tgt_text, tgt_lang, presplit)
    same = src.lang.split("-")[0] == tgt.lang.split("-")[0]
    cfg = config or AlignConfig()
    cfg.mode = mode or ("rewrite" if same else "translation")
    res = align(src.sentences, tgt.sentences, src.lang, tgt.lang, cfg)
    metrics = _metrics(same, tgt.lang)
    pair_scores: list[dict[str, float] | None] = []
    findings: list[tuple[str, Finding]] = []
    hyps: list[str] = []
    refs: list[str] = []
    total_src = sum(len(s) for s in src.sentences) or 1
    total_tgt = sum(len(t) for t in tgt.sentences) or 1
    expected = total_tgt / total_src

    def add(side: str, code: str, message: str, fix: str | None, ids: tuple[int, ...], s: int, e: int) -> None:
        sd = src if side == "src" else tgt
        severity = _SEVERITY[code]
        if same and code in ("compare.omission", "compare.addition"):
            severity = Severity.NEUTRAL  # two outlets' versions: a sentence only one carries is normal
        if not same and code in ("compare.quote_missing", "compare.quote_added"):
            severity = Severity.NEUTRAL  # translators turn quotations into reported speech and back
        base = sd.spans[ids[0]][0] if ids else 0
        # offsets inside the joined bead text map to the sentence they fall in
        start, end = _map(sd, ids, s, e) if ids else (base, base)
        findings.append((side, Finding(code, _CATEGORY[code], severity, start, end, sd.text[start:end],
                                       message, fix, {"bead": [list(b.src), list(b.tgt)]})))  # fmt: skip

    checks: tuple[Callable[[str, str, str, str], list[Issue]], ...] = PAIR_CHECKS
    if not same:
        moved = document_names(src_text, tgt_text, src.lang, tgt.lang)
        checks = tuple(partial(check_dropped_names, moved=moved) if c is check_dropped_names else c for c in checks)
    for b in res.beads:
        a_txt = " ".join(src.sentences[i] for i in b.src)
        b_txt = " ".join(tgt.sentences[j] for j in b.tgt)
        if not b.src or not b.tgt:
            pair_scores.append(None)
            if b.note == "boilerplate":
                continue
            if b.src:
                add("src", "compare.omission", "this sentence has no counterpart in the other version", None, b.src,
                    0, len(a_txt))  # fmt: skip
            else:
                add("tgt", "compare.addition", "this sentence has no counterpart in the other version", None, b.tgt,
                    0, len(b_txt))  # fmt: skip
            continue
        if metrics:
            sc = {name: round(m.sentence_score(b_txt, [a_txt]).score, 2) for name, m in metrics.items()}
            pair_scores.append(sc)
            hyps.append(b_txt)
            refs.append(a_txt)
        else:
            pair_scores.append({"similarity": b.score})
        r = (len(b_txt) / max(len(a_txt), 1)) / expected
        if min(len(a_txt), len(b_txt)) >= 20 and not ratio_bounds[0] <= r <= ratio_bounds[1]:
            short = "tgt" if r < 1 else "src"
            add(short, "compare.length_ratio",
                f"{'target' if short == 'tgt' else 'source'} is {1 / r if r < 1 else r:.1f}x shorter than expected "
                "for this pair: part of it may be missing", None, b.tgt if short == "tgt" else b.src,
                0, len(b_txt if short == "tgt" else a_txt))  # fmt: skip
        for check in checks:
            for side, code, message, fix, s, e in check(a_txt, b_txt, src.lang, tgt.lang):
                add(side, code, message, fix, b.src if side == "src" else b.tgt, s, e)
    findings = _rewrite_filter(findings, src, tgt, same)
    corpus: dict[str, float] = {}
    signatures: dict[str, str] = {}
    if metrics and hyps:
        for name, m in metrics.items():
            corpus[name] = round(m.corpus_score(hyps, [refs]).score, 2)
            signatures[name] = str(m.get_signature())
    findings.sort(key=lambda x: (x[0], x[1].start, x[1].end, x[1].code))
    return Comparison(src, tgt, res, pair_scores, findings, corpus, signatures)


def _rewrite_filter(
    findings: list[tuple[str, Finding]], src: Side, tgt: Side, same: bool = True
) -> list[tuple[str, Finding]]:
    """Versions move facts between sentences (a rewrite, a translator's merged or split
    sentences): a name or number is a mismatch only when the other version has it nowhere.
    In one language a different spelling of it there is a variant."""

    words = {k: {bare(m.group()) for m in WORD.finditer(side.text)} for k, side in
             (("src", src), ("tgt", tgt))}  # fmt: skip
    nums = {k: {key for key, _, _ in number_keys(side.text, side.lang)} for k, side in (("src", src), ("tgt", tgt))}
    out = []
    for side, f in findings:
        other = "tgt" if side == "src" else "src"
        if f.code == "compare.number_mismatch":
            keys = {key for key, _, _ in number_keys(f.text, (src if side == "src" else tgt).lang)}
            if keys and keys <= nums[other]:
                continue
        if f.code == "compare.name_mismatch":
            pair = f"{src.lang}-{tgt.lang}" if side == "src" else f"{tgt.lang}-{src.lang}"
            table = {} if same else name_tables().get(pair, {})
            if not same and side == "tgt":
                table = {v: k for k, v in name_tables().get(f"{src.lang}-{tgt.lang}", {}).items()}
            match = counterpart(f.text, words[other], table)
            if match is not None:
                if same and is_variant(bare(f.text), match):
                    f = Finding("compare.name_variant", _CATEGORY["compare.name_variant"],
                                _SEVERITY["compare.name_variant"], f.start, f.end, f.text,
                                f"'{f.text}' is spelled '{match}' in the other version: a variant, same name",
                                None, f.evidence)  # fmt: skip
                else:
                    continue
        out.append((side, f))
    return out


def _map(side: Side, ids: tuple[int, ...], s: int, e: int) -> tuple[int, int]:
    """Offsets in the space-joined text of sentences ``ids`` -> offsets in the side's original text."""
    pos = 0
    start = end = None
    for i in ids:
        sent = side.sentences[i]
        o_s, o_e = side.spans[i]
        lo, hi = pos, pos + len(sent)
        if start is None and s < hi:
            start = o_s + min(max(s - lo, 0), o_e - o_s)
        if e <= hi:
            end = o_s + min(max(e - lo, 0), o_e - o_s)
            break
        pos = hi + 1
    last = side.spans[ids[-1]][1]
    start = side.spans[ids[0]][0] if start is None else start
    return start, last if end is None else max(end, start)


__all__ = ["Bead", "Comparison", "compare", "split_side"]
