"""The pipeline: steps that annotate a stream of documents, and the one list of them in order.

A step is a callable from an iterable of documents to an iterator of the same documents,
annotated (the datatrove shape). Steps pass rejected documents through untouched and
never drop one. Each declares what it needs and adds (``Document`` field names), how many
documents it must see together (``batch``: 1, a number, or ``None`` for all), and whether it
holds state that must stay in one process and see the batches in order (``shared``: the
index). The runners (:mod:`toolkit.executor`) plan any step list from these declarations
alone. Scores are computed by steps; decisions (gates, routing) are made later from the
scores (:mod:`toolkit.gates`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from toolkit.compare.step import CompareVersions
from toolkit.config import RunConfig, seeds_dir, signature
from toolkit.document import Document, batches, quality_score
from toolkit.io.readers import read_inputs
from toolkit.scorers.run import Scorers, StoryEvidence
from toolkit.text.language import (
    DOC_CHARS,
    GUARD_CHARS,
    MAX_CHARS,
    OPENING_CHARS,
    Evidence,
    LangResult,
    decide_many,
    declared_lang,
    detect,
    evidence_many,
    language_code,
)
from toolkit.text.normalize import norm_of, normalize
from toolkit.text.segment import paragraph_spans

LANG_CHUNK = 256  # documents whose language evidence is computed together
# what the language step needs of a document: whether its language was declared, the paragraph
# spans to label (None: none) and the (text, window) pairs whose evidence is needed
_Plan = tuple[bool, list[tuple[int, int]] | None, list[tuple[str, int]]]


class Step(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def needs(self) -> tuple[str, ...]: ...  # Document fields it reads that an earlier step sets
    @property
    def adds(self) -> tuple[str, ...]: ...  # Document fields it sets
    @property
    def batch(self) -> int | None: ...  # documents it must see together: 1, a number, None (all)
    @property
    def shared(self) -> bool: ...  # holds this process's state and must see every batch, in order

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]: ...


class PerDocument:
    """A step that handles each accepted document on its own."""

    name = "step"
    needs: tuple[str, ...] = ()
    adds: tuple[str, ...] = ()
    batch: int | None = 1
    shared = False

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            if doc.ok:
                self.process(doc)
            yield doc

    def process(self, doc: Document) -> None:
        raise NotImplementedError


class Normalize(PerDocument):
    """Cleaned text with an offset map, for the analysis steps (the original is kept)."""

    name = "normalize"
    adds = ("norm",)

    def process(self, doc: Document) -> None:
        doc.norm = normalize(doc.text)


class Language:
    """Document and paragraph languages (langdetect, seeded, names masked). Each document on its
    own, scored LANG_CHUNK at a time."""

    name = "language"
    needs = ("norm",)
    adds = ("lang", "paragraphs")
    batch: int | None = 1
    shared = False

    def __init__(self, per_paragraph: bool = True, method: str = "exhaustive", trust_declared: bool = False) -> None:
        self.per_paragraph = per_paragraph
        self.method = method
        self.trust_declared = trust_declared

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        # the texts of LANG_CHUNK documents scored together: their new words' vectors are
        # computed in one call (one at a time, the warm-up of a run cost as much as the rest)
        for chunk in batches(docs, LANG_CHUNK):
            live = [d for d in chunk if d.ok]
            plans = [self._plan(d) for d in live]
            evs = iter(evidence_many([t for _, _, texts in plans for t in texts]))
            found = [[next(evs) for _ in texts] for _, _, texts in plans]
            alone = self._languages_alone(plans, found)
            # every paragraph's decision and every document's (the sum of its paragraphs'
            # evidence: no second pass over the text), in one pass of array operations
            flat: list[Evidence] = []
            for (_, spans, _), evs_of in zip(plans, found, strict=True):
                if spans is not None:
                    flat += [*evs_of, sum(evs_of, Evidence(None, 0, 0))]
            rest = iter(decide_many(flat)[0])
            for k, (doc, (declared, spans, _)) in enumerate(zip(live, plans, strict=True)):
                if spans is not None:
                    self._decide(doc, declared, spans, [next(rest) for _ in spans], next(rest))
                elif k in alone and not declared:
                    doc.lang, doc.lang_prob = alone[k].lang, alone[k].prob
            yield from chunk

    def _plan(self, doc: Document) -> _Plan:
        """Whether the language was declared, the paragraph spans to label (None: none) and the
        (text, window) pairs whose evidence is needed."""
        declared = declared_lang(doc.record) if self.trust_declared else None
        if declared is not None:
            # the feed says which language this is (--trust-lang): taken as it is, not identified
            doc.lang, doc.lang_prob, doc.lang_basis = language_code(declared), 1.0, "declared"
            if not self.per_paragraph:
                return True, None, []
        text = norm_of(doc).text
        if self.method == "sampled":
            if declared is None:
                res = detect(text)
                doc.lang, doc.lang_prob = res.lang, res.prob
            if not self.per_paragraph:
                return declared is not None, None, []
        elif not self.per_paragraph:
            # the document's language alone: its opening, and a sample from where the window
            # ends; read to DOC_CHARS if those are not decisive (_languages_alone)
            end = min(len(text), DOC_CHARS)
            if end <= OPENING_CHARS:  # the opening is the whole window
                return False, None, [(text, OPENING_CHARS)]
            return False, None, [(text, OPENING_CHARS), (text[max(0, end - GUARD_CHARS) : end], GUARD_CHARS)]
        spans = paragraph_spans(text)
        return declared is not None, spans, [(text[s:e], MAX_CHARS) for s, e in spans]

    @staticmethod
    def _languages_alone(plans: list[_Plan], found: list[list[Evidence]]) -> dict[int, LangResult]:
        """The language of each planned document read alone (no paragraph labels), by its
        place: from its opening, read again to DOC_CHARS, with the others, if that has not
        converged or a sample from the window's end says otherwise."""
        alone = [k for k, (_, spans, texts) in enumerate(plans) if spans is None and texts]
        decided, converged = decide_many([found[k][0] for k in alone])
        # the sample from the window's end must agree: page chrome in another language ahead of
        # the story (a partner site's English lines over a French report) can make an opening
        # sure of the wrong language
        guards = [k for k in alone if len(found[k]) > 1]
        guard_lang = dict(zip(guards, (r.lang for r in decide_many([found[k][1] for k in guards])[0]), strict=True))
        trusted = [c and guard_lang.get(k, r.lang) == r.lang for k, r, c in zip(alone, decided, converged, strict=True)]
        again = [k for k, t in zip(alone, trusted, strict=True) if not t]
        if again:
            longer = evidence_many([(plans[k][2][0][0], DOC_CHARS) for k in again])
            redecided = dict(zip(again, decide_many(longer)[0], strict=True))
            decided = [redecided.get(k, r) for k, r in zip(alone, decided, strict=True)]
        return dict(zip(alone, decided, strict=True))

    def _decide(
        self, doc: Document, declared: bool, spans: list[tuple[int, int]], paras: list[LangResult], total: LangResult
    ) -> None:
        """Paragraph labels, and the document's language from the sum of its paragraphs' evidence
        (no second pass over the text)."""
        norm = norm_of(doc)
        labels = []
        for (s, e), r in zip(spans, paras, strict=True):
            os_, oe = norm.to_original(s, e)
            labels.append({"start": os_, "end": oe, "lang": r.lang, "prob": round(r.prob, 4)})
        doc.paragraphs = labels
        if self.method != "sampled" and not declared:
            doc.lang, doc.lang_prob = total.lang, total.prob


class Quality(PerDocument):
    """Per-document quality, 0–100, from the findings (MQM-style weights per 1,000 words)."""

    name = "quality"
    needs = ("findings",)
    adds = ("quality",)
    # a few microseconds a document: it runs where the documents are (None), since sending them to
    # a worker and back costs a hundred times more
    batch = None

    def process(self, doc: Document) -> None:
        # no findings, no penalty: the words need not be counted (a third of a second for 10,000 documents)
        doc.quality = quality_score(doc.findings, len(doc.text.split()) if doc.findings else 0)


def default_steps(
    config: RunConfig, index: Any = None, added: float | None = None, dry_run: bool = False
) -> list[Step]:
    """The steps of a run, in order: the only list of them. ``index``: an open "seen before"
    index (:func:`toolkit.index.open_index`) that every clustered batch is checked against and
    added to (``added``: its timestamp; ``dry_run``: check without adding)."""
    steps: list[Step] = [
        Normalize(),
        Language(per_paragraph=config.paragraph_lang, method=config.lang_method, trust_declared=config.trust_lang),
    ]
    if config.dedup:
        from toolkit.dedup.steps import CheckIndex, Cluster, Features

        steps += [Features(), Cluster(config.dedup_config, config.dedup_batch)]
        if index is not None:
            steps.append(CheckIndex(index, config.dedup_config, config.dedup_batch, added, dry_run))
    if config.scorers:
        steps += [StoryEvidence(config.scorer_config), Scorers(config.scorer_config)]
    if config.dedup and config.compare:
        steps.append(CompareVersions(batch=config.scorer_config.batch, source_langs=config.scorer_config.source_langs))
    steps.append(Quality())
    return steps


@dataclass
class Pipeline:
    """Steps chained in this process: ``Pipeline(steps)(docs)`` yields the annotated documents."""

    steps: Sequence[Step]

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        stream: Iterable[Document] = docs
        for step in self.steps:
            stream = step(stream)
        yield from stream


@dataclass
class Summary:
    """Counts over a run, plus the parameters that produced it."""

    params: dict[str, Any]
    documents: int = 0
    accepted: int = 0
    rejects: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    findings_by_code: Counter[str] = field(default_factory=Counter)
    findings_by_severity: Counter[str] = field(default_factory=Counter)
    findings_by_category: Counter[str] = field(default_factory=Counter)
    clusters: Counter[str] = field(default_factory=Counter)
    quality_sum: float = 0.0

    def add(self, doc: Document) -> None:
        self.documents += 1
        if not doc.ok:
            assert doc.rejected is not None
            self.rejects[doc.rejected.reason] += 1
            return
        self.accepted += 1
        self.languages[doc.lang] += 1
        for f in doc.findings:
            self.findings_by_code[f.code] += 1
            self.findings_by_severity[f.severity.value] += 1
            self.findings_by_category[f.category] += 1
        if doc.cluster is not None:
            self.clusters[doc.cluster.id] += 1
        if doc.quality is not None:
            self.quality_sum += doc.quality

    @property
    def rejected(self) -> int:
        return sum(self.rejects.values())

    def to_dict(self) -> dict[str, Any]:
        def sort(c: Counter[str]) -> dict[str, int]:
            return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

        multi = sum(1 for n in self.clusters.values() if n > 1)
        return {
            "signature": signature(self.params),
            "documents": self.documents,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "rejects_by_reason": sort(self.rejects),
            "languages": sort(self.languages),
            "findings": sum(self.findings_by_code.values()),
            "findings_by_severity": sort(self.findings_by_severity),
            "findings_by_category": sort(self.findings_by_category),
            "findings_by_code": sort(self.findings_by_code),
            "clusters": {"total": len(self.clusters), "multi_member": multi},
            "mean_quality": round(self.quality_sum / self.accepted, 2) if self.accepted else None,
            "parameters": self.params,
        }


def run(
    inputs: Iterable[str] | None = None,
    config: RunConfig | None = None,
    docs: Iterable[Document] | None = None,
    index: Any = None,
) -> Iterator[Document]:
    """Annotated documents for the inputs (or for ``docs``), in input order.

    With neither, the embedded seeds are used. This is the Python face of ``wirecheck run``;
    with ``index`` (``toolkit.index.open_index(path_or_url, config.index_params())``) it is
    ``wirecheck ingest``'s.
    """

    config = config or RunConfig()
    if docs is None:
        docs = read_inputs(list(inputs) if inputs else [str(seeds_dir())], config.reader)
    yield from Pipeline(default_steps(config, index=index))(docs)
