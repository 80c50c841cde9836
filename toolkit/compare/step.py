"""Pipeline step: the versions of each multi-version story are compared, source against translation.

Roles come first (:mod:`toolkit.compare.roles`): a translation is compared with its source
and carries every finding of the pair, including what it dropped from the source; versions
in one language, and independent reports in two, are peers whose differences are neutral
notes on both. ``doc.versions`` records each pair, the document's role and the evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from toolkit.compare.core import compare
from toolkit.compare.roles import INDEPENDENT, MIN_COVERAGE, TRANSLATION, Roles, base_lang, coverage, decide
from toolkit.document import Document, Finding, Severity, batches

if TYPE_CHECKING:
    from toolkit.compare.core import Comparison


def _lines(text: str) -> frozenset[str]:
    return frozenset(" ".join(x.split()) for x in text.split("\n") if x.strip())


class CompareVersions:
    """Align the versions of each multi-version cluster and add the bilingual findings
    (``evidence.compared_with`` names the other version, ``evidence.role`` this one's role)."""

    name = "compare"
    needs = ("cluster", "lang", "findings")
    adds = ("findings", "versions", "comparisons")
    shared = False

    def __init__(
        self, batch: int = 1000, max_versions: int = 8, copy_lines: int = 2, source_langs: tuple[str, ...] = ()
    ) -> None:
        self.batch = batch
        self.max_versions = max_versions  # pairs compared per cluster (translations first)
        self.copy_lines = copy_lines  # a same-language version differing by this few lines is a copy
        self.source_langs = source_langs

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        for batch in batches(docs, self.batch):
            yield from self._batch(batch)

    def pairs(self, members: list[Document]) -> list[Roles]:
        """The pairs worth comparing: each version against its source, or against its language's head."""
        by_lang: dict[str, list[Document]] = {}
        for m in sorted(members, key=lambda d: d.id):
            by_lang.setdefault(base_lang(m.lang), []).append(m)
        canon = next((m for m in members if m.cluster is not None and m.cluster.canonical), members[0])
        heads = {lang: canon if canon in group else group[0] for lang, group in by_lang.items()}
        cross: dict[tuple[str, str], Roles] = {}
        for m in sorted(members, key=lambda d: d.id):
            mine = base_lang(m.lang)
            found = [decide(head, m, self.source_langs) for lang, head in sorted(heads.items()) if lang != mine]
            # a translation is compared with its one likeliest source (the strongest evidence, then
            # the order of source_langs), not with every other language's version
            sources = [r for r in found if r.kind == TRANSLATION and r.other is m]
            if sources:
                best = max(sources, key=lambda r: (r.weight, -self._rank(r.source)))
                cross.setdefault((best.source.id, best.other.id), best)
        peers = []
        for lang, group in sorted(by_lang.items()):
            base = _lines(heads[lang].text)
            # copy-paste republications (a changed line or two) carry nothing to compare; the rest
            # are taken most different first, in a deterministic order
            ranked = sorted(((len(base ^ _lines(m.text)), m.id, m) for m in group if m is not heads[lang]),
                            key=lambda t: (-t[0], t[1]))  # fmt: skip
            peers += [decide(heads[lang], m) for diff, _, m in ranked if diff > self.copy_lines]
        return [*(cross[k] for k in sorted(cross)), *peers][: self.max_versions]

    def _rank(self, doc: Document) -> int:
        lang = base_lang(doc.lang)
        return self.source_langs.index(lang) if lang in self.source_langs else len(self.source_langs)

    def _batch(self, docs: list[Document]) -> Iterator[Document]:
        clusters: dict[str, list[Document]] = {}
        for d in docs:
            if d.ok and d.cluster is not None:
                clusters.setdefault(d.cluster.id, []).append(d)
        for members in clusters.values():
            if len(members) < 2:
                continue
            done = []
            for roles in self.pairs(members):
                src, other = roles.source, roles.other
                res = compare(src.text, other.text, src.lang, other.lang)
                if roles.kind == TRANSLATION:
                    cov = coverage(len(res.src.sentences), len(res.tgt.sentences), res.alignment.beads)
                    if cov < MIN_COVERAGE:
                        roles.kind = INDEPENDENT
                        roles.evidence.append(f"only {cov:.0%} of the sentences align: two reports, not a translation")
                    else:
                        roles.evidence.append(f"{cov:.0%} of the sentences align")
                done.append((roles, res))
            _one_translation_per_language(done)
            for roles, res in done:
                src, other = roles.source, roles.other
                src.comparisons.append((other.id, res, roles.kind))
                src.versions.append(roles.record(src))
                other.versions.append(roles.record(other))
                placed = _placed(roles, res)
                for doc in (src, other):
                    _add(doc, [f for d, f in placed if d is doc])
        yield from docs


# findings that show a text carries its source's forms: the marks of the translation
_SOURCE_MARKS = frozenset({
    "compare.untranslated", "compare.untranslated_copy", "compare.name_misspelling",
    "compare.false_friend", "compare.false_friend_major",
})  # fmt: skip


def _one_translation_per_language(done: list[tuple[Roles, Comparison]]) -> None:
    """Of several versions in one language that align with one source, the likeliest is its
    translation; the others (the native wire, another outlet's English) are independent of it.

    Likeliest: the record's own word first (evidence weight), then the source's forms the
    text carries, then how closely it aligns. Without this every English version of a French
    story would be checked as its translation, and a clean native version blamed for being
    worded otherwise.
    """
    groups: dict[tuple[str, str], list[tuple[tuple[float, int, float, str], Roles]]] = {}
    for roles, res in done:
        if roles.kind != TRANSLATION:
            continue
        marks = sum(1 for side, f in res.findings if side == "tgt" and f.code in _SOURCE_MARKS)
        close = [b.score for b in res.alignment.beads if b.src and b.tgt]
        sim = round(sum(close) / len(close), 4) if close else 0.0
        group = (roles.source.id, base_lang(roles.other.lang))
        groups.setdefault(group, []).append(((-roles.weight, -marks, -sim, roles.other.id), roles))
    for candidates in groups.values():
        candidates.sort(key=lambda c: c[0])
        winner = candidates[0][1]
        for _, roles in candidates[1:]:
            roles.kind = INDEPENDENT
            roles.evidence.append(f"{winner.other.id} is the likelier translation of {roles.source.id}")


def _add(doc: Document, found: list[Finding]) -> None:
    """Add a pair's findings; on a span a single-document scorer already flagged, the source's
    evidence replaces the word lists' (Londres: untranslated, now with the source beside it)."""
    spans = {(f.start, f.end) for f in found if f.severity is not Severity.NEUTRAL}
    if spans:
        doc.findings = [x for x in doc.findings if (x.start, x.end) not in spans or x.code.startswith("compare.")]
    doc.findings.extend(found)


def _placed(roles: Roles, res: Comparison) -> list[tuple[Document, Finding]]:
    """The pair's findings on the version they belong to.

    Between a source and its translation every finding goes on the translation: one the
    aligner placed on the source side (a sentence, name or number the translation lacks)
    is anchored on the translation's sentences of that bead, or of the bead before it.
    Between peers each side keeps its own, as a neutral note.
    """
    out: list[tuple[Document, Finding]] = []
    src, other = roles.source, roles.other
    for side, f in res.findings:
        if roles.kind != TRANSLATION:
            mine, theirs = (src, other) if side == "src" else (other, src)
            ev = {**f.evidence, "compared_with": theirs.id, "role": roles.kind}
            out.append((mine, Finding(f.code, f.category, Severity.NEUTRAL, f.start, f.end, f.text, f.message, f.fix,
                                      ev)))  # fmt: skip
            continue
        ev = {**f.evidence, "compared_with": src.id, "role": "translation"}
        if side == "tgt":
            out.append((other, Finding(f.code, f.category, f.severity, f.start, f.end, f.text, f.message, f.fix, ev)))
            continue
        start, end = _anchor(res, f.evidence.get("bead"))
        message = f"{f.message} (source: '{f.text[:120]}')" if f.text else f.message
        ev["source_span"] = [f.start, f.end]
        out.append((other, Finding(f.code, f.category, f.severity, start, end, res.tgt.text[start:end], message,
                                   f.fix, ev)))  # fmt: skip
    return out


def _anchor(res: Comparison, bead: object) -> tuple[int, int]:
    """The translation's span for a bead: its target sentences, else those of the nearest bead before."""
    spans = res.tgt.spans
    if not spans:
        return 0, 0
    beads = res.alignment.beads
    key = [list(x) for x in bead] if isinstance(bead, list) else None
    pos = next((k for k, b in enumerate(beads) if [list(b.src), list(b.tgt)] == key), None)
    if pos is not None:
        for b in reversed(beads[: pos + 1]):
            if b.tgt:
                return spans[b.tgt[0]][0], spans[b.tgt[-1]][1]
        for b in beads[pos:]:
            if b.tgt:
                return spans[b.tgt[0]][0], spans[b.tgt[0]][1]
    return spans[0]
